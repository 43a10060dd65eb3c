package dev.pgingest.store;

import dev.pgingest.metrics.ExactCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * Counts uploads exactly across failover, chained right after the upload operator.
 *
 * <p>The async operator cannot do it: its runtime context refuses accumulators, and it counts
 * while an item is in flight, whereas a checkpoint stores in-flight items to run again on restore.
 * Here an item is counted once it has left the operator, which is what a checkpoint covers.
 */
public final class UploadCounts<T> extends RichMapFunction<Uploaded<T>, T>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  private transient ExactCounter uploaded;
  private transient ExactCounter alreadyStored;
  private transient ExactCounter bytes;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    uploaded = new ExactCounter(Uploads.OBJECTS_UPLOADED);
    alreadyStored = new ExactCounter(Uploads.OBJECTS_ALREADY_STORED);
    bytes = new ExactCounter(Uploads.BYTES_UPLOADED);
    uploaded.initialize(context);
    alreadyStored.initialize(context);
    bytes.initialize(context);
  }

  @Override
  public void open(OpenContext openContext) {
    uploaded.open(getRuntimeContext());
    alreadyStored.open(getRuntimeContext());
    bytes.open(getRuntimeContext());
  }

  @Override
  public T map(Uploaded<T> u) {
    uploaded.add(u.uploaded());
    alreadyStored.add(u.alreadyStored());
    bytes.add(u.bytes());
    return u.item();
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    uploaded.snapshot();
    alreadyStored.snapshot();
    bytes.snapshot();
  }
}
