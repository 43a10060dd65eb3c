package dev.pgingest.run;

import dev.pgingest.sink.Database;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The session holding a run's advisory lock ({@link RunLog#lock}) for as long as its runner lives.
 * A database restart ends that session and with it the lock; the runner takes it again once the
 * database is back, so another runner never mistakes a live run for a dead one for long.
 */
final class RunLock implements AutoCloseable {
  private final Database db;
  private final RunLog log;
  private final long runId;
  private Connection session;

  RunLock(Database db, RunLog log, long runId, Connection session) {
    this.db = db;
    this.log = log;
    this.runId = runId;
    this.session = session;
  }

  /** A live session that holds the lock, reconnecting and locking again when it was lost. */
  Connection session() throws SQLException {
    if (session != null && session.isValid(2)) {
      return session;
    }
    close();
    Connection c = db.connect(2);
    if (!log.lock(c, runId)) {
      c.close();
      throw new SQLException("the lock of run " + runId + " is held by another session");
    }
    session = c;
    return c;
  }

  @Override
  public void close() {
    if (session != null) {
      try {
        session.close();
      } catch (SQLException ignored) {
        // Closing the session releases the lock; a dead session released it already.
      }
      session = null;
    }
  }
}
