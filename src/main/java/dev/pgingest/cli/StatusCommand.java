package dev.pgingest.cli;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunLog;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.StepResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.sink.Database;
import dev.pgingest.spec.JobSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgingest status}: what the database says of a job's runs, however they were started (the
 * local runner, {@code flink run} attached or detached, the web UI, application mode).
 *
 * <p>With a Flink REST address it also asks Flink about runs still open: a job Flink reports failed
 * or cancelled is recorded so in {@code ingest_runs}, since no runner was there to see it end.
 */
@Command(
    name = "status",
    usageHelpWidth = 100,
    description = {
      "Shows a job's runs from the database: state, counts, notes, and the steps after the load.",
      "With --flink (or $FLINK_REST) an open run whose Flink job failed or was cancelled is"
          + " recorded as such."
    })
final class StatusCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SPEC|JOB",
      description = "a job spec (its target schema and runs table), or a job name; none: all jobs")
  String job;

  @Option(names = "--run", paramLabel = "N", description = "one run in detail")
  Long run;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "the database (credentials from PGUSER/PGPASSWORD); default $PGINGEST_JDBC_URL, else the"
              + " embedded one in --home")
  String jdbcUrl;

  @Option(
      names = "--schema",
      paramLabel = "NAME",
      description = "schema of the runs table when JOB is a name (default public)")
  String schema = "public";

  @Option(
      names = "--flink",
      paramLabel = "URL",
      description = "Flink REST address, e.g. http://127.0.0.1:8081 (default $FLINK_REST)")
  String flink;

  @Option(names = "--limit", paramLabel = "N", description = "newest runs shown (default 10)")
  int limit = 10;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "the local runner's home, for its embedded database (default $PGINGEST_HOME)")
  String home;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help")
  boolean help;

  /** Runs {@code status …}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    StatusCommand s = new StatusCommand();
    CommandLine cmd = new CommandLine(s);
    try {
      cmd.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println("pgingest: " + e.getMessage());
      err.print(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF));
      return 2;
    }
    if (s.help) {
      out.print(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF));
      return 0;
    }
    try {
      return s.show(out, err);
    } catch (Exception e) {
      err.println("pgingest: " + IngestRun.oneLine(e) + ".");
      return 1;
    }
  }

  private int show(PrintStream out, PrintStream err) throws Exception {
    String name = job;
    String runsSchema = schema;
    String runsTable = "ingest_runs";
    if (job != null && Files.isRegularFile(Path.of(job))) {
      JobSpec spec = SpecLoader.load(job, List.of(), Map.of());
      name = spec.name();
      runsSchema = spec.target().schema();
      runsTable = spec.target().runsTable();
    }
    String url = jdbcUrl != null ? jdbcUrl : System.getenv("PGINGEST_JDBC_URL");
    LocalPostgres pg = null;
    try {
      Database db;
      if (url != null && !url.isBlank()) {
        db = Database.fromEnvironment(url);
      } else {
        Path data = (home != null ? Path.of(home) : Main.defaultHome()).resolve("postgres");
        if (!Files.isDirectory(data)) {
          err.println(
              "pgingest: no database: give --jdbc-url (or PGINGEST_JDBC_URL), or --home of a local"
                  + " run");
          return 2;
        }
        pg = LocalPostgres.start(data);
        db = new Database(pg.jdbcUrl(), null, null);
      }
      RunLog log = new RunLog(runsSchema, runsTable);
      String rest = flink != null ? flink : System.getenv("FLINK_REST");
      try (Connection c = db.connect(10)) {
        List<RunLog.Outcome> runs =
            run != null
                ? (log.outcome(c, run) == null ? List.of() : List.of(log.outcome(c, run)))
                : log.recent(c, name, limit);
        if (runs.isEmpty()) {
          out.println("no runs" + (name == null ? "" : " of job " + name) + " in " + runsTable);
          return run != null ? 1 : 0;
        }
        if (rest != null && !rest.isBlank()) {
          runs = reconcile(c, log, runs, rest.startsWith("http") ? rest : "http://" + rest, err);
        }
        out.printf(
            Locale.ROOT,
            "%-6s %-22s %-12s %-20s %-20s %-32s%n",
            "run",
            "job",
            "status",
            "started",
            "finished",
            "flink job");
        for (RunLog.Outcome o : runs) {
          out.printf(
              Locale.ROOT,
              "%-6d %-22s %-12s %-20s %-20s %-32s%n",
              o.runId(),
              o.job(),
              o.status(),
              o.startedAt(),
              o.finishedAt() == null ? "" : o.finishedAt(),
              o.flinkJobId() == null ? "" : o.flinkJobId());
        }
        if (runs.size() == 1 || run != null) {
          detail(out, runs.get(0));
        }
      }
      return 0;
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  /** Counts per table, named counts, steps, notes and message of one run. */
  private static void detail(PrintStream out, RunLog.Outcome o) {
    RunResult r = RunResult.fromJson(o.runId(), o.flinkJobId(), o.summaryJson());
    if (!r.tables().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "%n%-24s %8s %8s %10s %9s %9s %9s %9s%n",
          "table",
          "read",
          "rejected",
          "duplicates",
          "inserted",
          "updated",
          "unchanged",
          "skipped");
      for (Map.Entry<String, TableSummary> e : r.tables().entrySet()) {
        TableSummary t = e.getValue();
        out.printf(
            Locale.ROOT,
            "%-24s %8d %8d %10d %9d %9d %9d %9d%n",
            e.getKey(),
            t.read(),
            t.rejected(),
            t.duplicates(),
            t.inserted(),
            t.updated(),
            t.unchanged(),
            t.skipped());
      }
    }
    r.summary().forEach((k, v) -> out.printf(Locale.ROOT, "%s: %d%n", k, v));
    for (StepResult step : r.steps()) {
      out.printf(
          Locale.ROOT,
          "%s: %s%n",
          step.name(),
          !step.ran()
              ? "off"
              : step.error() != null
                  ? "failed: " + step.error()
                  : String.format(Locale.ROOT, "done in %.2f s", step.seconds()));
    }
    o.notes().forEach(n -> out.println("note: " + n));
    if (o.message() != null) {
      out.println(o.message());
    }
  }

  /**
   * Open runs whose Flink job has ended without closing them, recorded as Flink has it: failed with
   * the job's root exception, or interrupted when cancelled or stopped with a savepoint.
   */
  private static List<RunLog.Outcome> reconcile(
      Connection c, RunLog log, List<RunLog.Outcome> runs, String rest, PrintStream err)
      throws SQLException {
    ClusterStatus flink = new ClusterStatus(rest);
    boolean changed = false;
    for (RunLog.Outcome o : runs) {
      if (o.flinkJobId() == null
          || !(o.status().equals("running") || o.status().equals("submitted"))) {
        continue;
      }
      String state;
      try {
        state = flink.state(o.flinkJobId());
      } catch (Exception e) {
        err.println(
            "pgingest: Flink at "
                + rest
                + " does not know job "
                + o.flinkJobId()
                + " ("
                + e.getMessage()
                + ")");
        continue;
      }
      switch (state) {
        case "FAILED" ->
            changed |= log.endIfOpen(c, o.runId(), "failed", rootCause(flink, o.flinkJobId()));
        case "CANCELED" ->
            changed |=
                log.endIfOpen(
                    c,
                    o.runId(),
                    "interrupted",
                    "the Flink job was cancelled; resume it from its last checkpoint");
        case "FINISHED" ->
            changed |=
                log.endIfOpen(
                    c,
                    o.runId(),
                    "interrupted",
                    "the Flink job ended before its run was closed (stopped with a savepoint);"
                        + " resume it from that savepoint");
        default -> {}
      }
    }
    if (!changed) {
      return runs;
    }
    List<RunLog.Outcome> again = new ArrayList<>();
    for (RunLog.Outcome o : runs) {
      again.add(log.outcome(c, o.runId()));
    }
    return again;
  }

  /**
   * Why the job failed, from its newest exception as the REST API gives it: the run's own sentence
   * where one of pgingest's failures is in the cause chain, else the root cause's message.
   */
  private static String rootCause(ClusterStatus flink, String jobId) {
    String trace;
    try {
      trace =
          flink
              .get("/jobs/" + jobId + "/exceptions")
              .path("exceptionHistory")
              .path("entries")
              .path(0)
              .path("stacktrace")
              .asText("");
    } catch (Exception e) {
      return "The Flink job failed (see its exceptions in the web UI).";
    }
    return failureSentence(trace);
  }

  /** {@link #rootCause} of a Java stack trace's text. */
  static String failureSentence(String trace) {
    String root = null;
    for (String line : trace.lines().toList()) {
      String l = line.startsWith("Caused by: ") ? line.substring("Caused by: ".length()) : line;
      if (!(line.startsWith("Caused by: ") || root == null) || l.isBlank() || l.startsWith("\t")) {
        continue;
      }
      int colon = l.indexOf(": ");
      String type = colon > 0 ? l.substring(0, colon) : l;
      String message = colon > 0 ? l.substring(colon + 2).strip() : "";
      if (type.endsWith(".RejectBudgetExceeded") || type.endsWith(".RunFailure")) {
        return message;
      }
      root = message.isEmpty() ? type : message;
    }
    if (root == null) {
      return "The Flink job failed (see its exceptions in the web UI).";
    }
    root = root.endsWith(".") ? root.substring(0, root.length() - 1) : root;
    return "The Flink job failed: " + root + ".";
  }
}
