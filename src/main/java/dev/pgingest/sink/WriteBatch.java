package dev.pgingest.sink;

import java.util.List;

/**
 * What one upsert statement writes: rows with distinct keys, and rejects.
 *
 * <p>Distinct keys are what keep PostgreSQL from failing with "ON CONFLICT DO UPDATE command cannot
 * affect row a second time".
 */
public record WriteBatch<R>(List<R> rows, List<Reject> rejects) {
  public WriteBatch {
    rows = List.copyOf(rows);
    rejects = List.copyOf(rejects);
  }

  /** Rows plus rejects: what the statement writes. */
  public int size() {
    return rows.size() + rejects.size();
  }
}
