package dev.pgingest.sink;

import dev.pgingest.spec.Options.WritePath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses per table between the COPY path ({@link CopySink}) and batched upserts through the JDBC
 * connector, as {@code options.write-path} says: {@code auto} takes COPY for a table that is empty
 * when the run starts, where every row is new and staging pays off most.
 */
public final class WritePaths {
  private WritePaths() {}

  /**
   * For each of {@code tables} whether it takes the COPY path. A child of a copied table is copied
   * too: its rows must not reach the database before their parent's staged rows are merged.
   */
  public static boolean[] choose(Connection c, WritePath path, List<? extends TableDef<?>> tables)
      throws SQLException {
    boolean[] copied = new boolean[tables.size()];
    for (int i = 0; i < tables.size(); i++) {
      copied[i] =
          switch (path) {
            case COPY -> true;
            case UPSERT -> false;
            case AUTO -> empty(c, tables.get(i));
          };
    }
    for (int i = 0; i < tables.size(); i++) {
      String parent = tables.get(i).parent();
      for (int p = 0; p < i && parent != null; p++) {
        if (copied[p] && tables.get(p).table().equals(parent)) {
          copied[i] = true;
        }
      }
    }
    return copied;
  }

  /** The names of the copied tables, for the run's notes; empty when none is. */
  public static List<String> names(boolean[] copied, List<? extends TableDef<?>> tables) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < copied.length; i++) {
      if (copied[i]) {
        out.add(tables.get(i).displayName());
      }
    }
    return out;
  }

  /** Whether {@code t} holds no row now. */
  static boolean empty(Connection c, TableDef<?> t) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + t.qualifiedName() + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
