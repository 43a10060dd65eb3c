package dev.pgingest.sink;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;

/**
 * How to reach the target PostgreSQL: URL plus credentials taken from the URL or from {@code
 * PGUSER} / {@code PGPASSWORD}, never from code; {@link #toString()} leaves the password out.
 *
 * @param url JDBC URL
 * @param user user name, or null when the URL carries it
 * @param password password, or null when the URL carries it or none is needed
 */
public record Database(String url, String user, String password) implements Serializable {

  /** The URL with credentials from the environment where the URL has none. */
  public static Database fromEnvironment(String url) {
    boolean urlHasUser = url.contains("user=");
    return new Database(
        url,
        urlHasUser ? null : System.getenv("PGUSER"),
        url.contains("password=") ? null : System.getenv("PGPASSWORD"));
  }

  /** A new connection. */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url, p);
  }

  /** The same for the Flink JDBC connector. */
  public JdbcConnectionOptions connectorOptions() {
    JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
            .withUrl(url)
            .withDriverName("org.postgresql.Driver");
    if (user != null) {
      b.withUsername(user);
    }
    if (password != null) {
      b.withPassword(password);
    }
    return b.build();
  }

  /** The URL without any password parameter, for logs and run records. */
  public String safeUrl() {
    return url.replaceAll("(?i)password=[^&]*", "password=***");
  }

  @Override
  public String toString() {
    return "Database[" + safeUrl() + (user != null ? ", user=" + user : "") + "]";
  }
}
