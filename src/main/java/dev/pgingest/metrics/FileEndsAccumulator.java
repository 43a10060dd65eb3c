package dev.pgingest.metrics;

import dev.pgingest.format.Decoded.FileEnd;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;

/**
 * The totals of every file read, by file, merged over all subtasks: what the runner writes into the
 * file ledger once the run succeeded. A file is read by one subtask, so merging never has to choose
 * between two totals of the same file; a replay after recovery puts the same totals again.
 */
public final class FileEndsAccumulator
    implements Accumulator<Map.Entry<String, FileEnd>, HashMap<String, FileEnd>> {
  private static final long serialVersionUID = 1L;

  private HashMap<String, FileEnd> files = new HashMap<>();

  @Override
  public void add(Map.Entry<String, FileEnd> value) {
    files.put(value.getKey(), value.getValue());
  }

  @Override
  public HashMap<String, FileEnd> getLocalValue() {
    return files;
  }

  @Override
  public void resetLocal() {
    files = new HashMap<>();
  }

  @Override
  public void merge(Accumulator<Map.Entry<String, FileEnd>, HashMap<String, FileEnd>> other) {
    files.putAll(other.getLocalValue());
  }

  @Override
  public FileEndsAccumulator clone() {
    FileEndsAccumulator copy = new FileEndsAccumulator();
    copy.files = new HashMap<>(files);
    return copy;
  }
}
