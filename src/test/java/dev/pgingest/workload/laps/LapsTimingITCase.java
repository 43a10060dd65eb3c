package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/laps-timing-csv.yaml} on the shipped samples (ours: two Spa sessions with two cars
 * sharing number 7 and a malformed line, a telemetry dump with junk): exact rows and counts in the
 * four tables, junk rejected by the spec's ranges with the value and the rule, a repeated lap
 * merged, every race complete in {@code race_ingest_status}; a corrected lap updates exactly its
 * row and its car's result; a forced re-run writes nothing.
 */
class LapsTimingITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Path SAMPLES = Path.of("jobs", "samples", "laps");

  static JobSpec spec(String schema, Path timing, Path telemetry) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    return Specs.shippedSources(
        "laps-timing-csv", Map.of("timing", List.of(timing), "telemetry", List.of(telemetry)), o);
  }

  static RunResult run(JobSpec spec, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  @Test
  void sessionsAndTelemetryLoadJunkIsRejectedAndACorrectedLapUpdatesItsRows(@TempDir Path dir)
      throws Exception {
    Path timing = dir.resolve("timing");
    Path telemetry = dir.resolve("telemetry");
    FileUtils.copyDirectory(SAMPLES.resolve("timing").toFile(), timing.toFile());
    FileUtils.copyDirectory(SAMPLES.resolve("telemetry").toFile(), telemetry.toFile());
    String s = TestPostgres.freshSchema("laps_timing");
    JobSpec spec = spec(s, timing, telemetry);

    RunResult first = run(spec, false);

    // 8 + 8 cars in two sessions, 3 vehicles in each of four telemetry sessions (one extra in
    // heat-2).
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".events")).isEqualTo(3);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".races")).isEqualTo(6);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".race_results")).isEqualTo(28);
    // 80 + 114 session laps and 60 telemetry laps: junk rejected, the repeated lap once.
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".laps")).isEqualTo(254);
    assertThat(first.summary())
        .containsEntry("events_inserted", 3L)
        .containsEntry("races_inserted", 6L)
        .containsEntry("results_inserted", 28L)
        .containsEntry("laps_inserted", 254L)
        .containsEntry("laps_updated", 0L)
        .containsEntry("laps_duplicates", 1L)
        .containsEntry("races_complete", 6L)
        .containsEntry("races_failed", 0L);

    // Two cars share number 7 in the race: the second (another team, laps from 1 again) is 7#2.
    assertThat(
            TestPostgres.rows(
                "SELECT driver_id, team, position::text, laps::text FROM "
                    + s
                    + ".race_results"
                    + " WHERE race_id = 'race' AND car_number = '7' ORDER BY driver_id"))
        .containsExactly(
            List.of("7", "Sable Racing", "1", "15"),
            List.of("7#2", "Ardent Motorsport", "5", "15"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".laps WHERE race_id = 'race' AND driver_id = '7#2'"))
        .isEqualTo(15);
    // Lap times are numeric seconds, not display text; a lap that ended in the pits says so.
    assertThat(
            TestPostgres.rows(
                "SELECT lap_time::text, in_pit::text FROM "
                    + s
                    + ".laps"
                    + " WHERE race_id = 'fp1' AND driver_id = '7' AND lap_number IN (1, 5) ORDER BY lap_number"))
        .containsExactly(List.of("149.339", "false"), List.of("137.382", "true"));
    // Columns outside the model are kept by header name, values as given; telemetry has none.
    assertThat(
            TestPostgres.rows(
                "SELECT extra->>'TOP_SPEED', extra->>'GROUP', extra->>'MANUFACTURER',"
                    + " extra->>'FLAG_AT_FL', (extra ? 'PIT_TIME')::text FROM "
                    + s
                    + ".laps WHERE race_id = 'fp1' AND driver_id = '7' AND lap_number = 1"))
        .containsExactly(List.of("321.5", "H", "Alpine", "GF", "false"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + s
                    + ".laps WHERE (source = 'timing') <> (extra IS NOT NULL)"))
        .isEqualTo(0);

    // Junk: each line rejected with its file, line and the rule it broke; the malformed export
    // line with the CSV reader's reason.
    assertThat(
            TestPostgres.rows(
                "SELECT regexp_replace(file, '.*/', ''), line_number::text, reason FROM "
                    + s
                    + ".ingest_rejects ORDER BY file, line_number"))
        .containsExactly(
            List.of("dump-2024-05.csv", "17", "laps.lap_number: 32768 is above the maximum 9999"),
            List.of("dump-2024-05.csv", "30", "laps.lap_time: 0 is below the minimum 1"),
            List.of("dump-2024-05.csv", "48", "laps.lap_time: 0.044 is below the minimum 1"),
            List.of("dump-2024-05.csv", "66", "laps.lap_time: 'ERR' is not a number"),
            List.of("race.csv", "25", "has 4 fields, the header names 25"));

    // Every race is complete, and its status row holds what the tables hold (the sixth laps of
    // heat-2 and practice were junk).
    assertThat(
            TestPostgres.rows(
                "SELECT race_id, status, laps_written::text, highest_lap::text, run_id::text FROM "
                    + s
                    + ".race_ingest_status ORDER BY race_id"))
        .containsExactly(
            List.of("final", "complete", "15", "5", String.valueOf(first.runId())),
            List.of("fp1", "complete", "80", "10", String.valueOf(first.runId())),
            List.of("heat-1", "complete", "15", "5", String.valueOf(first.runId())),
            List.of("heat-2", "complete", "15", "5", String.valueOf(first.runId())),
            List.of("practice", "complete", "15", "5", String.valueOf(first.runId())),
            List.of("race", "complete", "114", "15", String.valueOf(first.runId())));

    // A corrected lap: the export of fp1 sent again with one lap time changed.
    Path fp1 = timing.resolve("spa-6h-2024").resolve("fp1.csv");
    String text = Files.readString(fp1);
    assertThat(text).contains(";2:05.295;");
    Files.writeString(fp1, text.replace(";2:05.295;", ";2:05.195;"));
    String xminsBefore = xmins(s, "race_id <> 'fp1'");

    RunResult corrected = run(spec, false);

    assertThat(corrected.summary())
        .containsEntry("laps_inserted", 0L)
        .containsEntry("laps_updated", 1L)
        .containsEntry("results_inserted", 0L)
        .containsEntry("results_updated", 1L)
        .containsEntry("races_updated", 0L)
        .containsEntry("races_complete", 1L);
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".laps WHERE race_id = 'fp1' AND lap_time = 125.195"))
        .isEqualTo(1);
    // Only fp1 was read again (the ledger skips the unchanged files): nothing else was touched.
    assertThat(xmins(s, "race_id <> 'fp1'")).isEqualTo(xminsBefore);

    // Everything read again with --force: no row is written, no row version made.
    String all = xmins(s, "true");
    RunResult forced = run(spec, true);
    assertThat(forced.summary())
        .containsEntry("laps_inserted", 0L)
        .containsEntry("laps_updated", 0L)
        .containsEntry("results_updated", 0L)
        .containsEntry("races_complete", 6L);
    assertThat(xmins(s, "true")).isEqualTo(all);
  }

  /** The row versions of the laps and results matching {@code where}, as one text. */
  static String xmins(String schema, String where) throws Exception {
    return TestPostgres.rows(
            "SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT 'l' || race_id || driver_id || lap_number"
                + " || ':' || xmin::text AS x FROM "
                + schema
                + ".laps WHERE "
                + where
                + " UNION ALL SELECT 'r' || race_id || driver_id || ':' || xmin::text FROM "
                + schema
                + ".race_results WHERE "
                + where
                + ") v")
        .get(0)
        .get(0);
  }
}
