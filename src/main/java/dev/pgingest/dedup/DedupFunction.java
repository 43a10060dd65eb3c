package dev.pgingest.dedup;

import dev.pgingest.metrics.ExactCounter;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.Write;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed dedup: drops exact repeats of a key's records and passes on the rest to be merged;
 * rejects pass straight through.
 *
 * <p>State per key is the fingerprints of the distinct records seen (usually one), not the row:
 * merging happens in the batcher and in the upsert SQL, so state stays small for millions of
 * keys. Every record after a key's first counts as a duplicate merged into that key's row.
 */
public final class DedupFunction<R extends UpsertRow<R>>
    extends KeyedProcessFunction<String, Write<R>, Write<R>> implements CheckpointedFunction {

  /** Accumulator and metric names. */
  public static final String DUPLICATES = "duplicates";

  public static final String KEYS = "keys";

  private transient ValueState<long[]> seen;
  private transient ExactCounter duplicates;
  private transient ExactCounter keys;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    duplicates = new ExactCounter(DUPLICATES);
    keys = new ExactCounter(KEYS);
    duplicates.initialize(context);
    keys.initialize(context);
  }

  @Override
  public void open(OpenContext openContext) {
    seen =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>(
                    "fingerprints", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    duplicates.open(getRuntimeContext());
    keys.open(getRuntimeContext());
  }

  @Override
  public void processElement(Write<R> in, Context ctx, Collector<Write<R>> out) throws Exception {
    R row = in.row();
    if (row == null) {
      // A reject on its way to the sink: nothing to dedup, no state touched.
      out.collect(in);
      return;
    }
    long fp = row.fingerprint();
    long[] fps = seen.value();
    if (fps == null) {
      keys.add(1);
      seen.update(new long[] {fp});
      out.collect(in);
      return;
    }
    duplicates.add(1);
    for (long f : fps) {
      if (f == fp) {
        return;
      }
    }
    long[] more = Arrays.copyOf(fps, fps.length + 1);
    more[fps.length] = fp;
    seen.update(more);
    out.collect(in);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    duplicates.snapshot();
    keys.snapshot();
  }
}
