package dev.pgingest.run;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.MapToRows;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.PgConnectionProvider;
import dev.pgingest.spec.JobSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's last operator: it closes its own run, so a job started any way (the local runner,
 * {@code flink run} attached or detached, the web UI, application mode) leaves the same rows.
 *
 * <p>It gathers every subtask's {@link EndCounts} in checkpointed state and acts once the job's
 * final checkpoint has completed, when every write is committed: a failover or a restore from a
 * savepoint replays into the same state, so counts are exact and each step runs once. Its input
 * ends only after the batchers' tasks, writers included, have flushed (Flink sends end-of-data once
 * a task's whole chain has finished).
 */
public final class RunFinisher extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<EndCounts, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RunFinisher.class);

  /** Stable uid: savepoints keep the counts gathered so far under it. */
  public static final String UID = "finish-run";

  /** Attempts at closing the run while the database is unreachable, about 5 minutes in all. */
  private static final int ATTEMPTS = 12;

  // The spec travels, not the resolved job: pipelines are resolved again where the task runs.
  private final JobSpec spec;
  private final long runId;
  private final boolean[] copied;
  private final PgConnectionProvider connections;
  private final List<String> deferred;
  private final List<Inputs.InputFile> files;
  private final boolean checkpointing;
  private final long definedAtMillis;

  private transient ResolvedJob<?, ?> job;
  private transient ListState<EndCounts> endsState;
  private transient ListState<Long> runState;
  private transient List<EndCounts> ends;
  private transient boolean ended;
  private transient long finalCheckpoint;
  private transient boolean closed;

  /**
   * @param job the job as its run reads it ({@link ResolvedJob#runId()} set)
   * @param connections the database, without its password (looked up where the task runs)
   * @param deferred indexes to build once the rows are in
   * @param files the files the run sets out to read, for the ledger
   * @param checkpointing whether the job checkpoints (else it closes the run at its end of input)
   */
  RunFinisher(
      ResolvedJob<?, ?> job,
      PgConnectionProvider connections,
      List<String> deferred,
      List<Inputs.InputFile> files,
      boolean checkpointing) {
    this.spec = job.spec();
    this.runId = job.runId();
    this.copied = job.copied().clone();
    this.checkpointing = checkpointing;
    // This job's start, on the clock of the process that defined it: the run's time counts from
    // here (a resumed run's too), and leftovers of earlier jobs are what is older.
    this.definedAtMillis = System.currentTimeMillis();
    this.connections = connections;
    this.deferred = List.copyOf(deferred);
    this.files = List.copyOf(files);
  }

  /** Adds the finisher after {@code ends}, the graph's end counts, at parallelism 1. */
  static void attach(
      DataStream<EndCounts> ends,
      ResolvedJob<?, ?> job,
      PgConnectionProvider connections,
      List<String> deferred,
      List<Inputs.InputFile> files) {
    ends.transform(
            "Finish run " + job.runId() + ": counts, ledger, sql.after",
            Types.VOID,
            new RunFinisher(
                job,
                connections,
                deferred,
                files,
                ends.getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled()))
        .uid(UID)
        .setParallelism(1)
        .setMaxParallelism(1);
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    endsState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("end-counts", EndCounts.TYPE));
    runState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("run", Long.class));
    ends = new ArrayList<>();
    endsState.get().forEach(ends::add);
    for (Long run : runState.get()) {
      if (run != runId) {
        throw new IllegalStateException(
            "This restore point belongs to run "
                + run
                + ", not run "
                + runId
                + "; resume it as that run.");
      }
    }
    finalCheckpoint = -1;
  }

  @Override
  public void open() throws Exception {
    super.open();
    job = ResolvedJob.of(spec).forRun(runId, spec.sources(), copied);
    try (Connection c = database().connect(30)) {
      log().running(c, job.runId(), getRuntimeContext().getJobInfo().getJobId().toString());
    }
  }

  @Override
  public void processElement(StreamRecord<EndCounts> element) {
    EndCounts e = element.getValue();
    // One end per sender: a subtask restored from a checkpoint taken after its input ended sends
    // its restored counts again, and this operator's restored state holds its first send.
    if (e.sender() != null) {
      ends.removeIf(x -> e.sender().equals(x.sender()));
    }
    ends.add(e);
  }

  @Override
  public void endInput() throws Exception {
    ended = true;
    if (!checkpointing) {
      // Without checkpoints the writers flushed at their end of input, which came before this.
      close(-1);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    endsState.update(ends);
    runState.update(List.of(runId));
    if (ended && finalCheckpoint < 0) {
      finalCheckpoint = context.getCheckpointId();
    }
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    if (finalCheckpoint >= 0 && checkpointId >= finalCheckpoint) {
      close(checkpointId);
    }
  }

  /** Closes the run once; retries while the database is away, as the writers' restarts do. */
  private void close(long checkpointId) throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    Map<String, Object> acc = totals(ends);
    List<String> missing = new ArrayList<>();
    Map<String, Decoded.FileEnd> read = FileLedger.totals(acc);
    for (Inputs.InputFile f : files) {
      if (!read.containsKey(f.path())) {
        missing.add(f.path());
      }
    }
    String jobId = getRuntimeContext().getJobInfo().getJobId().toString();
    long delay = 1000;
    for (int attempt = 1; ; attempt++) {
      try (Connection c = database().connect(30)) {
        if (!missing.isEmpty()) {
          // A stop with --drain ends the input early: the run is not done, whatever Flink says.
          log()
              .endIfOpen(
                  c,
                  job.runId(),
                  "interrupted",
                  "the job's input ended before "
                      + missing.size()
                      + " of its files were read (a stop with --drain?); resume it from a"
                      + " savepoint taken without --drain, or run it again");
          return;
        }
        RunResult result =
            new RunFinish(
                    job, log(), note -> LOG.info("run {}: {}", job.runId(), note), this::connect)
                .succeed(c, job.runId(), jobId, definedAtMillis, deferred, files, acc);
        LOG.info(
            "run {} closed at checkpoint {}: {}",
            job.runId(),
            checkpointId,
            result == null ? "failed a check or was closed before" : "succeeded");
        return;
      } catch (SQLException e) {
        if (attempt >= ATTEMPTS) {
          throw new SQLException(
              "could not close run " + job.runId() + " in the database: " + e.getMessage(), e);
        }
        LOG.warn(
            "closing run {} failed ({}); trying again in {} ms",
            job.runId(),
            e.getMessage(),
            delay);
        Thread.sleep(delay);
        delay = Math.min(delay * 2, 60_000);
      }
    }
  }

  /** Every subtask's counts summed by name, and the files' ends under {@link MapToRows#FILES}. */
  static Map<String, Object> totals(List<EndCounts> ends) {
    Map<String, Long> counts = new HashMap<>();
    Map<String, Decoded.FileEnd> files = new HashMap<>();
    for (EndCounts e : ends) {
      e.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
      e.files().forEach((f, end) -> files.put(f, Decoded.FileEnd.decode(end)));
    }
    Map<String, Object> acc = new HashMap<>(counts);
    acc.put(MapToRows.FILES, files);
    return acc;
  }

  private Database database() {
    return connections.database();
  }

  private Connection connect() throws SQLException {
    return database().connect(30);
  }

  private RunLog log() {
    return new RunLog(spec.target().schema(), spec.target().runsTable());
  }
}
