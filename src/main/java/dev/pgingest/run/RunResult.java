package dev.pgingest.run;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The outcome of a successful run.
 *
 * @param runId the row in {@code ingest_runs}
 * @param jobId the Flink job id
 * @param tables per target table, in the order they were written
 */
public record RunResult(long runId, String jobId, Map<String, TableSummary> tables) {

  /** {@code {"variant": {"read": …, …}}}. */
  public String toJson() {
    return tables.entrySet().stream()
        .map(e -> "  \"" + e.getKey() + "\": " + e.getValue().toJson())
        .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
  }
}
