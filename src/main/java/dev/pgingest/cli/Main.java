package dev.pgingest.cli;

import dev.pgingest.run.FileSystems;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunInterrupted;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.sink.Credentials;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.Sql;
import dev.pgingest.spec.JobSpec;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code java -jar pgingest.jar run SPEC …}: runs a job on a local MiniCluster with web UI. */
public final class Main {
  static final String USAGE =
      """
      Usage: java -jar pgingest.jar run SPEC [options]

        Runs the job spec on a local Flink MiniCluster (web UI on http://127.0.0.1:8081/) and,
        without --jdbc-url, an embedded PostgreSQL whose data stays in $PGINGEST_HOME/postgres.

      Options:
        --input PATH         file or folder to read instead of the spec's source.paths; repeatable;
                             local paths or s3://bucket/key; .gz files are decompressed
        --jdbc-url URL       target database; user and password from the URL or PGUSER/PGPASSWORD
        --parallelism N      parallelism of reading, parsing and dedup (options.parallelism)
        --summary-json FILE  write the run summary as JSON
        --set KEY=VALUE      override a spec option, e.g. --set batch-rows=2000 or
                             --set source.assembly=GRCh37; repeatable
        --home DIR           where the embedded database, checkpoints and plugins live
                             (default $PGINGEST_HOME, else ~/.pgingest)
        --fresh              start over instead of resuming an unfinished run of this spec
        --force              read every input, also files already loaded unchanged

      Ctrl-C stops the job with a savepoint (a second Ctrl-C cancels at once); running the same
      command again resumes it, as it does after a crash.
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("pgingest: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (a == null) {
      out.print(USAGE);
      return 0;
    }
    Path home = a.home != null ? Path.of(a.home) : defaultHome();
    // Read by log4j2.properties when logging starts, which is after this line.
    System.setProperty("pgingest.log.dir", home.resolve("logs").toString());
    try {
      return runJob(a, home, out, err);
    } catch (SpecNotFoundException e) {
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

  private static int runJob(Args a, Path home, PrintStream out, PrintStream err)
      throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>(a.sets);
    if (a.parallelism != null) {
      overrides.put("options.parallelism", a.parallelism);
    }
    JobSpec spec = SpecLoader.load(a.spec, a.inputs, overrides);
    FileSystems.initialize(home, FileSystems.configFromEnvironment(System.getenv()));
    Interrupts interrupts = Interrupts.install(err);
    long totalBytes = IngestRun.inputBytes(spec.source().paths());
    out.printf(
        "pgingest: job %s, %d input(s), %s%n",
        spec.name(), spec.source().paths().size(), Format.bytes(totalBytes));

    LocalPostgres pg = null;
    try {
      Database db;
      if (a.jdbcUrl != null) {
        db = Database.fromEnvironment(a.jdbcUrl);
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
      try (LocalCluster cluster = LocalCluster.start(slots, home)) {
        out.println("Flink web UI: " + cluster.webUrl());
        out.println("Log (warnings, stack traces): " + home.resolve("logs").resolve("pgingest.log"));
        ProgressLine progress = new ProgressLine(err);
        RunResult result;
        IngestRun run =
            new IngestRun(spec, db)
                .withProgress(progress)
                .withNotes(note -> progress.note(out, note))
                .withFinalCheckpoint(cluster::triggerCheckpoint)
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
        if (result.tables().isEmpty()) {
          return 0;
        }
        printSummary(out, result);
        showSample(out, db, spec);
        if (a.summaryJson != null) {
          Files.writeString(Path.of(a.summaryJson), result.toJson(), StandardCharsets.UTF_8);
        }
        out.println("Run " + result.runId() + " succeeded; look with: psql '" + psqlUrl(db) + "'");
        return 0;
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  static Path defaultHome() {
    String env = System.getenv("PGINGEST_HOME");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".pgingest");
  }

  private static void printSummary(PrintStream out, RunResult result) {
    out.printf(
        "%n%-16s %12s %10s %12s %10s %10s %10s %9s%n",
        "table", "read", "rejected", "duplicates", "inserted", "updated", "unchanged", "seconds");
    for (Map.Entry<String, TableSummary> e : result.tables().entrySet()) {
      TableSummary s = e.getValue();
      out.printf(
          Locale.ROOT,
          "%-16s %12d %10d %12d %10d %10d %10d %9.1f%n",
          e.getKey(),
          s.read(),
          s.rejected(),
          s.duplicates(),
          s.inserted(),
          s.updated(),
          s.unchanged(),
          s.seconds());
    }
    out.println();
  }

  private static void showSample(PrintStream out, Database db, JobSpec spec) throws SQLException {
    String table = Sql.qualified(spec.target().schema(), spec.target().table());
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      long total;
      // An exact count scans the table: seconds for millions of rows, after ANALYZE the
      // planner's estimate is as good for a glance.
      try (ResultSet rs =
          st.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = '" + table + "'::regclass")) {
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
        holds = "about " + Format.count(total) + " rows";
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT canonical_name, haplogroup, coordinates::text, aliases::text FROM "
                  + table
                  + " ORDER BY "
                  + Sql.ident(spec.target().table() + "_id")
                  + " LIMIT 3")) {
        out.println(table + " now holds " + holds + "; the first ones:");
        while (rs.next()) {
          out.printf(
              "  %-12s %-10s %s %s%n",
              rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
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
      sb.append(' ').append(arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private static String psqlUrl(Database db) {
    return db.safeUrl().replaceFirst("^jdbc:", "");
  }

  /** The parsed command line; null from {@link #parse} means "print usage". */
  static final class Args {
    String spec;
    final List<String> inputs = new ArrayList<>();
    String jdbcUrl;
    String parallelism;
    String summaryJson;
    String home;
    boolean fresh;
    boolean force;
    final Map<String, String> sets = new LinkedHashMap<>();

    static Args parse(String[] args) {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
        return null;
      }
      if (!args[0].equals("run")) {
        throw new IllegalArgumentException("unknown command '" + args[0] + "'");
      }
      Args a = new Args();
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          if (a.spec != null) {
            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
          }
          a.spec = arg;
          continue;
        }
        if (arg.equals("--help")) {
          return null;
        }
        if (arg.equals("--fresh") || arg.equals("--force")) {
          a.fresh |= arg.equals("--fresh");
          a.force |= arg.equals("--force");
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + arg + " needs a value");
        }
        String v = args[++i];
        switch (arg) {
          case "--input" -> a.inputs.add(v);
          case "--jdbc-url" -> a.jdbcUrl = v;
          case "--parallelism" -> {
            try {
              if (Integer.parseInt(v) < 1) {
                throw new NumberFormatException();
              }
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--parallelism needs a whole number ≥ 1, got '" + v + "'");
            }
            a.parallelism = v;
          }
          case "--summary-json" -> a.summaryJson = v;
          case "--home" -> a.home = v;
          case "--set" -> SpecLoader.addOverride(a.sets, v);
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (a.spec == null) {
        throw new IllegalArgumentException("missing SPEC (a jobs/*.yaml file)");
      }
      return a;
    }
  }

}
