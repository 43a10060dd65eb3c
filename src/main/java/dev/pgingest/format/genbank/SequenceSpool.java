package dev.pgingest.format.genbank;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an entry's sequence letters to a gzip FASTA body file ({@code <uuid>-<n>.seq.gz}, {@value
 * #FASTA_WIDTH} letters a line, no header), created on the first letters.
 */
final class SequenceSpool {

  /** Letters per line of the spooled FASTA body. */
  private static final int FASTA_WIDTH = 70;

  private final SpoolFile<OutputStream> file;
  private int column;

  /** {@code name} names the file when the first letters come. */
  SequenceSpool(Supplier<Path> name) {
    this.file =
        new SpoolFile<>(
            name, path -> new BufferedOutputStream(new FastGzip(Files.newOutputStream(path))));
  }

  void write(byte[] letters, int count) {
    try {
      OutputStream out = file.out();
      int i = 0;
      while (i < count) {
        int take = Math.min(count - i, FASTA_WIDTH - column);
        out.write(letters, i, take);
        i += take;
        column += take;
        if (column == FASTA_WIDTH) {
          out.write('\n');
          column = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sequence spool " + file.path(), e);
    }
  }

  /** The file written, or null when there were no letters. */
  Path path() {
    return file.path();
  }

  /** Ends the last line and closes the file, if any. */
  void close() throws IOException {
    if (column > 0) {
      // Only letters make column > 0, so the file is open.
      file.out().write('\n');
      column = 0;
    }
    file.close();
  }

  void delete() throws IOException {
    file.delete();
  }

  /** Gzip at the fastest level: spooling must not be slower than parsing. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
