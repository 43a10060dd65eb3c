package dev.pgingest.testutil;

import dev.pgingest.sink.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real embedded PostgreSQL per test JVM; each test takes a schema of its own, so tests never
 * see each other's rows.
 */
public final class TestPostgres {
  private static EmbeddedPostgres pg;
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private TestPostgres() {}

  /** The shared server, started on first use. */
  public static synchronized EmbeddedPostgres server() {
    if (pg == null) {
      try {
        pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pg;
  }

  /** JDBC URL with pgjdbc's batch rewriting on, the setting that exposes duplicate-key batches. */
  public static String url() {
    return "jdbc:postgresql://127.0.0.1:"
        + server().getPort()
        + "/postgres?user=postgres&reWriteBatchedInserts=true";
  }

  public static Database database() {
    return new Database(url(), null, null);
  }

  /** A schema name no other test uses. */
  public static String freshSchema(String prefix) {
    return prefix + "_" + SCHEMAS.incrementAndGet() + "_" + (System.nanoTime() % 100000);
  }

  public static Connection connect() throws SQLException {
    return database().connect();
  }

  /** Rows of a query as lists of strings (SQL NULL as null). */
  public static List<List<String>> rows(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<String>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  /** The single long a query returns. */
  public static long scalar(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
