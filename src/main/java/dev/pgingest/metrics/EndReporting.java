package dev.pgingest.metrics;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Flink's operators for a process, keyed process or map function, which at the end of their input
 * send the function's {@link CountsAtEnd#countsAtEnd()} to {@link EndCounts#TAG}.
 *
 * <p>Why subclasses: functions get no end-of-input call in Flink 2's DataStream API, operators do
 * ({@link BoundedOneInput}); only the end is added, state and timers stay Flink's.
 */
public final class EndReporting {
  private EndReporting() {}

  /** The operator for {@code f} in {@code stream.transform(name, type, …)}. */
  public static <I, O, F extends ProcessFunction<I, O> & CountsAtEnd>
      OneInputStreamOperator<I, O> process(F f) {
    return new Process<>(f);
  }

  /** The operator for {@code f} in {@code keyed.transform(name, type, …)}. */
  public static <K, I, O, F extends KeyedProcessFunction<K, I, O> & CountsAtEnd>
      OneInputStreamOperator<I, O> keyedProcess(F f) {
    return new KeyedProcess<>(f);
  }

  /** The operator for {@code f} in {@code stream.transform(name, type, …)}. */
  public static <I, O, F extends MapFunction<I, O> & CountsAtEnd> OneInputStreamOperator<I, O> map(
      F f) {
    return new Map<>(f);
  }

  /** The function's counts, marked with the operator and subtask that send them. */
  static EndCounts sent(AbstractStreamOperator<?> op, CountsAtEnd f) {
    return f.countsAtEnd()
        .sentBy(
            op.getOperatorID().toHexString(),
            op.getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
  }

  private static final class Process<I, O> extends ProcessOperator<I, O>
      implements BoundedOneInput {
    Process(ProcessFunction<I, O> f) {
      super(f);
    }

    @Override
    public void endInput() {
      output.collect(EndCounts.TAG, new StreamRecord<>(sent(this, (CountsAtEnd) userFunction)));
    }
  }

  private static final class KeyedProcess<K, I, O> extends KeyedProcessOperator<K, I, O>
      implements BoundedOneInput {
    KeyedProcess(KeyedProcessFunction<K, I, O> f) {
      super(f);
    }

    @Override
    public void endInput() {
      output.collect(EndCounts.TAG, new StreamRecord<>(sent(this, (CountsAtEnd) userFunction)));
    }
  }

  private static final class Map<I, O> extends StreamMap<I, O> implements BoundedOneInput {
    Map(MapFunction<I, O> f) {
      super(f);
    }

    @Override
    public void endInput() {
      output.collect(EndCounts.TAG, new StreamRecord<>(sent(this, (CountsAtEnd) userFunction)));
    }
  }
}
