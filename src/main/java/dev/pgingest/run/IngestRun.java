package dev.pgingest.run;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.format.Decoded;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.Pipelines;
import dev.pgingest.graph.RejectBudget;
import dev.pgingest.graph.RejectBudgetExceeded;
import dev.pgingest.graph.ToRows;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.sink.Sql;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of a job spec on a given Flink environment and database: bootstrap, run record, resume,
 * file ledger, job, counts, deferred indexes, error budget. Local runner and tests share it.
 */
public final class IngestRun {
  private final JobSpec spec;
  private final Database db;
  private final RunLog log;
  private IngestGraph.RowsHook hook = IngestGraph.RowsHook.NONE;
  private Progress progress = Progress.NONE;
  private Consumer<JobID> finalCheckpoint = id -> {};
  private Consumer<String> notes = s -> {};
  private ToLongFunction<JobID> lastFailure = id -> 0;
  private Path checkpointBase;
  private boolean fresh;
  private boolean force;
  private long resumeRunId = -1;
  private String resumePath;

  private final CompletableFuture<JobClient> submitted = new CompletableFuture<>();
  private final AtomicInteger interrupts = new AtomicInteger();
  private volatile CompletableFuture<String> savepoint;
  private volatile boolean cancelled;
  private volatile double percent;
  private volatile Path runDir;

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
   * When the job's newest task failure happened (0: none or unknown), so the progress line can
   * tell when Flink retries during a database outage.
   */
  public IngestRun withFailureTimes(ToLongFunction<JobID> lastFailure) {
    this.lastFailure = lastFailure;
    return this;
  }

  /** Where one-line notes for the user go (resuming, files skipped). */
  public IngestRun withNotes(Consumer<String> notes) {
    this.notes = notes;
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

  /**
   * Keeps each run's checkpoints and savepoints in {@code base/run-N}, which makes runs resumable:
   * an unfinished run of the same spec and inputs is resumed from its newest restore point there.
   */
  public IngestRun withCheckpointBase(Path base) {
    this.checkpointBase = base;
    return this;
  }

  /** Starts over even when an unfinished run could be resumed. */
  public IngestRun fresh(boolean fresh) {
    this.fresh = fresh;
    return this;
  }

  /** Reads every input, also files the ledger says were loaded unchanged before. */
  public IngestRun force(boolean force) {
    this.force = force;
    return this;
  }

  /** Resumes run {@code runId} from a savepoint or retained checkpoint instead of starting one. */
  public IngestRun resumeFrom(long runId, String restorePath) {
    this.resumeRunId = runId;
    this.resumePath = restorePath;
    return this;
  }

  /**
   * Stops the running job with a savepoint (callable from any thread while {@link #execute}
   * runs); {@link #execute} then ends with {@link RunInterrupted}. Completes with the savepoint's
   * path.
   */
  public CompletableFuture<String> stopWithSavepoint() {
    CompletableFuture<String> sp =
        submitted.thenCompose(
            c -> c.stopWithSavepoint(false, savepointDir(), SavepointFormatType.CANONICAL));
    savepoint = sp;
    return sp;
  }

  /** Cancels the running job at once; its last checkpoint stays for a resume. */
  public void cancel() {
    cancelled = true;
    submitted.thenAccept(JobClient::cancel);
  }

  /** Ctrl-C: the first stops with a savepoint, the second cancels. Returns how many so far. */
  public int interrupt() {
    int n = interrupts.incrementAndGet();
    if (n == 1) {
      stopWithSavepoint();
    } else {
      cancel();
    }
    return n;
  }

  /** Runs the job to its end; throws {@link RunFailure} with one sentence when it cannot. */
  public RunResult execute(StreamExecutionEnvironment env) {
    return executeTyped(env, Pipelines.forSpec(spec));
  }

  /**
   * Submits the job and returns at once (a detached {@code flink run -d}): nobody stays to build
   * indexes afterwards, so they are all created up front, and the run row keeps status {@code
   * submitted} with the Flink job id; the web UI and {@code jobs/status.sh} follow it from there.
   */
  public Submitted submitDetached(StreamExecutionEnvironment env) {
    return submitTyped(env, Pipelines.forSpec(spec));
  }

  /** A detached submission: the run row and the Flink job. */
  public record Submitted(long runId, String jobId) {}

  private <T, R extends UpsertRow<R>> Submitted submitTyped(
      StreamExecutionEnvironment env, PipelineDef<T, R> pipeline) {
    List<Inputs.InputFile> files = listInputs(pipeline);
    long runId;
    try (Connection c = connect()) {
      bootstrap(c, pipeline, false);
      runSql(c, spec.sql().before(), "sql.before");
      runId = log.start(c, spec.name(), spec.hash(), spec.allPaths(), FileLedger.hash(files));
    } catch (SchemaBootstrap.TableProblem e) {
      throw new RunFailure(e.getMessage(), e);
    } catch (SQLException e) {
      throw new RunFailure("Could not prepare the database: " + oneLine(e) + ".", e);
    }
    IngestGraph.configure(env, spec.options());
    List<String> paths = files.stream().map(Inputs.InputFile::path).toList();
    IngestGraph.define(
        env, spec.withSources(Inputs.narrow(spec.sources(), paths)), pipeline, runId, db, hook);
    try {
      JobClient client = env.executeAsync(IngestGraph.jobName(spec, runId));
      String jobId = client.getJobID().toString();
      try (Connection c = connect()) {
        log.jobSubmitted(c, runId, jobId);
        log.finish(c, runId, "submitted", null, null, null);
      }
      return new Submitted(runId, jobId);
    } catch (Exception e) {
      throw new RunFailure(failureSentence(e), e);
    }
  }

  private List<String> bootstrap(Connection c, PipelineDef<?, ?> pipeline, boolean deferIndexes)
      throws SQLException {
    return SchemaBootstrap.prepare(
        c,
        spec.target().schema(),
        spec.target().runsTable(),
        spec.target().rejectsTable(),
        pipeline.tables(spec),
        deferIndexes);
  }

  /** What a run starts from: its row, the files it reads, and where it resumes (or null). */
  private record Start(
      RunLog.Row run, List<String> deferred, List<Inputs.InputFile> files, String restore) {
    long runId() {
      return run.runId();
    }

    List<String> paths() {
      return files.stream().map(Inputs.InputFile::path).toList();
    }

    long totalBytes() {
      return FileLedger.bytes(files);
    }
  }

  /**
   * Creates the tables, then either resumes the newest unfinished run of this job (same spec and
   * inputs, a restore point on disk) or starts a new run over the files the ledger has not seen
   * loaded unchanged. Returns null when there is nothing to read.
   */
  private Start start(Connection c, PipelineDef<?, ?> pipeline) throws SQLException {
    List<Inputs.InputFile> files = listInputs(pipeline);
    String inputsHash = FileLedger.hash(files);
    List<String> deferred = bootstrap(c, pipeline, true);
    if (resumeRunId < 0 && checkpointBase != null) {
      findResumable(c, inputsHash);
    }
    if (resumeRunId >= 0) {
      RunLog.Row row = log.get(c, resumeRunId);
      if (row == null) {
        throw new RunFailure("Run " + resumeRunId + " is not in " + spec.target().runsTable() + ".");
      }
      log.resumed(c, resumeRunId);
      // The files that run set out to read (the ledger may have left some out), not today's list.
      return new Start(row, deferred, Inputs.list(row.inputs()), resumePath);
    }
    List<Inputs.InputFile> toRead = files;
    if (!force) {
      FileLedger.Skip skip = FileLedger.skipUnchanged(c, spec.target().schema(), spec.name(), files);
      toRead = skip.toRead();
      if (skip.skipped() > 0) {
        notes.accept(
            "skipping "
                + skip.skipped()
                + (skip.skipped() == 1 ? " file" : " files")
                + " already loaded unchanged by an earlier run (--force reads "
                + (skip.skipped() == 1 ? "it" : "them")
                + " again)");
      }
    }
    if (toRead.isEmpty()) {
      return null;
    }
    runSql(c, spec.sql().before(), "sql.before");
    List<String> paths = toRead.stream().map(Inputs.InputFile::path).toList();
    long runId = log.start(c, spec.name(), spec.hash(), paths, inputsHash);
    return new Start(log.get(c, runId), deferred, toRead, null);
  }

  /** The files the run would read, with a note for those no source reads. */
  private List<Inputs.InputFile> listInputs(PipelineDef<?, ?> pipeline) {
    Inputs.Listing l = Inputs.list(spec.sources(), pipeline::reads);
    if (!l.ignored().isEmpty()) {
      notes.accept(
          "leaving aside "
              + (l.ignored().size() == 1 ? l.ignored().get(0) : l.ignored().size() + " files")
              + ": the name says no format the job reads");
    }
    return l.files();
  }

  /** Sets {@link #resumeRunId} when the newest run of this job can and should be resumed. */
  private void findResumable(Connection c, String inputsHash) throws SQLException {
    RunLog.Row last = log.latest(c, spec.name());
    if (last == null || !(last.status().equals("running") || last.status().equals("interrupted")
        || last.status().equals("failed"))) {
      return;
    }
    if (last.status().equals("running")) {
      if (!log.lock(c, last.runId())) {
        throw new RunFailure(
            "Run " + last.runId() + " of job '" + spec.name() + "' is still running in another"
                + " pgingest; wait for it to end or stop it first.");
      }
      log.unlock(c, last.runId());
      log.interrupted(
          c, last.runId(), "the runner stopped without finishing (killed or crashed)");
    }
    Path dir = Checkpoints.runDir(checkpointBase, last);
    if (fresh) {
      Checkpoints.delete(dir);
      if (!last.status().equals("failed")) {
        log.interrupted(c, last.runId(), "not resumed: a later run started over (--fresh)");
      }
      return;
    }
    var point = Checkpoints.newest(dir);
    if (point.isEmpty()) {
      if (!last.status().equals("failed")) {
        notes.accept(
            "run " + last.runId() + " stopped before its first checkpoint; starting over");
      }
      return;
    }
    if (!spec.hash().equals(last.specHash())) {
      throw new RunFailure(
          "Run " + last.runId() + " of job '" + spec.name() + "' is unfinished but the spec (or a"
              + " --set) changed since; run it unchanged to resume, or add --fresh to start over.");
    }
    if (!inputsHash.equals(last.inputsHash())) {
      throw new RunFailure(
          "Run " + last.runId() + " of job '" + spec.name() + "' is unfinished but its input"
              + " files changed since; give the same inputs to resume, or add --fresh to start"
              + " over.");
    }
    resumeRunId = last.runId();
    resumePath = point.get().path();
    notes.accept(
        "resuming run "
            + last.runId()
            + " from "
            + point.get().label()
            + (last.percent() == null
                ? ""
                : String.format(Locale.ROOT, ", %.0f%% done", last.percent()))
            + " (--fresh starts over)");
  }

  private <T, R extends UpsertRow<R>> RunResult executeTyped(
      StreamExecutionEnvironment env, PipelineDef<T, R> pipeline) {
    long startNanos = System.nanoTime();
    List<TableDef<R>> tables = pipeline.tables(spec);
    Start start;
    Connection lock;
    try {
      lock = connect();
    } catch (SQLException e) {
      throw unreachable(e);
    }
    try {
      try {
        start = start(lock, pipeline);
      } catch (SchemaBootstrap.TableProblem e) {
        throw new RunFailure(e.getMessage(), e);
      } catch (SQLException e) {
        throw new RunFailure("Could not prepare the database: " + oneLine(e) + ".", e);
      }
      if (start == null) {
        notes.accept("nothing to do: every input file was loaded unchanged before");
        return new RunResult(-1, null, Map.of());
      }
      try {
        if (!log.lock(lock, start.runId())) {
          throw new RunFailure(
              "Run " + start.runId() + " is held by another pgingest; wait for it to end.");
        }
      } catch (SQLException e) {
        throw new RunFailure("Could not lock the run: " + oneLine(e) + ".", e);
      }
      RunLock runLock = new RunLock(db, log, start.runId(), lock);
      lock = null;
      try (runLock) {
        return runJob(env, pipeline, tables, start, runLock, startNanos);
      }
    } finally {
      if (lock != null) {
        try {
          lock.close();
        } catch (SQLException ignored) {
          // Nothing was locked on it yet.
        }
      }
    }
  }

  private <T, R extends UpsertRow<R>> RunResult runJob(
      StreamExecutionEnvironment env,
      PipelineDef<T, R> pipeline,
      List<TableDef<R>> tableDefs,
      Start start,
      RunLock lock,
      long startNanos) {
    long runId = start.runId();
    IngestGraph.configure(env, spec.options());
    Configuration conf = new Configuration();
    if (checkpointBase != null) {
      Path dir = Checkpoints.runDir(checkpointBase, start.run());
      runDir = dir;
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
      conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
    }
    if (start.restore != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, start.restore);
    }
    env.configure(conf, IngestRun.class.getClassLoader());
    JobSpec job = spec.withSources(Inputs.narrow(spec.sources(), start.paths()));
    IngestGraph.define(env, job, pipeline, runId, db, hook);

    String failure = null;
    Map<String, Object> acc = Map.of();
    String jobId = null;
    try {
      JobClient client = env.executeAsync(IngestGraph.jobName(spec, runId));
      jobId = client.getJobID().toString();
      log.jobSubmitted(lock.session(), runId, jobId);
      submitted.complete(client);
      acc = await(client, runId, lock, start.totalBytes(), startNanos).getAllAccumulatorResults();
    } catch (Exception e) {
      failure = failureSentence(e);
    }
    String savepointPath = savepointPath();
    // A stop asked too late finds the job finished: then the run simply succeeded.
    if (savepointPath != null || ((savepoint != null || cancelled) && failure != null)) {
      throw interrupted(runId, savepointPath);
    }

    try (Connection c = connect()) {
      SchemaBootstrap.createDeferredIndexes(c, start.deferred);
      // The table is ready for its users only once its indexes are: that is the run's time.
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      TableSummary summary = null;
      Map<String, TableSummary> tables = new LinkedHashMap<>();
      if (failure == null) {
        tables = new RunCounts(c, spec.target().schema(), spec.target().rejectsTable(), runId, acc)
            .tables(tableDefs, seconds);
        summary = RunCounts.total(tables);
        failure = checkInput(c, runId, summary, asLong(acc.get(ToRows.ACCEPTED)), pipeline);
      }
      if (failure == null) {
        runSql(c, spec.sql().after(), "sql.after");
        Map<String, Decoded.FileEnd> files = FileLedger.totals(acc);
        FileLedger.record(c, spec.target().schema(), spec.target().rejectsTable(), runId,
            spec.name(), start.files(), files);
        // One sentence per damaged file; its reject row says where, the log has the details.
        files.entrySet().stream()
            .filter(e -> e.getValue().fault() != null)
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> notes.accept(e.getKey() + ": " + e.getValue().fault()));
      }
      RunResult result =
          new RunResult(runId, jobId, tables, RunCounts.named(spec.summary(), tables));
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
      if (checkpointBase != null) {
        // Nothing resumes a finished run: its checkpoints and savepoints are dead weight.
        Checkpoints.delete(runDir);
      }
      return result;
    } catch (SQLException e) {
      throw new RunFailure("Could not finish the run in the database: " + oneLine(e) + ".", e);
    }
  }

  /** The path of the savepoint a stop produced, or null when none was asked or it failed. */
  private String savepointPath() {
    if (savepoint == null) {
      return null;
    }
    try {
      return savepoint.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The stop did not produce a savepoint (e.g. the job had ended or failed first).
      return null;
    }
  }

  /** Records an interrupted run with its restore point and says how to go on. */
  private RunInterrupted interrupted(long runId, String savepointPath) {
    String restore = savepointPath;
    if (restore == null && runDir != null) {
      restore =
          Checkpoints.newest(runDir)
              .map(Checkpoints.RestorePoint::path)
              .orElse(null);
    }
    String how = savepointPath != null ? "with a savepoint" : "cancelled";
    String message =
        String.format(Locale.ROOT, "stopped %s at %.0f%% of the input", how, percent);
    try (Connection c = connect()) {
      log.interrupted(c, runId, message);
      if (restore != null) {
        log.checkpointed(
            c, runId, restore, progressJson(savepointPath != null ? "its savepoint" : "a checkpoint", percent, -1));
      }
    } catch (SQLException | RunFailure e) {
      // The run row keeps 'running'; the next run finds the runner gone and marks it then.
    }
    return new RunInterrupted(
        "Run " + runId + " " + message + (restore == null ? " before its first checkpoint" : ""),
        runId,
        restore);
  }

  private JobExecutionResult await(
      JobClient client, long runId, RunLock lock, long totalBytes, long startNanos)
      throws Exception {
    CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
    Outage outage = new Outage(spec.options());
    String lastRestore = null;
    boolean triggered = false;
    while (true) {
      try {
        return done.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        try {
          Map<String, Object> live = client.getAccumulators().get(5, TimeUnit.SECONDS);
          long read = asLong(live.get(ToRows.READ));
          long bytes = asLong(live.get(ToRows.BYTES));
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          percent = totalBytes > 0 ? Math.min(100.0, 100.0 * bytes / totalBytes) : 0;
          String waiting =
              outage.check(read, lastFailure.applyAsLong(client.getJobID()), this::databaseReachable);
          if (waiting != null) {
            progress.waiting("waiting for PostgreSQL at " + db.address() + ", " + waiting);
          } else {
            progress.update(read, bytes, totalBytes, seconds);
          }
          if (!triggered
              && asLong(live.get(BatchOperator.INPUT_ENDED)) >= spec.options().sinkParallelism()) {
            triggered = true;
            finalCheckpoint.accept(client.getJobID());
          }
          lastRestore = recordCheckpoint(lock, runId, lastRestore, read);
        } catch (TimeoutException | ExecutionException ignored) {
          // Progress is best effort; the job result is what counts.
        }
      }
    }
  }

  /** Stores a new restore point with the share of input read when it was seen. */
  private String recordCheckpoint(RunLock lock, long runId, String last, long read) {
    if (runDir == null) {
      return last;
    }
    var point = Checkpoints.newest(runDir);
    if (point.isEmpty() || point.get().path().equals(last)) {
      return last;
    }
    try {
      log.checkpointed(
          lock.session(), runId, point.get().path(), progressJson(point.get().label(), percent, read));
      return point.get().path();
    } catch (SQLException e) {
      // The database is away; the next tick tries again, and the files on disk are what counts.
      return last;
    }
  }

  private static String progressJson(String label, double percent, long read) {
    return String.format(
        Locale.ROOT, "{\"label\": \"%s\", \"percent\": %.1f, \"read\": %d}", label, percent, read);
  }

  private boolean databaseReachable() {
    try (Connection c = db.connect(2)) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private String savepointDir() {
    if (runDir != null) {
      return runDir.resolve("savepoints").toUri().toString();
    }
    try {
      return Files.createTempDirectory("pgingest-savepoints").toUri().toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Fails a run whose input was not what the pipeline reads (nothing accepted at all), or whose
   * rejects exceed {@code max-reject-ratio}.
   */
  private String checkInput(
      Connection c, long runId, TableSummary s, long accepted, PipelineDef<?, ?> pipeline)
      throws SQLException {
    if (accepted == 0 && s.rejected() > 0) {
      return RejectBudget.nothingExpected(
          pipeline.expectedInput(spec),
          s.rejected() == 1 ? "the one record read was" : "the " + s.rejected() + " records read were",
          firstRejects(c, runId));
    }
    double max = spec.options().maxRejectRatio();
    if (s.read() == 0 || (double) s.rejected() / s.read() <= max) {
      return null;
    }
    return String.format(
            Locale.ROOT,
            "Error budget exceeded: %d of %d records rejected (%.1f%%, max-reject-ratio %s); ",
            s.rejected(),
            s.read(),
            100.0 * s.rejected() / s.read(),
            max)
        + RejectBudget.firstAt(firstRejects(c, runId));
  }

  private List<Reject> firstRejects(Connection c, long runId) throws SQLException {
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
    return first;
  }

  /**
   * Runs the spec's SQL; {@code {{schema}}} and {@code {{table}}} stand for the target's quoted
   * schema and schema-qualified table, so a spec keeps working when {@code --set} moves it.
   */
  private void runSql(Connection c, List<String> statements, String key) throws SQLException {
    TableDef<?> first = Pipelines.forSpec(spec).tables(spec).get(0);
    String mainTable = first.qualifiedName();
    try (Statement st = c.createStatement()) {
      for (String template : statements) {
        String sql =
            template
                .replace("{{schema}}", Sql.ident(spec.target().schema()))
                .replace("{{table}}", mainTable);
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
      throw unreachable(e);
    }
  }

  private RunFailure unreachable(SQLException e) {
    return new RunFailure(
        "Cannot connect to PostgreSQL at " + db.safeUrl() + ": " + oneLine(e) + ".", e);
  }

  /** Total size of the inputs; a missing input fails the run before anything starts. */
  public static long inputBytes(List<String> paths) {
    return FileLedger.bytes(Inputs.list(paths));
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
