package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's result survives its trip through {@code ingest_runs.result}: what runners print. */
class RunResultTest {

  @Test
  void theJsonReadsBackAsTheSameResult() {
    Map<String, TableSummary> tables = new LinkedHashMap<>();
    tables.put("races", new TableSummary(12, 1, 11, 10, 1, 0, 0, 0, 1.5));
    tables.put("laps", new TableSummary(12, 1, 487, 0, 480, 7, 0, 0, 1.5));
    Map<String, Long> named = new LinkedHashMap<>();
    named.put("laps_inserted", 480L);
    named.put("races_complete", 5L);
    List<StepResult> steps =
        List.of(
            new StepResult("sql.after", true, 0.01, List.of(), List.of(), null),
            new StepResult(
                "coverage",
                true,
                0.25,
                List.of("upload", "share"),
                List.of(Arrays.asList("demo", null), List.of("other", "0.5")),
                null),
            new StepResult("slow", false, 0, List.of(), List.of(), null),
            new StepResult("broken", true, 0.1, List.of(), List.of(), "relation x does not exist"));
    RunResult r = new RunResult(7, "abc", tables, named, steps);

    RunResult back = RunResult.fromJson(7, "abc", r.toJson());

    assertThat(back.tables()).containsExactlyEntriesOf(tables);
    assertThat(back.summary()).containsExactlyEntriesOf(named);
    assertThat(back.steps()).containsExactlyElementsOf(steps);
    assertThat(back.toJson()).isEqualTo(r.toJson());
  }
}
