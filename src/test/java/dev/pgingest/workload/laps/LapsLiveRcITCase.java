package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code jobs/laps-liverc.yaml} on the shipped event (ours: six race pages and the event page; a
 * non-starter, a driver with lap 0 only, a page cut off inside its lap script): exact rows in the
 * four tables, the broken race failed with its reason while the others load and complete; then the
 * A-Main re-scored (two positions swapped, one lap corrected) updates exactly those rows.
 */
class LapsLiveRcITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Path EVENT = Path.of("jobs", "samples", "laps", "liverc");
  private static final Path RESCORED =
      Specs.fixture("workload/laps/liverc-rescored/race-530112.html");

  static JobSpec spec(String schema, Path input) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    // No flush before the input ends: the laps of all races wait for one statement together.
    o.put("checkpoint-interval", "30s");
    o.put("flush-interval", "30s");
    o.put("restart-attempts", "0");
    return Specs.shipped("laps-liverc", List.of(input), o);
  }

  static RunResult run(JobSpec spec) {
    return new IngestRun(spec, TestPostgres.database())
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  @Test
  void anEventLoadsItsBrokenRaceFailsAloneAndARescoredRaceUpdatesInPlace() throws Exception {
    String s = TestPostgres.freshSchema("laps_liverc");
    RunResult first = run(spec(s, EVENT));

    assertThat(
            TestPostgres.rows(
                "SELECT source, event_id, event_name, club, event_date::text FROM "
                    + s
                    + ".events"))
        .containsExactly(
            List.of(
                "liverc:cedarvalleyrc.liverc.com",
                "8801",
                "Summer Nitro Classic 2024",
                "Cedar Valley RC Park",
                "2024-07-13"));
    // Six races: the event page lists the broken one too, with its class and round.
    assertThat(
            TestPostgres.rows(
                "SELECT race_id, class_name, round, length_kind, coalesce(length_seconds::text, length_laps::text),"
                    + " coalesce(drivers::text, '-') FROM "
                    + s
                    + ".races ORDER BY race_id"))
        .containsExactly(
            List.of("530101", "1/8 Nitro Buggy", "Qualifier Round 1", "timed", "360", "8"),
            List.of("530102", "1/8 Nitro Buggy", "Qualifier Round 2", "timed", "360", "8"),
            Arrays.asList("530103", "1/8 Electric Buggy", "Qualifier Round 1", null, null, "-"),
            List.of("530111", "1/8 Nitro Buggy", "B-Main", "timed", "480", "7"),
            List.of("530112", "1/8 Nitro Buggy", "A-Main", "timed", "600", "10"),
            List.of("530115", "1/8 Electric Buggy", "A-Main", "laps", "15", "8"));
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".race_results")).isEqualTo(41);
    // Foreign keys from child to parent, on the parent's natural key.
    assertThat(
            TestPostgres.rows(
                "SELECT conrelid::regclass::text, confrelid::regclass::text,"
                    + " pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'"
                    + " AND connamespace = '"
                    + s
                    + "'::regnamespace ORDER BY 1"))
        .containsExactly(
            List.of(
                s + ".laps",
                s + ".race_results",
                "FOREIGN KEY (source, event_id, race_id, driver_id) REFERENCES "
                    + s
                    + ".race_results(source, event_id, race_id, driver_id)"),
            List.of(
                s + ".race_results",
                s + ".races",
                "FOREIGN KEY (source, event_id, race_id) REFERENCES "
                    + s
                    + ".races(source, event_id, race_id)"),
            List.of(
                s + ".races",
                s + ".events",
                "FOREIGN KEY (source, event_id) REFERENCES " + s + ".events(source, event_id)"));
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".laps")).isEqualTo(487);
    assertThat(first.summary())
        .containsEntry("events_inserted", 1L)
        .containsEntry("races_inserted", 6L)
        .containsEntry("results_inserted", 41L)
        .containsEntry("laps_inserted", 487L)
        .containsEntry("races_updated", 0L)
        .containsEntry("laps_updated", 0L)
        .containsEntry("races_complete", 5L)
        .containsEntry("races_failed", 1L);

    // Lap 0 is the start line, never a lap: the driver who only crossed it has a result, no laps;
    // the non-starter has a result with no stats and no laps.
    assertThat(
            TestPostgres.rows(
                "SELECT r.driver_name, r.laps::text, coalesce(r.fast_lap::text, '-'), count(l.*)::text FROM "
                    + s
                    + ".race_results r LEFT JOIN "
                    + s
                    + ".laps l USING (source, event_id, race_id, driver_id)"
                    + " WHERE (r.race_id, r.driver_name) IN (('530111', 'Sean Gallagher'), ('530112', 'Derek Vaughn'))"
                    + " GROUP BY r.driver_name, r.laps, r.fast_lap ORDER BY r.driver_name"))
        .containsExactly(
            List.of("Derek Vaughn", "0", "-", "0"), List.of("Sean Gallagher", "0", "-", "0"));
    assertThat(TestPostgres.scalar("SELECT min(lap_number) FROM " + s + ".laps")).isEqualTo(1);
    // The laps of five races went in one statement, or two when Flink's first checkpoint (at a
    // random time within the interval) came during the load: never a statement per race.
    assertThat(
            TestPostgres.scalar(
                "SELECT sum(inserted) FROM "
                    + s
                    + ".ingest_counts WHERE table_name = '"
                    + s
                    + ".laps'"))
        .isEqualTo(487);
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".ingest_counts WHERE table_name = '" + s + ".laps'"))
        .as("statements that wrote laps")
        .isBetween(1L, 2L);

    // The broken page: one reject with its reason, no result or lap rows, its race failed; every
    // other race complete with what the tables hold.
    assertThat(
            TestPostgres.rows(
                "SELECT regexp_replace(file, '.*/', ''), line_number::text, reason FROM "
                    + s
                    + ".ingest_rejects"))
        .containsExactly(
            List.of(
                "race-530103.html",
                "1",
                "racerLaps[3010304] (Hector Ruiz): the object literal ends before its closing brace"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".race_results WHERE race_id = '530103'"))
        .isZero();
    assertThat(
            TestPostgres.rows(
                "SELECT st.race_id, st.status, st.laps_written::text, st.highest_lap::text,"
                    + " regexp_replace(st.source_file, '.*/', ''), coalesce(st.reason, '-') FROM "
                    + s
                    + ".race_ingest_status st ORDER BY st.race_id"))
        .containsExactly(
            List.of("530101", "complete", count(s, "530101"), "11", "race-530101.html", "-"),
            List.of("530102", "complete", count(s, "530102"), "10", "race-530102.html", "-"),
            Arrays.asList(
                "530103",
                "failed",
                "0",
                null,
                "race-530103.html",
                "racerLaps[3010304] (Hector Ruiz): the object literal ends before its closing brace"),
            List.of("530111", "complete", count(s, "530111"), "12", "race-530111.html", "-"),
            List.of("530112", "complete", count(s, "530112"), "17", "race-530112.html", "-"),
            List.of("530115", "complete", count(s, "530115"), "15", "race-530115.html", "-"));

    assertThat(TestPostgres.scalar("SELECT sum(laps_written) FROM " + s + ".race_ingest_status"))
        .isEqualTo(487);

    assertThat(
            TestPostgres.rows(
                "SELECT driver_name, position::text FROM "
                    + s
                    + ".race_results"
                    + " WHERE race_id = '530112' AND driver_name IN ('Austin Pike', 'Tyler Brennan') ORDER BY position"))
        .containsExactly(List.of("Tyler Brennan", "3"), List.of("Austin Pike", "4"));

    // Re-scored A-Main from another file: two positions and one lap change, and Tyler Brennan
    // loses his last two laps (16 laps, now 14): they are gone, nothing else is.
    String others = LapsTimingITCase.xmins(s, "race_id <> '530112'");
    String before = count(s, "530112");
    RunResult rescored = run(spec(s, RESCORED));

    assertThat(rescored.summary())
        .containsEntry("results_inserted", 0L)
        .containsEntry("results_updated", 2L)
        .containsEntry("laps_inserted", 0L)
        .containsEntry("laps_updated", 1L)
        .containsEntry("races_updated", 0L)
        .containsEntry("races_complete", 1L);
    assertThat(
            TestPostgres.rows(
                "SELECT driver_name, position::text FROM "
                    + s
                    + ".race_results"
                    + " WHERE race_id = '530112' AND driver_name IN ('Austin Pike', 'Tyler Brennan') ORDER BY position"))
        .containsExactly(List.of("Austin Pike", "3"), List.of("Tyler Brennan", "4"));
    assertThat(
            TestPostgres.rows(
                "SELECT l.lap_time::text FROM "
                    + s
                    + ".laps l JOIN "
                    + s
                    + ".race_results r"
                    + " USING (source, event_id, race_id, driver_id)"
                    + " WHERE r.race_id = '530112' AND r.driver_name = 'Ryan Caldwell' AND l.lap_number = 11"))
        .containsExactly(List.of("46.576"));
    assertThat(LapsTimingITCase.xmins(s, "race_id <> '530112'")).isEqualTo(others);
    assertThat(count(s, "530112")).isEqualTo(String.valueOf(Long.parseLong(before) - 2));
    assertThat(
            TestPostgres.rows(
                "SELECT count(*)::text, max(l.lap_number)::text, min(l.lap_number)::text FROM "
                    + s
                    + ".laps l JOIN "
                    + s
                    + ".race_results r"
                    + " USING (source, event_id, race_id, driver_id)"
                    + " WHERE r.race_id = '530112' AND r.driver_name = 'Tyler Brennan'"))
        .containsExactly(List.of("14", "14", "1"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + s
                    + ".race_ingest_status WHERE race_id = '530112' AND status = 'complete'"))
        .as("a status row per race and source file")
        .isEqualTo(2);
  }

  private static String count(String s, String race) throws Exception {
    return String.valueOf(
        TestPostgres.scalar("SELECT count(*) FROM " + s + ".laps WHERE race_id = '" + race + "'"));
  }
}
