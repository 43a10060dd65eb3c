package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Declared columns' validity ranges, and rows of one record routed with their top row. */
class FieldMapperTest {

  private static final String SPEC =
      """
      name: ranges
      source: { format: csv, paths: [in.csv] }
      tables:
        - name: races
          key: [race]
          columns:
            - { name: race, type: text, field: race }
        - name: results
          parent: races
          key: [race, driver]
          columns:
            - { name: race, type: text, field: race }
            - { name: driver, type: text, field: driver }
        - name: laps
          parent: results
          key: [race, driver, lap]
          columns:
            - { name: race, type: text, field: race }
            - { name: driver, type: text, field: driver }
            - { name: lap, type: integer, field: lap, min: 1, max: 999 }
            - { name: lap_time, type: numeric, field: ms, min: 1.5 }
      """;

  private static RowMapper<FieldRecord, TableRow> mapper() {
    JobSpec spec = JobSpecParser.parse(SPEC, "ranges.yaml", Path.of("."), Map.of());
    return DeclaredPipeline.fieldMapper(spec, t -> true, List.of(""), 7);
  }

  private static List<TableRow> map(String lap, String ms) {
    List<TableRow> rows = new ArrayList<>();
    mapper()
        .map(
            new FieldRecord(Map.of("race", "r1", "driver", "d7", "lap", lap, "ms", ms), "{}"),
            "in.csv",
            3,
            rows::add);
    return rows;
  }

  @Test
  void valuesWithinTheirRangeLoad() {
    assertThat(map("1", "1.5")).hasSize(3);
    assertThat(map("999", "36.958").get(2).values()).containsExactly("r1", "d7", "999", "36.958");
  }

  @Test
  void aValueAboveTheMaximumRejectsTheRecordNamingValueAndRule() {
    assertThatThrownBy(() -> map("32768", "36.958"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("laps.lap: 32768 is above the maximum 999");
  }

  @Test
  void aValueBelowTheMinimumRejectsTheRecordNamingValueAndRule() {
    assertThatThrownBy(() -> map("12", "0.044"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("laps.lap_time: 0.044 is below the minimum 1.5");
  }

  @Test
  void aGrandchildRoutesWithItsRecordsTopRow() {
    List<TableRow> rows = map("4", "40.1");

    // The lap's parent is the result, but it travels with the race: all three meet in one writer.
    assertThat(rows).extracting(TableRow::route).containsOnly(rows.get(0).key());
    assertThat(rows.get(2).key()).isNotEqualTo(rows.get(0).key());
  }
}
