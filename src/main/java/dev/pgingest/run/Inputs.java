package dev.pgingest.run;

import dev.pgingest.spec.SourceSpec;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
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
   * The files of every source that its pipeline reads, and those it leaves aside.
   *
   * @param files every file read, once, in source order
   * @param ignored files no source reads
   * @param bySource each source's name → the paths of the files it reads
   */
  public record Listing(
      List<InputFile> files, List<String> ignored, Map<String, List<String>> bySource) {

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
    List<InputFile> files = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    Map<String, List<String>> bySource = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (SourceSpec s : sources) {
      List<String> mine = new ArrayList<>();
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
      bySource.put(s.name(), mine);
    }
    return new Listing(files, ignored, bySource);
  }
}
