package dev.pgingest.format;

/** Where a {@link LineCodec} puts what it decoded: good records and rejected lines. */
public interface DecodeSink<T> {

  /** A decoded record that started on {@code lineNumber}. */
  void record(T value, long lineNumber);

  /** A line (or record starting there) that could not be decoded, with a human-readable reason. */
  void reject(long lineNumber, String reason, String raw);

  /**
   * Whether the record starting at {@code lineNumber} will be kept. A reader restored from a
   * checkpoint re-reads a file and drops the records it had already emitted; a codec with costly
   * side work per record (spooling a sequence to disk) asks first and skips that work. The codec
   * must still emit the record or its reject, so that positions stay the same.
   */
  default boolean keeps(long lineNumber) {
    return true;
  }
}
