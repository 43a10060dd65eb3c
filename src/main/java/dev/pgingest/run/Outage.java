package dev.pgingest.run;

import dev.pgingest.spec.Options;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;

/**
 * Tells, from the job's status once a second, whether the run is waiting out a database outage
 * and about when Flink retries, mirroring the exponential restart strategy the job was given.
 */
final class Outage {
  private final Options options;
  private int restarts;
  private long restartingSince;
  private JobStatus last;

  Outage(Options options) {
    this.options = options;
  }

  /**
   * @param status the job's status now
   * @param progressed whether records were read since the last call
   * @param reachable probes the database; called only while the job is not plainly running
   * @return "retry in 8 s"-style text while the database is unreachable, else null
   */
  String check(JobStatus status, boolean progressed, BooleanSupplier reachable) {
    long now = System.nanoTime();
    if (status == JobStatus.RESTARTING && last != JobStatus.RESTARTING) {
      restarts++;
      restartingSince = now;
    }
    last = status;
    if (progressed && status == JobStatus.RUNNING) {
      restarts = 0;
    }
    if (restarts == 0 || reachable.getAsBoolean()) {
      return null;
    }
    if (status != JobStatus.RESTARTING) {
      return "retrying now (attempt " + restarts + " of " + options.restartAttempts() + ")";
    }
    long delayMs =
        Math.min(
            options.restartMaxDelay().toMillis(),
            options.restartDelay().toMillis() << Math.min(30, restarts - 1));
    long left = Math.max(0, delayMs - (now - restartingSince) / 1_000_000);
    return "retry in " + (left + 999) / 1000 + " s (attempt " + restarts + " of "
        + options.restartAttempts() + ")";
  }
}
