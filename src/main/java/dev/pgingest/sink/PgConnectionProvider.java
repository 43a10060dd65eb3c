package dev.pgingest.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

/**
 * The sink's connection to PostgreSQL, serialized into the job without any password: the URL (its
 * password parameter removed) and user travel, the password is looked up where the task runs
 * ({@link Credentials}), so neither the JobManager's stored job graph nor the REST API holds it.
 */
public final class PgConnectionProvider implements JdbcConnectionProvider {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private transient SimpleJdbcConnectionProvider delegate;

  /**
   * @param url JDBC URL without a password parameter
   * @param user user name, or null when the URL carries it
   */
  public PgConnectionProvider(String url, String user) {
    if (Database.hasPassword(url)) {
      throw new IllegalArgumentException("the sink's JDBC URL must not carry a password");
    }
    this.url = url;
    this.user = user;
  }

  private SimpleJdbcConnectionProvider delegate() {
    if (delegate == null) {
      JdbcConnectionOptions.JdbcConnectionOptionsBuilder b =
          new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
              .withUrl(url)
              .withDriverName("org.postgresql.Driver");
      if (user != null) {
        b.withUsername(user);
      }
      String password = Credentials.password();
      if (password != null) {
        b.withPassword(password);
      }
      delegate = new SimpleJdbcConnectionProvider(b.build());
    }
    return delegate;
  }

  @Override
  public Connection getConnection() {
    return delegate().getConnection();
  }

  @Override
  public Properties getProperties() {
    return delegate().getProperties();
  }

  @Override
  public boolean isConnectionValid() throws SQLException {
    return delegate().isConnectionValid();
  }

  @Override
  public Connection getOrEstablishConnection() throws SQLException, ClassNotFoundException {
    return delegate().getOrEstablishConnection();
  }

  @Override
  public void closeConnection() {
    if (delegate != null) {
      delegate.closeConnection();
    }
  }

  @Override
  public Connection reestablishConnection() throws SQLException, ClassNotFoundException {
    return delegate().reestablishConnection();
  }

  @Override
  public String toString() {
    return "PgConnectionProvider[" + url + (user != null ? ", user=" + user : "") + "]";
  }
}
