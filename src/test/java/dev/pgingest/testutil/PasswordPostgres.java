package dev.pgingest.testutil;

import dev.pgingest.sink.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedded PostgreSQL of one test class's own where role {@value #USER} must log in over TCP
 * with its password (SCRAM-SHA-256), as on a real server; only the test's own {@code postgres} role
 * is trusted, so the test can look at what a run left.
 */
public final class PasswordPostgres implements AutoCloseable {
  /** The role jobs connect as. */
  public static final String USER = "loader";

  private final EmbeddedPostgres pg;

  private PasswordPostgres(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** Starts a server in {@code dataDir} whose role {@value #USER} has {@code password}. */
  public static PasswordPostgres start(Path dataDir, String password) throws Exception {
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setServerConfig("password_encryption", "scram-sha-256")
            .setServerConfig("max_connections", "50")
            // After initdb, before the server starts: the first matching line decides.
            .setDataDirectoryCustomizer(
                d -> {
                  try {
                    Files.writeString(
                        d.toPath().resolve("pg_hba.conf"),
                        String.join(
                            "\n",
                            "host all " + USER + " 127.0.0.1/32 scram-sha-256",
                            "host all " + USER + " ::1/128 scram-sha-256",
                            "host all postgres 127.0.0.1/32 trust",
                            "host all postgres ::1/128 trust",
                            "local all all trust",
                            ""));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .start();
    PasswordPostgres p = new PasswordPostgres(pg);
    try (Connection c = p.admin();
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
      st.execute("GRANT CREATE ON DATABASE postgres TO " + USER);
    }
    return p;
  }

  /** A JDBC URL for {@value #USER}, without a password. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=" + USER;
  }

  /** {@value #USER} with {@code password} (null: none). */
  public Database database(String password) {
    return new Database(url(), null, password);
  }

  /** A connection as the trusted {@code postgres} role. */
  public Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
  }

  /** Rows of a query run as {@code postgres}, as lists of strings. */
  public List<List<String>> rows(String sql) throws SQLException {
    try (Connection c = admin();
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

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
