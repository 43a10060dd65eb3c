package dev.pgingest.graph;

import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.CopySink;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.GuardedSink;
import dev.pgingest.sink.PgConnectionProvider;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.UpsertStatement;
import dev.pgingest.sink.WriteBatch;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.unitstatus.UnitEvent;
import dev.pgingest.unitstatus.UnitStatusOperator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * A run's sinks, all into PostgreSQL: every table's batches through one sink (the JDBC connector's
 * upserts, or the {@link CopySink} when some table takes the COPY path), and the status table by
 * its keeper.
 */
public final class DatabaseSinks<R extends UpsertRow<R>> implements JobSinks<R> {
  private final Database db;

  public DatabaseSinks(Database db) {
    this.db = db;
  }

  @Override
  public void rows(SingleOutputStreamOperator<WriteBatch<R>> batches, ResolvedJob<?, R> job) {
    JobSpec spec = job.spec();
    Options o = spec.options();
    List<TableDef<R>> tables = job.tables();
    boolean anyCopied = job.anyCopied();
    if (!anyCopied) {
      // The JDBC connector's upserts wait on PostgreSQL for each batch; in a task of its own
      // that wait does not stop dedup from preparing the next one. On the COPY path PostgreSQL's
      // share per batch is small and the JVM's CPU is what runs short, so there dedup, batcher
      // and writer share a task and rows are not serialized once more (bench/README.md).
      batches.startNewChain();
    }

    // One sink for all tables: the job holds sink-parallelism connections, not that per table,
    // and a batch writes parents and children in one statement.
    PgConnectionProvider connections = db.sinkProvider();
    Sink<WriteBatch<R>> sink =
        anyCopied
            ? new CopySink<>(
                tables,
                job.copied(),
                spec.target().schema(),
                spec.target().rejectsTable(),
                spec.target().runsTable(),
                job.runId(),
                spec.name(),
                connections,
                o.batchRows())
            : new GuardedSink<>(
                JdbcSink.<WriteBatch<R>>builder()
                    .withQueryStatement(
                        new UpsertStatement<>(
                            tables,
                            spec.target().schema(),
                            spec.target().rejectsTable(),
                            spec.target().runsTable(),
                            job.runId(),
                            spec.name()))
                    .withExecutionOptions(
                        JdbcExecutionOptions.builder()
                            // One element is already a whole batch of rows in one statement.
                            .withBatchSize(1)
                            .withBatchIntervalMs(0)
                            // The retry is where rows the database refuses are split out of a
                            // batch.
                            .withMaxRetries(Math.max(1, o.retries()))
                            .build())
                    .buildAtLeastOnce(connections),
                WriteBatch::size,
                connections);
    batches
        .sinkTo(sink)
        .uid(IngestGraph.UID_SINK)
        .name(
            (anyCopied ? "COPY and merge into " : tables.size() == 1 ? "Upsert into " : "Write to ")
                + tables.stream().map(TableDef::displayName).collect(Collectors.joining(", ")))
        .setParallelism(o.sinkParallelism());
  }

  /** The status table's keeper, at parallelism 1 on one connection of its own. */
  @Override
  public DataStream<EndCounts> units(DataStream<UnitEvent> units, ResolvedJob<?, R> job) {
    JobSpec spec = job.spec();
    return units
        .transform(
            "Progress of " + spec.progress().unit() + " → " + spec.progress().table(),
            Types.VOID,
            new UnitStatusOperator(job.progress(), db.sinkProvider(), job.runId()))
        .uid(IngestGraph.UID_PROGRESS)
        .setParallelism(1)
        .getSideOutput(EndCounts.TAG);
  }
}
