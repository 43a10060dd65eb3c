package dev.pgingest.graph;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.PendingSplitsCheckpoint;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * A file source whose readers all finish together, once every file is read: a reader that runs out
 * of files waits, idle, instead of finishing at once.
 *
 * <p>Why: a subtask that finishes takes its operator state with it. Flink restores a finished
 * subtask as finished, with no state, so the exact counts and file totals its parse operator held
 * (records read, which divisions were complete) would be lost by a restore after one reader had run
 * out of files while another still read a large one. Keeping every reader alive until the last file
 * is done keeps that state in the checkpoints.
 */
final class ReadersFinishTogether<T>
    implements Source<T, FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>,
        ResultTypeQueryable<T> {
  private final FileSource<T> files;

  ReadersFinishTogether(FileSource<T> files) {
    this.files = files;
  }

  @Override
  public Boundedness getBoundedness() {
    return files.getBoundedness();
  }

  @Override
  public SourceReader<T, FileSourceSplit> createReader(SourceReaderContext context)
      throws Exception {
    return files.createReader(context);
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>
      createEnumerator(SplitEnumeratorContext<FileSourceSplit> context) {
    return files.createEnumerator(new Holding(context));
  }

  @Override
  public SplitEnumerator<FileSourceSplit, PendingSplitsCheckpoint<FileSourceSplit>>
      restoreEnumerator(
          SplitEnumeratorContext<FileSourceSplit> context,
          PendingSplitsCheckpoint<FileSourceSplit> checkpoint) {
    return files.restoreEnumerator(new Holding(context), checkpoint);
  }

  @Override
  public SimpleVersionedSerializer<FileSourceSplit> getSplitSerializer() {
    return files.getSplitSerializer();
  }

  @Override
  public SimpleVersionedSerializer<PendingSplitsCheckpoint<FileSourceSplit>>
      getEnumeratorCheckpointSerializer() {
    return files.getEnumeratorCheckpointSerializer();
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return files.getProducedType();
  }

  /**
   * The enumerator's context, holding back "no more splits" until every reader has asked for a
   * split and none is left: a reader asks only after finishing its file, so then all are done.
   */
  private static final class Holding implements SplitEnumeratorContext<FileSourceSplit> {
    private final SplitEnumeratorContext<FileSourceSplit> context;
    private final Set<Integer> waiting = new HashSet<>();
    private boolean released;

    Holding(SplitEnumeratorContext<FileSourceSplit> context) {
      this.context = context;
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
      if (released) {
        context.signalNoMoreSplits(subtask);
        return;
      }
      waiting.add(subtask);
      if (waiting.size() == context.currentParallelism()) {
        released = true;
        waiting.forEach(context::signalNoMoreSplits);
      }
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
      return context.metricGroup();
    }

    @Override
    public void sendEventToSourceReader(
        int subtaskId, org.apache.flink.api.connector.source.SourceEvent event) {
      context.sendEventToSourceReader(subtaskId, event);
    }

    @Override
    public int currentParallelism() {
      return context.currentParallelism();
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
      return context.registeredReaders();
    }

    @Override
    public void assignSplits(SplitsAssignment<FileSourceSplit> assignment) {
      context.assignSplits(assignment);
    }

    @Override
    public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler) {
      context.callAsync(callable, handler);
    }

    @Override
    public <R> void callAsync(
        Callable<R> callable, BiConsumer<R, Throwable> handler, long initialDelay, long period) {
      context.callAsync(callable, handler, initialDelay, period);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
      context.runInCoordinatorThread(runnable);
    }
  }
}
