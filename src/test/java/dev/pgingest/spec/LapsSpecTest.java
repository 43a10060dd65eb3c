package dev.pgingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spec keys the race-timing jobs bring: per-column {@code min}/{@code max} ranges, a {@code
 * progress} status table, and several sources for one pipeline, on the shipped laps specs.
 */
class LapsSpecTest {
  private static final Path LIVERC = Path.of("jobs", "laps-liverc.yaml");
  private static final Path TIMING = Path.of("jobs", "laps-timing-csv.yaml");

  private static JobSpec parse(Path file, String text) {
    return JobSpecParser.parse(text, file.toString(), file.toAbsolutePath().getParent(), Map.of());
  }

  private static String edited(Path file, String from, String to) throws IOException {
    String text = Files.readString(file);
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  @Test
  void shippedSpecsDeclareFourTablesAndARaceStatusTable() throws IOException {
    for (Path file : new Path[] {LIVERC, TIMING}) {
      JobSpec spec = parse(file, Files.readString(file));
      assertThat(spec.tables())
          .extracting(TableSpec::name)
          .containsExactly("events", "races", "race_results", "laps");
      assertThat(spec.progress().table()).isEqualTo("race_ingest_status");
      assertThat(spec.progress().unit()).isEqualTo("races");
      assertThat(spec.progress().columns())
          .containsExactly(
              new UnitStatusSpec.Summary("laps_written", "laps", null),
              new UnitStatusSpec.Summary("highest_lap", "laps", "lap_number"));
      ColumnSpec lapNumber =
          spec.tables().get(3).columns().stream()
              .filter(c -> c.name().equals("lap_number"))
              .findFirst()
              .orElseThrow();
      assertThat(lapNumber.min()).isEqualByComparingTo(BigDecimal.ONE);
      assertThat(lapNumber.max()).isEqualByComparingTo(new BigDecimal("9999"));
    }
    // A re-scored LiveRC page trims its drivers' laps (numbered from 1); a telemetry line carries
    // one lap of a race, so the timing job cannot trim.
    assertThat(parse(LIVERC, Files.readString(LIVERC)).tables().get(3).trim())
        .isEqualTo(new TableSpec.Trim("lap_number", "laps", 1));
    JobSpec timing = parse(TIMING, Files.readString(TIMING));
    assertThat(timing.tables().get(3).trim()).isNull();
    assertThat(timing.sources())
        .extracting(SourceSpec::format)
        .containsExactly("timing-csv", "lap-telemetry");
  }

  @Test
  void aRangeOnATextColumnIsRefused() throws IOException {
    String text =
        edited(
            LIVERC,
            "{ name: driver_name, type: text, field: driver_name }",
            "{ name: driver_name, type: text, field: driver_name, min: 1 }");
    assertThatThrownBy(() -> parse(LIVERC, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.race_results.columns.driver_name.min")
        .hasMessageContaining("only integer, bigint, numeric columns take min and max");
  }

  @Test
  void aMinimumAboveTheMaximumIsRefused() throws IOException {
    String text = edited(LIVERC, "min: 1, max: 9999", "min: 10, max: 2");
    assertThatThrownBy(() -> parse(LIVERC, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.laps.columns.lap_number.max")
        .hasMessageContaining("a maximum no smaller than min 10");
  }

  @Test
  void aRangeThatIsNotANumberIsRefused() throws IOException {
    String text = edited(LIVERC, "min: 1, max: 9999", "min: one, max: 9999");
    assertThatThrownBy(() -> parse(LIVERC, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("lap_number")
        .hasMessageContaining("min");
  }

  @Test
  void progressNeedsAUnitTableWithOneRowPerRecord() throws IOException {
    String text = edited(LIVERC, "  unit: races", "  unit: laps");
    assertThatThrownBy(() -> parse(LIVERC, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("progress.unit")
        .hasMessageContaining("a declared table with one row per record: events, races");
  }

  @Test
  void aProgressCountMustCarryTheUnitsKey() throws IOException {
    String text = edited(LIVERC, "laps_written, count: laps", "laps_written, count: events");
    assertThatThrownBy(() -> parse(LIVERC, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("progress.columns.laps_written.count")
        .hasMessageContaining("writes the unit's key column 'race_id' too");
  }

  @Test
  void progressIsRefusedForAJobWhosePipelineTellsNoUnits() throws IOException {
    Path profiles = Path.of("jobs", "profiles.yaml");
    String text =
        Files.readString(profiles) + "\nprogress:\n  table: status\n  unit: global_usernames\n";
    assertThatThrownBy(() -> parse(profiles, text))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "does not tell which unit its records belong to; progress needs a pipeline that"
                + " reports units");
  }
}
