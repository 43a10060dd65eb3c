package dev.pgingest.sink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The tables of a job that take the COPY path, in the job's order, and how rows find them. */
final class CopiedTables<R extends UpsertRow<R>> {
  /** Position in the job's list of each copied table. */
  final int[] indexes;

  final List<TableDef<R>> tables;

  /**
   * Per table of the job whether its rows are versioned by their route ({@link
   * TableDef#versioned}).
   */
  final boolean[] versioned;

  /** Position among the copied tables of each of the job's tables, -1 for one not copied. */
  private final int[] positions;

  CopiedTables(List<TableDef<R>> all, boolean[] copied) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (copied[i]) {
        idx.add(i);
      }
    }
    indexes = idx.stream().mapToInt(Integer::intValue).toArray();
    tables = idx.stream().map(all::get).toList();
    versioned = TableDef.versioned(all);
    positions = new int[all.size()];
    Arrays.fill(positions, -1);
    for (int k = 0; k < indexes.length; k++) {
      positions[indexes[k]] = k;
    }
  }

  int size() {
    return indexes.length;
  }

  /** The position among the copied tables of {@code row}'s table. */
  int position(R row) {
    return positions[row.table()];
  }

  /** {@code rows} by copied table, in the copied tables' order (parents before children). */
  List<List<R>> split(List<R> rows) {
    List<List<R>> byTable = new ArrayList<>();
    for (int k = 0; k < indexes.length; k++) {
      byTable.add(new ArrayList<>());
    }
    for (R row : rows) {
      byTable.get(positions[row.table()]).add(row);
    }
    return byTable;
  }
}
