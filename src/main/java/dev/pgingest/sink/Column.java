package dev.pgingest.sink;

import java.io.Serializable;
import java.util.function.Function;

/**
 * One column of a target table: name, type, how it merges, and how to read it from a row.
 *
 * @param name SQL identifier (validated by {@link TableDef})
 * @param type SQL type
 * @param merge what a {@link WriteMode#MERGE} upsert does with it on conflict
 * @param notNull whether the column is declared NOT NULL
 * @param getter reads the value from a row (its {@code toString()} is what travels), or null for a
 *     column the load does not write
 * @param sqlDefault the column's default in a table pgingest creates, or null
 */
public record Column<R>(
    String name,
    SqlType type,
    ColumnMerge merge,
    boolean notNull,
    Getter<R> getter,
    String sqlDefault)
    implements Serializable {

  public Column(String name, SqlType type, ColumnMerge merge, boolean notNull, Getter<R> getter) {
    this(name, type, merge, notNull, getter, null);
  }

  /** Whether the load writes this column (a default-only column is left to the table). */
  public boolean written() {
    return getter != null;
  }

  /** A serializable column getter. */
  @FunctionalInterface
  public interface Getter<R> extends Function<R, Object>, Serializable {}
}
