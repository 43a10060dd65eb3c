package dev.pgingest.sink;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * Binds a {@link WriteBatch} to the upsert of a {@link TableDef} for the Flink JDBC sink.
 *
 * <p>Each column travels as one array parameter, so a batch of thousands of rows is one statement
 * and one round trip. pgjdbc's {@code reWriteBatchedInserts} only rewrites {@code INSERT …
 * VALUES}, so it leaves this statement alone, and the batch holds each key once anyway.
 */
public final class UpsertStatement<R> implements JdbcQueryStatement<WriteBatch<R>> {
  private final TableDef<R> table;
  private final long runId;
  private final String job;
  private final String sql;

  public UpsertStatement(TableDef<R> table, String rejectsTable, long runId, String job) {
    this.table = table;
    this.runId = runId;
    this.job = job;
    this.sql = table.upsertSql(rejectsTable);
  }

  @Override
  public String query() {
    return sql;
  }

  @Override
  public void statement(PreparedStatement ps, WriteBatch<R> batch) throws SQLException {
    if (ps == null) {
      // The connector calls this after a lost connection left it without a statement.
      throw new SQLException("no open statement: the connection to PostgreSQL was lost", "08003");
    }
    Connection c = ps.getConnection();
    List<Reject> rejects = batch.rejects();
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
    // created_run and updated_run stand before the column arrays in the statement text.
    ps.setLong(p++, runId);
    ps.setLong(p++, runId);
    List<R> rows = batch.rows();
    for (Column<R> col : table.columns()) {
      Object[] values = col.type() == SqlType.BIGINT ? new Long[rows.size()] : new String[rows.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = col.getter().apply(rows.get(i));
      }
      Array array = c.createArrayOf(col.type().arrayElement(), values);
      ps.setArray(p++, array);
    }
  }
}
