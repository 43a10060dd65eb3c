package dev.pgingest.format;

/**
 * One item read from a source file: either a decoded value or a reject, always with its origin.
 *
 * @param file the file's path or URI as given to the source
 * @param line 1-based line number where the record starts
 * @param value the decoded value, {@code null} for a reject
 * @param error why the line was rejected, {@code null} for a value
 * @param raw the raw text of a rejected line, {@code null} for a value
 * @param inputBytes bytes of the file as stored (compressed for .gz) consumed since the previous
 *     item, so downstream can show progress against file sizes
 */
public record Decoded<T>(
    String file, long line, T value, String error, String raw, long inputBytes) {

  public boolean isReject() {
    return error != null;
  }
}
