package dev.pgingest.run;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.graph.MapToRows;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.WriteMode;
import dev.pgingest.sink.WriteSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished run's counts per table, from the job's exact counters and what the statements
 * recorded: run stamps on tables pgingest owns, {@value WriteSql#COUNTS_TABLE} on the others.
 */
final class RunCounts {
  private final Connection c;
  private final String schema;
  private final String rejectsTable;
  private final long runId;
  private final Map<String, Object> acc;

  RunCounts(Connection c, String schema, String rejectsTable, long runId, Map<String, Object> acc) {
    this.c = c;
    this.schema = schema;
    this.rejectsTable = rejectsTable;
    this.runId = runId;
    this.acc = acc;
  }

  /** Per table, in the order written. */
  Map<String, TableSummary> tables(List<? extends TableDef<?>> tables, double seconds)
      throws SQLException {
    long read = asLong(acc.get(MapToRows.READ));
    long rejected = rejects(null);
    Map<String, TableSummary> out = new LinkedHashMap<>();
    for (int i = 0; i < tables.size(); i++) {
      TableDef<?> t = tables.get(i);
      boolean many = tables.size() > 1;
      long keys =
          asLong(
              acc.get(many ? DedupFunction.perTable(DedupFunction.KEYS, i) : DedupFunction.KEYS));
      long duplicates =
          asLong(
              acc.get(
                  many
                      ? DedupFunction.perTable(DedupFunction.DUPLICATES, i)
                      : DedupFunction.DUPLICATES));
      long rows = asLong(acc.get(MapToRows.ROWS + "." + i));
      long[] written = t.stamped() ? stamps(t) : counted(t);
      // Rows the database refused are rejects, not skipped or unchanged ones.
      long refused = rejects(t.displayName() + ": ");
      long inserted = written[0];
      long updated = written[1];
      long unchanged = 0;
      long skipped = 0;
      if (t.mode() == WriteMode.INSERT_IF_NEW || t.mode() == WriteMode.APPEND) {
        skipped = Math.max(0, rows - inserted - refused);
      } else {
        unchanged = Math.max(0, keys - inserted - updated - refused);
      }
      out.put(
          t.table(),
          new TableSummary(
              read, rejected, rows, duplicates, inserted, updated, unchanged, skipped, seconds));
    }
    return out;
  }

  /** The spec's named counts ({@code name → table.count}). */
  static Map<String, Long> named(Map<String, String> summary, Map<String, TableSummary> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    summary.forEach(
        (name, ref) -> {
          int dot = ref.lastIndexOf('.');
          TableSummary s = tables.get(ref.substring(0, dot));
          out.put(name, s == null ? 0 : s.count(ref.substring(dot + 1)));
        });
    return out;
  }

  /** The whole run, for the runs table: job-level read and rejects, sums of the rest. */
  static TableSummary total(Map<String, TableSummary> tables) {
    long rows = 0, dup = 0, ins = 0, upd = 0, unch = 0, skip = 0;
    long read = 0, rejected = 0;
    double seconds = 0;
    for (TableSummary s : tables.values()) {
      read = s.read();
      rejected = s.rejected();
      seconds = s.seconds();
      rows += s.rows();
      dup += s.duplicates();
      ins += s.inserted();
      upd += s.updated();
      unch += s.unchanged();
      skip += s.skipped();
    }
    return new TableSummary(read, rejected, rows, dup, ins, upd, unch, skip, seconds);
  }

  private long[] stamps(TableDef<?> t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FILTER (WHERE "
                + TableDef.CREATED_RUN
                + " = ?), count(*) FILTER (WHERE "
                + TableDef.CREATED_RUN
                + " <> ?) FROM "
                + t.qualifiedName()
                + " WHERE "
                + TableDef.UPDATED_RUN
                + " = ?")) {
      ps.setLong(1, runId);
      ps.setLong(2, runId);
      ps.setLong(3, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  private long[] counted(TableDef<?> t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(sum(inserted), 0), coalesce(sum(updated), 0) FROM "
                + SqlNames.qualified(schema, WriteSql.COUNTS_TABLE)
                + " WHERE run_id = ? AND table_name = ?")) {
      ps.setLong(1, runId);
      ps.setString(2, t.displayName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Rejects of this run, or those whose reason starts with {@code prefix}. */
  long rejects(String prefix) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM "
                + SqlNames.qualified(schema, rejectsTable)
                + " WHERE run_id = ?"
                + (prefix == null ? "" : " AND starts_with(reason, ?)"))) {
      ps.setLong(1, runId);
      if (prefix != null) {
        ps.setString(2, prefix);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
