package dev.pgingest.metrics;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

/**
 * What one subtask counted, sent once when its input ends to the operator that finishes the run.
 *
 * <p>The counts travel as records, not accumulators, so the job itself can close its run: the
 * finishing operator keeps them in its checkpointed state, and a subtask that finished before a
 * restore point is not counted again, one that had not sends its counts after the replay.
 *
 * @param counts exact counters by name, summed over subtasks by the receiver
 * @param files per file read, its end as the reader saw it ({@link #files} encoding is the
 *     sender's)
 */
public record EndCounts(Map<String, Long> counts, Map<String, String> files) {

  /** The record type, a POJO of two maps (no Kryo). */
  public static final TypeInformation<EndCounts> TYPE =
      Types.POJO(
          EndCounts.class,
          Map.of(
              "counts", Types.MAP(Types.STRING, Types.LONG),
              "files", Types.MAP(Types.STRING, Types.STRING)));

  /** The side output every reporting operator sends its counts to. */
  public static final OutputTag<EndCounts> TAG = new OutputTag<>("end-counts", TYPE);

  /** Counts with no files. */
  public static EndCounts of(Map<String, Long> counts) {
    return new EndCounts(new HashMap<>(counts), new HashMap<>());
  }

  /** An end with nothing counted: says only that the sender's input ended. */
  public static EndCounts ended() {
    return of(Map.of());
  }
}
