package dev.pgingest.graph;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns one decoded source record into rows for the job's tables (fan-out); domain rules live
 * here.
 *
 * <p>Throws {@link IllegalArgumentException} with a one-line reason for a record that must be
 * rejected; then none of its rows is written.
 */
@FunctionalInterface
public interface RowMapper<T, R> extends Serializable {

  /**
   * @param record the decoded record
   * @param file the file it came from, as messages show it
   * @param line the line where it starts
   * @param out receives the record's rows
   */
  void map(T record, String file, long line, Consumer<R> out);

  /**
   * Whether this mapper checks a whole record before it gives its first row, and throws only
   * before that. Then its rows go on as they are made instead of being held until the record is
   * done, so a record with a hundred thousand rows (a chromosome's features) needs no more memory
   * than one with a single row.
   */
  default boolean checksFirst() {
    return false;
  }
}
