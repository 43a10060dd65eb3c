package dev.pgingest.run;

import dev.pgingest.graph.MapToRows;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.InputEnds;
import dev.pgingest.spec.Options;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;

/** Waits for a submitted job, reporting progress or an outage and recording restore points. */
final class JobWatch {
  private final Database db;
  private final RunLog log;
  private final Options options;
  private final Path runDir;
  private final Progress progress;
  private final ToLongFunction<JobID> lastFailure;
  private final Consumer<JobID> finalCheckpoint;
  private volatile double percent;

  /**
   * @param runDir where the run keeps its restore points, null when it keeps none
   * @param lastFailure when the job's newest task failure happened (0: none or unknown)
   * @param finalCheckpoint triggers a checkpoint once all input was read
   */
  JobWatch(
      Database db,
      RunLog log,
      Options options,
      Path runDir,
      Progress progress,
      ToLongFunction<JobID> lastFailure,
      Consumer<JobID> finalCheckpoint) {
    this.db = db;
    this.log = log;
    this.options = options;
    this.runDir = runDir;
    this.progress = progress;
    this.lastFailure = lastFailure;
    this.finalCheckpoint = finalCheckpoint;
  }

  /** The share of the input read when last seen, in percent. */
  double percent() {
    return percent;
  }

  /**
   * Returns the job's result once it ends, throwing what getting it throws; meanwhile once a second
   * reports progress or a database outage, asks for the final checkpoint once all input was read,
   * and stores each new restore point on the run's row.
   */
  JobExecutionResult await(
      JobClient client, long runId, RunLock lock, long totalBytes, int totalFiles, long startNanos)
      throws Exception {
    CompletableFuture<JobExecutionResult> done = client.getJobExecutionResult();
    AtomicBoolean triggered = new AtomicBoolean();
    AtomicInteger ended = new AtomicInteger();
    // Tasks in this JVM (the local MiniCluster) say so at once; the accumulators below come a
    // heartbeat and a poll later, and are what a job on a remote cluster has.
    InputEnds.listen(
        runId,
        id -> {
          if (ended.incrementAndGet() >= options.sinkParallelism() && !triggered.getAndSet(true)) {
            // Off the task thread: asking for a checkpoint must not hold up the task that asks.
            CompletableFuture.runAsync(() -> finalCheckpoint.accept(client.getJobID()));
          }
        });
    try {
      return poll(client, runId, lock, totalBytes, totalFiles, startNanos, done, triggered);
    } finally {
      InputEnds.forget(runId);
    }
  }

  /** The loop of {@link #await}: once a second progress, outages, the final checkpoint. */
  private JobExecutionResult poll(
      JobClient client,
      long runId,
      RunLock lock,
      long totalBytes,
      int totalFiles,
      long startNanos,
      CompletableFuture<JobExecutionResult> done,
      AtomicBoolean triggered)
      throws Exception {
    Outage outage = new Outage(options);
    String lastRestore = null;
    while (true) {
      try {
        return done.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        try {
          Map<String, Object> live = client.getAccumulators().get(5, TimeUnit.SECONDS);
          long read = RunCounts.asLong(live.get(MapToRows.READ));
          long bytes = RunCounts.asLong(live.get(MapToRows.BYTES));
          double seconds = (System.nanoTime() - startNanos) / 1e9;
          percent = totalBytes > 0 ? Math.min(100.0, 100.0 * bytes / totalBytes) : 0;
          long failed = lastFailure.applyAsLong(client.getJobID());
          String waiting = outage.check(read, failed, this::databaseReachable);
          if (waiting != null) {
            progress.waiting("waiting for PostgreSQL at " + db.address() + ", " + waiting);
          } else {
            progress.update(
                read, bytes, totalBytes, FileLedger.totals(live).size(), totalFiles, seconds);
          }
          if (RunCounts.asLong(live.get(BatchOperator.INPUT_ENDED)) >= options.sinkParallelism()
              && !triggered.getAndSet(true)) {
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
      String json = progressJson(point.get().label(), percent, read);
      log.checkpointed(lock.session(), runId, point.get().path(), json);
      return point.get().path();
    } catch (SQLException e) {
      // The database is away; the next tick tries again, and the files on disk are what counts.
      return last;
    }
  }

  /** What {@link RunLog#checkpointed} stores beside a restore point ({@code read} -1: unknown). */
  static String progressJson(String label, double percent, long read) {
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
}
