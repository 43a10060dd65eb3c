package dev.pgingest.sink;

/**
 * A record that could not be loaded, bound for the rejects table.
 *
 * @param file source file
 * @param line 1-based line number where the record starts
 * @param reason why it was rejected
 * @param raw the raw text, possibly shortened
 */
public record Reject(String file, long line, String reason, String raw) {

  /** Longest raw text kept: a runaway line must not blow up the rejects table. */
  public static final int MAX_RAW = 8192;

  public Reject {
    if (raw != null && raw.length() > MAX_RAW) {
      raw = raw.substring(0, MAX_RAW);
    }
  }

  /**
   * Not a reject: tells the reject budget that a record was accepted, so that a budget exceeded by
   * input of the wrong kind can say so. Sent once per parsing subtask.
   */
  public static Reject acceptedMarker() {
    return new Reject("", -1, "", null);
  }

  public boolean isAcceptedMarker() {
    return line == -1 && file.isEmpty();
  }

  /** Where and why, for messages: {@code file:line (reason)}. */
  public String where() {
    return file + ":" + line + " (" + reason + ")";
  }
}
