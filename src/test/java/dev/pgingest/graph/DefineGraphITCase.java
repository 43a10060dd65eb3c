package dev.pgingest.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Specs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link IngestGraph#define} end to end without a database: {@code jobs/profiles.yaml} reads its
 * sample's files and runs the whole graph into a collecting sink, which must receive exactly the
 * rows and rejects that {@code jobs/samples/profiles/README.md} states.
 */
class DefineGraphITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Path SAMPLE = Path.of("jobs", "samples", "profiles");
  private static final long RUN_ID = 7001;
  private static final int RAW = 0;
  private static final int GLOBAL = 1;

  private static ResolvedJob<?, ?> job;
  private static List<TableRow> rows;
  private static List<Reject> rejects;

  @BeforeAll
  static void runGraph() throws Exception {
    JobSpec spec =
        Specs.shipped(
            "profiles",
            List.of(
                SAMPLE.resolve("scrape-2026-11-01.jsonl"), SAMPLE.resolve("export-2026-11-02.csv")),
            Map.of(
                "checkpoint-interval", "500ms", "flush-interval", "50ms", "restart-attempts", "0"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    IngestGraph.configure(env, spec.options());
    ResolvedJob<?, TableRow> resolved = declared(ResolvedJob.of(spec)).forRun(RUN_ID);
    job = resolved;
    CollectingSinks<TableRow> sinks = new CollectingSinks<>();
    IngestGraph.define(env, resolved, JobSources.FILES, sinks);
    CollectingSinks.Collected<TableRow> out = sinks.execute(env, "profiles without a database");
    rows =
        out.rows().stream()
            .sorted(
                Comparator.comparingInt(TableRow::table)
                    .thenComparing(TableRow::file)
                    .thenComparingLong(TableRow::line))
            .toList();
    rejects = out.rejects().stream().sorted(Comparator.comparingLong(Reject::line)).toList();
  }

  /** The profiles job is declared, so its rows are declared tables' rows. */
  @SuppressWarnings("unchecked")
  private static ResolvedJob<?, TableRow> declared(ResolvedJob<?, ?> job) {
    assertThat(job.pipeline()).isInstanceOf(DeclaredPipeline.class);
    return (ResolvedJob<?, TableRow>) job;
  }

  private static List<TableRow> table(int index) {
    return rows.stream().filter(r -> r.table() == index).toList();
  }

  private static TableRow row(int table, String file, long line) {
    return table(table).stream()
        .filter(r -> r.file().endsWith(file) && r.line() == line)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theSinkReceivesEveryAcceptedRecordRawAndEachIdOnce() {
    assertThat(job.tables())
        .extracting(TableDef::table)
        .containsExactly("raw_scraped_profiles", "global_usernames");
    assertThat(table(RAW)).hasSize(68);
    assertThat(table(GLOBAL)).hasSize(51);
    assertThat(table(GLOBAL)).extracting(r -> r.values()[0]).doesNotHaveDuplicates();
    // Nothing of a rejected record reaches any table.
    assertThat(rows).noneMatch(r -> Arrays.asList(r.values()).contains("5501000016"));
  }

  @Test
  void theTwoRejectsNameTheirFileLineAndColumn() {
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0).file()).endsWith("scrape-2026-11-01.jsonl");
    assertThat(rejects.get(0).line()).isEqualTo(20);
    assertThat(rejects.get(0).reason())
        .isEqualTo("raw_scraped_profiles.profile_id: no value in field 'id'");
    assertThat(rejects.get(1).file()).endsWith("export-2026-11-02.csv");
    assertThat(rejects.get(1).line()).isEqualTo(22);
    assertThat(rejects.get(1).reason())
        .isEqualTo(
            "raw_scraped_profiles.follower_count: '12k' is not a whole number in bigint's range");
  }

  @Test
  void rowsCarryTheRunTheirPlaceAndTheirFields() {
    TableRow first = row(RAW, "scrape-2026-11-01.jsonl", 1);
    assertThat(Arrays.asList(first.values()).subList(0, 8))
        .containsExactly(
            String.valueOf(RUN_ID),
            first.file(),
            "1",
            "5401234567",
            "wanderlust.mara",
            "Mara Jensen",
            "Travel | Photography 📸\nBased in Copenhagen 🇩🇰",
            "2036");
    // A null JSON value stays null; the global row takes the run that first saw the id.
    TableRow pine = row(GLOBAL, "scrape-2026-11-01.jsonl", 3);
    assertThat(Arrays.asList(pine.values()))
        .containsExactly("5401234569", "pixel.and.pine", null, String.valueOf(RUN_ID));
    // A quoted CSV biography keeps its line break and doubled quotes.
    assertThat(row(RAW, "export-2026-11-02.csv", 2).values()[6])
        .isEqualTo("Film photography only 🎞️\n35mm, 120, \"whatever's cheap\"");
  }
}
