package dev.pgingest.graph;

import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.WriteBatch;
import dev.pgingest.unitstatus.UnitEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/** A test's sinks: every row and reject the batches brought, collected, and no database. */
final class CollectingSinks<R extends UpsertRow<R>> implements JobSinks<R> {
  private CloseableIterator<RowOrReject<R>> writes;

  /** What reached the sinks: rows of every table, and rejects. */
  record Collected<R>(List<R> rows, List<Reject> rejects) {}

  /** A batch's rows and rejects one by one, as they are collected. */
  static final class Unbatch<R> implements FlatMapFunction<WriteBatch<R>, RowOrReject<R>> {
    @Override
    public void flatMap(WriteBatch<R> batch, Collector<RowOrReject<R>> out) {
      batch.rows().forEach(r -> out.collect(RowOrReject.row(r)));
      batch.rejects().forEach(r -> out.collect(RowOrReject.reject(r)));
    }
  }

  @Override
  public void rows(SingleOutputStreamOperator<WriteBatch<R>> batches, ResolvedJob<?, R> job) {
    writes =
        batches
            .flatMap(new Unbatch<R>(), IngestGraph.writeType(job.pipeline().rowType()))
            .setParallelism(batches.getParallelism())
            .name("Unbatch")
            .collectAsync();
  }

  @Override
  public DataStream<EndCounts> units(DataStream<UnitEvent> units, ResolvedJob<?, R> job) {
    throw new UnsupportedOperationException(
        "job " + job.spec().name() + " keeps a status table, which only PostgreSQL holds");
  }

  /** Runs the job defined on {@code env} to its end and returns what reached the sinks. */
  Collected<R> execute(StreamExecutionEnvironment env, String name) throws Exception {
    List<R> rows = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    try (CloseableIterator<RowOrReject<R>> it = writes) {
      env.execute(name);
      it.forEachRemaining(
          w -> {
            if (w.row() != null) {
              rows.add(w.row());
            } else {
              rejects.add(w.reject());
            }
          });
    }
    return new Collected<>(rows, rejects);
  }
}
