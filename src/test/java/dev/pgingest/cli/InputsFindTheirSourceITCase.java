package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run jobs/laps-timing-csv.yaml --input …} as a new user types it, with one timing export
 * (the shipped {@code fp1.csv} sample, 80 laps, renamed {@code export.CSV} as exports come): the
 * spec has two sources, and the file goes to the one that recognizes it, not to both (before, the
 * telemetry source read it too and the run failed with "Error budget exceeded: … records
 * rejected"). A file no source recognizes is one reject and a note; {@code --input timing=PATH}
 * names the source.
 */
class InputsFindTheirSourceITCase {

  private static final Path FP1 = Path.of("jobs/samples/laps/timing/spa-6h-2024/fp1.csv");

  /** The sample as a user's export: its event's folder, an upper-case name. */
  private static Path export(Path dir) throws Exception {
    Path event = Files.createDirectories(dir.resolve("in").resolve("spa-6h-2024"));
    return Files.copy(FP1, event.resolve("export.CSV"));
  }

  private static MainTest.Outcome run(Path home, String schema, String... inputs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "jobs/laps-timing-csv.yaml",
                "--jdbc-url",
                TestPostgres.url(),
                "--set",
                "target.schema=" + schema,
                "--set",
                "checkpoint-interval=500ms",
                "--home",
                home.resolve("home").toString()));
    for (String in : inputs) {
      args.add("--input");
      args.add(in);
    }
    return MainTest.run(args.toArray(String[]::new));
  }

  private static long count(String schema, String table) throws Exception {
    return TestPostgres.scalar("SELECT count(*) FROM " + schema + "." + table);
  }

  @Test
  void oneTimingExportGoesToTheTimingSourceAndLoadsEveryLap(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("inputs_sniffed");

    MainTest.Outcome o = run(dir, schema, export(dir).toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).doesNotContain("Error budget exceeded");
    assertThat(count(schema, "laps")).isEqualTo(80);
    assertThat(count(schema, "race_results")).isEqualTo(8);
    assertThat(count(schema, "ingest_rejects")).isZero();
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + schema + ".laps WHERE source <> 'timing'"))
        .isZero();
  }

  @Test
  void aFileNoSourceRecognizesIsOneRejectAndANote(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("inputs_unknown");
    Path other = Files.writeString(dir.resolve("prices.csv"), "sku,price\nA1,2.5\nA2,3.0\n");

    MainTest.Outcome o = run(dir, schema, export(dir).toString(), other.toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.out())
        .contains(
            other
                + " is read by no source: none recognizes it by content (tried timing"
                + " (timing-csv), telemetry (lap-telemetry)); one reject each");
    assertThat(count(schema, "laps")).isEqualTo(80);
    assertThat(
            TestPostgres.rows(
                "SELECT file, line_number::text, reason FROM " + schema + ".ingest_rejects"))
        .containsExactly(
            List.of(
                other.toString(),
                "0",
                "no source of the job recognizes this file by its content (tried timing"
                    + " (timing-csv), telemetry (lap-telemetry)); name its source with --input"
                    + " SOURCE=PATH"));
  }

  @Test
  void sourceEqualsPathNamesTheSourceAndAnUnknownNameIsAUsageError(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("inputs_named");
    Path export = export(dir);

    MainTest.Outcome o = run(dir, schema, "timing=" + export);

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(count(schema, "laps")).isEqualTo(80);
    assertThat(count(schema, "ingest_rejects")).isZero();

    MainTest.Outcome bad = run(dir, schema, "timings=" + export);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "pgingest: --input timings="
                + export
                + ": the spec has no source 'timings'; its sources are timing, telemetry");
  }
}
