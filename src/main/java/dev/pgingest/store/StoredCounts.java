package dev.pgingest.store;

import dev.pgingest.metrics.CountsAtEnd;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.metrics.ExactCounter;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Counts stored objects exactly across failover, chained right after the store operator.
 *
 * <p>The async operator cannot do it: its runtime context refuses accumulators, and it counts while
 * an item is in flight, whereas a checkpoint stores in-flight items to run again on restore. Here
 * an item is counted once it has left the operator, which is what a checkpoint covers.
 */
public final class StoredCounts<T> extends RichMapFunction<ObjectsStored<T>, T>
    implements CheckpointedFunction, CountsAtEnd {
  private static final long serialVersionUID = 1L;

  private transient ExactCounter written;
  private transient ExactCounter alreadyStored;
  private transient ExactCounter bytes;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    written = new ExactCounter(StoreObjects.OBJECTS_UPLOADED);
    alreadyStored = new ExactCounter(StoreObjects.OBJECTS_ALREADY_STORED);
    bytes = new ExactCounter(StoreObjects.BYTES_UPLOADED);
    written.initialize(context);
    alreadyStored.initialize(context);
    bytes.initialize(context);
  }

  @Override
  public void open(OpenContext openContext) {
    written.open(getRuntimeContext());
    alreadyStored.open(getRuntimeContext());
    bytes.open(getRuntimeContext());
  }

  @Override
  public T map(ObjectsStored<T> s) {
    written.add(s.written());
    alreadyStored.add(s.alreadyStored());
    bytes.add(s.bytes());
    return s.item();
  }

  @Override
  public EndCounts countsAtEnd() {
    EndCounts end = EndCounts.of(Map.of());
    written.addTo(end.counts());
    alreadyStored.addTo(end.counts());
    bytes.addTo(end.counts());
    return end;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    written.snapshot();
    alreadyStored.snapshot();
    bytes.snapshot();
  }
}
