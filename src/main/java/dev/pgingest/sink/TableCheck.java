package dev.pgingest.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a table that already exists before a job writes to it: every written column is there with
 * a compatible type, and a unique index or constraint matches the key exactly (what {@code ON
 * CONFLICT} needs). The table is never altered.
 */
public final class TableCheck {
  private TableCheck() {}

  /** Whether the table exists. */
  public static boolean exists(Connection c, TableDef<?> t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                + " WHERE n.nspname = ? AND k.relname = ? AND k.relkind IN ('r', 'p')")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** What is missing or wrong, as one sentence, or null when the table fits. */
  public static String problem(Connection c, TableDef<?> t) throws SQLException {
    Map<String, String> actual = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typcategory, t.typname"
                + " FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
                + " WHERE a.attrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                + " AND a.attnum > 0 AND NOT a.attisdropped")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          actual.put(rs.getString(1), rs.getString(2) + "\u0000" + rs.getString(4));
        }
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Column<?> col : t.writtenColumns()) {
      String a = actual.get(col.name());
      if (a == null) {
        missing.add(col.name());
        continue;
      }
      String[] parts = a.split("\u0000");
      if (!compatible(col.type(), parts[1])) {
        wrong.add(col.name() + " is " + parts[0] + ", not compatible with " + col.type().sql());
      }
    }
    if (!missing.isEmpty()) {
      return "Table "
          + t.displayName()
          + " has no column"
          + (missing.size() == 1 ? " " : "s ")
          + String.join(", ", missing)
          + ", which the spec writes; add "
          + (missing.size() == 1 ? "it" : "them")
          + " or change the spec.";
    }
    if (!wrong.isEmpty()) {
      return "Table " + t.displayName() + ": column " + String.join("; ", wrong) + ".";
    }
    if (!uniqueKey(c, t)) {
      return "Table "
          + t.displayName()
          + " has no unique index or constraint on exactly ("
          + String.join(", ", t.keyColumns())
          + "), which the key needs; create one or change the key.";
    }
    return null;
  }

  private static boolean uniqueKey(Connection c, TableDef<?> t) throws SQLException {
    Set<String> want = new HashSet<>(t.keyColumns());
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT array_agg(a.attname::text) FROM pg_index i"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                + " WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                + " AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL"
                + " GROUP BY i.indexrelid")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Set<String> cols =
              Arrays.stream((String[]) rs.getArray(1).getArray()).collect(Collectors.toSet());
          if (cols.equals(want)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Whether text of {@code ours} can be assigned to a column of PostgreSQL type {@code typname}.
   */
  static boolean compatible(SqlType ours, String typname) {
    return switch (ours) {
      case TEXT -> Set.of("text", "varchar", "bpchar", "citext", "name").contains(typname);
      case INTEGER, BIGINT -> Set.of("int2", "int4", "int8", "numeric").contains(typname);
      case NUMERIC ->
          Set.of("numeric", "float4", "float8", "int2", "int4", "int8", "money").contains(typname);
      case BOOLEAN -> typname.equals("bool");
      case DATE -> Set.of("date", "timestamp", "timestamptz").contains(typname);
      case TIMESTAMPTZ -> Set.of("timestamptz", "timestamp").contains(typname);
      case JSONB -> Set.of("jsonb", "json").contains(typname);
      case BYTEA -> typname.equals("bytea");
    };
  }

  /**
   * A foreign key between two of the job's tables that the spec does not declare as {@code parent},
   * as one sentence, or null. Without it a child row could reach the database before its parent row
   * and be refused.
   */
  public static String orderProblem(Connection c, List<? extends TableDef<?>> tables)
      throws SQLException {
    for (TableDef<?> child : tables) {
      for (TableDef<?> parent : tables) {
        if (child == parent || parent.table().equals(child.parent())) {
          continue;
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM pg_constraint WHERE contype = 'f'"
                    + " AND conrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass"
                    + " AND confrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass")) {
          ps.setString(1, child.schema());
          ps.setString(2, child.table());
          ps.setString(3, parent.schema());
          ps.setString(4, parent.table());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return "Table "
                  + child.displayName()
                  + " has a foreign key to "
                  + parent.displayName()
                  + ", which the job writes too; declare parent: "
                  + parent.table()
                  + " on table "
                  + child.table()
                  + " so its rows are written after their parents.";
            }
          }
        }
      }
    }
    return null;
  }
}
