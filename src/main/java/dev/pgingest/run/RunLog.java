package dev.pgingest.run;

import dev.pgingest.json.Json;
import dev.pgingest.sink.SqlNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reads and writes the {@code ingest_runs} row of a run. */
public final class RunLog {
  private final String runs;

  public RunLog(String schema, String runsTable) {
    this.runs = SqlNames.qualified(schema, runsTable);
  }

  /** Records a run as started; returns its id. */
  public long start(
      Connection c, String job, String specHash, List<String> inputs, String inputsHash)
      throws SQLException {
    String json = inputs.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]"));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + runs
                + " (job, spec_hash, inputs, inputs_hash, status)"
                + " VALUES (?, ?, ?::jsonb, ?, 'running') RETURNING run_id")) {
      ps.setString(1, job);
      ps.setString(2, specHash);
      ps.setString(3, json);
      ps.setString(4, inputsHash);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** What a later run needs to know of an earlier one to resume it. */
  public record Row(
      long runId,
      String token,
      String status,
      String specHash,
      String inputsHash,
      List<String> inputs,
      String restorePath,
      Double percent) {}

  /** The newest run of {@code job}, or null. */
  public Row latest(Connection c, String job) throws SQLException {
    return row(c, "job = ? ORDER BY run_id DESC LIMIT 1", job);
  }

  /** The newest run of {@code job} that Flink ran as job {@code flinkJobId}, or null. */
  public Row ofFlinkJob(Connection c, String job, String flinkJobId) throws SQLException {
    return row(c, "job = ? AND flink_job_id = ? ORDER BY run_id DESC LIMIT 1", job, flinkJobId);
  }

  /** Run {@code runId}, or null. */
  public Row get(Connection c, long runId) throws SQLException {
    return row(c, "run_id = ?", runId);
  }

  private Row row(Connection c, String where, Object... params) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT run_id, run_token, status, spec_hash, inputs_hash,"
                + " ARRAY(SELECT jsonb_array_elements_text(inputs)), restore_path,"
                + " (checkpoint->>'percent')::float8 FROM "
                + runs
                + " WHERE "
                + where)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Row(
            rs.getLong(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            List.of((String[]) rs.getArray(6).getArray()),
            rs.getString(7),
            rs.getObject(8) == null ? null : rs.getDouble(8));
      }
    }
  }

  /** A resumed run is running again. */
  public void resumed(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET status = 'running', finished_at = NULL, message = NULL"
                + " WHERE run_id = ?")) {
      ps.setLong(1, runId);
      ps.executeUpdate();
    }
  }

  /** Records the run's newest restore point and how far the input was read when it was taken. */
  public void checkpointed(Connection c, long runId, String restorePath, String progressJson)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE " + runs + " SET restore_path = ?, checkpoint = ?::jsonb WHERE run_id = ?")) {
      ps.setString(1, restorePath);
      ps.setString(2, progressJson);
      ps.setLong(3, runId);
      ps.executeUpdate();
    }
  }

  /** Marks a run that will never finish by itself as interrupted, with why. */
  public void interrupted(Connection c, long runId, String message) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET status = 'interrupted', finished_at = coalesce(finished_at,"
                + " now()), message = ? WHERE run_id = ?")) {
      ps.setString(1, message);
      ps.setLong(2, runId);
      ps.executeUpdate();
    }
  }

  /**
   * Takes the run's advisory lock on {@code c} for as long as that session lives: the lock says "a
   * runner is alive and owns this run", and PostgreSQL drops it when the runner dies, however it
   * dies. Returns false when another session holds it.
   */
  public boolean lock(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      ps.setInt(1, runs.hashCode());
      ps.setInt(2, (int) runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Releases {@link #lock}. */
  public void unlock(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
      ps.setInt(1, runs.hashCode());
      ps.setInt(2, (int) runId);
      ps.executeQuery().close();
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
      Connection c,
      long runId,
      String status,
      TableSummary total,
      String summaryJson,
      String message)
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
          ps.setNull(i, Types.BIGINT);
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

  /**
   * The job has started (or restarted after a failover): a run that was only submitted is running
   * now, under {@code flinkJobId}. A run that already ended keeps its status.
   */
  public void running(Connection c, long runId, String flinkJobId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET status = 'running', flink_job_id = ? WHERE run_id = ?"
                + " AND status IN ('submitted', 'running')")) {
      ps.setString(1, flinkJobId);
      ps.setLong(2, runId);
      ps.executeUpdate();
    }
  }

  /**
   * Ends a run that is still open (submitted or running) with {@code status} and {@code message}; a
   * run that already ended keeps what it has. Returns whether it changed the row.
   */
  public boolean endIfOpen(Connection c, long runId, String status, String message)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET status = ?, finished_at = now(), message = ? WHERE run_id = ?"
                + " AND status IN ('submitted', 'running')")) {
      ps.setString(1, status);
      ps.setString(2, message);
      ps.setLong(3, runId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Replaces the run's summary (the result with its steps) and its notes. */
  public void summary(Connection c, long runId, String summaryJson, List<String> notes)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + runs
                + " SET summary = ?::jsonb, result = ?, notes = ?::jsonb WHERE run_id = ?")) {
      ps.setString(1, summaryJson);
      ps.setString(2, summaryJson);
      ps.setString(3, notes.stream().map(Json::quote).collect(Collectors.joining(",", "[", "]")));
      ps.setLong(4, runId);
      ps.executeUpdate();
    }
  }

  /** How a run ended as the database has it: what any runner or status command reports. */
  public record Outcome(
      long runId,
      String job,
      String status,
      String flinkJobId,
      String startedAt,
      String finishedAt,
      String summaryJson,
      List<String> notes,
      String message) {}

  /** Run {@code runId}'s outcome, or null. */
  public Outcome outcome(Connection c, long runId) throws SQLException {
    List<Outcome> l = outcomes(c, "run_id = ?", runId, 1);
    return l.isEmpty() ? null : l.get(0);
  }

  /** The newest {@code limit} runs, of {@code job} or (null) of every job, newest first. */
  public List<Outcome> recent(Connection c, String job, int limit) throws SQLException {
    return job == null ? outcomes(c, "true", null, limit) : outcomes(c, "job = ?", job, limit);
  }

  private List<Outcome> outcomes(Connection c, String where, Object param, int limit)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT run_id, job, status, flink_job_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                + " to_char(finished_at, 'YYYY-MM-DD HH24:MI:SS'), coalesce(result, summary::text),"
                + " ARRAY(SELECT jsonb_array_elements_text(coalesce(notes, '[]'::jsonb))),"
                + " message FROM "
                + runs
                + " WHERE "
                + where
                + " ORDER BY run_id DESC LIMIT "
                + limit)) {
      if (param != null) {
        ps.setObject(1, param);
      }
      List<Outcome> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Outcome(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  List.of((String[]) rs.getArray(8).getArray()),
                  rs.getString(9)));
        }
      }
      return out;
    }
  }
}
