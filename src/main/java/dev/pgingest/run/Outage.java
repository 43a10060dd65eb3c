package dev.pgingest.run;

import dev.pgingest.spec.Options;
import java.util.function.BooleanSupplier;

/**
 * Tells, once a second, whether a run is waiting out a database outage and about when Flink tries
 * again, mirroring the exponential restart strategy the job was given ({@code restart-*}).
 */
final class Outage {
  /** Seconds without new records before the database is probed when no failure is known. */
  private static final int STALL_TICKS = 3;

  private final Options options;
  private long maxRead;
  private int stalled;
  private int failures;
  private long lastFailure;

  Outage(Options options) {
    this.options = options;
  }

  /**
   * @param read records read so far (drops back after a restore, which is no progress)
   * @param failureMillis time of the job's newest task failure, 0 when unknown
   * @param reachable probes the database; called only when the job fails or stalls
   * @return "retry in 8 s (attempt 4 of 10)"-style text while the database is unreachable, else
   *     null
   */
  String check(long read, long failureMillis, BooleanSupplier reachable) {
    if (failureMillis > lastFailure) {
      failures++;
      lastFailure = failureMillis;
    }
    if (read > maxRead) {
      maxRead = read;
      stalled = 0;
      failures = 0;
    } else {
      stalled++;
    }
    if ((failures == 0 && stalled < STALL_TICKS) || reachable.getAsBoolean()) {
      return null;
    }
    if (failures == 0) {
      return "the job retries with backoff";
    }
    long delay =
        Math.min(
            options.restartMaxDelay().toMillis(),
            options.restartDelay().toMillis() << Math.min(30, failures - 1));
    long left = lastFailure + delay - System.currentTimeMillis();
    String attempt = "attempt " + failures + " of " + options.restartAttempts();
    return left > 0
        ? "retry in " + (left + 999) / 1000 + " s (" + attempt + ")"
        : "retrying (" + attempt + ")";
  }
}
