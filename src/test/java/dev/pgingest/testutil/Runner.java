package dev.pgingest.testutil;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The runner jar as a separate process, for tests that kill it as a user's machine would. */
public final class Runner {
  private Runner() {}

  /** Starts {@code command} in the project root, its output (both streams) into {@code log}. */
  public static Process start(List<String> command, Path log) throws Exception {
    return new ProcessBuilder(command)
        .directory(new File("."))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Waits until the count {@code sql} returns reaches {@code target} and returns it; the runner
   * must stay alive meanwhile. Until the run creates its tables the count is 0.
   */
  public static long awaitCount(Process p, Path log, String sql, long target) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError(
            "the runner ended (exit "
                + p.exitValue()
                + ") before the kill:\n"
                + Files.readString(log));
      }
      long count = 0;
      try {
        count = TestPostgres.scalar(sql);
      } catch (SQLException notYet) {
        // The run creates its tables when it starts.
      }
      if (count >= target) {
        return count;
      }
      Thread.sleep(100);
    }
    p.destroyForcibly();
    throw new AssertionError(
        "'" + sql + "' did not reach " + target + " within 90 s:\n" + Files.readString(log));
  }
}
