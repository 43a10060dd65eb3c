package dev.pgingest.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints and savepoints a local run keeps under its own folder ({@code
 * checkpoints/run-N-TOKEN/<flink job>/chk-M} and {@code …/savepoints/savepoint-…}), so a later run
 * finds the newest one to resume from without asking any Flink cluster.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** A completed checkpoint or savepoint: its folder as a URI and how to name it to a user. */
  public record RestorePoint(String path, String label) {}

  /**
   * The folder of one run's checkpoints and savepoints below {@code base}, named by its id and its
   * token ({@code ingest_runs.run_token}), which no other run of any database shares.
   */
  public static Path runDir(Path base, RunLog.Row run) {
    String token = run.token() == null ? "untokened" : run.token();
    return base.resolve(
        "run-" + run.runId() + "-" + token.substring(0, Math.min(12, token.length())));
  }

  /** The newest complete restore point below {@code runDir} (one with its {@code _metadata}). */
  public static Optional<RestorePoint> newest(Path runDir) {
    if (!Files.isDirectory(runDir)) {
      return Optional.empty();
    }
    try (Stream<Path> all = Files.walk(runDir, 3)) {
      return all.filter(p -> p.getFileName().toString().equals("_metadata"))
          .filter(p -> isPoint(p.getParent()))
          .max(Comparator.comparing(Checkpoints::modified))
          .map(p -> new RestorePoint(p.getParent().toUri().toString(), label(p.getParent())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isPoint(Path dir) {
    String name = dir.getFileName().toString();
    return name.startsWith("chk-") || name.startsWith("savepoint-");
  }

  private static String label(Path dir) {
    String name = dir.getFileName().toString();
    return name.startsWith("chk-") ? "checkpoint " + name.substring(4) : "its savepoint";
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** Deletes a folder and all below it (a run's checkpoints, a dead runner's temp files). */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leftovers cost disk space only; a later successful run tries again.
    }
  }
}
