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
 * @param sender the operator and subtask that sent it ({@link #sentBy}); null if not told. A
 *     subtask restored from a checkpoint taken after its input ended sends the same counts again at
 *     its new end of input, while the receiver's restored state already holds the first send: the
 *     receiver keeps one per sender.
 */
public record EndCounts(Map<String, Long> counts, Map<String, String> files, String sender) {

  /** The record type, a POJO of two maps and the sender (no Kryo). */
  public static final TypeInformation<EndCounts> TYPE =
      Types.POJO(
          EndCounts.class,
          Map.of(
              "counts", Types.MAP(Types.STRING, Types.LONG),
              "files", Types.MAP(Types.STRING, Types.STRING),
              "sender", Types.STRING));

  /** The side output every reporting operator sends its counts to. */
  public static final OutputTag<EndCounts> TAG = new OutputTag<>("end-counts", TYPE);

  /** Counts with no files. */
  public static EndCounts of(Map<String, Long> counts) {
    return new EndCounts(new HashMap<>(counts), new HashMap<>(), null);
  }

  /** These counts as sent by {@code operator}'s subtask {@code subtask}. */
  public EndCounts sentBy(String operator, int subtask) {
    return new EndCounts(counts, files, operator + "/" + subtask);
  }

  /** An end with nothing counted: says only that the sender's input ended. */
  public static EndCounts ended() {
    return of(Map.of());
  }
}
