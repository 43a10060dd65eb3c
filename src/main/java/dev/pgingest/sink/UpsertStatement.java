package dev.pgingest.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * Binds a {@link WriteBatch} to the statement {@link WriteSql} builds for the job's tables, for the
 * Flink JDBC sink.
 *
 * <p>Each column travels as one array parameter, so a batch of thousands of rows is one statement
 * and one round trip. pgjdbc's {@code reWriteBatchedInserts} only rewrites {@code INSERT … VALUES},
 * so it leaves this statement alone, and the batch holds each key once anyway.
 *
 * <p>When the connector retries a batch (it calls this again with the same batch after the
 * statement failed), the rows PostgreSQL refuses for their data are found ({@link PoisonRows}) and
 * the batch is bound without them, their reasons going to the rejects table in the same statement.
 * The connector therefore needs at least one retry.
 */
public final class UpsertStatement<R extends UpsertRow<R>>
    implements JdbcQueryStatement<WriteBatch<R>> {
  private final List<TableDef<R>> tables;

  /** The {@link UpsertRow#table()} of each of {@link #tables}: the job's tables may be more. */
  private final int[] indexes;

  private final long runId;
  private final String job;
  private final String sql;
  private final boolean counts;
  private transient WriteBatch<R> lastBound;

  public UpsertStatement(
      List<TableDef<R>> tables,
      String schema,
      String rejectsTable,
      String runsTable,
      long runId,
      String job) {
    this(
        tables,
        IntStream.range(0, tables.size()).toArray(),
        schema,
        rejectsTable,
        runsTable,
        runId,
        job);
  }

  /**
   * A statement for some of the job's tables: {@code indexes} gives the {@link UpsertRow#table()}
   * of each of {@code tables}; batches bound to it hold rows of those tables only.
   */
  public UpsertStatement(
      List<TableDef<R>> tables,
      int[] indexes,
      String schema,
      String rejectsTable,
      String runsTable,
      long runId,
      String job) {
    this.tables = List.copyOf(tables);
    this.indexes = indexes.clone();
    this.runId = runId;
    this.job = job;
    this.sql =
        WriteSql.statement(
            tables, schema, rejectsTable, false, WriteSql.runStart(schema, runsTable, runId));
    this.counts = WriteSql.counts(tables);
  }

  @Override
  public String query() {
    return sql;
  }

  /**
   * Runs this statement on {@code ps} for {@code batch} outside the JDBC connector (the COPY path's
   * writer); rows PostgreSQL refuses are split out on a second try, as the connector's retry does.
   */
  void run(PreparedStatement ps, WriteBatch<R> batch, SinkMetrics metrics) throws SQLException {
    long start = System.nanoTime();
    statement(ps, batch);
    try {
      ps.execute();
    } catch (SQLException e) {
      if (!PoisonRows.isDataError(e)) {
        throw e;
      }
      statement(ps, batch);
      ps.execute();
    }
    metrics.written(batch.size(), System.nanoTime() - start);
  }

  @Override
  public void statement(PreparedStatement ps, WriteBatch<R> batch) throws SQLException {
    if (ps == null) {
      // The connector calls this after a lost connection left it without a statement.
      throw new SQLException("no open statement: the connection to PostgreSQL was lost", "08003");
    }
    WriteBatch<R> toBind = batch;
    if (batch == lastBound && !batch.rows().isEmpty()) {
      toBind = withoutRefusedRows(ps.getConnection(), batch);
    }
    lastBound = batch;
    bind(ps, toBind.rows(), toBind.rejects());
  }

  /** The batch minus the rows PostgreSQL refuses, which become rejects. */
  private WriteBatch<R> withoutRefusedRows(Connection c, WriteBatch<R> batch) throws SQLException {
    // Parents first, so a child row tried alone finds its parent already written.
    List<R> rows = new ArrayList<>(batch.rows());
    rows.sort(Comparator.comparingInt(UpsertRow::table));
    List<PoisonRows.Refused<R>> refused =
        PoisonRows.find(
            c,
            sql,
            rows,
            (ps, some) -> {
              bind(ps, some, List.of());
              ps.execute();
            });
    if (refused.isEmpty()) {
      return batch;
    }
    List<R> kept = new ArrayList<>(rows);
    List<Reject> rejects = new ArrayList<>(batch.rejects());
    for (PoisonRows.Refused<R> r : refused) {
      kept.remove(r.row());
      TableDef<R> t = tables.get(position(r.row().table()));
      String file = r.row().file() != null ? r.row().file() : t.displayName();
      long line =
          r.row().file() != null ? r.row().line() : Math.abs((long) r.row().key().hashCode());
      rejects.add(new Reject(file, line, t.displayName() + ": " + r.reason(), r.row().describe()));
    }
    return new WriteBatch<>(kept, rejects);
  }

  private int position(int table) {
    for (int i = 0; i < indexes.length; i++) {
      if (indexes[i] == table) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "row of table " + table + " in a statement for " + Arrays.toString(indexes));
  }

  /**
   * Binds the rejects part every {@link WriteSql} statement starts with (run, job and four arrays);
   * returns the next parameter index.
   */
  static int bindRejects(PreparedStatement ps, long runId, String job, List<Reject> rejects)
      throws SQLException {
    Connection c = ps.getConnection();
    int n = rejects.size();
    String[] files = new String[n];
    Long[] lines = new Long[n];
    String[] reasons = new String[n];
    String[] raws = new String[n];
    for (int i = 0; i < n; i++) {
      Reject r = rejects.get(i);
      files[i] = r.file();
      lines[i] = r.line();
      reasons[i] = r.reason();
      raws[i] = r.raw();
    }
    int p = 1;
    ps.setLong(p++, runId);
    ps.setString(p++, job);
    ps.setArray(p++, c.createArrayOf("text", files));
    ps.setArray(p++, c.createArrayOf("int8", lines));
    ps.setArray(p++, c.createArrayOf("text", reasons));
    ps.setArray(p++, c.createArrayOf("text", raws));
    return p;
  }

  private void bind(PreparedStatement ps, List<R> rows, List<Reject> rejects) throws SQLException {
    Connection c = ps.getConnection();
    int p = bindRejects(ps, runId, job, rejects);
    for (int t = 0; t < tables.size(); t++) {
      TableDef<R> table = tables.get(t);
      List<R> mine = rows;
      if (tables.size() > 1) {
        mine = new ArrayList<>();
        for (R row : rows) {
          if (row.table() == indexes[t]) {
            mine.add(row);
          }
        }
      }
      if (table.stamped()) {
        // created_run and updated_run stand before the column arrays in the statement text.
        ps.setLong(p++, runId);
        ps.setLong(p++, runId);
      }
      if (WriteSql.split(table)) {
        List<R> first = new ArrayList<>();
        List<R> repeats = new ArrayList<>();
        for (R row : mine) {
          (row.repeat() ? repeats : first).add(row);
        }
        p = bindColumns(ps, c, p, table, first);
        p = bindColumns(ps, c, p, table, repeats);
      } else {
        p = bindColumns(ps, c, p, table, mine);
      }
    }
    if (counts) {
      ps.setLong(p, runId);
    }
  }

  /** One text array per written column of {@code table}; returns the next parameter index. */
  private int bindColumns(
      PreparedStatement ps, Connection c, int p, TableDef<R> table, List<R> rows)
      throws SQLException {
    for (Column<R> col : table.writtenColumns()) {
      String[] values = new String[rows.size()];
      for (int i = 0; i < values.length; i++) {
        Object v = col.getter().apply(rows.get(i));
        values[i] = v == null ? null : v.toString();
      }
      ps.setArray(p++, c.createArrayOf("text", values));
    }
    return p;
  }
}
