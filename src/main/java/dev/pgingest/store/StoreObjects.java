package dev.pgingest.store;

import dev.pgingest.metrics.EndReporting;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Puts a store step into a job: items pass on only once all their objects are stored. */
public final class StoreObjects {
  // The names below are metrics and accumulators users and scripts read; they keep their words.

  /** Accumulator and metric: objects this job wrote. */
  public static final String OBJECTS_UPLOADED = "objectsUploaded";

  /** Accumulator and metric: objects found already stored (same key, same length). */
  public static final String OBJECTS_ALREADY_STORED = "objectsAlreadyStored";

  /** Accumulator and metric: bytes of the objects this job wrote. */
  public static final String BYTES_UPLOADED = "bytesUploaded";

  /** Gauge per subtask: objects being written right now. */
  public static final String UPLOADS_IN_FLIGHT = "uploadsInFlight";

  /** Per item, retries included: generous, as one object may be gigabytes. */
  public static final Duration TIMEOUT = Duration.ofHours(2);

  private StoreObjects() {}

  /**
   * Stores the objects of each item of {@code in} in {@code store}, keeping the items' order, with
   * never more than {@code maxConcurrent} objects being written across the job: parallelism {@code
   * p = min(in's parallelism, maxConcurrent)}, each subtask {@code maxConcurrent / p} at once.
   *
   * <p>The counting step after it sends its counts to {@link dev.pgingest.metrics.EndCounts#TAG}
   * when its input ends.
   *
   * @param uid stable operator id (the counting step after it gets {@code uid + "-counts"})
   * @param name operator name for the web UI, e.g. "Store objects (at most 10 at once)"
   */
  public static <T> SingleOutputStreamOperator<T> attach(
      DataStream<T> in,
      ObjectSource<T> objects,
      ObjectStore store,
      int maxConcurrent,
      TypeInformation<T> type,
      String uid,
      String name) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, not " + maxConcurrent);
    }
    int upstream =
        in.getParallelism() > 0
            ? in.getParallelism()
            : in.getExecutionEnvironment().getParallelism();
    int p = Math.max(1, Math.min(upstream, maxConcurrent));
    int capacity = maxConcurrent / p;
    return AsyncDataStream.orderedWait(
            in,
            new StoreObjectsFunction<>(objects, store, capacity),
            TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS,
            capacity)
        .returns(ObjectsStored.type(type))
        .setParallelism(p)
        .uid(uid)
        .name(name)
        .transform("Count uploads", type, EndReporting.map(new StoredCounts<T>()))
        .setParallelism(p)
        .uid(uid + "-counts");
  }
}
