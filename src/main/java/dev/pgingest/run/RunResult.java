package dev.pgingest.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a successful run.
 *
 * @param runId the row in {@code ingest_runs}
 * @param jobId the Flink job id
 * @param tables per target table, in the order they were written
 * @param summary the counts the spec's {@code summary} names, in its order
 */
public record RunResult(
    long runId, String jobId, Map<String, TableSummary> tables, Map<String, Long> summary) {

  public RunResult(long runId, String jobId, Map<String, TableSummary> tables) {
    this(runId, jobId, tables, Map.of());
  }

  /** {@code {"variant": {"read": …, …}, "summary": {"inserted_raw": …}}}. */
  public String toJson() {
    List<String> parts = new ArrayList<>();
    tables.forEach((t, s) -> parts.add("  \"" + t + "\": " + s.toJson()));
    if (!summary.isEmpty()) {
      List<String> named = new ArrayList<>();
      summary.forEach((n, v) -> named.add("\"" + n + "\": " + v));
      parts.add("  \"summary\": {" + String.join(", ", named) + "}");
    }
    return "{\n" + String.join(",\n", parts) + "\n}\n";
  }
}
