package dev.pgingest.run;

import dev.pgingest.graph.DatabaseSinks;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.RejectBudgetExceeded;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.WritePaths;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.unitstatus.UnitStatusTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of a job spec on a Flink environment and database: bootstrap, start or resume, submit,
 * await, finish. Local runner and tests share it.
 */
public final class IngestRun {
  private final JobSpec spec;
  private final Database db;
  private final RunLog log;
  private JobSources sources = JobSources.FILES;
  private Progress progress = Progress.NONE;
  private Consumer<JobID> finalCheckpoint = id -> {};
  private Consumer<String> notes = s -> {};
  private ToLongFunction<JobID> lastFailure = id -> 0;
  private Path checkpointBase;
  private boolean fresh;
  private boolean force;
  private Resumption.Target resume;

  private volatile Path runDir;
  private final JobStop stop = new JobStop(() -> runDir);

  public IngestRun(JobSpec spec, Database db) {
    this.spec = spec;
    this.db = db;
    this.log = new RunLog(spec.target().schema(), spec.target().runsTable());
  }

  /**
   * Reads the sources through {@code sources} instead of {@link JobSources#FILES}: a test's files
   * with an operator after them, to count, hold or fail records.
   */
  public IngestRun withSources(JobSources sources) {
    this.sources = sources;
    return this;
  }

  public IngestRun withProgress(Progress progress) {
    this.progress = progress;
    return this;
  }

  /**
   * When the job's newest task failure happened (0: none or unknown), so the progress line can tell
   * when Flink retries during a database outage.
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
    this.resume = new Resumption.Target(runId, restorePath);
    return this;
  }

  /**
   * Stops the running job with a savepoint (callable from any thread while {@link #execute} runs);
   * {@link #execute} then ends with {@link RunInterrupted}. Completes with the savepoint's path.
   */
  public CompletableFuture<String> stopWithSavepoint() {
    return stop.withSavepoint();
  }

  /** Cancels the running job at once; its last checkpoint stays for a resume. */
  public void cancel() {
    stop.cancel();
  }

  /** Ctrl-C: the first stops with a savepoint, the second cancels. Returns how many so far. */
  public int interrupt() {
    return stop.interrupt();
  }

  /** Runs the job to its end; throws {@link RunFailure} with one sentence when it cannot. */
  public RunResult execute(StreamExecutionEnvironment env) {
    return executeTyped(env, ResolvedJob.of(spec));
  }

  /**
   * Submits the job and returns at once (a detached {@code flink run -d}): nobody stays to build
   * indexes afterwards, so they are all created up front, and the run row keeps status {@code
   * submitted} with the Flink job id; the web UI and {@code jobs/status.sh} follow it from there.
   */
  public Submitted submitDetached(StreamExecutionEnvironment env) {
    return submitTyped(env, ResolvedJob.of(spec));
  }

  /** A detached submission: the run row and the Flink job. */
  public record Submitted(long runId, String jobId) {}

  private <T, R extends UpsertRow<R>> Submitted submitTyped(
      StreamExecutionEnvironment env, ResolvedJob<T, R> job) {
    Inputs.Listing listing = listInputs(job);
    List<Inputs.InputFile> files = listing.files();
    long runId;
    try (Connection c = connect()) {
      bootstrap(c, job, false);
      RunLog.Row again = sameJob(c, env);
      String restore = env.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_PATH);
      if (again != null) {
        // Application mode runs main() again when its JobManager fails over, and Flink then
        // recovers the same job: it is the same run.
        runId = again.runId();
        files = Inputs.list(again.inputs());
      } else if (restore != null) {
        RunLog.Row row = resumable(c, FileLedger.hash(files));
        log.resumed(c, row.runId());
        notes.accept("resuming run " + row.runId() + " from " + restore);
        runId = row.runId();
        files = Inputs.list(row.inputs());
      } else {
        new RunSql(job).before(c);
        List<String> paths = files.stream().map(Inputs.InputFile::path).toList();
        runId = log.start(c, spec.name(), spec.hash(), paths, FileLedger.hash(files));
        rejectUnrecognized(c, runId, listing);
        new RunSql(job).start(c, runId, paths);
      }
    } catch (SchemaBootstrap.TableProblem e) {
      throw new RunFailure(e.getMessage(), e);
    } catch (SQLException e) {
      throw new RunFailure("Could not prepare the database: " + oneLine(e) + ".", e);
    }
    IngestGraph.configure(env, spec.options());
    List<String> paths = files.stream().map(Inputs.InputFile::path).toList();
    ResolvedJob<T, R> run =
        job.forRun(runId, listing.narrow(spec.sources(), paths), writePaths(job));
    define(env, run, List.of(), files);
    try {
      try (Connection c = connect()) {
        // Submitted, not yet running: the job marks itself running once its tasks start.
        log.finish(c, runId, "submitted", null, null, null);
      }
      JobClient client = executeAsync(env, runId);
      String jobId = client.getJobID().toString();
      try (Connection c = connect()) {
        log.jobSubmitted(c, runId, jobId);
      }
      return new Submitted(runId, jobId);
    } catch (Exception e) {
      throw new RunFailure(failureSentence(e), e);
    }
  }

  /** The run of the job Flink was told to run under a fixed id, when one was recorded. */
  private RunLog.Row sameJob(Connection c, StreamExecutionEnvironment env) throws SQLException {
    String fixed = env.getConfiguration().get(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID);
    if (fixed == null) {
      return null;
    }
    RunLog.Row row = log.ofFlinkJob(c, spec.name(), fixed);
    return row == null || row.status().equals("succeeded") || row.status().equals("failed")
        ? null
        : row;
  }

  /**
   * The run a job started from a savepoint continues: the newest of this job, unfinished, with the
   * same spec and inputs (the savepoint's state is its, and {@link RunFinisher} checks that).
   */
  private RunLog.Row resumable(Connection c, String inputsHash) throws SQLException {
    RunLog.Row last = log.latest(c, spec.name());
    if (last == null || last.status().equals("succeeded")) {
      throw new RunFailure(
          "Job '"
              + spec.name()
              + "' has no unfinished run to resume from a savepoint; submit it without -s to"
              + " start one.");
    }
    if (!spec.hash().equals(last.specHash()) || !inputsHash.equals(last.inputsHash())) {
      throw new RunFailure(
          "Run "
              + last.runId()
              + " of job '"
              + spec.name()
              + "' was started with another spec or other inputs; resume it with the same ones.");
    }
    return last;
  }

  private List<String> bootstrap(Connection c, ResolvedJob<?, ?> job, boolean deferIndexes)
      throws SQLException {
    List<String> deferred =
        SchemaBootstrap.prepare(
            c,
            spec.target().schema(),
            spec.target().runsTable(),
            spec.target().rejectsTable(),
            job.tables(),
            deferIndexes);
    UnitStatusTable progress = job.progress();
    if (progress != null) {
      progress.create(c);
    }
    return deferred;
  }

  /**
   * Creates the tables, then either resumes the newest unfinished run of this job (same spec and
   * inputs, a restore point on disk) or starts a new run over the files the ledger has not seen
   * loaded unchanged. Returns null when there is nothing to read.
   */
  private RunStart start(Connection c, ResolvedJob<?, ?> job) throws SQLException {
    Inputs.Listing listing = listInputs(job);
    List<Inputs.InputFile> files = listing.files();
    String inputsHash = FileLedger.hash(files);
    List<String> deferred = bootstrap(c, job, true);
    Resumption.Target target = resume;
    if (target == null && checkpointBase != null) {
      target =
          new Resumption(spec, log, notes).find(c, checkpointBase, fresh, inputsHash).orElse(null);
    }
    if (target != null) {
      RunLog.Row row = log.get(c, target.runId());
      if (row == null) {
        throw new RunFailure(
            "Run " + target.runId() + " is not in " + spec.target().runsTable() + ".");
      }
      log.resumed(c, target.runId());
      // The files that run set out to read (the ledger may have left some out), not today's list.
      return new RunStart(row, deferred, Inputs.list(row.inputs()), listing, target.restorePath());
    }
    List<Inputs.InputFile> toRead = files;
    if (!force) {
      FileLedger.Skip skip =
          FileLedger.skipUnchanged(c, spec.target().schema(), spec.name(), files);
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
    new RunSql(job).before(c);
    List<String> paths = toRead.stream().map(Inputs.InputFile::path).toList();
    long runId = log.start(c, spec.name(), spec.hash(), paths, inputsHash);
    rejectUnrecognized(c, runId, listing);
    new RunSql(job).start(c, runId, paths);
    return new RunStart(log.get(c, runId), deferred, toRead, listing, null);
  }

  /** The files the run would read, with a note for those no source reads. */
  private Inputs.Listing listInputs(ResolvedJob<?, ?> job) {
    Inputs.Listing l =
        Inputs.list(
            spec.sources(),
            job.pipeline()::reads,
            (s, path, head) -> job.pipeline().recognizes(spec, s, path, head));
    if (!l.ignored().isEmpty()) {
      notes.accept(
          "leaving aside "
              + (l.ignored().size() == 1 ? l.ignored().get(0) : l.ignored().size() + " files")
              + ": the name says no format the job reads");
    }
    if (!l.unrecognized().isEmpty()) {
      if (l.files().isEmpty()) {
        throw new RunFailure(
            "No source recognizes the input "
                + String.join(", ", l.unrecognized())
                + " by its content (tried "
                + String.join(", ", l.tried())
                + "); name its source with --input SOURCE=PATH.");
      }
      notes.accept(
          (l.unrecognized().size() == 1
                  ? l.unrecognized().get(0) + " is"
                  : l.unrecognized().size() + " files are")
              + " read by no source: none recognizes "
              + (l.unrecognized().size() == 1 ? "it" : "them")
              + " by content (tried "
              + String.join(", ", l.tried())
              + "); one reject each");
    }
    return l;
  }

  /** One reject, at line 0, for each file of the listing that no source recognized. */
  private void rejectUnrecognized(Connection c, long runId, Inputs.Listing listing)
      throws SQLException {
    if (listing.unrecognized().isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + SqlNames.qualified(spec.target().schema(), spec.target().rejectsTable())
                + " (run_id, job, file, line_number, reason) VALUES (?, ?, ?, 0, ?)"
                + " ON CONFLICT DO NOTHING")) {
      for (String file : listing.unrecognized()) {
        ps.setLong(1, runId);
        ps.setString(2, spec.name());
        ps.setString(3, file);
        ps.setString(4, listing.unrecognizedReason());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private <T, R extends UpsertRow<R>> RunResult executeTyped(
      StreamExecutionEnvironment env, ResolvedJob<T, R> job) {
    long startNanos = System.nanoTime();
    RunStart start;
    Connection lock;
    try {
      lock = connect();
    } catch (SQLException e) {
      throw unreachable(e);
    }
    try {
      try {
        start = start(lock, job);
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
        return runJob(env, job, start, runLock, startNanos);
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
      ResolvedJob<T, R> job,
      RunStart start,
      RunLock lock,
      long startNanos) {
    long runId = start.runId();
    IngestGraph.configure(env, spec.options());
    Configuration conf = new Configuration();
    if (checkpointBase != null) {
      Path dir = Checkpoints.runDir(checkpointBase, start.run());
      runDir = dir;
      conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
      conf.set(
          CheckpointingOptions.SAVEPOINT_DIRECTORY, dir.resolve("savepoints").toUri().toString());
    }
    if (start.restore() != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, start.restore());
    }
    env.configure(conf, IngestRun.class.getClassLoader());
    ResolvedJob<T, R> run =
        job.forRun(runId, start.listing().narrow(spec.sources(), start.paths()), writePaths(job));
    define(env, run, start.deferred(), start.files());

    JobWatch watch =
        new JobWatch(db, log, spec.options(), runDir, progress, lastFailure, finalCheckpoint);
    String failure = null;
    String jobId = null;
    try {
      JobClient client = executeAsync(env, runId);
      jobId = client.getJobID().toString();
      log.jobSubmitted(lock.session(), runId, jobId);
      stop.submitted(client);
      watch.await(client, runId, lock, start.totalBytes(), start.files().size(), startNanos);
    } catch (Exception e) {
      failure = failureSentence(e);
    }
    String savepointPath = stop.savepointPath();
    // A stop asked too late finds the job finished: then the run simply succeeded.
    if (savepointPath != null || (stop.asked() && failure != null)) {
      throw interrupted(runId, savepointPath, watch.percent());
    }

    try (Connection c = connect()) {
      if (failure != null) {
        throw new RunFinish(run, log, notes, this::connect)
            .failed(c, runId, start.deferred(), failure);
      }
      // The job closed its run itself (RunFinisher): this runner reports what it recorded.
      RunResult result = closed(c, runId, jobId);
      if (checkpointBase != null) {
        // Nothing resumes a finished run: its checkpoints and savepoints are dead weight.
        Checkpoints.delete(runDir);
      }
      return result;
    } catch (SQLException e) {
      throw new RunFailure("Could not finish the run in the database: " + oneLine(e) + ".", e);
    }
  }

  /** The result the job recorded when it closed its run; its failure sentence if it failed. */
  private RunResult closed(Connection c, long runId, String jobId) throws SQLException {
    RunLog.Outcome o = log.outcome(c, runId);
    if (o == null || !o.status().equals("succeeded")) {
      String why =
          o == null
              ? "Run " + runId + " is gone from " + spec.target().runsTable() + "."
              : o.message() != null
                  ? o.message()
                  : "The job ended but left run " + runId + " " + o.status() + ".";
      throw new RunFailure(why);
    }
    o.notes().forEach(notes);
    return RunResult.fromJson(runId, jobId, o.summaryJson());
  }

  /**
   * Defines the job and its closing step: the {@link RunFinisher} after the graph's end counts.
   *
   * @param deferred indexes the job builds once its rows are in
   * @param files the files the run reads, for its ledger rows
   */
  private <T, R extends UpsertRow<R>> void define(
      StreamExecutionEnvironment env,
      ResolvedJob<T, R> run,
      List<String> deferred,
      List<Inputs.InputFile> files) {
    DataStream<EndCounts> ends = IngestGraph.define(env, run, sources, new DatabaseSinks<>(db));
    RunFinisher.attach(ends, run, db.sinkProvider(), deferred, files);
  }

  /** Submits the defined job under its name, which the web UI shows. */
  private JobClient executeAsync(StreamExecutionEnvironment env, long runId) throws Exception {
    return env.executeAsync(IngestGraph.jobName(spec, runId));
  }

  /** Which tables take the COPY path ({@code options.write-path}), told in a note. */
  private boolean[] writePaths(ResolvedJob<?, ?> job) {
    List<? extends TableDef<?>> tables = job.tables();
    try (Connection c = connect()) {
      boolean[] copied = WritePaths.choose(c, spec.options().writePath(), tables);
      List<String> names = WritePaths.names(copied, tables);
      if (!names.isEmpty()) {
        notes.accept(
            "COPY path for "
                + String.join(", ", names)
                + (spec.options().writePath() == Options.WritePath.AUTO
                    ? " (empty at the start)"
                    : "")
                + ": a key's first row by COPY straight into an empty table, the rest staged by COPY"
                + " and merged at each checkpoint");
      }
      return copied;
    } catch (SQLException e) {
      throw new RunFailure("Could not prepare the database: " + oneLine(e) + ".", e);
    }
  }

  /** Records an interrupted run with its restore point and says how to go on. */
  private RunInterrupted interrupted(long runId, String savepointPath, double percent) {
    String restore = savepointPath;
    if (restore == null && runDir != null) {
      restore = Checkpoints.newest(runDir).map(Checkpoints.RestorePoint::path).orElse(null);
    }
    String how = savepointPath != null ? "with a savepoint" : "cancelled";
    String message = String.format(Locale.ROOT, "stopped %s at %.0f%% of the input", how, percent);
    try (Connection c = connect()) {
      log.interrupted(c, runId, message);
      if (restore != null) {
        log.checkpointed(
            c,
            runId,
            restore,
            JobWatch.progressJson(
                savepointPath != null ? "its savepoint" : "a checkpoint", percent, -1));
      }
    } catch (SQLException | RunFailure e) {
      // The run row keeps 'running'; the next run finds the runner gone and marks it then.
    }
    return new RunInterrupted(
        "Run " + runId + " " + message + (restore == null ? " before its first checkpoint" : ""),
        runId,
        restore);
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

  /** One sentence for why a job failed: the run's own when it gave one, else the root cause. */
  static String failureSentence(Throwable e) {
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
}
