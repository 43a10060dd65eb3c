package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.jdbc.datasource.connections.JdbcConnectionProvider;
import org.junit.jupiter.api.Test;

/**
 * The {@code connectionsInUse} count through the connector's connection life cycle: open, a lost
 * connection replaced, an explicit reconnect, a failed reconnect, close.
 */
class PgConnectionProviderTest {

  @Test
  void countsTheConnectionFromOpenToClose() throws Exception {
    FakeDatabase db = new FakeDatabase();
    PgConnectionProvider p = new PgConnectionProvider(db);
    assertThat(p.openConnections()).isZero();

    Connection first = p.getOrEstablishConnection();
    assertThat(p.openConnections()).isEqualTo(1);
    assertThat(p.getOrEstablishConnection()).isSameAs(first);
    assertThat(p.openConnections()).isEqualTo(1);

    p.closeConnection();
    p.closeConnection();
    assertThat(p.openConnections()).isZero();
    assertThat(db.openNow()).isZero();
  }

  @Test
  void aLostConnectionIsClosedBeforeItsReplacementOpens() throws Exception {
    FakeDatabase db = new FakeDatabase();
    PgConnectionProvider p = new PgConnectionProvider(db);
    p.getOrEstablishConnection();

    db.breakConnections();
    Connection second = p.getOrEstablishConnection();
    assertThat(p.openConnections()).isEqualTo(1);
    assertThat(db.openNow()).as("the lost connection is closed, not left behind").isEqualTo(1);

    assertThat(p.reestablishConnection()).isNotSameAs(second);
    assertThat(p.openConnections()).isEqualTo(1);
    assertThat(db.openNow()).isEqualTo(1);
    assertThat(db.opened).isEqualTo(3);
  }

  @Test
  void aFailedReconnectHoldsNone() throws Exception {
    FakeDatabase db = new FakeDatabase();
    PgConnectionProvider p = new PgConnectionProvider(db);
    p.getOrEstablishConnection();

    db.breakConnections();
    db.down = true;
    assertThatThrownBy(p::reestablishConnection).isInstanceOf(SQLException.class);
    assertThat(p.openConnections()).isZero();
    assertThatThrownBy(p::getOrEstablishConnection).isInstanceOf(SQLException.class);
    assertThat(p.openConnections()).isZero();
    assertThat(db.openNow()).isZero();

    db.down = false;
    p.getOrEstablishConnection();
    assertThat(p.openConnections()).isEqualTo(1);
    assertThat(db.openNow()).isEqualTo(1);
  }

  /**
   * Behaves like the connector's {@code SimpleJdbcConnectionProvider}: one connection, replaced
   * without being closed when it is no longer valid; closing forgets it even when close fails.
   */
  private static final class FakeDatabase implements JdbcConnectionProvider {
    private final List<boolean[]> connections = new ArrayList<>();
    private Connection connection;
    private boolean[] state;
    int opened;
    boolean down;

    /** Connections opened and not closed, whoever holds them. */
    long openNow() {
      return connections.stream().filter(s -> !s[0]).count();
    }

    /** Every open connection stops answering, as after a database restart. */
    void breakConnections() {
      connections.forEach(s -> s[1] = true);
    }

    @Override
    public Connection getConnection() {
      return connection;
    }

    @Override
    public Properties getProperties() {
      return new Properties();
    }

    @Override
    public boolean isConnectionValid() {
      return connection != null && !state[0] && !state[1];
    }

    @Override
    public Connection getOrEstablishConnection() throws SQLException {
      if (isConnectionValid()) {
        return connection;
      }
      if (down) {
        throw new SQLException("connection refused", "08001");
      }
      boolean[] s = new boolean[2]; // closed, broken
      connections.add(s);
      opened++;
      state = s;
      connection =
          (Connection)
              Proxy.newProxyInstance(
                  Connection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (proxy, method, args) -> {
                    switch (method.getName()) {
                      case "close" -> s[0] = true;
                      case "isClosed" -> {
                        return s[0];
                      }
                      case "hashCode" -> {
                        return System.identityHashCode(proxy);
                      }
                      case "equals" -> {
                        return proxy == args[0];
                      }
                      default -> {}
                    }
                    return null;
                  });
      return connection;
    }

    @Override
    public void closeConnection() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // Like the connector's provider: a failed close still forgets the connection.
        }
        connection = null;
      }
    }

    @Override
    public Connection reestablishConnection() throws SQLException {
      closeConnection();
      return getOrEstablishConnection();
    }
  }
}
