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
 *
 * <p>It also counts the connections it holds open ({@link #openConnections()}, the sink's {@code
 * connectionsInUse} metric): one from opening until it is closed. A connection that went bad is
 * closed before its replacement opens, so a reconnect never holds two.
 */
public final class PgConnectionProvider
    implements JdbcConnectionProvider, SinkMetrics.OpenConnections {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  private transient JdbcConnectionProvider delegate;
  // Written under this object's lock by the task thread, read by the metric reporter's thread.
  private transient volatile int open;

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

  /** A provider over {@code delegate}, for tests that watch the count without a database. */
  PgConnectionProvider(JdbcConnectionProvider delegate) {
    this("jdbc:postgresql://test/", null);
    this.delegate = delegate;
  }

  private JdbcConnectionProvider delegate() {
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

  /** The same database for plain connections of a task, its password looked up here. */
  public Database database() {
    return new Database(url, user, Credentials.password());
  }

  /** Connections opened by this provider and not closed since: 0 or 1. */
  @Override
  public int openConnections() {
    return open;
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
  public synchronized Connection getOrEstablishConnection()
      throws SQLException, ClassNotFoundException {
    JdbcConnectionProvider d = delegate();
    if (d.getConnection() != null) {
      if (d.isConnectionValid()) {
        return d.getConnection();
      }
      // The connector's provider would replace a bad connection without closing it, leaving its
      // socket open and this subtask holding two.
      closeConnection();
    }
    Connection c = d.getOrEstablishConnection();
    open = 1;
    return c;
  }

  @Override
  public synchronized void closeConnection() {
    if (delegate != null && delegate.getConnection() != null) {
      // Closes quietly and forgets the connection even when closing it fails.
      delegate.closeConnection();
    }
    open = 0;
  }

  @Override
  public synchronized Connection reestablishConnection()
      throws SQLException, ClassNotFoundException {
    closeConnection();
    return getOrEstablishConnection();
  }

  @Override
  public String toString() {
    return "PgConnectionProvider[" + url + (user != null ? ", user=" + user : "") + "]";
  }
}
