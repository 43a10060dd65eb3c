package dev.pgingest.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one statement that writes a whole batch: its rejects and its rows for every table, each
 * table's rows bound as column arrays through {@code unnest}.
 *
 * <p>One statement keeps a batch atomic and its parents and children together: foreign keys are
 * checked at the end of the statement, when the parent rows of the same batch are already there.
 * Tables without run stamps count what they did in the same statement ({@code RETURNING (xmax =
 * 0)}, summed into {@value #COUNTS_TABLE}), so no SELECT ever runs before a batch and the counts
 * commit or roll back with the rows.
 *
 * <p>A key the run already wrote once (a {@linkplain UpsertRow#repeat() repeat}) is written in a
 * part of its own whose updates are not counted: the row was counted when the run first wrote it,
 * so a row inserted and then changed by one run counts once, as inserted, also after a replay.
 *
 * <p>A child table with a {@linkplain TableDef.Trim trim} deletes, in the same statement, the rows
 * of each parent row that was inserted or changed numbered at or past the parent's count (plus the
 * trim's first ordinal: 0 for features, 1 for laps): a changed record that lost items loses their
 * rows. The parent's insert returns its key and count for that; the delete sees the table as it was
 * before the statement, and the children the same statement writes are numbered below the count, so
 * the two never touch the same row.
 *
 * <p>Parameters, in order: the rejects (run, job, files[], lines[], reasons[], raws[]); then per
 * table in list order its run stamps (created_run, updated_run) if it has them and one {@code
 * text[]} per written column, once more for the repeats of a {@linkplain #split split} table; then
 * the run id of the counts, if any table is counted so.
 */
public final class WriteSql {
  /** Per-statement inserted/updated counts of tables without run stamps. */
  public static final String COUNTS_TABLE = "ingest_counts";

  private WriteSql() {}

  /** DDL of the counts table. */
  public static String countsTableSql(String schema) {
    return "CREATE TABLE IF NOT EXISTS "
        + SqlNames.qualified(schema, COUNTS_TABLE)
        + " (\n"
        + "  run_id bigint NOT NULL,\n"
        + "  table_name text NOT NULL,\n"
        + "  inserted bigint NOT NULL,\n"
        + "  updated bigint NOT NULL,\n"
        + "  recorded_at timestamptz NOT NULL DEFAULT now()\n"
        + ")";
  }

  /** Whether a table's first writes and repeats of keys go in two parts (see class comment). */
  public static boolean split(TableDef<?> t) {
    return !t.stamped() && t.mode() != WriteMode.APPEND;
  }

  /**
   * The run's first transaction id, as an SQL expression: a row whose {@code xmin} is newer was
   * written by this run. Set when the run's row is inserted ({@code ingest_runs.start_xid}).
   */
  public static String runStart(String schema, String runsTable, long runId) {
    return "(SELECT start_xid FROM "
        + SqlNames.qualified(schema, runsTable)
        + " WHERE run_id = "
        + runId
        + ")";
  }

  /** Whether {@link #statement} ends with the counts insert (one table has no stamps). */
  public static boolean counts(List<? extends TableDef<?>> tables) {
    return tables.stream().anyMatch(t -> !t.stamped());
  }

  /** The batch statement for {@code tables} (parents before children). */
  public static String statement(
      List<? extends TableDef<?>> tables, String schema, String rejectsTable) {
    return statement(tables, schema, rejectsTable, false, null);
  }

  /**
   * The batch statement for {@code tables}, their rows bound as arrays or, when {@code staged},
   * read from the {@linkplain #stageTable staging tables} of the COPY path: there each part reads
   * the staged rows with {@code _pgi_seq} in {@code [?, ?)} and not in the {@code ?::int8[]} of
   * refused rows (three parameters in place of its column arrays). With no tables it writes only
   * the rejects.
   */
  public static String statement(
      List<? extends TableDef<?>> tables,
      String schema,
      String rejectsTable,
      boolean staged,
      String runStart) {
    String rejected =
        "INSERT INTO "
            + SqlNames.qualified(schema, rejectsTable)
            + " (run_id, job, file, line_number, reason, raw)\n"
            + "  SELECT ?::bigint, ?::text, r.f, r.l, r.e, r.w"
            + " FROM unnest(?::text[], ?::int8[], ?::text[], ?::text[]) AS r(f, l, e, w)\n"
            + "  ON CONFLICT (run_id, file, line_number) DO NOTHING";
    if (tables.isEmpty()) {
      return rejected;
    }
    List<String> ctes = new ArrayList<>();
    ctes.add("rejected AS (\n  " + rejected + "\n)");
    boolean counts = counts(tables);
    String main;
    if (counts) {
      List<String> counted = new ArrayList<>();
      for (int i = 0; i < tables.size(); i++) {
        TableDef<?> t = tables.get(i);
        trims(tables, i, ctes);
        ctes.add(
            "w"
                + i
                + " AS (\n"
                + insert(t, returned(tables, t, !t.stamped()), from(t, i, staged, false))
                + "\n)");
        if (!t.stamped()) {
          counted.add("SELECT '" + t.displayName() + "' AS tn, ins, true AS first FROM w" + i);
        }
        if (split(t)) {
          ctes.add(
              "r"
                  + i
                  + " AS (\n"
                  + insert(t, returned(tables, t, true), from(t, i, staged, true), runStart)
                  + "\n)");
          counted.add("SELECT '" + t.displayName() + "', ins, false FROM r" + i);
        }
      }
      main =
          "INSERT INTO "
              + SqlNames.qualified(schema, COUNTS_TABLE)
              + " (run_id, table_name, inserted, updated)\n"
              + "SELECT ?::bigint, s.tn, count(*) FILTER (WHERE s.ins),"
              + " count(*) FILTER (WHERE NOT s.ins AND s.first)\n"
              + "FROM ("
              + String.join(" UNION ALL ", counted)
              + ") AS s GROUP BY s.tn";
    } else {
      for (int i = 0; i < tables.size() - 1; i++) {
        trims(tables, i, ctes);
        TableDef<?> t = tables.get(i);
        ctes.add(
            "w"
                + i
                + " AS (\n"
                + insert(t, returned(tables, t, false), from(t, i, staged, false))
                + "\n)");
      }
      trims(tables, tables.size() - 1, ctes);
      int last = tables.size() - 1;
      main = insert(tables.get(last), null, from(tables.get(last), last, staged, false));
    }
    return "WITH " + String.join(",\n", ctes) + "\n" + main;
  }

  /**
   * What a table's insert returns: {@code ins} when counted, and the key and count columns a
   * trimming child needs; null for nothing.
   */
  private static String returned(
      List<? extends TableDef<?>> tables, TableDef<?> t, boolean counted) {
    List<String> out = new ArrayList<>();
    if (counted) {
      out.add("(t.xmax = 0) AS ins");
    }
    for (TableDef<?> child : tables) {
      if (child.trim() != null && t.table().equals(child.parent())) {
        for (String k : t.keyColumns()) {
          out.add("t." + SqlNames.ident(k));
        }
        out.add("t." + SqlNames.ident(child.trim().count()));
        break;
      }
    }
    return out.isEmpty() ? null : String.join(", ", out);
  }

  /** The delete CTE of table {@code i}'s trim, placed before its own insert (see class comment). */
  private static void trims(List<? extends TableDef<?>> tables, int i, List<String> ctes) {
    TableDef<?> child = tables.get(i);
    if (child.trim() == null) {
      return;
    }
    int p = 0;
    while (!tables.get(p).table().equals(child.parent())) {
      p++;
    }
    TableDef<?> parent = tables.get(p);
    String cols =
        parent.keyColumns().stream().map(SqlNames::ident).collect(Collectors.joining(", "))
            + ", "
            + SqlNames.ident(child.trim().count());
    String written = "SELECT " + cols + " FROM w" + p;
    if (split(parent)) {
      written += " UNION ALL SELECT " + cols + " FROM r" + p;
    }
    String match =
        parent.keyColumns().stream()
            .map(k -> "c." + SqlNames.ident(k) + " = p." + SqlNames.ident(k))
            .collect(Collectors.joining(" AND "));
    ctes.add(
        "d"
            + i
            + " AS (\n  DELETE FROM "
            + child.qualifiedName()
            + " c USING ("
            + written
            + ") AS p\n  WHERE "
            + match
            + " AND c."
            + SqlNames.ident(child.trim().ordinal())
            + " >= p."
            + SqlNames.ident(child.trim().count())
            + (child.trim().first() == 0 ? "" : " + " + child.trim().first())
            + "\n)");
  }

  /** Name of table {@code i}'s staging table (in {@code pg_temp}) on the COPY path. */
  public static String stageTable(int i) {
    return "pgingest_stage_" + i;
  }

  /** Staging columns besides the table's own: order, repeat mark, origin of each row. */
  public static final String SEQ = "_pgi_seq";

  public static final String REPEAT = "_pgi_rep";
  public static final String FILE = "_pgi_file";
  public static final String LINE = "_pgi_line";

  /** DDL of table {@code i}'s staging table: all written columns as text, then the extras. */
  public static String stageTableSql(TableDef<?> t, int i) {
    StringBuilder sb =
        new StringBuilder("CREATE TEMP TABLE IF NOT EXISTS ").append(stageTable(i)).append(" (");
    for (Column<?> c : t.writtenColumns()) {
      sb.append(SqlNames.ident(c.name())).append(" text, ");
    }
    return sb.append(
            SEQ
                + " bigint NOT NULL, "
                + REPEAT
                + " boolean NOT NULL, "
                + FILE
                + " text, "
                + LINE
                + " bigint)")
        .toString();
  }

  /**
   * Where a part of table {@code i}'s insert reads its rows: the column arrays, or the staging
   * table's rows of one seq range (the first writes or, for {@code repeats}, the repeats of a split
   * table).
   */
  private static String from(TableDef<?> t, int i, boolean staged, boolean repeats) {
    String names =
        t.writtenColumns().stream()
            .map(c -> SqlNames.ident(c.name()))
            .collect(Collectors.joining(", "));
    if (!staged) {
      String arrays =
          t.writtenColumns().stream().map(c -> "?::text[]").collect(Collectors.joining(", "));
      return "unnest(" + arrays + ") AS u(" + names + ")";
    }
    String where = "u." + SEQ + " >= ? AND u." + SEQ + " < ? AND u." + SEQ + " <> ALL(?::int8[])";
    if (split(t)) {
      where += " AND " + (repeats ? "" : "NOT ") + "u." + REPEAT;
    }
    return stageTable(i) + " AS u WHERE " + where;
  }

  /** One table's insert of its arrays, by its mode; {@code returning} as {@link #returned}. */
  static <R> String insert(TableDef<R> t, String returning) {
    return insert(t, returning, from(t, 0, false, false));
  }

  /** One table's insert of the first writes {@code from} gives, by its mode. */
  static <R> String insert(TableDef<R> t, String returning, String from) {
    return insert(t, returning, from, null);
  }

  /**
   * One table's insert of the rows {@code from} gives, by its mode; {@code runStart} (see {@link
   * #runStart}) is given for the repeats of a split {@code insert-if-new} table, which replace the
   * rows this run wrote.
   */
  static <R> String insert(TableDef<R> t, String returning, String from, String runStart) {
    List<Column<R>> cols = t.writtenColumns();
    String names =
        cols.stream().map(c -> SqlNames.ident(c.name())).collect(Collectors.joining(", "));
    String selected =
        cols.stream().map(c -> "x." + SqlNames.ident(c.name())).collect(Collectors.joining(", "));
    // Every column travels as text; cast once here, so probe and insert share the parsed value.
    String casts =
        cols.stream()
            .map(
                c ->
                    "u."
                        + SqlNames.ident(c.name())
                        + "::"
                        + c.type().sql()
                        + " AS "
                        + SqlNames.ident(c.name()))
            .collect(Collectors.joining(", "));
    String keys = t.keyColumns().stream().map(SqlNames::ident).collect(Collectors.joining(", "));
    String keyMatch =
        t.keyColumns().stream()
            .map(k -> "t." + SqlNames.ident(k) + " = x." + SqlNames.ident(k))
            .collect(Collectors.joining(" AND "));

    List<String> sets = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    // Rows the table already holds as they are never reach ON CONFLICT: there even a skipped
    // update locks the row, and a lock is a write. Read-only probes make a re-load cheap.
    List<String> contained = new ArrayList<>();
    boolean probe = t.mode() == WriteMode.MERGE || t.mode() == WriteMode.REPLACE;
    if (t.mode() == WriteMode.REPLACE) {
      String distinct = replaceAll(t, cols, sets);
      if (distinct != null) {
        changed.add(distinct);
      }
      for (Column<R> c : cols) {
        if (!t.keyColumns().contains(c.name())) {
          String n = SqlNames.ident(c.name());
          contained.add("t." + n + " IS NOT DISTINCT FROM x." + n);
        }
      }
    } else if (t.mode() == WriteMode.MERGE) {
      for (Column<R> c : cols) {
        mergeColumn(t, c, sets, changed, contained);
      }
    } else if (t.mode() == WriteMode.INSERT_IF_NEW && (t.stamped() || runStart != null)) {
      // Dedup passes on a key's record from an earlier position in file order than the one it
      // passed before, so the earliest record wins whichever reader came first: it replaces the
      // row this run wrote (stamped by the run, or written since the run's first transaction).
      // Rows the table held before the run are never touched.
      String distinct = replaceAll(t, cols, sets);
      if (distinct != null) {
        changed.add(
            (t.stamped()
                    ? "t." + TableDef.CREATED_RUN + " = EXCLUDED." + TableDef.CREATED_RUN
                    : "age(t.xmin) < age(" + runStart + ")")
                + " AND "
                + distinct);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("INSERT INTO ").append(t.qualifiedName()).append(" AS t (").append(names);
    if (t.stamped()) {
      sb.append(", ").append(TableDef.CREATED_RUN).append(", ").append(TableDef.UPDATED_RUN);
    }
    sb.append(")\nSELECT ").append(selected);
    if (t.stamped()) {
      sb.append(", ?::bigint, ?::bigint");
    }
    sb.append("\nFROM (SELECT ").append(casts).append(" FROM ").append(from).append(") AS x");
    if (probe) {
      sb.append("\nWHERE NOT EXISTS (SELECT 1 FROM ").append(t.qualifiedName()).append(" t WHERE ");
      sb.append(keyMatch);
      for (String c : contained) {
        sb.append(" AND ").append(c);
      }
      sb.append(")");
    }
    sb.append("\nON CONFLICT (").append(keys).append(") DO ");
    if (sets.isEmpty()) {
      sb.append("NOTHING");
    } else {
      if (t.stamped()) {
        sets.add(TableDef.UPDATED_RUN + " = EXCLUDED." + TableDef.UPDATED_RUN);
      }
      sb.append("UPDATE SET ").append(String.join(", ", sets));
      sb.append("\nWHERE ").append(changed.isEmpty() ? "false" : String.join("\n   OR ", changed));
    }
    if (returning != null) {
      sb.append("\nRETURNING ").append(returning);
    }
    return sb.toString();
  }

  /**
   * Sets every column but the key to the new record's value; returns the condition that the row
   * changes ({@code ROW(old) IS DISTINCT FROM ROW(new)}), or null when only the key is written.
   */
  private static <R> String replaceAll(TableDef<R> t, List<Column<R>> cols, List<String> sets) {
    List<String> tv = new ArrayList<>();
    List<String> ev = new ArrayList<>();
    for (Column<R> c : cols) {
      if (t.keyColumns().contains(c.name())) {
        continue;
      }
      String n = SqlNames.ident(c.name());
      sets.add(n + " = EXCLUDED." + n);
      tv.add("t." + n);
      ev.add("EXCLUDED." + n);
    }
    return tv.isEmpty()
        ? null
        : "ROW(" + String.join(", ", tv) + ") IS DISTINCT FROM ROW(" + String.join(", ", ev) + ")";
  }

  private static <R> void mergeColumn(
      TableDef<R> table,
      Column<R> c,
      List<String> sets,
      List<String> changed,
      List<String> contained) {
    String n = SqlNames.ident(c.name());
    String t = "t." + n;
    String e = "EXCLUDED." + n;
    String x = "x." + n;
    switch (c.merge()) {
      case KEY, INSERT_ONLY -> {}
      case LATEST -> {
        sets.add(n + " = coalesce(" + e + ", " + t + ")");
        changed.add("(" + e + " IS NOT NULL AND " + e + " IS DISTINCT FROM " + t + ")");
        contained.add("(" + x + " IS NULL OR " + t + " IS NOT DISTINCT FROM " + x + ")");
      }
      case GREATEST_TEXT -> {
        String expr = "GREATEST(" + t + " COLLATE \"C\", " + e + " COLLATE \"C\")";
        sets.add(n + " = " + expr);
        changed.add(expr + " IS DISTINCT FROM " + t);
        contained.add("(" + x + " IS NULL OR " + t + " COLLATE \"C\" >= " + x + " COLLATE \"C\")");
      }
      case JSONB_MAX_PER_KEY -> {
        String expr =
            "(SELECT coalesce(jsonb_object_agg(m.k, m.v), '{}'::jsonb) FROM (SELECT DISTINCT ON"
                + " (u.k) u.k, u.v FROM (SELECT * FROM jsonb_each("
                + t
                + ") UNION ALL SELECT * FROM jsonb_each("
                + e
                + ")) AS u(k, v) ORDER BY u.k, "
                + JsonOrder.sqlOrderDesc("u.v")
                + ") m)";
        sets.add(n + " = " + expr);
        // Containment is the cheap common case (a re-load): nothing new, no merge to build.
        changed.add("(NOT (" + t + " @> " + e + ") AND " + expr + " IS DISTINCT FROM " + t + ")");
        contained.add(t + " @> " + x);
      }
      case JSONB_SET_UNION -> {
        sets.add(
            n
                + " = (SELECT coalesce(jsonb_agg(v ORDER BY v COLLATE \"C\"), '[]'::jsonb) FROM"
                + " (SELECT DISTINCT jsonb_array_elements_text("
                + t
                + " || "
                + e
                + ") AS v) s)");
        // Containment says "the union adds nothing" without building the union.
        changed.add("NOT (" + t + " @> " + e + ")");
        contained.add(t + " @> " + x);
      }
    }
  }
}
