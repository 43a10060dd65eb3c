package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code insert-if-new} across files read in parallel: the record at the earliest position in file
 * order (path, then line) wins, whichever reader reaches the key first, on both write paths.
 */
class InsertIfNewOrderITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final String SPEC =
      """
      name: first-wins
      source:
        format: csv
        paths: [in]
      tables:
        - name: users
          mode: insert-if-new
          key: [id]
          columns:
            - { name: id, type: bigint, field: id }
            - { name: name, type: text, field: name }
      options:
        parallelism: 2
        checkpoint-interval: 500ms
        flush-interval: 20ms
        batch-rows: 10
        restart-attempts: 0
      """;

  /**
   * Key 1 is the last line of {@code a.csv} and the first of {@code b.csv}: b's reader meets it
   * thousands of lines before a's does, yet a's record is the earlier one in file order and wins.
   * Key 3, in both files, was in the table before the run and keeps its row.
   */
  @ParameterizedTest(name = "write-path {0}")
  @ValueSource(strings = {"upsert", "copy"})
  void theEarliestRecordInFileOrderWins(String path, @TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("first_wins");
    Path in = Files.createDirectories(dir.resolve("in"));
    StringBuilder a = new StringBuilder("id,name\n");
    for (int i = 2; i < 4002; i++) {
      a.append(i).append(",a").append(i).append('\n');
    }
    a.append("1,from-a\n");
    Files.writeString(in.resolve("a.csv"), a);
    StringBuilder b = new StringBuilder("id,name\n1,from-b\n");
    for (int i = 4002; i < 8002; i++) {
      b.append(i).append(",b").append(i).append('\n');
    }
    b.append("3,b-again\n");
    Files.writeString(in.resolve("b.csv"), b);
    JobSpec spec =
        JobSpecParser.parse(
            SPEC,
            "first-wins.yaml",
            dir,
            Map.of("target.schema", schema, "write-path", path, "max-records-per-second", "4000"));

    // A row the table held before the run: neither record of key 3 may touch it.
    try (Connection c = TestPostgres.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("CREATE TABLE " + schema + ".users (id bigint PRIMARY KEY, name text)");
      st.execute("INSERT INTO " + schema + ".users VALUES (3, 'before')");
    }

    RunResult r =
        new IngestRun(spec, TestPostgres.database())
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    assertThat(
            TestPostgres.rows(
                "SELECT name FROM " + schema + ".users WHERE id IN (1, 3) ORDER BY id"))
        .containsExactly(List.of("from-a"), List.of("before"));
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".users")).isEqualTo(8001);
    assertThat(r.tables().get("users").inserted()).isEqualTo(8000);
    assertThat(r.tables().get("users").skipped()).isEqualTo(3);
    assertThat(r.tables().get("users").duplicates()).isEqualTo(2);
  }
}
