package dev.pgingest.sink;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Tells a runner in the same JVM that a batcher of its run reached the end of its input.
 *
 * <p>Why: a bounded job ends only after a checkpoint taken once all input was read, and the runner
 * asks for that checkpoint instead of waiting for the next periodic one. Accumulators would tell it
 * too, but they reach the runner with a heartbeat and a poll, up to two seconds late. Tasks of the
 * local MiniCluster run in the runner's JVM and call here at once; on a real cluster nobody listens
 * and the accumulators remain the way.
 */
public final class InputEnds {
  private static final Map<Long, LongConsumer> LISTENERS = new ConcurrentHashMap<>();

  private InputEnds() {}

  /** Calls {@code listener} with the run's id each time one of its batchers ends its input. */
  public static void listen(long runId, LongConsumer listener) {
    LISTENERS.put(runId, listener);
  }

  public static void forget(long runId) {
    LISTENERS.remove(runId);
  }

  static void reached(long runId) {
    LongConsumer l = LISTENERS.get(runId);
    if (l != null) {
      l.accept(runId);
    }
  }
}
