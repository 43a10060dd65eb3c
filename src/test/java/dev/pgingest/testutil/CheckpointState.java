package dev.pgingest.testutil;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.state.OperatorStateHandle;

/**
 * What a completed checkpoint or savepoint on disk holds, read from its {@code _metadata} as Flink
 * restores it; and waits for checkpoints by their files, not by the clock.
 */
public final class CheckpointState {
  private CheckpointState() {}

  /**
   * The sum over all operators and subtasks of the {@code Long} elements of operator list state
   * {@code stateName}, e.g. {@code count-read}, the records an {@code ExactCounter} named {@code
   * read} had counted when the point was taken.
   *
   * @param point the point's folder (the one holding {@code _metadata}), as a path or file URI
   */
  public static long sumOfLongListState(String point, String stateName) throws IOException {
    Path dir = point.startsWith("file:") ? Path.of(URI.create(point)) : Path.of(point);
    CheckpointMetadata metadata;
    try (InputStream in = Files.newInputStream(dir.resolve("_metadata"))) {
      metadata =
          Checkpoints.loadCheckpointMetadata(
              new DataInputStream(in),
              CheckpointState.class.getClassLoader(),
              dir.toUri().toString());
    }
    long sum = 0;
    int found = 0;
    for (OperatorState op : metadata.getOperatorStates()) {
      for (OperatorSubtaskState subtask : op.getStates()) {
        for (OperatorStateHandle h : subtask.getManagedOperatorState()) {
          OperatorStateHandle.StateMetaInfo info =
              h.getStateNameToPartitionOffsets().get(stateName);
          if (info == null) {
            continue;
          }
          try (FSDataInputStream s = h.openInputStream()) {
            DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(s);
            for (long offset : info.getOffsets()) {
              // Each element starts at its offset, written by LongSerializer: 8 bytes.
              s.seek(offset);
              sum += view.readLong();
              found++;
            }
          }
        }
      }
    }
    if (found == 0) {
      throw new AssertionError("no operator list state '" + stateName + "' in " + dir);
    }
    return sum;
  }

  /** Folders {@code chk-N} below {@code base} (any depth up to 6), complete or not. */
  public static List<Path> checkpointDirs(Path base) throws IOException {
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(base, 6)) {
      return all.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .toList();
    } catch (java.io.UncheckedIOException e) {
      // A folder subsumed while walked: the caller polls again.
      return List.of();
    }
  }

  /** The number of a {@code chk-N} folder. */
  public static long number(Path chk) {
    return Long.parseLong(chk.getFileName().toString().substring(4));
  }

  /**
   * The highest checkpoint number started below {@code base}: Flink makes {@code chk-N} when it
   * triggers checkpoint N and writes {@code _metadata} into it when N completes.
   */
  public static OptionalLong highestStarted(Path base) throws IOException {
    return checkpointDirs(base).stream().mapToLong(CheckpointState::number).max();
  }

  /** The highest completed checkpoint below {@code base} (its {@code _metadata} is there). */
  public static OptionalLong highestCompleted(Path base) throws IOException {
    return checkpointDirs(base).stream()
        .filter(p -> Files.exists(p.resolve("_metadata")))
        .mapToLong(CheckpointState::number)
        .max();
  }

  /** The newest complete {@code chk-N} folder below {@code base}, by number. */
  public static Path newestCompleted(Path base) throws IOException {
    return checkpointDirs(base).stream()
        .filter(p -> Files.exists(p.resolve("_metadata")))
        .max(Comparator.comparingLong(CheckpointState::number))
        .orElseThrow(() -> new AssertionError("no completed checkpoint below " + base));
  }

  /**
   * Waits until a checkpoint numbered above {@code after} has completed below {@code base}; {@code
   * alive} false (the job's process ended) or 90 s fail. Returns its number.
   */
  public static long awaitCompletedAfter(Path base, long after, BooleanSupplier alive)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      OptionalLong done = highestCompleted(base);
      if (done.isPresent() && done.getAsLong() > after) {
        return done.getAsLong();
      }
      if (!alive.getAsBoolean()) {
        throw new AssertionError(
            "the job ended before a checkpoint after " + after + " completed below " + base);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no checkpoint after " + after + " completed below " + base);
  }
}
