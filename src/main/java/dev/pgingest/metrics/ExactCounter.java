package dev.pgingest.metrics;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * A count that survives failover: kept in operator state, published live as an accumulator (what
 * the run summary reads) and as a metric (what the web UI shows).
 *
 * <p>Metrics and accumulators alone restart from zero on recovery; seeding them with the count
 * restored from the checkpoint makes the final figure exact even after replays.
 */
public final class ExactCounter {
  private final String name;
  private ListState<Long> state;
  private long value;
  private LongCounter accumulator;
  private Counter metric;

  public ExactCounter(String name) {
    this.name = name;
  }

  /** Restores the count; call from {@code initializeState}. */
  public void initialize(FunctionInitializationContext context) throws Exception {
    state =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("count-" + name, Long.class));
    value = 0;
    for (Long v : state.get()) {
      value += v;
    }
  }

  /** Registers the accumulator and metric; call from {@code open}. */
  public void open(RuntimeContext ctx) {
    accumulator = new LongCounter(value);
    ctx.addAccumulator(name, accumulator);
    metric = ctx.getMetricGroup().counter(name);
    metric.inc(value);
  }

  public void add(long n) {
    value += n;
    accumulator.add(n);
    metric.inc(n);
  }

  /** Adds this count to {@code counts} under its name. */
  public void addTo(Map<String, Long> counts) {
    counts.merge(name, value, Long::sum);
  }

  public long value() {
    return value;
  }

  /** Stores the count; call from {@code snapshotState}. */
  public void snapshot() throws Exception {
    state.update(List.of(value));
  }
}
