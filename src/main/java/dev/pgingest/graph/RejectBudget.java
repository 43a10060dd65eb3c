package dev.pgingest.graph;

import dev.pgingest.metrics.CountsAtEnd;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.metrics.ExactCounter;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.RowOrReject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts rejects across the whole job (parallelism 1) and fails the run once {@code max-rejects} is
 * exceeded; restarts are suppressed because a replay would meet the same bad records again.
 */
public final class RejectBudget<R> extends ProcessFunction<Reject, RowOrReject<R>>
    implements CheckpointedFunction, CountsAtEnd {

  /** Accumulator and metric name. */
  public static final String REJECTED = "rejected";

  private static final int FIRST_KEPT = 3;

  private final long maxRejects;
  private final String expectedInput;
  private transient ExactCounter count;
  private transient ListState<Reject> firstState;
  private transient List<Reject> first;
  private transient ListState<Boolean> acceptedState;
  private transient boolean accepted;

  /**
   * A budget of {@code maxRejects}; -1 means unlimited.
   *
   * @param expectedInput what the pipeline reads, for the sentence when nothing read was of it
   */
  public RejectBudget(long maxRejects, String expectedInput) {
    this.maxRejects = maxRejects;
    this.expectedInput = expectedInput;
  }

  @Override
  public EndCounts countsAtEnd() {
    EndCounts end = EndCounts.of(Map.of());
    count.addTo(end.counts());
    return end;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    count = new ExactCounter(REJECTED);
    count.initialize(context);
    firstState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("first-rejects", Reject.class));
    first = new ArrayList<>();
    firstState.get().forEach(first::add);
    acceptedState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("accepted", Boolean.class));
    accepted = acceptedState.get().iterator().hasNext();
  }

  @Override
  public void open(OpenContext openContext) {
    count.open(getRuntimeContext());
  }

  @Override
  public void processElement(Reject reject, Context ctx, Collector<RowOrReject<R>> out) {
    if (reject.isAcceptedMarker()) {
      accepted = true;
      return;
    }
    count.add(1);
    if (first.size() < FIRST_KEPT) {
      first.add(reject);
    }
    if (maxRejects >= 0 && count.value() > maxRejects) {
      String sentence =
          accepted
              ? sentence(count.value(), maxRejects, first)
              : nothingExpected(
                  expectedInput, "the first " + count.value() + " records read were", first);
      throw new SuppressRestartsException(new RejectBudgetExceeded(sentence));
    }
    out.collect(RowOrReject.reject(reject));
  }

  /** The one sentence a user sees when the budget is exceeded. */
  public static String sentence(long rejected, long max, List<Reject> first) {
    return "Error budget exceeded: more than "
        + max
        + " records rejected (max-rejects "
        + max
        + "); "
        + firstAt(first);
  }

  /** "first at file:line (reason), …." — where the first rejects of a failed run were. */
  public static String firstAt(List<Reject> first) {
    return "first at " + first.stream().map(Reject::where).collect(Collectors.joining(", ")) + ".";
  }

  /** The one sentence when no record read looked like the pipeline's input. */
  public static String nothingExpected(String expectedInput, String which, List<Reject> first) {
    return "Nothing in the input looks like "
        + expectedInput
        + ": "
        + which
        + " all rejected; "
        + firstAt(first);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    count.snapshot();
    firstState.update(first);
    acceptedState.update(accepted ? List.of(true) : List.of());
  }
}
