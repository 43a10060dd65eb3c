package dev.pgingest.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Decodes one record again from its file, by the line it starts on: what remakes a record's side
 * files (a spooled sequence) when a failover restored the record but not the local disk it was
 * spooled to. Reads the file from its start (gzip cannot seek), so it is for rare recoveries only.
 */
public final class RecordRedecoder {
  private RecordRedecoder() {}

  /**
   * The record of {@code file} starting at {@code line}, decoded by a fresh codec from {@code
   * codecs}; every other record is told it will not be kept, so it costs no side work.
   *
   * @throws IOException when the file cannot be read, or no longer has a record at that line
   */
  public static <T> T at(CodecFactory<T> codecs, String file, long line) throws IOException {
    LineCodec<T> codec = codecs.forFile(file);
    Path path = new Path(file);
    Found<T> found = new Found<>(line);
    try (InputStream stored = path.getFileSystem().open(path);
        InputStream in = file.endsWith(".gz") ? new GZIPInputStream(stored, 1 << 16) : stored) {
      LineReader lines = new LineReader(in);
      while (found.value == null && found.error == null) {
        LineReader.Kind kind = lines.next();
        if (kind == LineReader.Kind.EOF) {
          codec.end(lines.lineNumber(), found);
          break;
        }
        if (kind == LineReader.Kind.LINE) {
          codec.line(lines.text(), lines.lineNumber(), found);
        }
      }
    }
    if (found.value == null) {
      throw new IOException(
          file
              + " no longer has a record at line "
              + line
              + (found.error == null ? "" : ": " + found.error));
    }
    return found.value;
  }

  /** Keeps only the record starting at the wanted line. */
  private static final class Found<T> implements DecodeSink<T> {
    private final long line;
    private T value;
    private String error;

    Found(long line) {
      this.line = line;
    }

    @Override
    public void record(T v, long lineNumber) {
      if (lineNumber == line) {
        value = v;
      }
    }

    @Override
    public void reject(long lineNumber, String reason, String raw) {
      if (lineNumber == line) {
        error = reason;
      }
    }

    @Override
    public boolean keeps(long lineNumber) {
      return lineNumber == line;
    }
  }
}
