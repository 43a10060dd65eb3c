package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.testutil.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's provider against a real PostgreSQL whose backends the test terminates ({@code
 * pg_terminate_backend}, as a server restart or an administrator does): it hands out one working
 * connection, replaces one the server dropped, never holds two server sessions, and its {@code
 * connectionsInUse} count follows what it holds.
 */
class PgConnectionProviderTest {

  /** A role of the test's own: its sessions in {@code pg_stat_activity} are the provider's. */
  private String role;

  private PgConnectionProvider provider;

  @BeforeEach
  void role() throws SQLException {
    role = TestPostgres.freshSchema("pcp");
    admin("CREATE ROLE " + role + " LOGIN");
    String url =
        "jdbc:postgresql://127.0.0.1:"
            + TestPostgres.server().getPort()
            + "/postgres?user="
            + role
            + "&ApplicationName="
            + role;
    provider = new PgConnectionProvider(url, null);
  }

  @AfterEach
  void dropRole() throws Exception {
    provider.closeConnection();
    admin("ALTER ROLE " + role + " LOGIN");
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    awaitSessions(0);
    admin("DROP ROLE " + role);
  }

  @Test
  void holdsOneSessionFromOpenToClose() throws Exception {
    assertThat(provider.openConnections()).isZero();

    Connection first = provider.getOrEstablishConnection();
    assertThat(provider.openConnections()).isEqualTo(1);
    assertThat(backendPid(first)).isEqualTo(onlySession());
    assertThat(provider.getOrEstablishConnection()).isSameAs(first);
    assertThat(provider.openConnections()).isEqualTo(1);

    provider.closeConnection();
    provider.closeConnection();
    assertThat(provider.openConnections()).isZero();
    assertThat(first.isClosed()).isTrue();
    awaitSessions(0);
  }

  @Test
  void aTerminatedSessionIsReplacedAndAReconnectNeverHoldsTwo() throws Exception {
    Connection first = provider.getOrEstablishConnection();
    long firstPid = backendPid(first);
    terminateSessions();
    assertThat(provider.isConnectionValid()).as("valid after its backend was terminated").isFalse();

    // pgjdbc closes a connection itself once its backend sent FATAL, so whether the provider
    // closes the lost one too is not visible here; the reconnect below shows it never holds two.
    Connection second = provider.getOrEstablishConnection();
    assertThat(second).isNotSameAs(first);
    long secondPid = backendPid(second);
    assertThat(secondPid).isNotEqualTo(firstPid);
    assertThat(onlySession()).isEqualTo(secondPid);
    assertThat(provider.openConnections()).isEqualTo(1);

    // An explicit reconnect of a healthy connection: the old session ends, only the new one stays.
    Connection third = provider.reestablishConnection();
    assertThat(third).isNotSameAs(second);
    assertThat(second.isClosed()).isTrue();
    long thirdPid = backendPid(third);
    assertThat(thirdPid).isNotEqualTo(secondPid);
    awaitSessions(1);
    assertThat(onlySession()).isEqualTo(thirdPid);
    assertThat(provider.openConnections()).isEqualTo(1);
  }

  @Test
  void aFailedReconnectHoldsNoneAndALaterOneWorks() throws Exception {
    provider.getOrEstablishConnection();
    // The server takes the session away and refuses new ones for a while.
    admin("ALTER ROLE " + role + " NOLOGIN");
    terminateSessions();

    assertThatThrownBy(provider::reestablishConnection)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("not permitted to log in");
    assertThat(provider.openConnections()).isZero();
    assertThat(provider.getConnection()).isNull();
    assertThatThrownBy(provider::getOrEstablishConnection).isInstanceOf(SQLException.class);
    assertThat(provider.openConnections()).isZero();
    awaitSessions(0);

    admin("ALTER ROLE " + role + " LOGIN");
    Connection back = provider.getOrEstablishConnection();
    assertThat(provider.openConnections()).isEqualTo(1);
    assertThat(onlySession()).isEqualTo(backendPid(back));
  }

  private static long backendPid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long sessions() throws SQLException {
    return TestPostgres.scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'");
  }

  /** The pid of the role's single session; fails when it has none or several. */
  private long onlySession() throws SQLException {
    assertThat(sessions()).as("server sessions of %s", role).isEqualTo(1);
    return TestPostgres.scalar("SELECT pid FROM pg_stat_activity WHERE usename = '" + role + "'");
  }

  /** Terminates the role's sessions and waits until the server has ended them. */
  private void terminateSessions() throws Exception {
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    awaitSessions(0);
  }

  /** A backend leaves pg_stat_activity shortly after its client closed: waits up to 5 s. */
  private void awaitSessions(long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sessions() != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sessions()).as("server sessions of %s", role).isEqualTo(n);
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = TestPostgres.connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
