package dev.pgingest.testutil;

import dev.pgingest.sink.Database;
import dev.pgingest.sink.SqlNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Row count and md5 of a table's rows in a fixed order, leaving out columns that differ by run. */
public final class TableDigest {

  /**
   * What one table holds.
   *
   * @param table schema-qualified name, quoted
   * @param columns the compared columns, in table order
   * @param rows row count
   * @param md5 md5 of the compared columns of every row, rows sorted by their text
   */
  public record Digest(String table, List<String> columns, long rows, String md5) {
    /** The same rows, whatever the schema is called. */
    public boolean sameContent(Digest other) {
      return columns.equals(other.columns) && rows == other.rows && md5.equals(other.md5);
    }

    @Override
    public String toString() {
      return table + ": " + rows + " rows, md5 " + md5;
    }
  }

  private TableDigest() {}

  /**
   * Digests {@code schema.table} over all columns but {@code excluded}. Rows are hashed as the text
   * of a row value, which spells jsonb and arrays canonically and NULL apart from an empty string,
   * and sorted by that text, so neither physical order nor surrogate ids matter.
   */
  public static Digest of(Database db, String schema, String table, Set<String> excluded)
      throws SQLException {
    return of(db, schema, table, excluded, Map.of());
  }

  /**
   * Like {@link #of(Database, String, String, Set)}, comparing a column of {@code normalized} as
   * its SQL expression there, {@code %s} standing for the quoted column (to leave timings out of a
   * json text, say).
   */
  public static Digest of(
      Database db,
      String schema,
      String table,
      Set<String> excluded,
      Map<String, String> normalized)
      throws SQLException {
    try (Connection c = db.connect()) {
      List<String> columns = columns(c, schema, table, excluded);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("no columns to compare in " + schema + "." + table);
      }
      String row = row(columns, normalized);
      String qualified = SqlNames.qualified(schema, table);
      String sql =
          "SELECT count(*), coalesce(md5(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\")), '')"
              + " FROM (SELECT "
              + row
              + " AS r FROM "
              + qualified
              + ") t";
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        return new Digest(qualified, columns, rs.getLong(1), rs.getString(2));
      }
    }
  }

  /**
   * Up to {@code limit} rows (as text) of {@code a.table} that {@code b.table} lacks: for messages.
   */
  public static List<String> onlyIn(
      Database db, String a, String b, String table, List<String> columns, int limit)
      throws SQLException {
    return onlyIn(db, a, b, table, columns, Map.of(), limit);
  }

  /** {@link #onlyIn(Database, String, String, String, List, int)} with normalized columns. */
  public static List<String> onlyIn(
      Database db,
      String a,
      String b,
      String table,
      List<String> columns,
      Map<String, String> normalized,
      int limit)
      throws SQLException {
    String row = row(columns, normalized);
    String sql =
        "SELECT r FROM (SELECT "
            + row
            + " AS r FROM "
            + SqlNames.qualified(a, table)
            + " EXCEPT ALL SELECT "
            + row
            + " FROM "
            + SqlNames.qualified(b, table)
            + ") t ORDER BY r COLLATE \"C\" LIMIT "
            + limit;
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String row(List<String> columns, Map<String, String> normalized) {
    List<String> exprs = new ArrayList<>();
    for (String column : columns) {
      String quoted = SqlNames.ident(column);
      String template = normalized.get(column);
      exprs.add(template == null ? quoted : template.replace("%s", quoted));
    }
    return "ROW(" + String.join(", ", exprs) + ")::text";
  }

  private static List<String> columns(
      Connection c, String schema, String table, Set<String> excluded) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!excluded.contains(rs.getString(1))) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    if (out.isEmpty() && !excluded.isEmpty()) {
      throw new IllegalArgumentException("table " + schema + "." + table + " not found");
    }
    return out;
  }
}
