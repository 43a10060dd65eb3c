package dev.pgingest.graph;

import java.util.List;
import java.util.Set;

/**
 * A pipeline whose jobs declare their tables under {@code tables}, columns taking the pipeline's
 * fields; a pipeline without it writes its own table, named by {@code target.table}.
 */
public interface DeclaredTables {

  /** Kinds of items within a record that a declared table may make one row {@code each} of. */
  Set<String> items();

  /**
   * The fields a declared column may take for rows of {@code each} (null: one row per record), in
   * the order documented; null when any name goes (fields of CSV or JSON records).
   */
  List<String> fields(String each);
}
