package dev.pgingest.sink;

import java.io.Serializable;
import java.util.List;

/**
 * A target table as a job writes it: columns, conflict key, write mode, indexes and parent. The DDL
 * lives in {@link TableDdl}, the write statement in {@link WriteSql}.
 *
 * @param schema schema name
 * @param table table name
 * @param idColumn identity primary key column of a table pgingest owns outright, which then also
 *     carries the run stamps {@code created_run} and {@code updated_run}; null for none (declared
 *     tables, whose users own their columns)
 * @param keyColumns the conflict key: one or more columns, matched by a unique index
 * @param mode how rows meet existing rows
 * @param columns the columns, key columns included
 * @param indexes secondary indexes pgingest creates if missing
 * @param parent the table this one references, written no later than this one; null for none
 * @param create whether pgingest creates the table when it is missing
 * @param trim how a parent's rows here follow its count; null for none
 */
public record TableDef<R>(
    String schema,
    String table,
    String idColumn,
    List<String> keyColumns,
    WriteMode mode,
    List<Column<R>> columns,
    List<IndexDef> indexes,
    String parent,
    boolean create,
    Trim trim)
    implements Serializable {

  /**
   * A parent's rows in this table are numbered by {@code ordinal} from {@code first}; a parent row
   * that is inserted or changed deletes its rows here numbered at or past {@code first} plus its
   * {@code count} column, whatever number the first row has.
   */
  public record Trim(String ordinal, String count, long first) implements Serializable {
    public Trim {
      SqlNames.ident(ordinal);
      SqlNames.ident(count);
    }

    /** Rows numbered from 0. */
    public Trim(String ordinal, String count) {
      this(ordinal, count, 0);
    }
  }

  /**
   * Which of {@code tables} (parents first) hold one version of a parent's rows at a time: a child
   * with a {@linkplain Trim trim} under a top-level parent, and that parent. Their rows route by
   * the parent's key, and all rows one record makes share its {@linkplain UpsertRow#order()
   * position in file order}, so rows of one route from another position are another version of the
   * parent: of two, the later one's rows replace the earlier one's, never mix with them (dedup
   * drops the older version's rows, the batcher and the COPY path's staging never hold two versions
   * of a route). A trimmed child deeper down routes with its top row, which many parents share, so
   * it is not versioned.
   */
  public static boolean[] versioned(List<? extends TableDef<?>> tables) {
    boolean[] out = new boolean[tables.size()];
    for (int i = 0; i < tables.size(); i++) {
      TableDef<?> child = tables.get(i);
      if (child.trim() == null) {
        continue;
      }
      for (int p = 0; p < tables.size(); p++) {
        TableDef<?> parent = tables.get(p);
        if (parent.table().equals(child.parent()) && parent.parent() == null) {
          out[i] = true;
          out[p] = true;
        }
      }
    }
    return out;
  }

  /** A table without trim. */
  public TableDef(
      String schema,
      String table,
      String idColumn,
      List<String> keyColumns,
      WriteMode mode,
      List<Column<R>> columns,
      List<IndexDef> indexes,
      String parent,
      boolean create) {
    this(schema, table, idColumn, keyColumns, mode, columns, indexes, parent, create, null);
  }

  public static final String CREATED_RUN = "created_run";
  public static final String UPDATED_RUN = "updated_run";

  public TableDef {
    keyColumns = List.copyOf(keyColumns);
    columns = List.copyOf(columns);
    indexes = List.copyOf(indexes);
    SqlNames.qualified(schema, table);
    if (idColumn != null) {
      SqlNames.ident(idColumn);
    }
    for (Column<R> c : columns) {
      SqlNames.ident(c.name());
    }
    if (trim != null && parent == null) {
      throw new IllegalArgumentException("table " + table + " trims by a parent but has none");
    }
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("table " + table + " needs at least one key column");
    }
    for (String k : keyColumns) {
      if (columns.stream()
          .noneMatch(c -> c.name().equals(k) && c.merge() == ColumnMerge.KEY && c.written())) {
        throw new IllegalArgumentException("key column " + k + " must be a written KEY column");
      }
    }
  }

  /** A table pgingest owns: identity id, run stamps, one key column, merged. */
  public TableDef(
      String schema,
      String table,
      String idColumn,
      String keyColumn,
      List<Column<R>> columns,
      List<IndexDef> indexes) {
    this(
        schema, table, idColumn, List.of(keyColumn), WriteMode.MERGE, columns, indexes, null, true);
  }

  /** Schema-qualified, quoted table name. */
  public String qualifiedName() {
    return SqlNames.qualified(schema, table);
  }

  /** Whether rows carry the run stamps, from which the run's counts are read after the load. */
  public boolean stamped() {
    return idColumn != null;
  }

  /** The columns the load writes, in declaration order. */
  public List<Column<R>> writtenColumns() {
    return columns.stream().filter(Column::written).toList();
  }

  /** "schema.table" as messages show it. */
  public String displayName() {
    return schema + "." + table;
  }
}
