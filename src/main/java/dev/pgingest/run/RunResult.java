package dev.pgingest.run;

import dev.pgingest.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    long runId,
    String jobId,
    Map<String, TableSummary> tables,
    Map<String, Long> summary,
    List<StepResult> steps) {

  public RunResult(long runId, String jobId, Map<String, TableSummary> tables) {
    this(runId, jobId, tables, Map.of(), List.of());
  }

  public RunResult(
      long runId, String jobId, Map<String, TableSummary> tables, Map<String, Long> summary) {
    this(runId, jobId, tables, summary, List.of());
  }

  /** This result with the steps run after the load. */
  public RunResult withSteps(List<StepResult> done) {
    return new RunResult(runId, jobId, tables, summary, done);
  }

  /** {@code {"TABLE": {"read": …, …}, "summary": {"NAME": …}}}. */
  public String toJson() {
    List<String> parts = new ArrayList<>();
    tables.forEach((t, s) -> parts.add("  \"" + t + "\": " + s.toJson()));
    if (!summary.isEmpty()) {
      List<String> named = new ArrayList<>();
      summary.forEach((n, v) -> named.add("\"" + n + "\": " + v));
      parts.add("  \"summary\": {" + String.join(", ", named) + "}");
    }
    for (StepResult step : steps) {
      List<String> fields = new ArrayList<>();
      fields.add("\"ran\": " + step.ran());
      fields.add(String.format(Locale.ROOT, "\"seconds\": %.3f", step.seconds()));
      if (step.error() != null) {
        fields.add("\"error\": " + Json.quote(step.error()));
      }
      List<String> rows = new ArrayList<>();
      for (List<String> row : step.rows()) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          cells.add(
              Json.quote(step.columns().get(i))
                  + ": "
                  + (row.get(i) == null ? "null" : Json.quote(row.get(i))));
        }
        rows.add("{" + String.join(", ", cells) + "}");
      }
      fields.add("\"rows\": [" + String.join(", ", rows) + "]");
      parts.add("  " + Json.quote(step.name()) + ": {" + String.join(", ", fields) + "}");
    }
    return "{\n" + String.join(",\n", parts) + "\n}\n";
  }
}
