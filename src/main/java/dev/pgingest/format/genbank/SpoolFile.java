package dev.pgingest.format.genbank;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * One spool file of an entry: named and created on the first write, so an entry with no letters or
 * no features has no such file; closed when the entry is kept, deleted when it is rejected.
 */
final class SpoolFile<T extends OutputStream> {

  /** Opens the stream on a new file. */
  interface Opener<T> {
    T open(Path path) throws IOException;
  }

  private final Supplier<Path> name;
  private final Opener<T> opener;
  private Path path;
  private T out;

  SpoolFile(Supplier<Path> name, Opener<T> opener) {
    this.name = name;
    this.opener = opener;
  }

  /** The stream, opened on a new file at the first call. */
  T out() throws IOException {
    if (out == null) {
      path = name.get();
      out = opener.open(path);
    }
    return out;
  }

  /** The file, or null when nothing was written. */
  Path path() {
    return path;
  }

  /** Closes the stream, if open; the file stays. */
  void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }

  /** Closes the stream and deletes the file, if any. */
  void delete() throws IOException {
    try {
      if (out != null) {
        out.close();
      }
      if (path != null) {
        Files.deleteIfExists(path);
      }
    } finally {
      out = null;
      path = null;
    }
  }
}
