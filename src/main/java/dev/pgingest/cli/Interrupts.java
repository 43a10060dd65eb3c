package dev.pgingest.cli;

import dev.pgingest.run.IngestRun;
import java.io.PrintStream;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the local runner: the first stops the job with a savepoint so a
 * later run resumes it, the second cancels at once (its last checkpoint still resumes), a third
 * ends the process. Without a job yet, the process ends as usual.
 */
final class Interrupts {
  private final PrintStream err;
  private volatile IngestRun run;
  private int count;

  private Interrupts(PrintStream err) {
    this.err = err;
  }

  /** Takes over SIGINT and SIGTERM for this process. */
  static Interrupts install(PrintStream err) {
    Interrupts i = new Interrupts(err);
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), sig -> i.signal());
      } catch (IllegalArgumentException unsupported) {
        // Not on this platform: the JVM's default handling stays.
      }
    }
    return i;
  }

  void attach(IngestRun run) {
    this.run = run;
  }

  void detach() {
    this.run = null;
  }

  private synchronized void signal() {
    count++;
    IngestRun r = run;
    if (r == null) {
      System.exit(130);
    }
    if (count > 2) {
      Runtime.getRuntime().halt(130);
    }
    if (r.interrupt() == 1) {
      err.println();
      err.println(
          "pgingest: stopping with a savepoint so the run can resume (Ctrl-C again to cancel at once)");
    } else {
      err.println();
      err.println("pgingest: cancelling; the last checkpoint is kept for a resume");
    }
  }
}
