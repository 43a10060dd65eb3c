package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Quickstart's run command in-process: local MiniCluster with web UI, embedded PostgreSQL that
 * keeps its data, summary JSON; and a run that blows its error budget.
 */
class MainITCase {

  @Test
  void embeddedDefaultLoadsTheSampleAndARerunChangesNothing(@TempDir Path home) throws Exception {
    Path json = home.resolve("summary.json");
    MainTest.Outcome first =
        MainTest.run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--home",
            home.toString(),
            "--summary-json",
            json.toString());

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .contains(
            "PostgreSQL (embedded, data in "
                + home.resolve("postgres")
                + "): jdbc:postgresql://127.0.0.1:")
        .containsPattern("Flink web UI: http://127\\.0\\.0\\.1:\\d+/")
        // Another process may hold every port of the default range; the run goes on regardless.
        .containsPattern(
            "Prometheus metrics: (http://127\\.0\\.0\\.1:92(49|5\\d)/metrics|not served: no free port in 9249-9259)")
        .contains("\"public\".\"variant\" now holds 192 rows");
    assertThat(Files.readString(json))
        .contains(
            "\"variant\": {\"read\": 198, \"rejected\": 2, \"rows\": 196, \"duplicates\": 4,"
                + " \"inserted\": 192, \"updated\": 0, \"unchanged\": 0, \"skipped\": 0,");

    MainTest.Outcome second =
        MainTest.run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--home",
            home.toString(),
            "--summary-json",
            json.toString());

    // The file ledger knows the sample was loaded unchanged: no job runs at all.
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("pgingest: skipping 1 file already loaded unchanged by an earlier run")
        .contains("pgingest: nothing to do: every input file was loaded unchanged before");

    MainTest.Outcome forced =
        MainTest.run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--home",
            home.toString(),
            "--force",
            "--summary-json",
            json.toString());

    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(Files.readString(json))
        .contains("\"inserted\": 0, \"updated\": 0, \"unchanged\": 192,");
  }

  @Test
  void exceededErrorBudgetExitsNonZeroWithOneSentence(@TempDir Path home) {
    String schema = TestPostgres.freshSchema("cli_budget");
    MainTest.Outcome o =
        MainTest.run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--input",
            Specs.fixture("workload/ybrowse/edge_cases.gff3").toString(),
            "--jdbc-url",
            TestPostgres.url(),
            "--set",
            "target.schema=" + schema,
            "--set",
            "max-rejects=3",
            "--home",
            home.toString());

    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err())
        .containsPattern(
            "(?m)^pgingest: Error budget exceeded: more than 3 records rejected \\(max-rejects 3\\);"
                + " first at .*edge_cases\\.gff3:7 \\(non-numeric end position.*\\.$");
  }
}
