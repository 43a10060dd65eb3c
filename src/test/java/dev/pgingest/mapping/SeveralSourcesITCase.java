package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.testutil.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job declared in YAML with two sources of their own format, paths and tables: a
 * semicolon-separated timing export with padded header names and quoted multi-line fields, and
 * JSONL; gzip and a BOM on the way.
 */
class SeveralSourcesITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final String SPEC =
      """
      name: two-sources
      sources:
        - name: timing
          format: csv
          paths: [timing]
          csv: { delimiter: ";" }
          null-tokens: [""]
          tables: [laps]
        - name: drivers
          format: jsonl
          paths: [drivers]
          tables: [drivers]
      tables:
        - name: laps
          mode: replace
          key: [session, car, lap]
          columns:
            - { name: session, type: text, field: SESSION }
            - { name: car, type: integer, field: NUMBER }
            - { name: lap, type: integer, field: LAP_NUMBER }
            - { name: lap_time, type: numeric, field: LAP_TIME }
            - { name: pit, type: boolean, field: PIT }
            - { name: remark, type: text, field: REMARK }
        - name: drivers
          mode: insert-if-new
          key: [driver_id]
          columns:
            - { name: driver_id, type: bigint, field: id, required: true }
            - { name: name, type: text, field: name }
            - { name: born, type: date, field: born }
            - { name: extra, type: jsonb, field: extra }
      options:
        checkpoint-interval: 500ms
        flush-interval: 50ms
        restart-attempts: 0
        max-reject-ratio: 1
      """;

  @Test
  void eachSourceFeedsItsOwnTableInItsOwnFormat(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("sources");
    Files.createDirectories(dir.resolve("timing"));
    Files.createDirectories(dir.resolve("drivers"));
    Files.write(
        dir.resolve("timing").resolve("session-1.csv"),
        ("\uFEFFSESSION; NUMBER; LAP_NUMBER;  LAP_TIME; PIT; REMARK\r\n"
                + "Q1;7;1;92.114;false;\r\n"
                + "Q1;7;2;91.870;false;\"clean; fast\"\r\n"
                + "Q1;9;1;93.002;true;\"in lap,\r\nslow \"\"traffic\"\"\"\r\n"
                + "Q1;9;2;not-a-time;false;\r\n"
                + "Q1;7;2;91.500;false;corrected\r\n")
            .getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        dir.resolve("drivers").resolve("drivers.jsonl"),
        """
        {"id": 7, "name": "Ada", "born": "1990-04-01", "extra": {"team": "A", "tags": [1, 2]}}
        {"id": 9, "name": "Bo", "born": null, "extra": null}
        {"id": 7, "name": "Ada again", "born": "1990-04-01"}
        """);
    JobSpec spec =
        JobSpecParser.parse(SPEC, "two-sources.yaml", dir, Map.of("target.schema", schema));

    RunResult r =
        new IngestRun(spec, TestPostgres.database())
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    assertThat(
            TestPostgres.rows(
                "SELECT session, car::text, lap::text, lap_time::text, pit::text, remark FROM "
                    + schema
                    + ".laps ORDER BY car, lap"))
        .containsExactly(
            Arrays.asList("Q1", "7", "1", "92.114", "false", null),
            List.of("Q1", "7", "2", "91.500", "false", "corrected"),
            List.of("Q1", "9", "1", "93.002", "true", "in lap,\nslow \"traffic\""));
    assertThat(
            TestPostgres.rows(
                "SELECT driver_id::text, name, born::text, extra->>'team' FROM "
                    + schema
                    + ".drivers ORDER BY driver_id"))
        .containsExactly(
            List.of("7", "Ada", "1990-04-01", "A"), Arrays.asList("9", "Bo", null, null));
    assertThat(
            TestPostgres.rows(
                "SELECT file LIKE '%session-1.csv', line_number::text, reason FROM "
                    + schema
                    + ".ingest_rejects"))
        .containsExactly(List.of("t", "6", "laps.lap_time: 'not-a-time' is not a number"));
    assertThat(r.tables().get("laps").inserted()).isEqualTo(3);
    assertThat(r.tables().get("laps").duplicates()).isEqualTo(1);
    assertThat(r.tables().get("drivers").inserted()).isEqualTo(2);
    assertThat(r.tables().get("drivers").skipped()).isEqualTo(1);
  }
}
