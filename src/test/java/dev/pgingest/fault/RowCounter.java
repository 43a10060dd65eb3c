package dev.pgingest.fault;

import dev.pgingest.graph.IngestGraph;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Counts rows between mapping and dedup as they pass, live: Flink's accumulators (and so {@code
 * Progress}) reach the client only with TaskManager heartbeats, seconds late, too late to stop a
 * job at a chosen fraction of its input.
 */
final class RowCounter {
  /** Rows of the current job; the MiniCluster runs in this JVM. */
  static final AtomicLong ROWS = new AtomicLong();

  private RowCounter() {}

  /** Stateless, so savepoints and restores do not depend on it. */
  static final class Count<R> implements MapFunction<R, R> {
    @Override
    public R map(R row) {
      ROWS.incrementAndGet();
      return row;
    }
  }

  static final IngestGraph.RowsHook HOOK =
      new IngestGraph.RowsHook() {
        @Override
        public <R> DataStream<R> apply(DataStream<R> rows) {
          return rows.map(new Count<R>()).returns(rows.getType()).name("Count rows");
        }
      };

  /** Runs {@code action} once on a daemon thread as soon as the count satisfies {@code when}. */
  static void when(LongPredicate when, Runnable action) {
    Thread t =
        new Thread(
            () -> {
              while (!when.test(ROWS.get())) {
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
              action.run();
            },
            "row-counter-trigger");
    t.setDaemon(true);
    t.start();
  }
}
