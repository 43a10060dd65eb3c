package dev.pgingest.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLException;

/**
 * Finds the rows of a failed batch that PostgreSQL refuses for their data (SQLState classes 22 and
 * 23: a value too long, a NOT NULL, check or foreign-key violation) by splitting the batch in
 * halves inside one transaction until each bad row stands alone.
 *
 * <p>Halves that pass stay in the transaction, so a later row sees the rows before it (a child its
 * parent) just as in the whole batch; everything is rolled back at the end, and the caller writes
 * the batch again without the bad rows. Any other error (a lost connection) is thrown as it is, so
 * the connector's retry and Flink's restart handle it as before.
 */
final class PoisonRows {
  private PoisonRows() {}

  /** Executes a statement for some rows of the batch. */
  @FunctionalInterface
  interface Execute<R> {
    void run(PreparedStatement ps, List<R> rows) throws SQLException;
  }

  /** A refused row and the database's reason. */
  record Refused<R>(R row, String reason) {}

  /** The rows PostgreSQL refuses, in batch order; empty when the batch now passes whole. */
  static <R> List<Refused<R>> find(Connection c, String sql, List<R> rows, Execute<R> execute)
      throws SQLException {
    List<Refused<R>> refused = new ArrayList<>();
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      split(c, ps, rows, execute, refused);
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
    return refused;
  }

  private static <R> void split(
      Connection c,
      PreparedStatement ps,
      List<R> rows,
      Execute<R> execute,
      List<Refused<R>> refused)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Savepoint sp = c.setSavepoint();
    try {
      execute.run(ps, rows);
      c.releaseSavepoint(sp);
      return;
    } catch (SQLException e) {
      if (!isDataError(e)) {
        throw e;
      }
      c.rollback(sp);
      if (rows.size() == 1) {
        refused.add(new Refused<>(rows.get(0), reason(e)));
        return;
      }
    }
    int half = rows.size() / 2;
    split(c, ps, rows.subList(0, half), execute, refused);
    split(c, ps, rows.subList(half, rows.size()), execute, refused);
  }

  /** SQLState class 22 (data exception) or 23 (integrity constraint violation). */
  static boolean isDataError(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  /** The server's message and detail, in one line. */
  static String reason(SQLException e) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      var m = p.getServerErrorMessage();
      String s = m.getMessage();
      if (m.getDetail() != null) {
        s += " (" + m.getDetail() + ")";
      }
      return "the database refused the row: " + s;
    }
    return "the database refused the row: "
        + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
