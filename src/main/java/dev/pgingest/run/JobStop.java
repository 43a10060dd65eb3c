package dev.pgingest.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;

/** Stops a run's job from another thread (Ctrl-C, a test), with a savepoint or at once. */
final class JobStop {
  private final CompletableFuture<JobClient> submitted = new CompletableFuture<>();
  private final AtomicInteger interrupts = new AtomicInteger();
  private final Supplier<Path> runDir;
  private volatile CompletableFuture<String> savepoint;
  private volatile boolean cancelled;

  /**
   * @param runDir the run's folder for savepoints, null while unknown or when it keeps none
   */
  JobStop(Supplier<Path> runDir) {
    this.runDir = runDir;
  }

  /** The job is running: stops asked before it was submitted go to it now, later ones at once. */
  void submitted(JobClient client) {
    submitted.complete(client);
  }

  /** Completes with the savepoint's path. */
  CompletableFuture<String> withSavepoint() {
    CompletableFuture<String> sp =
        submitted.thenCompose(
            c -> c.stopWithSavepoint(false, savepointDir(), SavepointFormatType.CANONICAL));
    savepoint = sp;
    return sp;
  }

  void cancel() {
    cancelled = true;
    submitted.thenAccept(JobClient::cancel);
  }

  /** The first stops with a savepoint, the second cancels. Returns how many so far. */
  int interrupt() {
    int n = interrupts.incrementAndGet();
    if (n == 1) {
      withSavepoint();
    } else {
      cancel();
    }
    return n;
  }

  /** Whether any stop was asked, which makes a failed job an interrupted run. */
  boolean asked() {
    return savepoint != null || cancelled;
  }

  /** The path of the savepoint a stop produced, or null when none was asked or it failed. */
  String savepointPath() {
    if (savepoint == null) {
      return null;
    }
    try {
      return savepoint.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The stop did not produce a savepoint (e.g. the job had ended or failed first).
      return null;
    }
  }

  private String savepointDir() {
    Path dir = runDir.get();
    if (dir != null) {
      return dir.resolve("savepoints").toUri().toString();
    }
    try {
      return Files.createTempDirectory("pgingest-savepoints").toUri().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
