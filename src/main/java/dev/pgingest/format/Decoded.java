package dev.pgingest.format;

import java.io.Serializable;

/**
 * One item read from a source file: a value, a reject or the file's end, always with its origin.
 *
 * @param file the file's path or URI as given to the source
 * @param line 1-based line number where the record starts; for a file end, the number of complete
 *     lines read
 * @param value the decoded value, {@code null} for a reject or a file end
 * @param error why the line was rejected, {@code null} for a value or a file end
 * @param raw the raw text of a rejected line, {@code null} for a value or a file end
 * @param inputBytes bytes of the file as stored (compressed for .gz) consumed since the previous
 *     item, so downstream can show progress against file sizes
 * @param end the file's totals on the last item of every file, {@code null} on all other items
 */
public record Decoded<T>(
    String file, long line, T value, String error, String raw, long inputBytes, FileEnd end) {

  /**
   * Totals of one file, carried by the item that follows all of its records and rejects.
   *
   * @param items records and rejects emitted for the file before this item
   * @param sha256 lowercase hex SHA-256 of the bytes read from storage (compressed for .gz); the
   *     whole file unless it vanished while being read
   * @param storedBytes bytes read from storage
   * @param fault why the file could not be read to its end, {@code null} for a clean file
   */
  public record FileEnd(long items, String sha256, long storedBytes, String fault)
      implements Serializable {

    /** One line of text: items, hash, bytes and fault, NUL-separated (state and end counts). */
    public String encode() {
      return String.join(
          "\u0000",
          String.valueOf(items),
          sha256 == null ? "" : sha256,
          String.valueOf(storedBytes),
          fault == null ? "" : fault);
    }

    /** The end {@link #encode} wrote. */
    public static FileEnd decode(String encoded) {
      String[] f = encoded.split("\u0000", -1);
      return new FileEnd(
          Long.parseLong(f[0]),
          f[1].isEmpty() ? null : f[1],
          Long.parseLong(f[2]),
          f[3].isEmpty() ? null : f[3]);
    }
  }

  /** A decoded value that started on {@code line}. */
  public static <T> Decoded<T> value(String file, long line, T value, long inputBytes) {
    return new Decoded<>(file, line, value, null, null, inputBytes, null);
  }

  /** A line (or record starting there) that could not be decoded. */
  public static <T> Decoded<T> reject(
      String file, long line, String error, String raw, long inputBytes) {
    return new Decoded<>(file, line, null, error, raw, inputBytes, null);
  }

  /** The last item of a file, after all of its records and rejects. */
  public static <T> Decoded<T> fileEnd(String file, long line, FileEnd end, long inputBytes) {
    return new Decoded<>(file, line, null, null, null, inputBytes, end);
  }

  /** True for a rejected line or record; a file end is not a reject, even of a damaged file. */
  public boolean isReject() {
    return error != null;
  }

  /** True for the last item of a file, which carries its totals and no value. */
  public boolean isFileEnd() {
    return end != null;
  }
}
