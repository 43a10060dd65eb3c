package dev.pgingest.run;

import dev.pgingest.json.Json;
import dev.pgingest.sink.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and writes the {@code ingest_runs} row of a run. */
public final class RunLog {
  private final String runs;

  public RunLog(String schema, String runsTable) {
    this.runs = Sql.qualified(schema, runsTable);
  }

  /** Records a run as started; returns its id. */
  public long start(Connection c, String job, String specHash, List<String> inputs)
      throws SQLException {
    String json = inputs.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]"));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + runs
                + " (job, spec_hash, inputs, status) VALUES (?, ?, ?::jsonb, 'running')"
                + " RETURNING run_id")) {
      ps.setString(1, job);
      ps.setString(2, specHash);
      ps.setString(3, json);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Stores the Flink job id once the job was submitted. */
  public void jobSubmitted(Connection c, long runId, String flinkJobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE " + runs + " SET flink_job_id = ? WHERE run_id = ?")) {
      ps.setString(1, flinkJobId);
      ps.setLong(2, runId);
      ps.executeUpdate();
    }
  }

  /** Records the end of a run: status, counts (summed over tables) and message. */
  public void finish(
      Connection c, long runId, String status, TableSummary total, String summaryJson, String message)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET finished_at = now(), status = ?, read = ?, rejected = ?, duplicates = ?,"
                + " inserted = ?, updated = ?, unchanged = ?, summary = ?::jsonb, message = ?"
                + " WHERE run_id = ?")) {
      ps.setString(1, status);
      if (total == null) {
        for (int i = 2; i <= 7; i++) {
          ps.setNull(i, java.sql.Types.BIGINT);
        }
      } else {
        ps.setLong(2, total.read());
        ps.setLong(3, total.rejected());
        ps.setLong(4, total.duplicates());
        ps.setLong(5, total.inserted());
        ps.setLong(6, total.updated());
        ps.setLong(7, total.unchanged());
      }
      ps.setString(8, summaryJson);
      ps.setString(9, message);
      ps.setLong(10, runId);
      ps.executeUpdate();
    }
  }
}
