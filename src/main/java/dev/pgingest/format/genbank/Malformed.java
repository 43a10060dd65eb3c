package dev.pgingest.format.genbank;

/** A malformed entry, with the reason that names the line at fault; the codec rejects it whole. */
final class Malformed extends Exception {

  /** Reasons quote at most this much of the offending text; the raw line is kept in full. */
  private static final int MAX_QUOTED = 60;

  Malformed(long line, String what) {
    // No stack trace: a reject is an expected outcome, and a bad file can have many.
    super("line " + line + ": " + what, null, false, false);
  }

  /** {@code text} cut to {@link #MAX_QUOTED} characters for a reason. */
  static String quoted(String text) {
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
  }
}
