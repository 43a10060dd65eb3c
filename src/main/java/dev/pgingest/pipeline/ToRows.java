package dev.pgingest.pipeline;

import dev.pgingest.format.Decoded;
import dev.pgingest.metrics.ExactCounter;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.Write;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Maps decoded records to rows; codec and mapping rejects go to a side output, never a crash. */
public final class ToRows<T, R> extends ProcessFunction<Decoded<T>, Write<R>>
    implements CheckpointedFunction {

  /** Accumulator and metric names. */
  public static final String READ = "read";

  public static final String BYTES = "bytesRead";

  private final RowMapper<T, R> mapper;
  private final OutputTag<Reject> rejects;
  private final long maxRecordsPerSecond;
  private transient Throttle throttle;
  private transient ExactCounter read;
  private transient ExactCounter bytes;

  /**
   * @param maxRecordsPerSecond limit over all parallel subtasks, 0 for none
   */
  public ToRows(RowMapper<T, R> mapper, OutputTag<Reject> rejects, long maxRecordsPerSecond) {
    this.mapper = mapper;
    this.rejects = rejects;
    this.maxRecordsPerSecond = maxRecordsPerSecond;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    read = new ExactCounter(READ);
    bytes = new ExactCounter(BYTES);
    read.initialize(context);
    bytes.initialize(context);
  }

  @Override
  public void open(OpenContext openContext) {
    read.open(getRuntimeContext());
    bytes.open(getRuntimeContext());
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    throttle = new Throttle(maxRecordsPerSecond <= 0 ? 0 : Math.max(1, maxRecordsPerSecond / parallelism));
  }

  @Override
  public void processElement(Decoded<T> in, Context ctx, Collector<Write<R>> out)
      throws InterruptedException {
    throttle.acquire();
    read.add(1);
    bytes.add(in.inputBytes());
    if (in.isReject()) {
      ctx.output(rejects, new Reject(in.file(), in.line(), in.error(), in.raw()));
      return;
    }
    R row;
    try {
      row = mapper.map(in.value());
    } catch (IllegalArgumentException e) {
      ctx.output(rejects, new Reject(in.file(), in.line(), e.getMessage(), String.valueOf(in.value())));
      return;
    }
    out.collect(Write.row(row));
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    read.snapshot();
    bytes.snapshot();
  }
}
