package dev.pgingest.sink;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subtask's writer of the COPY path: rows of the tables not copied and rejects by the upsert
 * statement per batch, first rows straight into empty tables ({@link StraightCopy}), the rest
 * staged and merged at each checkpoint ({@link StagedMerge}).
 */
final class CopySinkWriter<R extends UpsertRow<R>> implements SinkWriter<WriteBatch<R>> {
  private static final Logger LOG = LoggerFactory.getLogger(CopySinkWriter.class);

  private final boolean[] copied;
  private final SinkMetrics metrics;
  private final PgConnectionProvider connections;
  private final UpsertStatement<R> direct;
  private final PreparedStatement directPs;
  private final StraightCopy<R> straight;
  private final StagedMerge<R> staging;

  CopySinkWriter(CopySink<R> sink, SinkMetrics metrics, boolean firstAttempt)
      throws SQLException, ClassNotFoundException {
    this.copied = sink.copied;
    this.metrics = metrics;
    this.connections = sink.connections;
    CopiedTables<R> copiedTables = new CopiedTables<>(sink.tables, sink.copied);
    List<Integer> dp = new ArrayList<>();
    for (int i = 0; i < sink.tables.size(); i++) {
      if (!sink.copied[i]) {
        dp.add(i);
      }
    }
    direct =
        new UpsertStatement<>(
            dp.stream().map(sink.tables::get).toList(),
            dp.stream().mapToInt(Integer::intValue).toArray(),
            sink.schema,
            sink.rejectsTable,
            sink.runsTable,
            sink.runId,
            sink.job);
    Connection c = connections.getOrEstablishConnection();
    c.setAutoCommit(true);
    staging =
        new StagedMerge<>(
            c,
            copiedTables,
            sink.schema,
            sink.rejectsTable,
            sink.runsTable,
            sink.runId,
            sink.job,
            sink.batchRows,
            metrics);
    directPs = c.prepareStatement(direct.query());
    straight = new StraightCopy<>(c, copiedTables, sink.schema, sink.runId, metrics, firstAttempt);
  }

  @Override
  public void write(WriteBatch<R> batch, Context context) throws IOException {
    try {
      if (staging.holdsOtherVersion(batch.rows())) {
        // Another version of a parent is staged: merged first, so that this one's trim sees it.
        staging.merge();
      }
      List<R> directRows = new ArrayList<>();
      List<R> first = new ArrayList<>();
      List<R> others = new ArrayList<>();
      for (R row : batch.rows()) {
        if (!copied[row.table()]) {
          directRows.add(row);
        } else {
          (straight.takes(row) ? first : others).add(row);
        }
      }
      if (!directRows.isEmpty() || !batch.rejects().isEmpty()) {
        // Parents of staged rows may be among them: they go first.
        direct.run(directPs, new WriteBatch<>(directRows, batch.rejects()), metrics);
      }
      if (!straight.write(first)) {
        // Refused as a whole (a cast, a check, a missing parent): the merge finds the rows.
        first.addAll(others);
        others = first;
      }
      staging.stage(others);
    } catch (SQLException e) {
      throw new IOException("Writing a batch failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void flush(boolean endOfInput) throws IOException {
    try {
      staging.merge();
    } catch (SQLException e) {
      throw new IOException("Merging the staged rows failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      directPs.close();
    } catch (Throwable t) {
      LOG.debug("closing the COPY writer's statement: {}", t.getMessage());
    }
    // Never throws: close runs inside Flink's failure handling, where a throw is fatal.
    connections.closeConnection();
  }
}
