package dev.pgingest.sink;

import java.io.Serializable;
import java.util.function.Function;

/**
 * One column of an upsert target: name, type, how it merges, and how to read it from a row.
 *
 * @param name SQL identifier (validated by {@link TableDef})
 * @param type SQL type
 * @param merge what the upsert does with it on conflict
 * @param notNull whether the column is declared NOT NULL
 * @param getter reads the value from a row: String for text/jsonb, Long for bigint
 */
public record Column<R>(
    String name, SqlType type, Merge merge, boolean notNull, Getter<R> getter)
    implements Serializable {

  /** A serializable column getter. */
  @FunctionalInterface
  public interface Getter<R> extends Function<R, Object>, Serializable {}
}
