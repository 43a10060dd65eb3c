package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TableDigest;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COPY path ({@link CopySink}) against the upsert path on the same input: the same tables and
 * counts, chosen automatically for empty tables, and rows PostgreSQL refuses still rejected one by
 * one.
 */
class CopyPathITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static RunResult run(JobSpec spec, List<String> notes, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .withNotes(notes::add)
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static Map<String, String> overrides(String schema, String path) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("write-path", path);
    o.put("checkpoint-interval", "300ms");
    o.put("flush-interval", "50ms");
    o.put("batch-rows", "200");
    o.put("restart-attempts", "0");
    return o;
  }

  /** The summary and every table's counts, without times and run-specific names. */
  private static Map<String, Object> counts(RunResult r) {
    Map<String, Object> m = new LinkedHashMap<>(r.summary());
    r.tables()
        .forEach(
            (t, s) ->
                m.put(
                    t.substring(t.indexOf('.') + 1),
                    List.of(
                        s.read(),
                        s.rejected(),
                        s.rows(),
                        s.duplicates(),
                        s.inserted(),
                        s.updated(),
                        s.unchanged(),
                        s.skipped())));
    return m;
  }

  private static long inserted(RunResult r) {
    return r.tables().values().stream().mapToLong(s -> s.inserted()).sum();
  }

  private static long updated(RunResult r) {
    return r.tables().values().stream().mapToLong(s -> s.updated()).sum();
  }

  private static void assertSameTables(
      String a, String b, List<String> tables, Set<String> runColumns) throws Exception {
    for (String t : tables) {
      TableDigest.Digest da = TableDigest.of(TestPostgres.database(), a, t, runColumns);
      TableDigest.Digest db = TableDigest.of(TestPostgres.database(), b, t, runColumns);
      assertThat(da.rows()).as(t).isPositive();
      assertThat(da.sameContent(db))
          .as(
              t
                  + ": "
                  + da
                  + " vs "
                  + db
                  + "; only in "
                  + a
                  + ": "
                  + TableDigest.onlyIn(TestPostgres.database(), a, b, t, da.columns(), 5))
          .isTrue();
    }
  }

  @Test
  void mergedVariantsLoadTheSameByCopyAsByUpsertAndAReloadWritesNothing(@TempDir Path dir)
      throws Exception {
    // Repeats of a key that merge (aliases, coordinates) reach the sink again within one
    // checkpoint: the COPY writer must merge what it staged before staging the key again.
    Path dump = dir.resolve("variants.gff3");
    YBrowseDump.write(dump, 6000, 11);
    String copy = TestPostgres.freshSchema("copy_ybrowse");
    String upsert = TestPostgres.freshSchema("upsert_ybrowse");
    List<String> notes = new ArrayList<>();
    RunResult byCopy =
        run(
            Specs.shipped("ybrowse-variants", List.of(dump), overrides(copy, "copy")),
            notes,
            false);
    RunResult byUpsert =
        run(
            Specs.shipped("ybrowse-variants", List.of(dump), overrides(upsert, "upsert")),
            new ArrayList<>(),
            false);

    assertThat(notes).anyMatch(n -> n.startsWith("COPY path for " + copy + ".variant"));
    assertThat(counts(byCopy)).isEqualTo(counts(byUpsert));
    assertThat(inserted(byCopy)).isPositive();
    assertSameTables(
        copy, upsert, List.of("variant"), Set.of("variant_id", "created_run", "updated_run"));

    // auto on a table that is no longer empty: the upsert path, and nothing to write.
    List<String> again = new ArrayList<>();
    RunResult reload =
        run(Specs.shipped("ybrowse-variants", List.of(dump), overrides(copy, "auto")), again, true);
    assertThat(again).noneMatch(n -> n.startsWith("COPY path"));
    assertThat(inserted(reload)).isZero();
    assertThat(updated(reload)).isZero();
  }

  @Test
  void severalTablesWithForeignKeysAndProgressLoadTheSameByCopyAsByUpsert(@TempDir Path dir)
      throws Exception {
    Path samples = Path.of("jobs", "samples", "laps");
    String copy = TestPostgres.freshSchema("copy_laps");
    String upsert = TestPostgres.freshSchema("upsert_laps");
    Map<String, List<Path>> inputs =
        Map.of(
            "timing",
            List.of(samples.resolve("timing")),
            "telemetry",
            List.of(samples.resolve("telemetry")));
    List<String> notes = new ArrayList<>();
    RunResult byCopy =
        run(Specs.shippedSources("laps-timing-csv", inputs, overrides(copy, "auto")), notes, false);
    RunResult byUpsert =
        run(
            Specs.shippedSources("laps-timing-csv", inputs, overrides(upsert, "upsert")),
            new ArrayList<>(),
            false);

    assertThat(notes)
        .anyMatch(
            n ->
                n.contains(copy + ".events")
                    && n.contains(copy + ".laps")
                    && n.contains("(empty at the start)"));
    assertThat(counts(byCopy)).isEqualTo(counts(byUpsert));
    assertThat(byCopy.summary())
        .containsEntry("laps_inserted", 254L)
        .containsEntry("races_complete", 6L);
    assertSameTables(copy, upsert, List.of("events", "races", "race_results", "laps"), Set.of());
    assertThat(TestPostgres.scalar("SELECT sum(laps_written) FROM " + copy + ".race_ingest_status"))
        .isEqualTo(TestPostgres.scalar("SELECT count(*) FROM " + copy + ".laps"));
  }

  @Test
  void rowsTheDatabaseRefusesAreRejectedOneByOneOnTheCopyPath(@TempDir Path dir) throws Exception {
    String s = TestPostgres.freshSchema("copy_refused");
    try (var c = TestPostgres.connect();
        var st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + s);
      st.execute(
          "CREATE TABLE "
              + s
              + ".items (sku text PRIMARY KEY, name text, price numeric CHECK (price >= 0))");
    }
    // Line 3: a price the table's check refuses, line 4 one that is not a number (the cast in the
    // merge refuses it); line 5: a NUL, which the reader rejects before any COPY.
    Path csv = dir.resolve("items.csv");
    Files.writeString(
        csv,
        "sku,name,price\nA-1,Lamp,10.50\nA-2,Broken,-1\nA-3,Chair,abc\nA-4,Nul\u0000name,5\nA-5,Desk,99.90\nA-6,Shelf,30\n");
    String yaml =
        "name: items\n"
            + "sources:\n  - name: items\n    format: csv\n    paths: ["
            + csv.toAbsolutePath()
            + "]\n"
            + "target: { schema: "
            + s
            + " }\n"
            + "tables:\n  - name: items\n    create: false\n    key: [sku]\n    columns:\n"
            + "      - { name: sku, type: text, field: sku }\n"
            + "      - { name: name, type: text, field: name }\n"
            + "      - { name: price, type: numeric, field: price }\n"
            + "summary:\n  inserted: items.inserted\n"
            + "options: { write-path: copy, restart-attempts: 0, max-rejects: 10, max-reject-ratio: 1 }\n";
    JobSpec spec = JobSpecParser.parse(yaml, "items.yaml", dir, Map.of());
    RunResult r = run(spec, new ArrayList<>(), false);

    assertThat(TestPostgres.rows("SELECT sku, name, price::text FROM " + s + ".items ORDER BY sku"))
        .containsExactly(
            List.of("A-1", "Lamp", "10.50"),
            List.of("A-5", "Desk", "99.90"),
            List.of("A-6", "Shelf", "30"));
    assertThat(r.summary()).containsEntry("inserted", 3L);
    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT file, line_number::text, reason FROM "
                + s
                + ".ingest_rejects ORDER BY line_number");
    assertThat(rejects).hasSize(3);
    assertThat(rejects.get(0).get(0)).endsWith("items.csv");
    assertThat(rejects.get(0).get(1)).isEqualTo("3");
    assertThat(rejects.get(0).get(2)).contains("items_price_check");
    assertThat(rejects.get(1).get(1)).isEqualTo("4");
    assertThat(rejects.get(1).get(2)).contains("abc");
    assertThat(rejects.get(2).get(1)).isEqualTo("5");
    assertThat(rejects.get(2).get(2)).contains("NUL byte");
  }

  @Test
  void firstRowsGoStraightIntoAnEmptyTableWithTheirTextIntactAndRepeatsMerge(@TempDir Path dir)
      throws Exception {
    String straight = TestPostgres.freshSchema("copy_straight");
    String upsert = TestPostgres.freshSchema("upsert_straight");
    for (String s : List.of(straight, upsert)) {
      try (var c = TestPostgres.connect();
          var st = c.createStatement()) {
        st.execute("CREATE SCHEMA " + s);
        st.execute("CREATE TABLE " + s + ".notes (id bigint PRIMARY KEY, body text, n bigint)");
        // Which statement wrote rows: COPY straight into the table, or the merge (WITH …).
        st.execute("CREATE TABLE " + s + ".writes (how text)");
        st.execute(
            "CREATE FUNCTION "
                + s
                + ".log_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "INSERT INTO "
                + s
                + ".writes VALUES (split_part(ltrim(current_query()), ' ', 1)); "
                + "RETURN NULL; END $$");
        st.execute(
            "CREATE TRIGGER log_write AFTER INSERT ON "
                + s
                + ".notes "
                + "FOR EACH STATEMENT EXECUTE FUNCTION "
                + s
                + ".log_write()");
      }
    }
    // Text COPY escapes tab, newline, carriage return and backslash; "\\N" is text, not NULL.
    // The last line repeats id 1 in a batch of its own (two rows a batch), so it takes the merge.
    Path jsonl = dir.resolve("notes.jsonl");
    Files.writeString(
        jsonl,
        "{\"id\": 1, \"body\": \"tab\\there\", \"n\": 1}\n"
            + "{\"id\": 2, \"body\": \"two\\nlines\\r\\n\", \"n\": 2}\n"
            + "{\"id\": 3, \"body\": \"back\\\\slash \\\\N\", \"n\": null}\n"
            + "{\"id\": 4, \"body\": \"Zo\u00eb \ud83d\udcf8\", \"n\": 4}\n"
            + "{\"id\": 1, \"body\": \"tab\\there\", \"n\": 10}\n");
    Map<String, RunResult> results = new LinkedHashMap<>();
    for (String s : List.of(straight, upsert)) {
      String yaml =
          "name: notes\n"
              + "sources:\n  - name: notes\n    format: jsonl\n    paths: ["
              + jsonl.toAbsolutePath()
              + "]\n"
              + "target: { schema: "
              + s
              + " }\n"
              + "tables:\n  - name: notes\n    create: false\n    mode: merge\n    key: [id]\n    columns:\n"
              + "      - { name: id, type: bigint, field: id }\n"
              + "      - { name: body, type: text, field: body }\n"
              + "      - { name: n, type: bigint, field: n }\n"
              + "summary:\n  inserted: notes.inserted\n  updated: notes.updated\n"
              + "options: { write-path: "
              + (s.equals(straight) ? "auto" : "upsert")
              + ", parallelism: 1, sink-parallelism: 1, batch-rows: 2, restart-attempts: 0 }\n";
      results.put(
          s, run(JobSpecParser.parse(yaml, "notes.yaml", dir, Map.of()), new ArrayList<>(), false));
    }

    assertThat(
            TestPostgres.rows(
                "SELECT id::text, body, coalesce(n::text, 'NULL') FROM "
                    + straight
                    + ".notes ORDER BY id"))
        .containsExactly(
            List.of("1", "tab\there", "10"),
            List.of("2", "two\nlines\r\n", "2"),
            List.of("3", "back\\slash \\N", "NULL"),
            List.of("4", "Zo\u00eb \ud83d\udcf8", "4"));
    assertThat(counts(results.get(straight))).isEqualTo(counts(results.get(upsert)));
    assertThat(results.get(straight).summary())
        .containsEntry("inserted", 4L)
        .containsEntry("updated", 0L);
    assertSameTables(straight, upsert, List.of("notes"), Set.of());
    assertThat(TestPostgres.rows("SELECT DISTINCT how FROM " + straight + ".writes ORDER BY how"))
        .containsExactly(List.of("COPY"), List.of("WITH"));
  }
}
