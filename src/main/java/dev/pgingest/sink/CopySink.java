package dev.pgingest.sink;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * The COPY path: rows of the {@code copied} tables go by binary {@code COPY} into staging tables of
 * the writer's own session, and one {@code INSERT … SELECT … ON CONFLICT} statement per checkpoint
 * merges them into the targets ({@link StagedMerge}); a key's first row may go straight into a
 * table that was empty at the start ({@link StraightCopy}); rows of the other tables and the
 * rejects are written per batch by the same statement the JDBC-connector path uses. The sink holds
 * the configuration, {@link CopySinkWriter} the subtask's connection, as the JDBC connector's sink,
 * writer and executors divide their work.
 *
 * <p>Why not the Flink JDBC connector: its writer binds each element to a {@code PreparedStatement}
 * and has no hook at the checkpoint but the flush of its own batch, while COPY needs pgjdbc's
 * {@code CopyManager} on the raw connection and the merge must run exactly at the checkpoint
 * barrier. So this is a small Sink V2 writer of our own, on the same connection provider (one
 * connection per subtask, no more than the upsert path) and the same statement text ({@link
 * WriteSql}, its rows read from the staging tables instead of arrays).
 *
 * <p>Why it is replay-safe and its counts exact: the staging tables are {@code TEMP} (no WAL, gone
 * with the session), so rows staged after the last checkpoint vanish with a failed task and come
 * back with the replay; the merge is the upsert path's idempotent statement, committed with its
 * counts in one transaction, so a merge repeated after a restore finds its rows in place and counts
 * nothing twice.
 */
public final class CopySink<R extends UpsertRow<R>> implements Sink<WriteBatch<R>> {
  private static final long serialVersionUID = 1L;

  final List<TableDef<R>> tables;
  final boolean[] copied;
  final String schema;
  final String rejectsTable;
  final String runsTable;
  final long runId;
  final String job;
  final PgConnectionProvider connections;
  final int batchRows;

  /**
   * @param tables the job's tables, parents first
   * @param copied for each table whether it takes the COPY path; a copied table's children must be
   *     copied too, so that no row is written before its staged parent is merged
   * @param batchRows most rows per upsert statement of the rows that wait for a merge
   */
  public CopySink(
      List<TableDef<R>> tables,
      boolean[] copied,
      String schema,
      String rejectsTable,
      String runsTable,
      long runId,
      String job,
      PgConnectionProvider connections,
      int batchRows) {
    this.tables = List.copyOf(tables);
    this.copied = copied.clone();
    this.schema = schema;
    this.rejectsTable = rejectsTable;
    this.runsTable = runsTable;
    this.runId = runId;
    this.job = job;
    this.connections = connections;
    this.batchRows = batchRows;
    for (int i = 0; i < tables.size(); i++) {
      String parent = tables.get(i).parent();
      for (int p = 0; p < i && parent != null; p++) {
        if (tables.get(p).table().equals(parent) && copied[p] && !copied[i]) {
          throw new IllegalArgumentException(
              "table "
                  + tables.get(i).table()
                  + " must take the COPY path with its parent "
                  + parent);
        }
      }
    }
  }

  @Override
  public SinkWriter<WriteBatch<R>> createWriter(WriterInitContext context) throws IOException {
    SinkMetrics metrics = SinkMetrics.register(context.metricGroup(), connections);
    try {
      // Only the job's first attempt, started from nothing, may COPY straight into a table: a
      // replay after a failover or a restore finds rows of its own there, which only the merge
      // takes without a conflict.
      boolean firstAttempt =
          context.getTaskInfo().getAttemptNumber() == 0
              && context.getRestoredCheckpointId().isEmpty();
      return new CopySinkWriter<>(this, metrics, firstAttempt);
    } catch (SQLException | ClassNotFoundException e) {
      connections.closeConnection();
      throw new IOException("Cannot open the COPY writer's connection: " + e.getMessage(), e);
    }
  }
}
