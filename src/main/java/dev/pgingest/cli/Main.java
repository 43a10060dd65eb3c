package dev.pgingest.cli;

import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.FileSystems;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunInterrupted;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.StepResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.sink.Credentials;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.SpecNotFoundException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.flink.util.PortRange;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code java -jar pgingest.jar run SPEC …}: runs a job on a local MiniCluster with web UI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    OptionalInt child = Launcher.relaunch(args);
    System.exit(child.isPresent() ? child.getAsInt() : run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("status")) {
      return StatusCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("pgingest: " + e.getMessage());
      err.print(Args.usage());
      return 2;
    }
    if (a == null) {
      out.print(Args.usage());
      return 0;
    }
    Path home = a.home != null ? Path.of(a.home) : defaultHome();
    // Read by log4j2.properties when logging starts, which is after this line.
    System.setProperty("pgingest.log.dir", home.resolve("logs").toString());
    try {
      return runJob(a, home, out, err);
    } catch (SpecNotFoundException | SpecLoader.UsageError e) {
      err.println("pgingest: " + e.getMessage());
      return 2;
    } catch (SpecException e) {
      err.println("pgingest: bad job spec: " + e.getMessage());
      return 2;
    } catch (RunInterrupted e) {
      err.println("pgingest: " + e.getMessage() + "; run the same command again to resume it:");
      err.println("  " + resumeCommand(args));
      return 130;
    } catch (RunFailure e) {
      err.println("pgingest: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      err.println("pgingest: " + IngestRun.oneLine(e) + ".");
      return 1;
    }
  }

  private static int runJob(Args a, Path home, PrintStream out, PrintStream err) throws Exception {
    JobSpec loaded = SpecLoader.load(a.spec, a.job.inputs, a.job.overrides());
    FileSystems.initialize(home, FileSystems.configFromEnvironment(System.getenv()));
    Interrupts interrupts = Interrupts.install(err);
    long totalBytes = IngestRun.inputBytes(loaded.allPaths());
    JobSpec spec =
        loaded.withOptions(
            loaded
                .options()
                .withStateBackend(localStateBackend(loaded.options().stateBackend(), totalBytes)));
    out.printf(
        "pgingest: job %s, %d input(s), %s%n",
        spec.name(), spec.allPaths().size(), HumanUnits.bytes(totalBytes));

    LocalPostgres pg = null;
    try {
      Database db;
      if (a.job.jdbcUrl != null) {
        db = Database.fromEnvironment(a.job.jdbcUrl);
      } else {
        Path dataDir = home.resolve("postgres");
        pg = LocalPostgres.start(dataDir);
        db = new Database(pg.jdbcUrl(), null, null);
        out.println("PostgreSQL (embedded, data in " + dataDir + "): " + pg.jdbcUrl());
      }
      // The embedded cluster's tasks run in this JVM: they take the password from here, never
      // from the job.
      Credentials.useInThisJvm(db.password());
      try (Connection c = db.connect()) {
        c.isValid(5);
      } catch (SQLException e) {
        throw new RunFailure(
            "Cannot connect to PostgreSQL at " + db.safeUrl() + ": " + IngestRun.oneLine(e) + ".");
      }
      int slots = Math.max(spec.options().parallelism(), spec.options().sinkParallelism());
      String promPorts = a.prometheusPorts();
      boolean rocksdb = spec.options().stateBackend() == Options.StateBackend.ROCKSDB;
      try (LocalCluster cluster = LocalCluster.start(slots, home, promPorts, rocksdb)) {
        out.println("Flink web UI: " + cluster.webUrl());
        if (promPorts != null) {
          out.println("Prometheus metrics: " + prometheusLine(cluster, promPorts));
        }
        out.println(
            "Log (warnings, stack traces): " + home.resolve("logs").resolve("pgingest.log"));
        ProgressLine progress = new ProgressLine(err);
        RunResult result;
        IngestRun run =
            new IngestRun(spec, db)
                .withProgress(progress)
                .withNotes(note -> progress.note(out, note))
                .withFinalCheckpoint(cluster::triggerCheckpoint)
                .withFailureTimes(cluster::lastFailure)
                .withCheckpointBase(home.resolve("checkpoints"))
                .fresh(a.fresh)
                .force(a.force);
        interrupts.attach(run);
        try {
          result = run.execute(cluster.environment());
        } finally {
          interrupts.detach();
          progress.done();
        }
        if (a.summaryJson != null) {
          Files.writeString(Path.of(a.summaryJson), result.toJson(), StandardCharsets.UTF_8);
        }
        if (result.tables().isEmpty()) {
          return 0;
        }
        printSummary(out, result);
        showSample(out, db, spec);
        out.println("Run " + result.runId() + " succeeded; look with: psql '" + psqlUrl(db) + "'");
        return 0;
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /**
   * Inputs from this size on keep their dedup state in RocksDB with incremental checkpoints; below
   * it, on the heap. The heap backend is cheaper per record, but it holds every key on the heap and
   * writes all of them at every checkpoint, so its cost grows with keys × checkpoints
   * (bench/README.md has the figures behind this choice).
   */
  static final long ROCKSDB_FROM_BYTES = 1L << 30;

  /** {@code auto} resolved for the local runner by the input's size; other choices as given. */
  static Options.StateBackend localStateBackend(Options.StateBackend chosen, long inputBytes) {
    if (chosen != Options.StateBackend.AUTO) {
      return chosen;
    }
    return inputBytes >= ROCKSDB_FROM_BYTES
        ? Options.StateBackend.ROCKSDB
        : Options.StateBackend.HEAP;
  }

  /** Where the local cluster's Prometheus endpoint is, or why there is none. */
  static String prometheusLine(LocalCluster cluster, String ports) {
    if (!cluster.prometheusServing()) {
      return "not served: no free port in " + ports + " (choose others with --prometheus-port)";
    }
    return cluster
        .prometheusPort()
        .map(port -> "http://127.0.0.1:" + port + "/metrics")
        .orElse("http://127.0.0.1:PORT/metrics, PORT the first of " + ports + " that was free");
  }

  static Path defaultHome() {
    String env = System.getenv("PGINGEST_HOME");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".pgingest");
  }

  private static void printSummary(PrintStream out, RunResult result) {
    int width =
        Math.max(16, result.tables().keySet().stream().mapToInt(String::length).max().orElse(0));
    out.printf(
        "%n%-" + width + "s %12s %10s %12s %10s %10s %10s %10s %9s%n",
        "table",
        "read",
        "rejected",
        "duplicates",
        "inserted",
        "updated",
        "unchanged",
        "skipped",
        "seconds");
    for (Map.Entry<String, TableSummary> e : result.tables().entrySet()) {
      TableSummary s = e.getValue();
      out.printf(
          Locale.ROOT,
          "%-" + width + "s %12d %10d %12d %10d %10d %10d %10d %9.1f%n",
          e.getKey(),
          s.read(),
          s.rejected(),
          s.duplicates(),
          s.inserted(),
          s.updated(),
          s.unchanged(),
          s.skipped(),
          s.seconds());
    }
    result.summary().forEach((name, value) -> out.printf(Locale.ROOT, "%s: %d%n", name, value));
    for (StepResult step : result.steps()) {
      if (!step.ran()) {
        out.printf("%n%s: off%n", step.name());
        continue;
      }
      // Timed apart from the load: the seconds above never include these steps.
      if (step.rows().isEmpty() && step.error() == null) {
        out.printf(Locale.ROOT, "%n%s: done in %.2f s%n", step.name(), step.seconds());
        continue;
      }
      out.printf(Locale.ROOT, "%n%s (after the load, %.2f s):%n", step.name(), step.seconds());
      if (step.error() != null) {
        out.println("  failed: " + step.error());
      }
      for (List<String> row : step.rows()) {
        for (int i = 0; i < row.size(); i++) {
          out.printf("  %s: %s%n", step.columns().get(i), row.get(i) == null ? "" : row.get(i));
        }
      }
    }
    out.println();
  }

  /** How many rows each target table holds now, and its first few, so a user sees the result. */
  private static void showSample(PrintStream out, Database db, JobSpec spec) throws SQLException {
    for (TableDef<?> t : ResolvedJob.of(spec).tables()) {
      showSample(out, db, t);
    }
  }

  private static void showSample(PrintStream out, Database db, TableDef<?> t) throws SQLException {
    String table = t.qualifiedName();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      long total;
      // An exact count scans the table: seconds for millions of rows, after ANALYZE the
      // planner's estimate is as good for a glance.
      try (ResultSet rs =
          st.executeQuery(
              "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table + "'::regclass")) {
        rs.next();
        total = rs.getLong(1);
      }
      String holds;
      if (total < 1_000_000) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          holds = rs.getLong(1) + " rows";
        }
      } else {
        holds = "about " + HumanUnits.count(total) + " rows";
      }
      String order =
          t.stamped()
              ? SqlNames.ident(t.idColumn())
              : String.join(", ", t.keyColumns().stream().map(SqlNames::ident).toList());
      String cols =
          String.join(
              ", ",
              t.writtenColumns().stream().limit(5).map(col -> SqlNames.ident(col.name())).toList());
      try (ResultSet rs =
          st.executeQuery(
              "SELECT " + cols + " FROM " + table + " ORDER BY " + order + " LIMIT 3")) {
        out.println(table + " now holds " + holds + "; the first ones:");
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder line = new StringBuilder(" ");
          for (int i = 1; i <= n; i++) {
            String v = rs.getString(i);
            line.append(' ').append(v == null ? "NULL" : v.replaceAll("\\s+", " "));
          }
          out.println(line.length() > 160 ? line.substring(0, 157) + "..." : line);
        }
      }
    }
  }

  /** The command line that resumes an interrupted run: the same one, as typed. */
  static String resumeCommand(String[] args) {
    String jar = "target/pgingest.jar";
    try {
      Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(self)) {
        Path cwd = Path.of("").toAbsolutePath();
        jar = self.startsWith(cwd) ? cwd.relativize(self).toString() : self.toString();
      }
    } catch (Exception e) {
      // Keep the usual location.
    }
    StringBuilder sb = new StringBuilder("java -jar ").append(jar);
    for (String arg : args) {
      if (arg.equals("--fresh") || arg.equals("--force")) {
        continue;
      }
      // Never print a password; the user's PGPASSWORD (or .pgpass) supplies it again.
      arg = arg.replaceAll("(?i)([?&])password=[^&]*&?", "$1").replaceAll("[?&]$", "");
      sb.append(' ')
          .append(
              arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private static String psqlUrl(Database db) {
    return db.safeUrl().replaceFirst("^jdbc:", "");
  }

  /** The {@code run} command line, parsed by picocli; null from {@link #parse} means "help". */
  @Command(
      name = "run",
      usageHelpWidth = 100,
      description = {
        "Runs the job spec on a local Flink MiniCluster (web UI on http://127.0.0.1:8081/) and,"
            + " without --jdbc-url, an embedded PostgreSQL whose data stays in"
            + " $PGINGEST_HOME/postgres.",
        "Ctrl-C stops the job with a savepoint (a second Ctrl-C cancels at once); running the same"
            + " command again resumes it, as it does after a crash."
      })
  static final class Args {
    @Parameters(
        index = "0",
        paramLabel = "SPEC",
        description = "a job spec (YAML), e.g. one of jobs/*.yaml")
    String spec;

    @Mixin JobOptions job = new JobOptions();

    @Option(
        names = "--summary-json",
        paramLabel = "FILE",
        description = "write the run summary as JSON")
    String summaryJson;

    @Option(
        names = "--home",
        paramLabel = "DIR",
        description =
            "where the embedded database, checkpoints, logs and plugins live (default"
                + " $PGINGEST_HOME, else ~/.pgingest)")
    String home;

    @Option(
        names = "--prometheus-port",
        paramLabel = "PORTS",
        description =
            "port or range for Flink's Prometheus endpoint (/metrics, all interfaces), the first"
                + " free one taken; 'off' for none (default "
                + LocalCluster.DEFAULT_PROMETHEUS_PORTS
                + ")")
    String prometheusPort = LocalCluster.DEFAULT_PROMETHEUS_PORTS;

    @Option(
        names = "--fresh",
        description = "start over instead of resuming an unfinished run of this spec")
    boolean fresh;

    @Option(
        names = "--force",
        description = "read every input, also files already loaded unchanged")
    boolean force;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help")
    boolean help;

    /** Parses {@code run …}; throws {@link IllegalArgumentException} with one sentence. */
    static Args parse(String[] args) {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
        return null;
      }
      if (!args[0].equals("run")) {
        throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
      Args a = new Args();
      CommandLine cmd = new CommandLine(a);
      try {
        cmd.parseArgs(Arrays.copyOfRange(args, 1, args.length));
      } catch (ParameterException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      if (a.help) {
        return null;
      }
      a.job.overrides();
      a.prometheusPorts();
      return a;
    }

    /** The Prometheus reporter's ports as Flink takes them, or null for none. */
    String prometheusPorts() {
      if (prometheusPort.equalsIgnoreCase("off")) {
        return null;
      }
      try {
        // Port 0 would bind a random port the reporter does not report back.
        for (var it = new PortRange(prometheusPort).getPortsIterator(); it.hasNext(); ) {
          if (it.next() == 0) {
            throw new IllegalArgumentException("port 0");
          }
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--prometheus-port needs a port, a range like 9249-9259 or 'off', got '"
                + prometheusPort
                + "'",
            e);
      }
      return prometheusPort;
    }

    /** The usage text, generated from the options above. */
    static String usage() {
      return "Usage: java -jar pgingest.jar run SPEC [options]\n"
          + "       java -jar pgingest.jar status [SPEC|JOB] [--run N] [--jdbc-url URL] [--flink"
          + " URL]\n\n"
          + new CommandLine(new Args())
              .getUsageMessage(CommandLine.Help.Ansi.OFF)
              .replaceFirst("^Usage: run", "       run");
    }
  }
}
