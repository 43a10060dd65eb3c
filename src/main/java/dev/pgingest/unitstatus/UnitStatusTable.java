package dev.pgingest.unitstatus;

import dev.pgingest.sink.Column;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.UnitStatusSpec;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The status table of a job's units of progress: its DDL, the one statement that writes a set of
 * status rows, and the run's report.
 *
 * <p>A status row's summed-up columns (rows written, highest number seen) are counted in the
 * database by the statement that writes the row, so a row never claims more than the tables hold. A
 * unit that is {@code complete} in this run is not set back to {@code loading} by a replayed
 * record.
 */
public final class UnitStatusTable implements Serializable {

  /** Statuses a unit goes through. */
  public static final String LOADING = "loading";

  public static final String COMPLETE = "complete";
  public static final String FAILED = "failed";

  private final String qualified;
  private final String unitTable;
  private final List<String> keyColumns;
  private final List<String> keyTypes;
  private final List<String> summaries;
  private final List<String> summaryTypes;
  private final List<String> summaryExprs;

  private UnitStatusTable(
      String qualified,
      String unitTable,
      List<String> keyColumns,
      List<String> keyTypes,
      List<String> summaries,
      List<String> summaryTypes,
      List<String> summaryExprs) {
    this.qualified = qualified;
    this.unitTable = unitTable;
    this.keyColumns = List.copyOf(keyColumns);
    this.keyTypes = List.copyOf(keyTypes);
    this.summaries = List.copyOf(summaries);
    this.summaryTypes = List.copyOf(summaryTypes);
    this.summaryExprs = List.copyOf(summaryExprs);
  }

  /** The status table of {@code spec}, whose tables are {@code tables}; null without progress. */
  public static UnitStatusTable of(JobSpec spec, List<? extends TableDef<?>> tables) {
    UnitStatusSpec p = spec.progress();
    if (p == null) {
      return null;
    }
    TableDef<?> unit = table(tables, p.unit());
    List<String> keyTypes = new ArrayList<>();
    for (String k : unit.keyColumns()) {
      keyTypes.add(column(unit, k).type().sql());
    }
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> exprs = new ArrayList<>();
    for (UnitStatusSpec.Summary s : p.columns()) {
      TableDef<?> of = table(tables, s.table());
      StringBuilder match = new StringBuilder();
      for (int i = 0; i < unit.keyColumns().size(); i++) {
        String k = SqlNames.ident(unit.keyColumns().get(i));
        match
            .append(i == 0 ? "" : " AND ")
            .append("c.")
            .append(k)
            .append(" = u.k")
            .append(i)
            .append("::")
            .append(keyTypes.get(i));
      }
      names.add(s.name());
      types.add(s.counts() ? "bigint" : column(of, s.column()).type().sql());
      exprs.add(
          "(SELECT "
              + (s.counts() ? "count(*)" : "max(c." + SqlNames.ident(s.column()) + ")")
              + " FROM "
              + of.qualifiedName()
              + " c WHERE "
              + match
              + ")");
    }
    return new UnitStatusTable(
        SqlNames.qualified(spec.target().schema(), p.table()),
        unit.displayName(),
        unit.keyColumns(),
        keyTypes,
        names,
        types,
        exprs);
  }

  private static TableDef<?> table(List<? extends TableDef<?>> tables, String name) {
    return tables.stream()
        .filter(t -> t.table().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no table " + name));
  }

  private static Column<?> column(TableDef<?> t, String name) {
    return t.columns().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no column " + name + " in " + t.table()));
  }

  /** Creates the status table when it is missing. */
  public void create(Connection c) throws SQLException {
    StringBuilder sb =
        new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(qualified).append(" (\n");
    for (int i = 0; i < keyColumns.size(); i++) {
      sb.append("  ")
          .append(SqlNames.ident(keyColumns.get(i)))
          .append(' ')
          .append(keyTypes.get(i))
          .append(" NOT NULL,\n");
    }
    sb.append("  source_file text NOT NULL,\n");
    sb.append("  status text NOT NULL CHECK (status IN ('loading', 'complete', 'failed')),\n");
    for (int i = 0; i < summaries.size(); i++) {
      sb.append("  ")
          .append(SqlNames.ident(summaries.get(i)))
          .append(' ')
          .append(summaryTypes.get(i))
          .append(",\n");
    }
    sb.append(
        "  run_id bigint NOT NULL,\n  reason text,\n  updated_at timestamptz NOT NULL DEFAULT now(),\n");
    sb.append("  PRIMARY KEY (").append(keyList()).append(", source_file)\n)");
    try (Statement st = c.createStatement()) {
      st.execute(sb.toString());
    }
  }

  private String keyList() {
    return keyColumns.stream().map(SqlNames::ident).collect(Collectors.joining(", "));
  }

  /**
   * The statement writing status rows: parameters are the run id, then one {@code text[]} per key
   * column, then the files, statuses and reasons.
   */
  String upsertSql() {
    List<String> cols = new ArrayList<>();
    List<String> vals = new ArrayList<>();
    List<String> unnestNames = new ArrayList<>();
    for (int i = 0; i < keyColumns.size(); i++) {
      cols.add(SqlNames.ident(keyColumns.get(i)));
      vals.add("u.k" + i + "::" + keyTypes.get(i));
      unnestNames.add("k" + i);
    }
    cols.add("source_file");
    vals.add("u.f");
    cols.add("status");
    vals.add("u.s");
    for (int i = 0; i < summaries.size(); i++) {
      cols.add(SqlNames.ident(summaries.get(i)));
      vals.add(summaryExprs.get(i));
    }
    cols.add("run_id");
    vals.add("?::bigint");
    cols.add("reason");
    vals.add("u.r");
    unnestNames.add("f");
    unnestNames.add("s");
    unnestNames.add("r");
    List<String> sets = new ArrayList<>();
    for (String c : cols.subList(keyColumns.size() + 1, cols.size())) {
      sets.add(c + " = EXCLUDED." + c);
    }
    sets.add("updated_at = now()");
    String arrays = unnestNames.stream().map(n -> "?::text[]").collect(Collectors.joining(", "));
    return "INSERT INTO "
        + qualified
        + " AS t ("
        + String.join(", ", cols)
        + ")\n"
        + "SELECT "
        + String.join(", ", vals)
        + "\n"
        + "FROM unnest("
        + arrays
        + ") AS u("
        + String.join(", ", unnestNames)
        + ")\n"
        + "ON CONFLICT ("
        + keyList()
        + ", source_file) DO UPDATE SET "
        + String.join(", ", sets)
        + "\n"
        // A record replayed after a failover must not make a unit this run completed look unread.
        + "WHERE NOT (t.status = 'complete' AND EXCLUDED.status = 'loading' AND t.run_id = EXCLUDED.run_id)";
  }

  /** One status row to write. */
  record Row(List<String> key, String file, String status, String reason) implements Serializable {}

  /** Writes {@code rows} (each unit and file at most once) in one statement. */
  void write(Connection c, long runId, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(upsertSql())) {
      int n = rows.size();
      int p = 1;
      // The run id comes first: it stands among the selected values, before the unnest.
      ps.setLong(p++, runId);
      for (int k = 0; k < keyColumns.size(); k++) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = rows.get(i).key().get(k);
        }
        ps.setArray(p++, c.createArrayOf("text", v));
      }
      String[] files = new String[n];
      String[] statuses = new String[n];
      String[] reasons = new String[n];
      for (int i = 0; i < n; i++) {
        files[i] = rows.get(i).file();
        statuses[i] = rows.get(i).status();
        reasons[i] = rows.get(i).reason();
      }
      ps.setArray(p++, c.createArrayOf("text", files));
      ps.setArray(p++, c.createArrayOf("text", statuses));
      ps.setArray(p, c.createArrayOf("text", reasons));
      ps.execute();
    }
  }

  /** What a finished run did to its units: counts by status, and the failed ones with reasons. */
  public record Report(Map<String, Long> byStatus, List<String> failed) {}

  /** The run's units by status, and up to {@code limit} failed ones, each said in one line. */
  public Report report(Connection c, long runId, int limit) throws SQLException {
    Map<String, Long> by = new LinkedHashMap<>();
    by.put(COMPLETE, 0L);
    by.put(FAILED, 0L);
    by.put(LOADING, 0L);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT status, count(*) FROM " + qualified + " WHERE run_id = ? GROUP BY status")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          by.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    List<String> failed = new ArrayList<>();
    String keys =
        keyColumns.stream()
            .map(k -> SqlNames.ident(k) + "::text")
            .collect(Collectors.joining(", "));
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + keys
                + ", source_file, reason FROM "
                + qualified
                + " WHERE run_id = ? AND status = 'failed' ORDER BY source_file, "
                + keyList()
                + " LIMIT ?")) {
      ps.setLong(1, runId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> key = new ArrayList<>();
          for (int i = 1; i <= keyColumns.size(); i++) {
            key.add(rs.getString(i));
          }
          failed.add(
              unitTable
                  + " ("
                  + String.join(", ", key)
                  + ") from "
                  + rs.getString(keyColumns.size() + 1)
                  + " failed: "
                  + rs.getString(keyColumns.size() + 2));
        }
      }
    }
    return new Report(by, failed);
  }
}
