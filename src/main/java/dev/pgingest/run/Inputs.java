package dev.pgingest.run;

import dev.pgingest.spec.SourceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.flink.connector.file.src.enumerate.DefaultFileFilter;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Lists the files a job's {@code FileSource} will read, before the job starts, so that a missing or
 * empty input fails with one sentence instead of a job that reads nothing.
 */
public final class Inputs {

  /**
   * The filter the {@code FileSource}'s default enumerator applies to every path it meets, the
   * given ones included: names starting with '.' or '_' are skipped.
   */
  private static final Predicate<Path> VISIBLE = new DefaultFileFilter();

  /**
   * One file the job will read.
   *
   * @param path as the reader names it in rejects and messages: a local file as a plain absolute
   *     path, any other file system's file as a URI ({@code s3://bucket/key})
   * @param size bytes as stored (compressed for {@code .gz})
   * @param modified last modification, milliseconds since the epoch
   */
  public record InputFile(String path, long size, long modified) implements Serializable {}

  private Inputs() {}

  /**
   * Expands files and folders (local or any Flink file system URI) into the files they hold,
   * recursively and without hidden ones, as the job's {@code FileSource} does; each given path's
   * files in path order, the given paths in the order given.
   *
   * @throws RunFailure with one sentence when there is no input, an input does not exist, is
   *     hidden, or is a folder holding no input files
   */
  public static List<InputFile> list(List<String> paths) {
    if (paths.isEmpty()) {
      throw new RunFailure(
          "No input: the spec's key 'source.paths' is empty and no --input was given.");
    }
    List<InputFile> files = new ArrayList<>();
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem();
        if (!fs.exists(path)) {
          throw new RunFailure("Input not found: " + p + ".");
        }
        FileStatus status = fs.getFileStatus(path);
        if (!VISIBLE.test(status.getPath())) {
          throw new RunFailure(
              "Input "
                  + p
                  + " would not be read: names starting with '.' or '_' mark hidden files.");
        }
        List<InputFile> found = new ArrayList<>();
        int hidden = collect(fs, status, found);
        if (found.isEmpty()) {
          throw new RunFailure(
              "No input files in "
                  + p
                  + (hidden == 0
                      ? ": the folder is empty."
                      : ": the folder holds only hidden files (names starting with '.' or '_')."));
        }
        files.addAll(found);
      } catch (IOException e) {
        throw new RunFailure("Cannot read input " + p + ": " + IngestRun.oneLine(e) + ".", e);
      }
    }
    return List.copyOf(files);
  }

  /** Adds the visible files at or below {@code status}; returns how many hidden entries it met. */
  private static int collect(FileSystem fs, FileStatus status, List<InputFile> out)
      throws IOException {
    if (!status.isDir()) {
      out.add(
          new InputFile(
              displayName(status.getPath()), status.getLen(), status.getModificationTime()));
      return 0;
    }
    FileStatus[] children = fs.listStatus(status.getPath());
    if (children == null) {
      return 0;
    }
    // Listing order is the file system's; sorted, the listing reads the same on every run.
    Arrays.sort(children, Comparator.comparing(c -> c.getPath().toString()));
    int hidden = 0;
    for (FileStatus child : children) {
      if (VISIBLE.test(child.getPath())) {
        hidden += collect(fs, child, out);
      } else {
        hidden++;
      }
    }
    return hidden;
  }

  /**
   * The reader's name for a file, as {@code CodecFileFormat.displayName} gives it: local files
   * without {@code file:}, as users type them.
   */
  static String displayName(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme == null || scheme.equals("file") ? path.toUri().getPath() : path.toString();
  }

  /**
   * How the reason of a file's reject starts when no source recognized the file: one reject for the
   * whole file, written before the job reads anything, which the reject ratio leaves out (it is
   * about the records read).
   */
  static final String UNRECOGNIZED = "no source of the job recognizes this file by its content";

  /** How many bytes of a file, decompressed, a source sees to recognize it. */
  public static final int HEAD_BYTES = 64 * 1024;

  /** Whether a source recognizes a file by its path and first bytes. */
  @FunctionalInterface
  public interface Recognizer {
    boolean recognizes(SourceSpec source, String path, byte[] head);
  }

  /**
   * The files of every source that its pipeline reads, and those it leaves aside.
   *
   * @param files every file read, once, in source order
   * @param ignored files no source reads, by their names
   * @param bySource each source's name → the paths of the files it reads
   * @param unrecognized files shared by content ({@link SourceSpec#byContent()}) that no source
   *     recognized: each is one reject of the run
   * @param tried the sources those files were offered to, as "name (format)", in spec order
   */
  public record Listing(
      List<InputFile> files,
      List<String> ignored,
      Map<String, List<String>> bySource,
      List<String> unrecognized,
      List<String> tried) {

    public Listing(
        List<InputFile> files, List<String> ignored, Map<String, List<String>> bySource) {
      this(files, ignored, bySource, List.of(), List.of());
    }

    /** The reason of an unrecognized file's reject. */
    public String unrecognizedReason() {
      return UNRECOGNIZED
          + " (tried "
          + String.join(", ", tried)
          + "); name its source with --input SOURCE=PATH";
    }

    /**
     * Each source with only those of its files that are in {@code keep} (the run's list, after the
     * ledger skipped unchanged ones), from this listing, so folders are not listed again. A source
     * left with none keeps an empty list; it is not read.
     */
    public List<SourceSpec> narrow(List<SourceSpec> sources, List<String> keep) {
      Set<String> kept = new HashSet<>(keep);
      List<SourceSpec> out = new ArrayList<>();
      for (SourceSpec s : sources) {
        out.add(s.withPaths(bySource.get(s.name()).stream().filter(kept::contains).toList()));
      }
      return out;
    }
  }

  /**
   * Lists every source's paths, leaving aside files whose names say their format is none the source
   * reads (a README beside CSV dumps): one note for them beats a reject per file.
   */
  public static Listing list(List<SourceSpec> sources, BiPredicate<SourceSpec, String> reads) {
    return list(sources, reads, (s, p, h) -> reads.test(s, p));
  }

  /**
   * Lists every source's own paths as {@link #list(List, BiPredicate)} does, then the paths shared
   * by content: each of their files goes to the first source, in spec order, that {@code
   * recognizes} its first {@link #HEAD_BYTES} bytes. A file none recognizes is left aside without a
   * reject when no source reads its name either (a README in the folder), else it is {@link
   * Listing#unrecognized}.
   */
  public static Listing list(
      List<SourceSpec> sources, BiPredicate<SourceSpec, String> reads, Recognizer recognizer) {
    List<InputFile> files = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, List<String>> bySource = new HashMap<>();
    Set<String> seen = new HashSet<>();
    List<SourceSpec> sharing = sources.stream().filter(s -> !s.byContent().isEmpty()).toList();
    for (SourceSpec s : sources) {
      List<String> mine = new ArrayList<>();
      bySource.put(s.name(), mine);
      if (s.paths().isEmpty() && anyInput(sources)) {
        // Inputs given to other sources (--input OTHER=PATH) or shared by content only.
        continue;
      }
      for (InputFile f : list(s.paths())) {
        if (!reads.test(s, f.path())) {
          ignored.add(f.path());
          continue;
        }
        mine.add(f.path());
        if (seen.add(f.path())) {
          files.add(f);
        }
      }
    }
    List<String> unrecognized = new ArrayList<>();
    if (!sharing.isEmpty()) {
      for (InputFile f : list(sharing.get(0).byContent())) {
        byte[] head = head(f.path());
        SourceSpec first =
            sharing.stream()
                .filter(s -> recognizer.recognizes(s, f.path(), head))
                .findFirst()
                .orElse(null);
        if (first != null) {
          bySource.get(first.name()).add(f.path());
          if (seen.add(f.path())) {
            files.add(f);
          }
        } else if (sharing.stream().anyMatch(s -> reads.test(s, f.path()))) {
          unrecognized.add(f.path());
        } else {
          ignored.add(f.path());
        }
      }
    }
    List<String> tried = sharing.stream().map(s -> s.name() + " (" + s.format() + ")").toList();
    return new Listing(files, ignored, bySource, unrecognized, tried);
  }

  private static boolean anyInput(List<SourceSpec> sources) {
    return sources.stream().anyMatch(s -> !s.paths().isEmpty() || !s.byContent().isEmpty());
  }

  /**
   * The first {@link #HEAD_BYTES} bytes of a file, decompressed when its name ends in {@code .gz};
   * fewer for a shorter file, none for one that cannot be read (its reader says why, if it gets
   * it).
   */
  static byte[] head(String file) {
    Path path = new Path(file);
    try (InputStream raw = path.getFileSystem().open(path);
        InputStream in =
            file.toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return in.readNBytes(HEAD_BYTES);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
