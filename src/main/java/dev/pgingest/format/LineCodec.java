package dev.pgingest.format;

/**
 * A streaming decoder fed one text line at a time; knows nothing of Flink.
 *
 * <p>Implementations keep only the state of the record being assembled, so memory stays constant
 * whatever the file size. A codec instance reads exactly one file, from its first line.
 */
public interface LineCodec<T> {

  /**
   * Decodes one line.
   *
   * @param text the line without its terminator ({@code \n} or {@code \r\n})
   * @param lineNumber 1-based line number in the (decompressed) file
   * @param out receives decoded records and rejects, in input order
   */
  void line(String text, long lineNumber, DecodeSink<T> out);

  /** Called once after the last line, so a codec holding a partial record can emit or reject it. */
  default void end(long lastLineNumber, DecodeSink<T> out) {}
}
