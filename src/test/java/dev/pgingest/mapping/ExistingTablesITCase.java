package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.ColumnSpec;
import dev.pgingest.spec.CsvOptions;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.SqlSpec;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.spec.TargetSpec;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared jobs into tables the user already has: their own DDL, a composite key and a foreign key
 * to a parent table written by the same job; merge and replace; rows the database refuses split out
 * of their batch; the target checked before the job starts.
 */
class ExistingTablesITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  /** Users' own tables: a parent keyed by race, a child keyed by (race, driver, lap). */
  private static void createUserTables(String schema) throws Exception {
    try (Connection c = TestPostgres.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute(
          "CREATE TABLE "
              + schema
              + ".races (race_id bigint PRIMARY KEY, class_name varchar(20) NOT NULL)");
      st.execute(
          "CREATE TABLE "
              + schema
              + ".laps (race_id bigint NOT NULL REFERENCES "
              + schema
              + ".races, driver_id integer NOT NULL, lap_number integer NOT NULL,"
              + " lap_time numeric(8,3), note text,"
              + " CONSTRAINT laps_natural UNIQUE (race_id, driver_id, lap_number))");
    }
  }

  private static ColumnSpec field(String name, String type, String field) {
    return new ColumnSpec(name, type, field, null, null, false);
  }

  private static JobSpec spec(String schema, Path input, String lapMode) {
    return spec(schema, input, lapMode, "races");
  }

  private static JobSpec spec(String schema, Path input, String lapMode, String lapParent) {
    Options d = Options.defaults();
    Options o =
        new Options(
            3,
            Duration.ofMillis(50),
            3,
            2,
            2,
            Duration.ofMillis(500),
            0,
            Duration.ofMillis(100),
            Duration.ofMillis(100),
            -1,
            1.0,
            0,
            10,
            Options.WritePath.AUTO,
            Options.StateBackend.AUTO);
    TableSpec races =
        new TableSpec(
            "races",
            null,
            "merge",
            List.of("race_id"),
            List.of(field("race_id", "bigint", "race"), field("class_name", "text", "class")),
            List.of(),
            null,
            false);
    TableSpec laps =
        new TableSpec(
            "laps",
            null,
            lapMode,
            List.of("race_id", "driver_id", "lap_number"),
            List.of(
                field("race_id", "bigint", "race"),
                field("driver_id", "integer", "driver"),
                field("lap_number", "integer", "lap"),
                field("lap_time", "numeric", "time"),
                field("note", "text", "note")),
            List.of(),
            lapParent,
            false);
    SourceSpec source =
        new SourceSpec(
            "laps",
            "jsonl",
            List.of(input.toString()),
            CsvOptions.defaults(),
            List.of(""),
            List.of(),
            Map.of());
    return new JobSpec(
        "laps-" + lapMode,
        null,
        List.of(source),
        new TargetSpec(schema, null, "ingest_rejects", "ingest_runs"),
        List.of(races, laps),
        Map.of(),
        o,
        new SqlSpec(List.of(), List.of()),
        "",
        "h-" + lapMode);
  }

  private static RunResult run(JobSpec spec) {
    return new IngestRun(spec, TestPostgres.database())
        .force(true)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static String lap(int race, String cls, int driver, int lap, String time, String note) {
    return String.format(
        "{\"race\": %d, \"class\": \"%s\", \"driver\": %d, \"lap\": %d, \"time\": \"%s\", \"note\": %s}%n",
        race, cls, driver, lap, time, note == null ? "null" : "\"" + note + "\"");
  }

  @Test
  void parentsAndChildrenLoadIntoTheUsersTablesWithExactCountsAndNoExtraColumns(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("existing");
    createUserTables(schema);
    Path in = dir.resolve("laps.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int race = 1; race <= 4; race++) {
      for (int driver = 1; driver <= 3; driver++) {
        for (int lap = 1; lap <= 5; lap++) {
          sb.append(lap(race, "Buggy", driver, lap, "3" + lap + ".25" + driver, null));
        }
      }
    }
    Files.writeString(in, sb);

    RunResult first = run(spec(schema, in, "merge"));

    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".races")).isEqualTo(4);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".laps")).isEqualTo(60);
    assertThat(first.tables().get("races").inserted()).isEqualTo(4);
    assertThat(first.tables().get("races").duplicates()).isEqualTo(56);
    assertThat(first.tables().get("laps").inserted()).isEqualTo(60);
    assertThat(first.tables().get("laps").updated()).isZero();
    assertThat(
            TestPostgres.rows(
                "SELECT lap_time::text FROM "
                    + schema
                    + ".laps WHERE race_id = 2 AND driver_id = 3 AND lap_number = 4"))
        .containsExactly(List.of("34.253"));
    // The user's columns only: pgingest added none.
    assertThat(
            TestPostgres.rows(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                    + schema
                    + "' AND table_name = 'laps' ORDER BY ordinal_position"))
        .extracting(r -> r.get(0))
        .containsExactly("race_id", "driver_id", "lap_number", "lap_time", "note");

    // The file sent again with a corrected lap and a note added, under merge: those two rows
    // are updated in place, the rest unchanged.
    String corrected =
        sb.toString()
            .replace(
                lap(2, "Buggy", 3, 4, "34.253", null), lap(2, "Buggy", 3, 4, "33.001", "corrected"))
            .replace(
                lap(3, "Buggy", 1, 1, "31.251", null), lap(3, "Buggy", 1, 1, "31.251", "checked"));
    assertThat(corrected).isNotEqualTo(sb.toString());
    Files.writeString(in, corrected);
    RunResult second = run(spec(schema, in, "merge"));
    assertThat(second.tables().get("laps").inserted()).isZero();
    assertThat(second.tables().get("laps").updated()).isEqualTo(2);
    assertThat(second.tables().get("laps").unchanged()).isEqualTo(58);
    assertThat(
            TestPostgres.rows(
                "SELECT lap_time::text, note FROM "
                    + schema
                    + ".laps WHERE race_id = 2 AND driver_id = 3"
                    + " AND lap_number = 4"))
        .containsExactly(List.of("33.001", "corrected"));

    // Replace: the latest record of a key in file order wins, and a missing note erases one.
    Files.writeString(
        in, lap(3, "Buggy", 1, 1, "30.000", null) + lap(3, "Buggy", 1, 1, "29.500", null));
    RunResult third = run(spec(schema, in, "replace"));
    assertThat(
            TestPostgres.rows(
                "SELECT lap_time::text, note FROM "
                    + schema
                    + ".laps WHERE race_id = 3 AND driver_id = 1"
                    + " AND lap_number = 1"))
        .containsExactly(Arrays.asList("29.500", null));
    assertThat(third.tables().get("laps").updated()).isEqualTo(1);
    assertThat(third.tables().get("laps").duplicates()).isEqualTo(1);
  }

  @Test
  void aRowInsertedAndThenChangedByOneRunCountsOnceAsInserted(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("repeat");
    createUserTables(schema);
    Path in = dir.resolve("laps.jsonl");
    StringBuilder sb = new StringBuilder(lap(1, "Buggy", 1, 1, "40.000", null));
    // Batches hold 3 rows: the lap's correction comes batches later, after it was inserted.
    for (int lap = 2; lap <= 12; lap++) {
      sb.append(lap(1, "Buggy", 1, lap, "41.000", null));
    }
    sb.append(lap(1, "Buggy", 1, 1, "39.500", "corrected"));
    Files.writeString(in, sb);

    RunResult r = run(spec(schema, in, "merge"));

    assertThat(
            TestPostgres.rows(
                "SELECT lap_time::text, note FROM " + schema + ".laps WHERE lap_number = 1"))
        .containsExactly(List.of("39.500", "corrected"));
    assertThat(r.tables().get("laps").inserted()).isEqualTo(12);
    assertThat(r.tables().get("laps").updated()).isZero();
    assertThat(r.tables().get("laps").duplicates()).isEqualTo(1);
  }

  @Test
  void rowsTheDatabaseRefusesAreRejectedAloneAndTheRestOfTheBatchIsWritten(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("poison");
    createUserTables(schema);
    Path in = dir.resolve("laps.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int race = 1; race <= 6; race++) {
      // Race 4's class is longer than the user's varchar(20): its row and its laps are refused.
      String cls = race == 4 ? "1/8 Nitro Buggy A-Main Final" : "Truggy";
      for (int lap = 1; lap <= 3; lap++) {
        sb.append(lap(race, cls, 7, lap, "40.5", null));
      }
    }
    Files.writeString(in, sb);

    RunResult r = run(spec(schema, in, "merge"));

    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".races")).isEqualTo(5);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".laps")).isEqualTo(15);
    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT reason FROM "
                + schema
                + ".ingest_rejects WHERE run_id = "
                + r.runId()
                + " ORDER BY line_number");
    assertThat(rejects).isNotEmpty();
    assertThat(rejects.get(0).get(0))
        .startsWith(
            schema
                + ".races: the database refused the row: value too long for type character varying(20)");
    assertThat(rejects).extracting(x -> x.get(0)).anyMatch(x -> x.contains("foreign key"));
    assertThat(r.tables().get("races").inserted()).isEqualTo(5);
    assertThat(r.tables().get("laps").inserted()).isEqualTo(15);
  }

  @Test
  void aForeignKeyBetweenTheJobsTablesMustBeDeclaredAsParent(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("undeclared");
    createUserTables(schema);
    Path in = dir.resolve("laps.jsonl");
    Files.writeString(in, lap(1, "Buggy", 1, 1, "30.1", null));

    assertThatThrownBy(() -> run(spec(schema, in, "merge", null)))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "Table "
                + schema
                + ".laps has a foreign key to "
                + schema
                + ".races, which the job"
                + " writes too; declare parent: races on table laps so its rows are written after"
                + " their parents.");
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".laps")).isZero();
  }

  @Test
  void aTargetWithoutAUniqueIndexOnTheKeyIsRefusedBeforeTheJobStarts(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("nokey");
    try (Connection c = TestPostgres.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("CREATE TABLE " + schema + ".races (race_id bigint PRIMARY KEY, class_name text)");
      st.execute(
          "CREATE TABLE "
              + schema
              + ".laps (race_id bigint, driver_id integer, lap_number integer,"
              + " lap_time numeric, note text)");
    }
    Path in = dir.resolve("laps.jsonl");
    Files.writeString(in, lap(1, "Buggy", 1, 1, "30.1", null));

    assertThatThrownBy(() -> run(spec(schema, in, "merge")))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "Table "
                + schema
                + ".laps has no unique index or constraint on exactly (race_id,"
                + " driver_id, lap_number), which the key needs; create one or change the key.");
  }
}
