package dev.pgingest.fault;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.spec.SourceSpec;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Counts the records read as they pass from the files to mapping, live: Flink's accumulators (and
 * so {@code Progress}) reach the client only with TaskManager heartbeats, seconds late, too late to
 * stop a job at a chosen fraction of its input.
 */
final class RecordCounter {
  /** Records of the current job; the MiniCluster runs in this JVM. */
  static final AtomicLong RECORDS = new AtomicLong();

  private RecordCounter() {}

  /** Stateless, so savepoints and restores do not depend on it; malformed records count too. */
  static final class Count<T> implements MapFunction<Decoded<T>, Decoded<T>> {
    @Override
    public Decoded<T> map(Decoded<T> item) {
      if (!item.isFileEnd()) {
        RECORDS.incrementAndGet();
      }
      return item;
    }
  }

  /** The job's files, each record counted on its way to mapping. */
  static final JobSources SOURCES =
      new JobSources() {
        @Override
        public <T> DataStream<Decoded<T>> read(
            StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
          DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
          return items.map(new Count<T>()).returns(items.getType()).name("Count records");
        }
      };

  /** Runs {@code action} once on a daemon thread as soon as the count satisfies {@code when}. */
  static void when(LongPredicate when, Runnable action) {
    Thread t =
        new Thread(
            () -> {
              while (!when.test(RECORDS.get())) {
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
              action.run();
            },
            "record-counter-trigger");
    t.setDaemon(true);
    t.start();
  }
}
