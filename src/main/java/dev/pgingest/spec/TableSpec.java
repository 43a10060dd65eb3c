package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;

/**
 * A declared target table: where its rows come from and how they are written.
 *
 * @param name table name (validated SQL identifier)
 * @param schema schema, defaults to {@code target.schema}
 * @param mode write mode: {@code merge}, {@code insert-if-new}, {@code append} or {@code replace}
 * @param key conflict key: one or more of the table's own columns, matched by a unique index
 * @param columns the columns pgingest writes (and, for a table it creates, those with defaults)
 * @param indexes secondary indexes pgingest creates if missing
 * @param parent the table this one references (foreign key), written first; null for none
 * @param create whether pgingest may create the table when it is missing; an existing table is
 *     checked, never altered
 * @param each the kind of item of a record that makes one row each (e.g. a record's {@code
 *     feature}s); null for one row per record
 * @param trim how a parent row's set of rows here is kept exact; null for none
 */
public record TableSpec(
    String name,
    String schema,
    String mode,
    List<String> key,
    List<ColumnSpec> columns,
    List<IndexSpec> indexes,
    String parent,
    boolean create,
    String each,
    Trim trim)
    implements Serializable {

  /**
   * A parent's rows in this table are numbered by {@code ordinal} from {@code first} (0 for
   * GenBank's features, 1 for laps); when the parent row is written, its rows here numbered at or
   * past {@code first + count} are deleted, so a changed record that lost items loses their rows
   * too.
   */
  public record Trim(String ordinal, String count, long first) implements Serializable {
    /** Rows numbered from 0. */
    public Trim(String ordinal, String count) {
      this(ordinal, count, 0);
    }
  }

  /** A table with one row per record and no trim. */
  public TableSpec(
      String name,
      String schema,
      String mode,
      List<String> key,
      List<ColumnSpec> columns,
      List<IndexSpec> indexes,
      String parent,
      boolean create) {
    this(name, schema, mode, key, columns, indexes, parent, create, null, null);
  }

  public TableSpec {
    key = List.copyOf(key);
    columns = List.copyOf(columns);
    indexes = List.copyOf(indexes);
  }

  /** Write modes a spec may name. */
  public static final List<String> MODES = List.of("merge", "insert-if-new", "append", "replace");
}
