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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Closes a run whose job has ended: indexes, counts, checks, sql.after, ledger, final status. */
final class RunFinish {
  private final ResolvedJob<?, ?> job;
  private final JobSpec spec;
  private final RunLog log;
  private final Consumer<String> notes;
  private final SchemaBootstrap.Connections connections;

  /**
   * @param job the job as the run read it
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

  /**
   * Records the run as succeeded and returns its result, or as failed and throws {@link RunFailure}
   * with the sentence: {@code failure} from the job, or one the checks found.
   *
   * @param acc the job's accumulators (empty when it failed)
   * @param failure why the job failed, null when it succeeded
   */
  RunResult finish(
      Connection c,
      RunStart start,
      String jobId,
      Map<String, Object> acc,
      String failure,
      long startNanos)
      throws SQLException {
    long runId = start.runId();
    SchemaBootstrap.createDeferredIndexes(c, start.deferred(), connections);
    // The table is ready for its users only once its indexes are: that is the run's time.
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    TableSummary summary = null;
    Map<String, TableSummary> tables = new LinkedHashMap<>();
    if (failure == null) {
      tables =
          new RunCounts(c, spec.target().schema(), spec.target().rejectsTable(), runId, acc)
              .tables(job.tables(), seconds);
      summary = RunCounts.total(tables);
      failure =
          InputCheck.failure(c, job, runId, summary, RunCounts.asLong(acc.get(MapToRows.ACCEPTED)));
    }
    if (failure == null) {
      job.pipeline().cleanUp(spec, Instant.now().minusNanos(System.nanoTime() - startNanos));
      new RunSql(job).after(c, runId);
      Map<String, Decoded.FileEnd> files = FileLedger.totals(acc);
      FileLedger.record(
          c,
          spec.target().schema(),
          spec.target().rejectsTable(),
          runId,
          spec.name(),
          start.files(),
          files);
      // One sentence per damaged file; its reject row says where, the log has the details.
      files.entrySet().stream()
          .filter(e -> e.getValue().fault() != null)
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> notes.accept(e.getKey() + ": " + e.getValue().fault()));
    }
    Map<String, Long> named = RunCounts.named(spec.summary(), tables);
    if (failure == null && job.storesObjects()) {
      named = new LinkedHashMap<>(named);
      named.put("objects_uploaded", RunCounts.asLong(acc.get(StoreObjects.OBJECTS_UPLOADED)));
      named.put(
          "objects_already_stored", RunCounts.asLong(acc.get(StoreObjects.OBJECTS_ALREADY_STORED)));
      named.put("bytes_uploaded", RunCounts.asLong(acc.get(StoreObjects.BYTES_UPLOADED)));
    }
    UnitStatusTable progress = job.progress();
    if (failure == null && progress != null) {
      UnitStatusTable.Report report = progress.report(c, runId, 20);
      named = new LinkedHashMap<>(named);
      String unit = spec.progress().unit();
      named.put(unit + "_complete", report.byStatus().get(UnitStatusTable.COMPLETE));
      named.put(unit + "_failed", report.byStatus().get(UnitStatusTable.FAILED));
      if (report.byStatus().get(UnitStatusTable.LOADING) > 0) {
        named.put(unit + "_not_complete", report.byStatus().get(UnitStatusTable.LOADING));
      }
      report.failed().forEach(notes);
    }
    RunResult result = new RunResult(runId, jobId, tables, named);
    log.finish(
        c,
        runId,
        failure == null ? "succeeded" : "failed",
        summary,
        summary == null ? null : result.toJson(),
        failure);
    if (failure != null) {
      throw new RunFailure(failure);
    }
    // Summaries over the committed data, off the load's critical path and its time.
    return result.withSteps(new RunSql(job).afterLoad(c, runId));
  }
}
