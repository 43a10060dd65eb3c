package dev.pgingest.format.genbank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The folder a codec spools its entries' sequences and features to, and the files' names: one
 * random UUID per codec and a counter per entry ({@code <uuid>-<n>.seq.gz}, {@code
 * <uuid>-<n>.features}).
 */
final class SpoolFolder {

  private final Path dir;
  private String prefix;
  private long count;

  SpoolFolder(Path dir) {
    this.dir = dir;
  }

  /** The spool files of the entry whose LOCUS is at {@code locusLine}; none exists yet. */
  Entry entry(long locusLine) {
    return new Entry(locusLine);
  }

  private String newName() {
    // One random UUID per codec and a counter: a UUID per entry read SecureRandom every time.
    if (prefix == null) {
      prefix = UUID.randomUUID().toString();
    }
    return prefix + "-" + (count++);
  }

  /**
   * One entry's files, named on the first write to either, so an entry that writes none takes no
   * number; closed when the entry is kept, deleted when it is rejected.
   */
  final class Entry {

    private final long locusLine;
    private String name;
    private final FeatureSpool.Writer features = new FeatureSpool.Writer(() -> file(".features"));
    private final SequenceSpool sequence = new SequenceSpool(() -> file(".seq.gz"));

    private Entry(long locusLine) {
      this.locusLine = locusLine;
    }

    private Path file(String suffix) {
      if (name == null) {
        name = newName();
      }
      return dir.resolve(name + suffix);
    }

    FeatureSpool.Writer features() {
      return features;
    }

    SequenceSpool sequence() {
      return sequence;
    }

    /** The sequence file's absolute path, or null when none was written. */
    String sequencePath() {
      return absolute(sequence.path());
    }

    /** The feature file's absolute path, or null when none was written. */
    String featurePath() {
      return absolute(features.path());
    }

    void close() {
      try {
        sequence.close();
        features.close();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot close spool files of the entry at line " + locusLine, e);
      }
    }

    void delete() {
      try {
        sequence.delete();
        features.delete();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot delete spool files of the entry at line " + locusLine, e);
      }
    }
  }

  private static String absolute(Path path) {
    return path == null ? null : path.toAbsolutePath().toString();
  }
}
