package dev.pgingest.workload.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/profiles.yaml}, a workload declared in YAML alone: its sample and generated dumps
 * into the raw table (append) and the global usernames (insert-if-new), with the counts the spec
 * names.
 */
class ProfilesITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final Path SAMPLE = Path.of("jobs", "samples", "profiles");

  private static JobSpec spec(String schema, List<Path> inputs) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    return Specs.shipped("profiles", inputs, o);
  }

  private static RunResult run(JobSpec spec, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static long count(String schema, String table) throws Exception {
    return TestPostgres.scalar("SELECT count(*) FROM " + schema + "." + table);
  }

  @Test
  void theSampleLoadsIntoBothTablesWithExactCountsAndASecondForcedRunAddsOnlyRawRows()
      throws Exception {
    String schema = TestPostgres.freshSchema("profiles");

    RunResult first = run(spec(schema, List.of(SAMPLE)), false);

    // Figures of jobs/samples/profiles/README.md, recounted by ProfilesSampleTest.
    assertThat(count(schema, "raw_scraped_profiles")).isEqualTo(68);
    assertThat(count(schema, "global_usernames")).isEqualTo(51);
    assertThat(first.summary())
        .containsExactly(
            Map.entry("inserted_raw", 68L),
            Map.entry("added_to_global", 51L),
            Map.entry("skipped_existing", 17L));
    assertThat(first.tables().get("raw_scraped_profiles").read()).isEqualTo(70);
    assertThat(first.tables().get("raw_scraped_profiles").rejected()).isEqualTo(2);
    assertThat(
            TestPostgres.rows(
                "SELECT file LIKE '%scrape-2026-11-01.jsonl', line_number, reason FROM "
                    + schema
                    + ".ingest_rejects ORDER BY line_number"))
        .containsExactly(
            List.of("t", "20", "raw_scraped_profiles.profile_id: no value in field 'id'"),
            List.of(
                "f",
                "22",
                "raw_scraped_profiles.follower_count: '12k' is not a whole number in bigint's range"));
    // A multi-line quoted biography from the CSV, kept whole; the JSONL record kept as jsonb.
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + schema
                    + ".raw_scraped_profiles WHERE biography LIKE '%' || chr(10) || '%'"))
        .isPositive();
    assertThat(
            TestPostgres.rows(
                "SELECT record->>'username', username, profile_id::text FROM "
                    + schema
                    + ".raw_scraped_profiles WHERE source_file LIKE '%.jsonl' AND line_number = 1"))
        .singleElement()
        .satisfies(r -> assertThat(r.get(0)).isEqualTo(r.get(1)));
    // Each id once, with its first record's run, and the table's own defaults.
    assertThat(
            TestPostgres.rows(
                "SELECT count(DISTINCT id), bool_and(NOT used), min(status), max(status), min(first_seen_run)"
                    + " = max(first_seen_run) FROM "
                    + schema
                    + ".global_usernames"))
        .containsExactly(List.of("51", "t", "new", "new", "t"));

    // The ledger would skip the unchanged files: forced, they are read again.
    RunResult second = run(spec(schema, List.of(SAMPLE)), true);
    assertThat(count(schema, "raw_scraped_profiles")).isEqualTo(136);
    assertThat(count(schema, "global_usernames")).isEqualTo(51);
    assertThat(second.summary())
        .containsExactly(
            Map.entry("inserted_raw", 68L),
            Map.entry("added_to_global", 0L),
            Map.entry("skipped_existing", 68L));
  }

  @Test
  void aDumpWhoseIdsHalfOverlapTheTableSplitsExactly(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("overlap");
    Path a = dir.resolve("a.jsonl");
    ProfilesDump.Stats sa = ProfilesDump.write(a, 1000, 0, 0, 11);
    run(spec(schema, List.of(a)), false);
    assertThat(count(schema, "global_usernames")).isEqualTo(sa.distinctIds()).isEqualTo(1000);

    // Half of b is a's last 500 profiles (scraped again), half profiles never seen.
    Path fresh = dir.resolve("fresh.jsonl");
    ProfilesDump.write(fresh, 500, 0, 10_000_000_000L, 12);
    List<String> lines = Files.readAllLines(a);
    Path b = dir.resolve("later").resolve("b.jsonl");
    Files.createDirectories(b.getParent());
    List<String> mixed = new ArrayList<>(lines.subList(500, 1000));
    mixed.addAll(Files.readAllLines(fresh));
    Files.write(b, mixed);

    RunResult r = run(spec(schema, List.of(b)), false);

    assertThat(r.summary())
        .containsExactly(
            Map.entry("inserted_raw", 1000L),
            Map.entry("added_to_global", 500L),
            Map.entry("skipped_existing", 500L));
    assertThat(count(schema, "global_usernames")).isEqualTo(1500);
    assertThat(count(schema, "raw_scraped_profiles")).isEqualTo(2000);
  }

  @Test
  void aUsernameTooLongForTheUsersVarcharIsRejectedAloneAndTheRestIsWritten(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("poison");
    try (Connection c = TestPostgres.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      // The user's own table: a narrower username than pgingest would make.
      st.execute(
          "CREATE TABLE "
              + schema
              + ".global_usernames (id bigint PRIMARY KEY, username varchar(20),"
              + " full_name text, used boolean NOT NULL DEFAULT false, status text NOT NULL DEFAULT"
              + " 'new', first_seen_run bigint, created_at timestamptz NOT NULL DEFAULT now())");
    }
    Path in = dir.resolve("p.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      String user = i == 17 ? "a.username.far.too.long.for.twenty" : "user" + i;
      sb.append(
          String.format(
              "{\"id\": %d, \"username\": \"%s\", \"full_name\": \"N %d\", \"follower_count\": %d,"
                  + " \"is_private\": false, \"is_verified\": true, \"scraped_at\":"
                  + " \"2026-11-01T10:00:00Z\"}%n",
              1000 + i, user, i, i * 10));
    }
    Files.writeString(in, sb);

    RunResult r = run(spec(schema, List.of(in)), false);

    assertThat(count(schema, "global_usernames")).isEqualTo(39);
    assertThat(count(schema, "raw_scraped_profiles")).isEqualTo(40);
    assertThat(TestPostgres.rows("SELECT line_number, reason FROM " + schema + ".ingest_rejects"))
        .containsExactly(
            List.of(
                "17",
                schema
                    + ".global_usernames: the database refused the row: value too long for type"
                    + " character varying(20)"));
    assertThat(r.summary().get("added_to_global")).isEqualTo(39);
    assertThat(r.summary().get("skipped_existing")).isZero();
  }
}
