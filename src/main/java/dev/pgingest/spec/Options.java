package dev.pgingest.spec;

import java.io.Serializable;
import java.time.Duration;

/**
 * Tuning and safety knobs of a run, with their defaults, checked in {@link JobSpecParser}.
 *
 * @param batchRows rows per upsert statement (one row per key in a batch)
 * @param flushInterval longest time a partial batch waits before it is written
 * @param retries how often the JDBC connector retries a failed batch
 * @param sinkParallelism writer subtasks, hence database connections the job holds
 * @param parallelism parallelism of reading, parsing and dedup
 * @param checkpointInterval how often Flink checkpoints
 * @param restartAttempts restarts (exponential backoff) before the job fails; the defaults wait out
 *     a database outage of about five minutes
 * @param restartDelay pause before the first restart; each further one doubles it
 * @param restartMaxDelay longest pause between two restarts
 * @param maxRejects the run fails once more records than this are rejected; -1 means no limit
 * @param maxRejectRatio the run fails when rejected/read exceeds this at the end; 1 means no limit
 * @param maxRecordsPerSecond reading is throttled to this many records per second over the whole
 *     job, to spare a busy production database; 0 means no limit
 * @param maxConcurrentUploads most object uploads in flight at once over the whole job, for
 *     pipelines that store objects beside their rows
 * @param writePath how rows reach the tables: {@link WritePath#AUTO} (COPY for a table empty at the
 *     start of the run, batched upserts for the others), {@link WritePath#COPY} or {@link
 *     WritePath#UPSERT} for every table
 * @param stateBackend where dedup state lives: {@link StateBackend#HEAP} (Flink's hashmap backend,
 *     full snapshots), {@link StateBackend#ROCKSDB} (embedded RocksDB, incremental checkpoints: a
 *     checkpoint writes what changed since the last, and keys live off the heap) or {@link
 *     StateBackend#AUTO} (the local runner chooses by input size; a cluster keeps its own config)
 */
public record Options(
    int batchRows,
    Duration flushInterval,
    int retries,
    int sinkParallelism,
    int parallelism,
    Duration checkpointInterval,
    int restartAttempts,
    Duration restartDelay,
    Duration restartMaxDelay,
    long maxRejects,
    double maxRejectRatio,
    long maxRecordsPerSecond,
    int maxConcurrentUploads,
    WritePath writePath,
    StateBackend stateBackend)
    implements Serializable {

  /** The {@code state-backend} choices. */
  public enum StateBackend {
    AUTO,
    HEAP,
    ROCKSDB
  }

  /** The {@code write-path} choices. */
  public enum WritePath {
    AUTO,
    COPY,
    UPSERT
  }

  /** These options with {@code backend} instead. */
  public Options withStateBackend(StateBackend backend) {
    return new Options(
        batchRows,
        flushInterval,
        retries,
        sinkParallelism,
        parallelism,
        checkpointInterval,
        restartAttempts,
        restartDelay,
        restartMaxDelay,
        maxRejects,
        maxRejectRatio,
        maxRecordsPerSecond,
        maxConcurrentUploads,
        writePath,
        backend);
  }

  public static Options defaults() {
    return new Options(
        5000,
        Duration.ofSeconds(1),
        3,
        2,
        2,
        Duration.ofSeconds(10),
        10,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        1000,
        0.05,
        0,
        10,
        WritePath.AUTO,
        StateBackend.AUTO);
  }
}
