package dev.pgingest.sink;

import dev.pgingest.metrics.EndCounts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Collects rows into batches that hold each key once, merging repeats, in the manner of the JDBC
 * connector's {@code TableBufferReducedStatementExecutor}.
 *
 * <p>A batch goes out when it is full, when {@code flushInterval} passed since its first row,
 * before every checkpoint barrier (so a checkpoint never covers rows still in memory: no state
 * needed) and at end of input. Chained in front of the JDBC sink, whose own batch size is one
 * statement.
 *
 * <p>A batch holds one version of a {@linkplain TableDef#versioned versioned} route: a row of
 * another position in file order than the batch's rows of its route sends the batch out first, so
 * that the older version's child rows are never merged with the newer one's, and the newer parent
 * row's trim, in the next statement, deletes those the newer version no longer has.
 */
public final class BatchOperator<R extends UpsertRow<R>>
    extends AbstractStreamOperator<WriteBatch<R>>
    implements OneInputStreamOperator<RowOrReject<R>, WriteBatch<R>>,
        BoundedOneInput,
        ProcessingTimeCallback {

  /** Metric name: rows handed to the sink. */
  public static final String WRITTEN = "written";

  /**
   * Accumulator: batchers that reached end of input, so the runner can ask for the final
   * checkpoint.
   */
  public static final String INPUT_ENDED = "inputEnded";

  private final int batchRows;
  private final long flushIntervalMs;
  private final long runId;

  /** Per table index whether its rows are versioned by their route; null for none. */
  private final boolean[] versioned;

  private transient LinkedHashMap<String, R> rows;

  /** Position in file order of the versioned rows in the batch, by route. */
  private transient HashMap<String, String> versions;

  /** Rows unique by construction (appended): no key to merge on. */
  private transient List<R> appended;

  private transient List<Reject> rejects;
  private transient boolean timerSet;
  private transient Counter written;
  private transient LongCounter inputEnded;

  /**
   * @param runId the run whose runner {@link InputEnds} tells of the end of input
   */
  public BatchOperator(int batchRows, long flushIntervalMs, long runId) {
    this(batchRows, flushIntervalMs, runId, null);
  }

  /**
   * @param runId the run whose runner {@link InputEnds} tells of the end of input
   * @param versioned per table whether its rows are versioned by their route ({@link
   *     TableDef#versioned}); null for none
   */
  public BatchOperator(int batchRows, long flushIntervalMs, long runId, boolean[] versioned) {
    this.batchRows = batchRows;
    this.flushIntervalMs = flushIntervalMs;
    this.runId = runId;
    this.versioned = versioned == null ? null : versioned.clone();
  }

  @Override
  public void open() throws Exception {
    super.open();
    rows = new LinkedHashMap<>();
    versions = new HashMap<>();
    appended = new ArrayList<>();
    rejects = new ArrayList<>();
    written = getMetricGroup().counter(WRITTEN);
    inputEnded = new LongCounter();
    getRuntimeContext().addAccumulator(INPUT_ENDED, inputEnded);
  }

  @Override
  public void processElement(StreamRecord<RowOrReject<R>> element) {
    RowOrReject<R> w = element.getValue();
    if (w.row() == null) {
      rejects.add(w.reject());
    } else if (w.row().repeats() == UpsertRow.Repeats.NONE) {
      appended.add(w.row());
    } else {
      R row = w.row();
      if (versioned != null && versioned[row.table()]) {
        String before = versions.put(row.route(), row.order());
        if (before != null && !before.equals(row.order())) {
          // Another version of the route: the one in the batch goes out first, on its own.
          versions.clear();
          flush();
          versions.put(row.route(), row.order());
        }
      }
      rows.merge(row.key(), row, UpsertRow::merge);
    }
    if (rows.size() + appended.size() + rejects.size() >= batchRows) {
      flush();
    } else if (!timerSet) {
      timerSet = true;
      long now = getProcessingTimeService().getCurrentProcessingTime();
      getProcessingTimeService().registerTimer(now + flushIntervalMs, this);
    }
  }

  @Override
  public void onProcessingTime(long time) {
    timerSet = false;
    flush();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void endInput() {
    flush();
    inputEnded.add(1);
    InputEnds.reached(runId);
    // The run's finisher hears of this end only once this task, and the writer chained to it,
    // has flushed everything: Flink sends end-of-data downstream after the whole chain finished.
    output.collect(
        EndCounts.TAG,
        new StreamRecord<>(
            EndCounts.ended()
                .sentBy(
                    getOperatorID().toHexString(),
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())));
  }

  private void flush() {
    if (rows.isEmpty() && appended.isEmpty() && rejects.isEmpty()) {
      return;
    }
    List<R> all = new ArrayList<>(rows.size() + appended.size());
    all.addAll(rows.values());
    all.addAll(appended);
    WriteBatch<R> batch = new WriteBatch<>(all, rejects);
    written.inc(all.size());
    rows = new LinkedHashMap<>();
    versions.clear();
    appended = new ArrayList<>();
    rejects = new ArrayList<>();
    output.collect(new StreamRecord<>(batch));
  }
}
