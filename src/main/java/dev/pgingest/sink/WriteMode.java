package dev.pgingest.sink;

import java.util.Arrays;
import java.util.Optional;

/** How rows meet the rows a table already holds under the same key. */
public enum WriteMode {
  /**
   * Change-aware upsert: each column folds in by its {@link ColumnMerge}; unchanged rows are not
   * written.
   */
  MERGE("merge"),
  /** Existing keys are left alone and counted as skipped; the first record of a key wins. */
  INSERT_IF_NEW("insert-if-new"),
  /** Every record becomes a row; its key is a replay-safe identity (run, file, line). */
  APPEND("append"),
  /** The row takes the new values; of several records of one key the latest in file order wins. */
  REPLACE("replace");

  private final String spec;

  WriteMode(String spec) {
    this.spec = spec;
  }

  /** The name job specs use. */
  public String spec() {
    return spec;
  }

  /** The mode a spec names. */
  public static Optional<WriteMode> forName(String name) {
    return Arrays.stream(values()).filter(m -> m.spec.equals(name)).findFirst();
  }
}
