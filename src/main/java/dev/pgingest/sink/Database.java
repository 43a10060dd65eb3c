package dev.pgingest.sink;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How to reach the target PostgreSQL: URL plus credentials taken from the URL or from {@code
 * PGUSER} / {@code PGPASSWORD}, never from code; {@link #toString()} leaves the password out.
 *
 * <p>This is the client's view. Jobs get {@link #sinkProvider()}, which carries no password.
 *
 * @param url JDBC URL without a password parameter
 * @param user user name, or null when the URL carries it
 * @param password password, or null when none is given (pgjdbc may still find one in .pgpass)
 */
public record Database(String url, String user, String password) {
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("([?&])password=([^&]*)&?", Pattern.CASE_INSENSITIVE);

  public Database {
    Matcher m = PASSWORD_PARAM.matcher(url);
    if (m.find()) {
      // A password in the URL is moved out of it, so the URL can be shown and shipped.
      if (password == null) {
        password = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
      }
      url =
          (url.substring(0, m.start()) + m.group(1) + url.substring(m.end()))
              .replaceAll("[?&]$", "");
    }
  }

  /** The URL with credentials from the environment where the URL has none. */
  public static Database fromEnvironment(String url) {
    boolean urlHasUser = url.contains("user=");
    return new Database(
        url,
        urlHasUser ? null : System.getenv("PGUSER"),
        hasPassword(url) ? null : System.getenv("PGPASSWORD"));
  }

  /** Whether a JDBC URL carries a password parameter. */
  public static boolean hasPassword(String url) {
    return PASSWORD_PARAM.matcher(url).find();
  }

  /** The sink's connection: URL and user only; tasks look the password up where they run. */
  public PgConnectionProvider sinkProvider() {
    return new PgConnectionProvider(url, user);
  }

  /** A new connection. */
  public Connection connect() throws SQLException {
    return connect(0);
  }

  /** A new connection that gives up after {@code timeoutSeconds} (0: the driver's default). */
  public Connection connect(int timeoutSeconds) throws SQLException {
    Properties p = new Properties();
    if (timeoutSeconds > 0) {
      p.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
      p.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
    }
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(url, p);
  }

  /** {@code host:port} of the URL, for messages. */
  public String address() {
    Matcher m = Pattern.compile("^jdbc:postgresql://([^/?]*)").matcher(url);
    return m.find() && !m.group(1).isEmpty() ? m.group(1) : "localhost:5432";
  }

  /** The URL for logs and run records: its password parameter was taken out at construction. */
  public String safeUrl() {
    return url;
  }

  @Override
  public String toString() {
    return "Database[" + safeUrl() + (user != null ? ", user=" + user : "") + "]";
  }
}
