package dev.pgingest.run;

/** A run that could not start or did not succeed; the message is one sentence for the user. */
public class RunFailure extends RuntimeException {
  public RunFailure(String message) {
    super(message);
  }

  public RunFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
