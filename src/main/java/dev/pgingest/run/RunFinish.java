package dev.pgingest.run;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.MapToRows;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.store.StoreObjects;
import dev.pgingest.unitstatus.UnitStatusTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Closes a run: indexes, counts, checks, sql.after, ledger, final status, steps after the load. */
final class RunFinish {
  /** How long the status table may take to mark its last units complete (its own checkpoint). */
  private static final long UNITS_SETTLE_MS = 30_000;

  private final ResolvedJob<?, ?> job;
  private final JobSpec spec;
  private final RunLog log;
  private final Consumer<String> notes;
  private final SchemaBootstrap.Connections connections;

  /**
   * @param job the job as the run read it
   * @param notes where the one-line notes for the user go
   * @param connections further connections, for index builds side by side
   */
  RunFinish(
      ResolvedJob<?, ?> job,
      RunLog log,
      Consumer<String> notes,
      SchemaBootstrap.Connections connections) {
    this.job = job;
    this.spec = job.spec();
    this.log = log;
    this.notes = notes;
    this.connections = connections;
  }

  /** The job failed: builds the deferred indexes and records the run as failed with why. */
  RunFailure failed(Connection c, long runId, List<String> deferred, String failure)
      throws SQLException {
    SchemaBootstrap.createDeferredIndexes(c, deferred, connections);
    log.finish(c, runId, "failed", null, null, failure);
    return new RunFailure(failure);
  }

  /**
   * Closes run {@code runId} once all of its writes are committed: builds the deferred indexes,
   * counts, checks the input, runs {@code sql.after}, records the files read in the ledger and the
   * run as succeeded, then runs the steps after the load. Returns the result, or null when a check
   * failed the run (then recorded as failed with the check's sentence). A run already closed is
   * left as it is, so a second call does nothing twice.
   *
   * @param startedMillis when this job was defined: the run's time counts from there
   * @param files the files the run set out to read
   * @param acc the job's exact counts by name, and {@link MapToRows#FILES} the ends of its files
   */
  RunResult succeed(
      Connection c,
      long runId,
      String jobId,
      long startedMillis,
      List<String> deferred,
      List<Inputs.InputFile> files,
      Map<String, Object> acc)
      throws SQLException {
    RunLog.Outcome before = log.outcome(c, runId);
    if (before != null && !before.status().equals("running")) {
      return null;
    }
    SchemaBootstrap.createDeferredIndexes(c, deferred, connections);
    // The table is ready for its users only once its indexes are: that is the run's time.
    double seconds = Math.max(0, System.currentTimeMillis() - startedMillis) / 1000.0;
    Map<String, TableSummary> tables =
        new RunCounts(c, spec.target().schema(), spec.target().rejectsTable(), runId, acc)
            .tables(job.tables(), seconds);
    TableSummary summary = RunCounts.total(tables);
    String failure =
        InputCheck.failure(c, job, runId, summary, RunCounts.asLong(acc.get(MapToRows.ACCEPTED)));
    Map<String, Long> named = RunCounts.named(spec.summary(), tables);
    if (failure != null) {
      log.finish(
          c,
          runId,
          "failed",
          summary,
          new RunResult(runId, jobId, tables, named).toJson(),
          failure);
      return null;
    }
    List<String> said = new ArrayList<>();
    Consumer<String> note =
        s -> {
          said.add(s);
          notes.accept(s);
        };
    job.pipeline().cleanUp(spec, Instant.ofEpochMilli(startedMillis));
    List<StepResult> steps = new ArrayList<>();
    if (!spec.sql().after().isEmpty()) {
      long t0 = System.nanoTime();
      new RunSql(job).after(c, runId);
      steps.add(
          new StepResult(
              "sql.after", true, (System.nanoTime() - t0) / 1e9, List.of(), List.of(), null));
    }
    Map<String, Decoded.FileEnd> ends = FileLedger.totals(acc);
    // One sentence per damaged file; its reject row says where, the log has the details.
    ends.entrySet().stream()
        .filter(e -> e.getValue().fault() != null)
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> note.accept(e.getKey() + ": " + e.getValue().fault()));
    named = new LinkedHashMap<>(named);
    if (job.storesObjects()) {
      named.put("objects_uploaded", RunCounts.asLong(acc.get(StoreObjects.OBJECTS_UPLOADED)));
      named.put(
          "objects_already_stored", RunCounts.asLong(acc.get(StoreObjects.OBJECTS_ALREADY_STORED)));
      named.put("bytes_uploaded", RunCounts.asLong(acc.get(StoreObjects.BYTES_UPLOADED)));
    }
    UnitStatusTable progress = job.progress();
    if (progress != null) {
      UnitStatusTable.Report report = settledUnits(c, progress, runId);
      String unit = spec.progress().unit();
      named.put(unit + "_complete", report.byStatus().get(UnitStatusTable.COMPLETE));
      named.put(unit + "_failed", report.byStatus().get(UnitStatusTable.FAILED));
      if (report.byStatus().get(UnitStatusTable.LOADING) > 0) {
        named.put(unit + "_not_complete", report.byStatus().get(UnitStatusTable.LOADING));
      }
      report.failed().forEach(note);
    }
    RunResult result = new RunResult(runId, jobId, tables, named, steps);
    // The ledger rows and the status commit together: a retry after a failure here finds the run
    // still running and records both, never one twice or one alone.
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      FileLedger.record(
          c, spec.target().schema(), spec.target().rejectsTable(), runId, spec.name(), files, ends);
      log.finish(c, runId, "succeeded", summary, result.toJson(), null);
      log.summary(c, runId, result.toJson(), said);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
    // Summaries over the committed data, off the load's critical path and its time.
    List<StepResult> all = new ArrayList<>(steps);
    all.addAll(new RunSql(job).afterLoad(c, runId));
    result = result.withSteps(all);
    log.summary(c, runId, result.toJson(), said);
    return result;
  }

  /**
   * The status table's report once its keeper marked the last units: it does so when its own final
   * checkpoint completes, which may be a moment after this run's.
   */
  private static UnitStatusTable.Report settledUnits(
      Connection c, UnitStatusTable progress, long runId) throws SQLException {
    long deadline = System.currentTimeMillis() + UNITS_SETTLE_MS;
    UnitStatusTable.Report report = progress.report(c, runId, 20);
    while (report.byStatus().get(UnitStatusTable.LOADING) > 0
        && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      report = progress.report(c, runId, 20);
    }
    return report;
  }
}
