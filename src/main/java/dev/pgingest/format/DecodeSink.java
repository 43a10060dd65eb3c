package dev.pgingest.format;

/** Where a {@link LineCodec} puts what it decoded: good records and rejected lines. */
public interface DecodeSink<T> {

  /** A decoded record that started on {@code lineNumber}. */
  void record(T value, long lineNumber);

  /** A line (or record starting there) that could not be decoded, with a human-readable reason. */
  void reject(long lineNumber, String reason, String raw);
}
