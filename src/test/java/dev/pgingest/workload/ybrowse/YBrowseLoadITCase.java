package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The YBrowse job end to end on a MiniCluster and a real PostgreSQL: rows, rejects, counts. */
class YBrowseLoadITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final Path EDGE = Specs.fixture("workload/ybrowse/edge_cases.gff3");
  private static final Path ACROSS = Specs.fixture("workload/ybrowse/repeats_across_files.gff3");

  /** Expected rows: canonical_name, haplogroup, coordinates, aliases, evidence (jsonb text). */
  private static final List<List<String>> EXPECTED =
      List.of(
          row(
              "M269",
              "R1b1a1b",
              100,
              "T",
              "C",
              "[\"M269\"]",
              "{\"count_derived\": 7, \"count_tested\": 12, \"isogg_haplogroup\": \"R1b1a1b\","
                  + " \"ref\": \"ISOGG (2015)\", \"ycc_haplogroup\": \"R1b\"}"),
          row("M269", "R1b1a2", 1100, "T", "C", "[\"M269\"]", "{\"isogg_haplogroup\": \"R1b1a2\"}"),
          row(
              "U106",
              "R1b",
              200,
              "G",
              "A",
              "[\"M405\", \"S21\", \"U106\"]",
              "{\"mutation\": \"G to A\", \"ycc_haplogroup\": \"R1b\"}"),
          row(null, null, 300, "A", "G", "[]", "{\"count_tested\": 2}"),
          row(
              "Z381",
              null,
              500,
              "C",
              "T",
              "[\"S263\", \"Z381\", \"Z381.1\"]",
              "{\"ref\": \"YFull (2020)\", \"yfull_node\": \"R-Z381\"}"),
          row(
              "L21",
              "R1b1a1b1a1a2c1",
              800,
              "C",
              "G",
              "[\"L21\"]",
              // "abc" in one file, 5 in the other: a number beats a string, in either order.
              "{\"count_tested\": 5, \"isogg_haplogroup\": \"R1b1a1b1a1a2c1\"}"),
          row(
              "DF13",
              "R1b1a1b1a1a2c1a1",
              900,
              "C",
              "T",
              "[\"DF13\"]",
              "{\"isogg_haplogroup\": \"R1b1a1b1a1a2c1a1\"}"));

  private static List<String> row(
      String name, String hg, long pos, String anc, String der, String aliases, String evidence) {
    String coords =
        "{\"GRCh38\": {\"anc\": \""
            + anc
            + "\", \"der\": \""
            + der
            + "\", \"end\": "
            + pos
            + ", \"start\": "
            + pos
            + ", \"contig\": \"chrY\"}}";
    return Arrays.asList(name, hg, coords, aliases, evidence);
  }

  private static JobSpec spec(String schema, List<Path> inputs, Map<String, String> extra) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    // The edge-case file is a quarter rejects on purpose.
    o.put("max-reject-ratio", "1");
    o.putAll(extra);
    return Specs.shipped("ybrowse-variants", inputs, o);
  }

  private static RunResult load(JobSpec spec) {
    return new IngestRun(spec, TestPostgres.database())
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static List<List<String>> variants(String schema) throws Exception {
    return TestPostgres.rows(
        "SELECT canonical_name, haplogroup, coordinates::text, aliases::text, evidence::text FROM "
            + schema
            + ".variant ORDER BY coordinates->'GRCh38'->'start'");
  }

  /**
   * batch-rows 1 makes PostgreSQL merge every repeat; 5000 makes the batcher merge them in memory
   * before one statement: both must give the same rows, with batch rewriting on.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 5000})
  void loadsExactRowsAndRejectsWithLineNumbers(int batchRows) throws Exception {
    String schema = TestPostgres.freshSchema("edge");
    RunResult r =
        load(spec(schema, List.of(EDGE, ACROSS), Map.of("batch-rows", String.valueOf(batchRows))));

    List<List<String>> expectedSorted = new ArrayList<>();
    for (List<String> e :
        EXPECTED.stream().sorted(Comparator.comparingLong(YBrowseLoadITCase::startOf)).toList()) {
      expectedSorted.add(asJsonbText(e));
    }
    assertThat(variants(schema)).containsExactlyElementsOf(expectedSorted);

    String edge = EDGE.toAbsolutePath().toString();
    assertThat(
            TestPostgres.rows(
                "SELECT file, line_number::text AS line, reason FROM "
                    + schema
                    + ".ingest_rejects ORDER BY line_number"))
        .extracting(l -> l.get(0), l -> l.get(1))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(edge, "7"),
            org.assertj.core.groups.Tuple.tuple(edge, "10"),
            org.assertj.core.groups.Tuple.tuple(edge, "14"),
            org.assertj.core.groups.Tuple.tuple(edge, "18"));
    List<String> reasons =
        TestPostgres.rows("SELECT reason FROM " + schema + ".ingest_rejects ORDER BY line_number")
            .stream()
            .map(l -> l.get(0))
            .toList();
    assertThat(reasons.get(0)).contains("non-numeric end");
    assertThat(reasons.get(1)).contains("start 700 is greater than end 600");
    assertThat(reasons.get(2)).contains("expected 9 tab-separated columns, found 4");
    assertThat(reasons.get(3)).contains("bad percent-escape '%G1'");

    TableSummary s = r.tables().get("variant");
    assertThat(s).isNotNull();
    // 15 items in edge_cases (11 records, 4 rejects) + 3 in the other file.
    assertThat(s.read()).isEqualTo(18);
    assertThat(s.rejected()).isEqualTo(4);
    assertThat(s.duplicates()).isEqualTo(7);
    assertThat(s.inserted()).isEqualTo(7);
    assertThat(s.updated()).isZero();
    assertThat(s.unchanged()).isZero();

    assertThat(
            TestPostgres.rows(
                "SELECT status, read::text, rejected::text, inserted::text FROM "
                    + schema
                    + ".ingest_runs WHERE run_id = "
                    + r.runId()))
        .containsExactly(List.of("succeeded", "18", "4", "7"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = '"
                    + schema
                    + "' AND indexname IN ('variant_coordinates_gin', 'variant_aliases_gin',"
                    + " 'variant_named_uq')"))
        .isEqualTo(3);
  }

  /** The expected JSON as PostgreSQL prints jsonb (its own key order), text columns as they are. */
  private static List<String> asJsonbText(List<String> row) throws Exception {
    List<String> out = new ArrayList<>(row.subList(0, 2));
    for (String json : row.subList(2, 5)) {
      out.add(
          TestPostgres.rows("SELECT '" + json.replace("'", "''") + "'::jsonb::text").get(0).get(0));
    }
    return out;
  }

  private static long startOf(List<String> row) {
    String c = row.get(2);
    int i = c.indexOf("\"start\": ") + 9;
    return Long.parseLong(c.substring(i, c.indexOf(',', i)));
  }

  /**
   * Batches of one row make PostgreSQL merge every repeat on its own, conflicting values included
   * (count_tested 1 then 2; "abc" then 5): the merge must still change nothing.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 5000})
  void reloadingTheSameInputChangesNothingAndWritesNoRowVersions(int batchRows) throws Exception {
    String schema = TestPostgres.freshSchema("reload");
    JobSpec spec =
        spec(schema, List.of(EDGE, ACROSS), Map.of("batch-rows", String.valueOf(batchRows)));
    load(spec);
    String versions =
        "SELECT variant_key, xmin::text, ctid::text FROM " + schema + ".variant ORDER BY 1";
    List<List<String>> before = TestPostgres.rows(versions);

    // --force: the file ledger would otherwise skip the unchanged files without reading them.
    RunResult again =
        new IngestRun(spec, TestPostgres.database())
            .force(true)
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    TableSummary s = again.tables().get("variant");
    assertThat(s.inserted()).isZero();
    assertThat(s.updated()).isZero();
    assertThat(s.unchanged()).isEqualTo(7);
    assertThat(TestPostgres.rows(versions)).isEqualTo(before);
    assertThat(variants(schema)).hasSize(7);
  }

  @Test
  void hg19AfterHg38AddsGrch37CoordinatesToTheSameVariants() throws Exception {
    String schema = TestPostgres.freshSchema("assemblies");
    load(spec(schema, List.of(Specs.fixture("workload/ybrowse/same_snps_hg38.gff3")), Map.of()));
    RunResult hg19 =
        load(
            spec(
                schema,
                List.of(Specs.fixture("workload/ybrowse/same_snps_hg19.gff3")),
                Map.of("source.assembly", "GRCh37")));

    assertThat(hg19.tables().get("variant").updated()).isEqualTo(2);
    assertThat(hg19.tables().get("variant").inserted()).isZero();
    assertThat(
            TestPostgres.rows(
                "SELECT canonical_name, coordinates->'GRCh38'->>'start',"
                    + " coordinates->'GRCh37'->>'start' FROM "
                    + schema
                    + ".variant ORDER BY canonical_name"))
        .containsExactly(
            List.of("M269", "2661009", "2793009"), List.of("Z381", "2787139", "2655180"));
  }

  @Test
  void tooManyRejectsFailTheRunWithOneSentence() {
    String schema = TestPostgres.freshSchema("budget");
    JobSpec spec = spec(schema, List.of(EDGE), Map.of("max-rejects", "2"));
    assertThatThrownBy(() -> load(spec))
        .isInstanceOf(RunFailure.class)
        .hasMessageStartingWith(
            "Error budget exceeded: more than 2 records rejected (max-rejects 2);")
        .hasMessageContaining("edge_cases.gff3:7 (");
  }

  @Test
  void tooHighARejectRatioFailsTheRunAndSaysWhere() throws Exception {
    String schema = TestPostgres.freshSchema("ratio");
    JobSpec spec = spec(schema, List.of(EDGE), Map.of("max-reject-ratio", "0.1"));
    assertThatThrownBy(() -> load(spec))
        .isInstanceOf(RunFailure.class)
        .hasMessageStartingWith("Error budget exceeded: 4 of 15 records rejected (26.7%")
        .hasMessageContaining("edge_cases.gff3:7 (")
        .hasMessageContaining("edge_cases.gff3:10 (");
    assertThat(TestPostgres.rows("SELECT status FROM " + schema + ".ingest_runs"))
        .containsExactly(List.of("failed"));
  }
}
