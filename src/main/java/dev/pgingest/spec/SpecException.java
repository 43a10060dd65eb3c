package dev.pgingest.spec;

/** A job spec that cannot be run; the message is one sentence naming the offending key. */
public class SpecException extends RuntimeException {
  public SpecException(String message) {
    super(message);
  }
}
