package dev.pgingest.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgingest.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /**
   * The result {@link #toJson} wrote: tables (objects with {@code read}), the named counts under
   * {@code summary}, and steps (objects with {@code ran}).
   */
  public static RunResult fromJson(long runId, String jobId, String json) {
    Map<String, TableSummary> tables = new LinkedHashMap<>();
    Map<String, Long> summary = new LinkedHashMap<>();
    List<StepResult> steps = new ArrayList<>();
    if (json == null) {
      return new RunResult(runId, jobId, tables, summary, steps);
    }
    JsonNode tree;
    try {
      tree = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a run result: " + e.getOriginalMessage(), e);
    }
    tree.fields()
        .forEachRemaining(
            f -> {
              JsonNode n = f.getValue();
              if (n.has("read")) {
                tables.put(
                    f.getKey(),
                    new TableSummary(
                        n.path("read").asLong(),
                        n.path("rejected").asLong(),
                        n.path("rows").asLong(),
                        n.path("duplicates").asLong(),
                        n.path("inserted").asLong(),
                        n.path("updated").asLong(),
                        n.path("unchanged").asLong(),
                        n.path("skipped").asLong(),
                        n.path("seconds").asDouble()));
              } else if (n.has("ran")) {
                List<String> columns = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode row : n.path("rows")) {
                  if (columns.isEmpty()) {
                    row.fieldNames().forEachRemaining(columns::add);
                  }
                  List<String> cells = new ArrayList<>();
                  for (String c : columns) {
                    JsonNode v = row.get(c);
                    cells.add(v == null || v.isNull() ? null : v.asText());
                  }
                  rows.add(cells);
                }
                steps.add(
                    new StepResult(
                        f.getKey(),
                        n.path("ran").asBoolean(),
                        n.path("seconds").asDouble(),
                        columns,
                        rows,
                        n.hasNonNull("error") ? n.get("error").asText() : null));
              } else if (f.getKey().equals("summary")) {
                n.fields().forEachRemaining(v -> summary.put(v.getKey(), v.getValue().asLong()));
              }
            });
    return new RunResult(runId, jobId, tables, summary, steps);
  }
}
