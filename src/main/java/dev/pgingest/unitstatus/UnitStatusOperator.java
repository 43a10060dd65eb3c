package dev.pgingest.unitstatus;

import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.PgConnectionProvider;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keeps the status table of the job's units: {@code loading} when a unit's first record is read,
 * {@code failed} when its record is rejected whole, {@code complete} once the checkpoint that
 * covers all of its rows has completed.
 *
 * <p>Why that is safe: the parse step sends a unit's "read" event after every row of the unit, so
 * the event passes the checkpoint barrier after those rows; the batcher flushes before each barrier
 * and the JDBC writer writes synchronously, so when checkpoint N completes, every row before
 * barrier N is committed. Events that arrive before this operator snapshots checkpoint N wait for
 * N; {@link #notifyCheckpointComplete} marks them complete. They are kept in state, so a crash
 * between the checkpoint and its notification loses nothing: a restore from checkpoint N proves N
 * completed, and {@link #open} marks them then. Runs at parallelism 1 on one connection.
 */
public final class UnitStatusOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<UnitEvent, Void>, BoundedOneInput, ProcessingTimeCallback {

  private static final long FLUSH_MS = 1000;

  private final UnitStatusTable table;
  private final PgConnectionProvider connections;
  private final long runId;

  /** Loading and failed rows not written yet, latest per unit and file. */
  private transient Map<String, UnitStatusTable.Row> pending;

  /** Units read to the end of their file: checkpoint id they wait for (-1: the next one). */
  private transient Map<String, Waiting> waiting;

  private transient List<UnitStatusTable.Row> restoredComplete;
  private transient ListState<String> state;
  private transient boolean timerSet;

  /** A read unit and the checkpoint that covers its rows. */
  private record Waiting(UnitStatusTable.Row row, long checkpoint) {}

  public UnitStatusOperator(UnitStatusTable table, PgConnectionProvider connections, long runId) {
    this.table = table;
    this.connections = connections;
    this.runId = runId;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    state =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("read-units", Types.STRING));
    pending = new LinkedHashMap<>();
    waiting = new LinkedHashMap<>();
    restoredComplete = new ArrayList<>();
    if (context.isRestored()) {
      // Restored from checkpoint N: N completed, and every unit in its state waited for N or less.
      for (String s : state.get()) {
        String[] parts = s.split("\u0000", -1);
        List<String> key = List.of(parts).subList(0, parts.length - 1);
        restoredComplete.add(
            new UnitStatusTable.Row(key, parts[parts.length - 1], UnitStatusTable.COMPLETE, null));
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    if (!restoredComplete.isEmpty()) {
      table.write(connection(), runId, restoredComplete);
      restoredComplete.clear();
    }
  }

  @Override
  public void processElement(StreamRecord<UnitEvent> element) throws Exception {
    UnitEvent e = element.getValue();
    String id = e.id();
    switch (e.kind()) {
      case STARTED -> {
        UnitStatusTable.Row before = pending.get(id);
        if (before == null || !before.status().equals(UnitStatusTable.FAILED)) {
          pending.put(
              id, new UnitStatusTable.Row(e.key(), e.file(), UnitStatusTable.LOADING, null));
        }
      }
      case FAILED -> {
        waiting.remove(id);
        pending.put(
            id, new UnitStatusTable.Row(e.key(), e.file(), UnitStatusTable.FAILED, e.reason()));
      }
      case READ ->
          waiting.put(
              id,
              new Waiting(
                  new UnitStatusTable.Row(e.key(), e.file(), UnitStatusTable.COMPLETE, null), -1));
    }
    if (!timerSet) {
      timerSet = true;
      long now = getProcessingTimeService().getCurrentProcessingTime();
      getProcessingTimeService().registerTimer(now + FLUSH_MS, this);
    }
  }

  @Override
  public void onProcessingTime(long time) throws Exception {
    timerSet = false;
    flushPending();
  }

  @Override
  public void endInput() throws Exception {
    flushPending();
    output.collect(
        EndCounts.TAG,
        new StreamRecord<>(
            EndCounts.ended()
                .sentBy(
                    getOperatorID().toHexString(),
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())));
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    // Loading rows go first, so a unit's complete row (after this checkpoint) always follows them.
    flushPending();
    List<String> encoded = new ArrayList<>(waiting.size());
    for (Map.Entry<String, Waiting> w : waiting.entrySet()) {
      Waiting x = w.getValue();
      if (x.checkpoint() < 0) {
        w.setValue(new Waiting(x.row(), context.getCheckpointId()));
      }
      encoded.add(w.getKey());
    }
    state.update(encoded);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    List<UnitStatusTable.Row> done = new ArrayList<>();
    waiting
        .values()
        .removeIf(
            w -> {
              boolean covered = w.checkpoint() >= 0 && w.checkpoint() <= checkpointId;
              if (covered) {
                done.add(w.row());
              }
              return covered;
            });
    table.write(connection(), runId, done);
  }

  private void flushPending() throws Exception {
    if (pending.isEmpty()) {
      return;
    }
    table.write(connection(), runId, new ArrayList<>(pending.values()));
    pending.clear();
  }

  private Connection connection() throws Exception {
    if (!connections.isConnectionValid()) {
      return connections.reestablishConnection();
    }
    return connections.getOrEstablishConnection();
  }

  @Override
  public void close() throws Exception {
    try {
      connections.closeConnection();
    } finally {
      super.close();
    }
  }
}
