package dev.pgingest.run;

/** A run stopped on request (Ctrl-C, a stop with savepoint, a cancel) that a later run resumes. */
public final class RunInterrupted extends RunFailure {
  private final long runId;
  private final String restorePath;

  public RunInterrupted(String message, long runId, String restorePath) {
    super(message);
    this.runId = runId;
    this.restorePath = restorePath;
  }

  public long runId() {
    return runId;
  }

  /** The savepoint or checkpoint a resume starts from, or null when there is none yet. */
  public String restorePath() {
    return restorePath;
  }
}
