package dev.pgingest.graph;

/** The run rejected more records than its spec allows; the message is the one sentence to show. */
public final class RejectBudgetExceeded extends RuntimeException {
  public RejectBudgetExceeded(String message) {
    super(message);
  }
}
