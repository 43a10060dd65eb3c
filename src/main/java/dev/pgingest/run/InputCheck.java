package dev.pgingest.run;

import dev.pgingest.graph.RejectBudget;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.spec.JobSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whether a finished run's input was what the pipeline reads, and within the reject budget. */
final class InputCheck {
  private InputCheck() {}

  /**
   * Fails a run whose input was not what the pipeline reads (nothing accepted at all), or whose
   * rejects exceed {@code max-reject-ratio}; returns the failure sentence, or null when it passes.
   */
  static String failure(
      Connection c, ResolvedJob<?, ?> job, long runId, TableSummary s, long accepted)
      throws SQLException {
    JobSpec spec = job.spec();
    if (accepted == 0 && s.rejected() > 0) {
      return RejectBudget.nothingExpected(
          job.expectedInput(),
          s.rejected() == 1
              ? "the one record read was"
              : "the " + s.rejected() + " records read were",
          firstRejects(c, spec, runId));
    }
    double max = spec.options().maxRejectRatio();
    // A file no source recognized is one reject of no record read: noted, not a broken input.
    long rejected = s.rejected() - unrecognizedFiles(c, spec, runId);
    if (s.read() == 0 || (double) rejected / s.read() <= max) {
      return null;
    }
    return String.format(
            Locale.ROOT,
            "Error budget exceeded: %d of %d records rejected (%.1f%%, max-reject-ratio %s); ",
            rejected,
            s.read(),
            100.0 * rejected / s.read(),
            max)
        + RejectBudget.firstAt(firstRejects(c, spec, runId));
  }

  /** The run's rejects of whole files that no source recognized. */
  private static long unrecognizedFiles(Connection c, JobSpec spec, long runId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM "
                + SqlNames.qualified(spec.target().schema(), spec.target().rejectsTable())
                + " WHERE run_id = ? AND line_number = 0 AND starts_with(reason, ?)")) {
      ps.setLong(1, runId);
      ps.setString(2, Inputs.UNRECOGNIZED);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The run's first few rejects in file order, which the failure sentence points the user to. */
  private static List<Reject> firstRejects(Connection c, JobSpec spec, long runId)
      throws SQLException {
    List<Reject> first = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT file, line_number, reason FROM "
                + SqlNames.qualified(spec.target().schema(), spec.target().rejectsTable())
                + " WHERE run_id = ? ORDER BY file, line_number LIMIT 3")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          first.add(new Reject(rs.getString(1), rs.getLong(2), rs.getString(3), null));
        }
      }
    }
    return first;
  }
}
