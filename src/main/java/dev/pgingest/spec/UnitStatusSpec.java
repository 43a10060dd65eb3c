package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Per-unit progress in SQL: one status row per unit (a row of the unit table) and source file,
 * {@code loading} while its records are read, {@code complete} once the checkpoint covering all its
 * rows completed, {@code failed} with a reason when its record was rejected whole.
 *
 * @param table the status table (in the target schema), created when missing
 * @param unit the declared table one of whose rows is a unit; its key columns start the status
 *     table's key
 * @param columns what a status row sums up from the database when it is written
 */
public record UnitStatusSpec(String table, String unit, List<Summary> columns)
    implements Serializable {

  public UnitStatusSpec {
    columns = List.copyOf(columns);
  }

  /**
   * One summed-up column: the rows of {@code table} under the unit ({@code column} null), or the
   * greatest {@code column} of them.
   */
  public record Summary(String name, String table, String column) implements Serializable {

    /** Whether this counts rows rather than takes a greatest value. */
    public boolean counts() {
      return column == null;
    }
  }

  /** Columns every status table has after the unit's key, in order. */
  public static final List<String> FIXED =
      List.of("source_file", "status", "run_id", "reason", "updated_at");
}
