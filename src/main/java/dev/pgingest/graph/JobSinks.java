package dev.pgingest.graph;

import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.WriteBatch;
import dev.pgingest.unitstatus.UnitEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Where the graph's output goes, applied by the caller of {@link IngestGraph#define}: in a run,
 * PostgreSQL ({@link DatabaseSinks}); in a test, a sink that collects what reached it.
 */
public interface JobSinks<R extends UpsertRow<R>> {

  /** Writes the batches: every table's rows, parents before children, and the rejects. */
  void rows(SingleOutputStreamOperator<WriteBatch<R>> batches, ResolvedJob<?, R> job);

  /**
   * Keeps the status table of the units of progress; called only for a job with progress. Returns
   * the keeper's {@link EndCounts#TAG} output (an empty end per subtask once its input ended).
   */
  DataStream<EndCounts> units(DataStream<UnitEvent> units, ResolvedJob<?, R> job);
}
