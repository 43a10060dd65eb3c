package dev.pgingest.testutil;

import dev.pgingest.sink.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * An embedded PostgreSQL of one test's own that can be stopped and started again on the same data
 * directory and port, so clients see an outage and then the same database back.
 */
public final class RestartablePostgres implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres pg;

  private RestartablePostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  /** Initializes a server in {@code dataDir} on a free port and starts it. */
  public static RestartablePostgres start(Path dataDir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RestartablePostgres r = new RestartablePostgres(dataDir, port);
    r.startAgain();
    return r;
  }

  /** Starts the server over the data directory it had; a no-op while it runs. */
  public synchronized void startAgain() throws IOException {
    if (pg != null) {
      return;
    }
    pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("max_connections", "100")
            // As the runner's own database: a stop then loses nothing a client saw committed.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .start();
  }

  /** Stops the server (pg_ctl stop, fast mode: open connections are cut). */
  public synchronized void stop() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  public String url() {
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/postgres?user=postgres&reWriteBatchedInserts=true";
  }

  public Database database() {
    return new Database(url(), null, null);
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
