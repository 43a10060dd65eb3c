package dev.pgingest.run;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.pipeline.IngestGraph;
import dev.pgingest.pipeline.PipelineDef;
import dev.pgingest.pipeline.Pipelines;
import dev.pgingest.pipeline.RejectBudgetExceeded;
import dev.pgingest.pipeline.ToRows;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.sink.Sql;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of a job spec on a given Flink environment and database: bootstrap, run record, job,
 * counts, deferred indexes, error budget. Local runner and tests share it.
 */
public final class IngestRun {
  private final JobSpec spec;
  private final Database db;
  private final RunLog log;
  private IngestGraph.RowsHook hook = IngestGraph.RowsHook.NONE;
  private Progress progress = Progress.NONE;
  private Consumer<JobID> finalCheckpoint = id -> {};

  public IngestRun(JobSpec spec, Database db) {
    this.spec = spec;
    this.db = db;
    this.log = new RunLog(spec.target().schema(), spec.target().runsTable());
  }

  /** Puts a test operator between mapping and dedup. */
  public IngestRun withHook(IngestGraph.RowsHook hook) {
    this.hook = hook;
    return this;
  }

  public IngestRun withProgress(Progress progress) {
    this.progress = progress;
    return this;
  }

  /**
   * How to trigger a checkpoint: a bounded job ends only after a checkpoint taken once all input
   * was read, so asking for it then spares waiting for the next periodic one.
   */
  public IngestRun withFinalCheckpoint(Consumer<JobID> trigger) {
    this.finalCheckpoint = trigger;
    return this;
  }

  /** Runs the job to its end; throws {@link RunFailure} with one sentence when it cannot. */
  public RunResult execute(StreamExecutionEnvironment env) {
    return executeTyped(env, Pipelines.forName(spec.pipeline()));
  }

  /**
   * Submits the job and returns at once (a detached {@code flink run -d}): nobody stays to build
   * indexes afterwards, so they are all created up front, and the run row keeps status {@code
   * submitted} with the Flink job id; the web UI and {@code jobs/status.sh} follow it from there.
   */
  public Submitted submitDetached(StreamExecutionEnvironment env) {
    return submitTyped(env, Pipelines.forName(spec.pipeline()));
  }

  /** A detached submission: the run row and the Flink job. */
  public record Submitted(long runId, String jobId) {}

  private <T, R extends UpsertRow<R>> Submitted submitTyped(
      StreamExecutionEnvironment env, PipelineDef<T, R> pipeline) {
    Prepared prepared = prepare(pipeline, false);
    IngestGraph.configure(env, spec.options());
    IngestGraph.define(env, spec, pipeline, prepared.runId, db, hook);
    try {
      JobClient client = env.executeAsync(IngestGraph.jobName(spec, prepared.runId));
      String jobId = client.getJobID().toString();
      try (Connection c = connect()) {
        log.jobSubmitted(c, prepared.runId, jobId);
        log.finish(c, prepared.runId, "submitted", null, null, null);
      }
      return new Submitted(prepared.runId, jobId);
    } catch (Exception e) {
      throw new RunFailure(failureSentence(e), e);
    }
  }

  /** What {@link #prepare} made: the run row and the index DDL left for after the load. */
  private record Prepared(long runId, List<String> deferred, long totalBytes) {}

  private Prepared prepare(PipelineDef<?, ?> pipeline, boolean deferIndexes) {
    long totalBytes = inputBytes(spec.source().paths());
    TableDef<?> table = pipeline.table(spec);
    try (Connection c = connect()) {
      List<String> deferred =
          SchemaBootstrap.prepare(
              c,
              spec.target().schema(),
              spec.target().runsTable(),
              spec.target().rejectsTable(),
              table,
              deferIndexes);
      runSql(c, spec.sql().before(), "sql.before");
      long runId = log.start(c, spec.name(), spec.hash(), spec.source().paths());
      return new Prepared(runId, deferred, totalBytes);
    } catch (SQLException e) {
      throw new RunFailure("Could not prepare the database: " + oneLine(e) + ".", e);
    }
  }

  private <T, R extends UpsertRow<R>> RunResult executeTyped(
      StreamExecutionEnvironment env, PipelineDef<T, R> pipeline) {
    long startNanos = System.nanoTime();
    TableDef<R> table = pipeline.table(spec);
    Prepared prepared = prepare(pipeline, true);
    long runId = prepared.runId;

    IngestGraph.configure(env, spec.options());
    IngestGraph.define(env, spec, pipeline, runId, db, hook);
    String failure = null;
    Map<String, Object> acc = Map.of();
    String jobId = null;
    try {
      JobClient client = env.executeAsync(IngestGraph.jobName(spec, runId));
      jobId = client.getJobID().toString();
      try (Connection c = connect()) {
        log.jobSubmitted(c, runId, jobId);
      }
      acc = await(client, prepared.totalBytes, startNanos).getAllAccumulatorResults();
    } catch (Exception e) {
      failure = failureSentence(e);
    }

    try (Connection c = connect()) {
      SchemaBootstrap.createDeferredIndexes(c, prepared.deferred);
      // The table is ready for its users only once its indexes are: that is the run's time.
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      TableSummary summary = null;
      if (failure == null) {
        summary = count(c, table, runId, acc, seconds);
        failure = checkRatio(c, runId, summary);
      }
      if (failure == null) {
        runSql(c, spec.sql().after(), "sql.after");
      }
      Map<String, TableSummary> tables = new LinkedHashMap<>();
      if (summary != null) {
        tables.put(table.table(), summary);
      }
      RunResult result = new RunResult(runId, jobId, tables);
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
      return result;
    } catch (SQLException e) {
      throw new RunFailure("Could not finish the run in the database: " + oneLine(e) + ".", e);
    }
  }

  private JobExecutionResult await(JobClient client, long totalBytes, long startNanos)
      throws Exception {
    CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
    boolean triggered = false;
    while (true) {
      try {
        return done.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        try {
          Map<String, Object> live = client.getAccumulators().get(5, TimeUnit.SECONDS);
          progress.update(
              asLong(live.get(ToRows.READ)),
              asLong(live.get(ToRows.BYTES)),
              totalBytes,
              (System.nanoTime() - startNanos) / 1e9);
          if (!triggered
              && asLong(live.get(BatchOperator.INPUT_ENDED)) >= spec.options().sinkParallelism()) {
            triggered = true;
            finalCheckpoint.accept(client.getJobID());
          }
        } catch (TimeoutException | ExecutionException ignored) {
          // Progress is best effort; the job result is what counts.
        }
      }
    }
  }

  private TableSummary count(
      Connection c, TableDef<?> table, long runId, Map<String, Object> acc, double seconds)
      throws SQLException {
    long inserted;
    long updated;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE "
                + TableDef.CREATED_RUN
                + " = ?), count(*) FILTER (WHERE "
                + TableDef.CREATED_RUN
                + " <> ?) FROM "
                + table.qualifiedName()
                + " WHERE "
                + TableDef.UPDATED_RUN
                + " = ?")) {
      ps.setLong(1, runId);
      ps.setLong(2, runId);
      ps.setLong(3, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        inserted = rs.getLong(1);
        updated = rs.getLong(2);
      }
    }
    long rejected = rejectCount(c, runId);
    long keys = asLong(acc.get(DedupFunction.KEYS));
    return new TableSummary(
        asLong(acc.get(ToRows.READ)),
        rejected,
        asLong(acc.get(DedupFunction.DUPLICATES)),
        inserted,
        updated,
        Math.max(0, keys - inserted - updated),
        seconds);
  }

  private long rejectCount(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM "
                + Sql.qualified(spec.target().schema(), spec.target().rejectsTable())
                + " WHERE run_id = ?")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private String checkRatio(Connection c, long runId, TableSummary s) throws SQLException {
    double max = spec.options().maxRejectRatio();
    if (s.read() == 0 || (double) s.rejected() / s.read() <= max) {
      return null;
    }
    List<Reject> first = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT file, line_number, reason FROM "
                + Sql.qualified(spec.target().schema(), spec.target().rejectsTable())
                + " WHERE run_id = ? ORDER BY file, line_number LIMIT 3")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          first.add(new Reject(rs.getString(1), rs.getLong(2), rs.getString(3), null));
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "Error budget exceeded: %d of %d records rejected (%.1f%%, max-reject-ratio %s); first at %s.",
        s.rejected(),
        s.read(),
        100.0 * s.rejected() / s.read(),
        max,
        String.join(", ", first.stream().map(Reject::where).toList()));
  }

  /**
   * Runs the spec's SQL; {@code {{schema}}} and {@code {{table}}} stand for the target's quoted
   * schema and schema-qualified table, so a spec keeps working when {@code --set} moves it.
   */
  private void runSql(Connection c, List<String> statements, String key) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String template : statements) {
        String sql =
            template
                .replace("{{schema}}", Sql.ident(spec.target().schema()))
                .replace("{{table}}", Sql.qualified(spec.target().schema(), spec.target().table()));
        try {
          st.execute(sql);
        } catch (SQLException e) {
          throw new SQLException("statement in '" + key + "' failed: " + oneLine(e), e);
        }
      }
    }
  }

  private Connection connect() throws SQLException {
    try {
      return db.connect();
    } catch (SQLException e) {
      throw new RunFailure(
          "Cannot connect to PostgreSQL at " + db.safeUrl() + ": " + oneLine(e) + ".", e);
    }
  }

  /** Total size of the inputs; a missing input fails the run before anything starts. */
  public static long inputBytes(List<String> paths) {
    if (paths.isEmpty()) {
      throw new RunFailure(
          "No input: the spec's key 'source.paths' is empty and no --input was given.");
    }
    long total = 0;
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
          throw new RunFailure("Input not found: " + p + ".");
        }
        total += size(fs, fs.getFileStatus(path));
      } catch (IOException e) {
        throw new RunFailure("Cannot read input " + p + ": " + oneLine(e) + ".", e);
      }
    }
    return total;
  }

  private static long size(FileSystem fs, FileStatus status) throws IOException {
    if (!status.isDir()) {
      return status.getLen();
    }
    long total = 0;
    for (FileStatus child : fs.listStatus(status.getPath())) {
      total += size(fs, child);
    }
    return total;
  }

  private static String failureSentence(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RejectBudgetExceeded || t instanceof RunFailure) {
        return t.getMessage();
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return "The Flink job failed: " + oneLine(root) + ".";
  }

  public static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    m = m.replaceAll("\\s+", " ").trim();
    return m.endsWith(".") ? m.substring(0, m.length() - 1) : m;
  }

  private static long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
