package dev.pgingest.graph;

import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns one decoded source record into rows for the job's tables (fan-out); domain rules live here.
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
   * Whether this mapper checks a whole record before it gives its first row, and throws only before
   * that. Then its rows go on as they are made instead of being held until the record is done, so a
   * record with a hundred thousand rows (a chromosome's features) needs no more memory than one
   * with a single row.
   */
  default boolean checksFirst() {
    return false;
  }

  /**
   * The unit of progress (e.g. an event a file covers) {@code record} belongs to, or null for none.
   * Asked before the record is mapped, also of a record whose mapping then fails, so that a unit
   * read whole from one record can be marked failed with the reason.
   */
  default Unit unit(T record, String file, long line) {
    return null;
  }

  /**
   * A unit of progress: the key values of its row in the spec's unit table, as the table's columns
   * hold them, and whether the record is the whole unit (one page) or a part of it (one line of a
   * log). Only a whole unit fails with its record.
   */
  record Unit(List<String> key, boolean whole) implements Serializable {
    public Unit {
      key = List.copyOf(key);
    }
  }
}
