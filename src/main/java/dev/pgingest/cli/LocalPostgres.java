package dev.pgingest.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default database: PostgreSQL from Maven Central binaries, data kept between runs.
 *
 * <p>zonky starts PostgreSQL with {@code fsync} and {@code synchronous_commit} off; both are turned
 * back on, or a crash could lose committed rows and every speed figure would flatter us.
 */
public final class LocalPostgres implements AutoCloseable {
  /** Preferred port, so the printed JDBC URL stays the same from run to run. */
  public static final int DEFAULT_PORT = 54329;

  private final EmbeddedPostgres pg;

  private LocalPostgres(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** Starts (initializing on first use) a server over {@code dataDir}. */
  public static LocalPostgres start(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    stopOrphan(dataDir);
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(freePort(DEFAULT_PORT))
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("max_wal_size", "4GB")
            .start();
    return new LocalPostgres(pg);
  }

  /** JDBC URL of the {@code postgres} database as user {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
  }

  /**
   * A runner killed with {@code kill -9} leaves its PostgreSQL running over the data folder; a new
   * server cannot start there until it is gone. Its clients died with the runner, so a smart
   * shutdown (SIGTERM) ends it at once, cleanly, with nothing lost.
   */
  private static void stopOrphan(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (server.isEmpty()
        || !server.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
      return;
    }
    server.get().destroy();
    try {
      server.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(
          "PostgreSQL (pid " + pid + ") left running over " + dataDir + " did not stop", e);
    }
  }

  private static int freePort(int preferred) throws IOException {
    try (ServerSocket s = new ServerSocket(preferred)) {
      return preferred;
    } catch (IOException busy) {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
