package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
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
 * Which unfinished run a new run resumes, and when it refuses: an interrupted run is resumed by the
 * same spec and inputs, refused with one sentence after a change, left behind by {@code --fresh}; a
 * run whose runner still holds its lock is never taken over.
 */
class ResumeITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static JobSpec spec(String schema, Path input, Map<String, String> extra) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "300ms");
    o.put("flush-interval", "50ms");
    o.put("batch-rows", "200");
    o.put("max-records-per-second", "4000");
    o.putAll(extra);
    return Specs.shipped("ybrowse-variants", List.of(input), o);
  }

  private static IngestRun run(JobSpec spec, Path home, List<String> notes) {
    return new IngestRun(spec, TestPostgres.database())
        .withCheckpointBase(home.resolve("checkpoints"))
        .withNotes(notes::add);
  }

  /** Starts a run and stops it with a savepoint once some rows are in; returns its id. */
  private static long interrupted(JobSpec spec, Path home) throws Exception {
    IngestRun first = run(spec, home, new ArrayList<>());
    Thread stopper =
        new Thread(
            () -> {
              try {
                while (rows(spec) < 500) {
                  Thread.sleep(50);
                }
                first.stopWithSavepoint();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    stopper.start();
    RunInterrupted stop = null;
    try {
      first.execute(StreamExecutionEnvironment.getExecutionEnvironment());
    } catch (RunInterrupted e) {
      stop = e;
    }
    stopper.join();
    assertThat(stop).as("the run ends interrupted").isNotNull();
    assertThat(stop.getMessage())
        .startsWith("Run " + stop.runId() + " stopped with a savepoint at ");
    return stop.runId();
  }

  private static long rows(JobSpec spec) {
    try {
      return TestPostgres.scalar("SELECT count(*) FROM " + spec.target().schema() + ".variant");
    } catch (Exception e) {
      return 0;
    }
  }

  /** The run's checkpoint folders below the home ({@code run-N-TOKEN}). */
  private static List<String> checkpointFolders(Path home, long runId) throws Exception {
    Path base = home.resolve("checkpoints");
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (var dirs = Files.list(base)) {
      return dirs.map(d -> d.getFileName().toString())
          .filter(n -> n.startsWith("run-" + runId + "-"))
          .toList();
    }
  }

  private static List<String> runRow(String schema, long runId) throws Exception {
    return TestPostgres.rows(
            "SELECT status, finished_at IS NOT NULL, message FROM "
                + schema
                + ".ingest_runs WHERE run_id = "
                + runId)
        .get(0);
  }

  @Test
  void interruptedRunIsResumedRefusedAfterAChangeAndLeftByFresh(@TempDir Path dir)
      throws Exception {
    String schema = TestPostgres.freshSchema("resume");
    Path input = dir.resolve("snps.gff3");
    long lines = YBrowseDump.write(input, 8_000, 7L).dataLines();
    Path home = dir.resolve("home");

    long runId = interrupted(spec(schema, input, Map.of()), home);
    assertThat(runRow(schema, runId).subList(0, 2)).containsExactly("interrupted", "t");
    assertThat(checkpointFolders(home, runId))
        .as("the interrupted run's savepoint is kept")
        .hasSize(1);
    assertThat(runRow(schema, runId).get(2)).startsWith("stopped with a savepoint at ");

    // Another --set: the spec is not the one the run started with.
    assertThatThrownBy(
            () ->
                run(spec(schema, input, Map.of("batch-rows", "300")), home, new ArrayList<>())
                    .execute(StreamExecutionEnvironment.getExecutionEnvironment()))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "Run "
                + runId
                + " of job 'ybrowse-variants' is unfinished but the spec (or a --set)"
                + " changed since; run it unchanged to resume, or add --fresh to start over.");

    // The input changed.
    Files.writeString(input, "# one more line\n", StandardOpenOption.APPEND);
    assertThatThrownBy(
            () ->
                run(spec(schema, input, Map.of()), home, new ArrayList<>())
                    .execute(StreamExecutionEnvironment.getExecutionEnvironment()))
        .isInstanceOf(RunFailure.class)
        .hasMessageContaining("is unfinished but its input files changed since");

    // --fresh starts a new run over everything and leaves the old one behind for good.
    List<String> notes = new ArrayList<>();
    RunResult fresh =
        run(spec(schema, input, Map.of()), home, notes)
            .fresh(true)
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    assertThat(fresh.runId()).isNotEqualTo(runId);
    assertThat(notes).noneMatch(n -> n.startsWith("resuming"));
    assertThat(fresh.tables().get("variant").read()).isEqualTo(lines);
    assertThat(runRow(schema, runId))
        .containsExactly("interrupted", "t", "not resumed: a later run started over (--fresh)");
    assertThat(checkpointFolders(home, runId)).isEmpty();
    assertThat(checkpointFolders(home, fresh.runId())).isEmpty();
  }

  @Test
  void sameSpecAndInputsResumeTheSameRun(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("resume_same");
    Path input = dir.resolve("snps.gff3");
    long lines = YBrowseDump.write(input, 8_000, 11L).dataLines();
    Path home = dir.resolve("home");
    long runId = interrupted(spec(schema, input, Map.of()), home);

    List<String> notes = new ArrayList<>();
    RunResult resumed =
        run(spec(schema, input, Map.of()), home, notes)
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());

    assertThat(resumed.runId()).isEqualTo(runId);
    assertThat(notes)
        .anyMatch(
            n ->
                n.matches(
                    "resuming run "
                        + runId
                        + " from its savepoint, \\d+% done \\(--fresh starts over\\)"));
    assertThat(resumed.tables().get("variant").read()).isEqualTo(lines);
    assertThat(runRow(schema, runId)).containsExactly("succeeded", "t", null);
    assertThat(checkpointFolders(home, runId)).isEmpty();
  }

  @Test
  void runWhoseRunnerHoldsItsLockIsNotTakenOver(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("resume_locked");
    Path input = dir.resolve("snps.gff3");
    YBrowseDump.write(input, 2_000, 3L);
    JobSpec spec = spec(schema, input, Map.of());
    // A run that looks like it is running: its row says so and a live session holds its lock.
    RunResult done =
        run(spec, dir.resolve("home"), new ArrayList<>())
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    long runId = done.runId();
    try (Connection c = TestPostgres.connect()) {
      c.createStatement()
          .execute(
              "UPDATE " + schema + ".ingest_runs SET status = 'running' WHERE run_id = " + runId);
      RunLog log = new RunLog(schema, "ingest_runs");
      assertThat(log.lock(c, runId)).isTrue();

      assertThatThrownBy(
              () ->
                  run(spec, dir.resolve("home"), new ArrayList<>())
                      .force(true)
                      .execute(StreamExecutionEnvironment.getExecutionEnvironment()))
          .isInstanceOf(RunFailure.class)
          .hasMessage(
              "Run "
                  + runId
                  + " of job 'ybrowse-variants' is still running in another pgingest;"
                  + " wait for it to end or stop it first.");
    }
    // Its session gone (the runner died): the next run marks it interrupted and goes on.
    RunResult next =
        run(spec, dir.resolve("home"), new ArrayList<>())
            .force(true)
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    assertThat(next.runId()).isNotEqualTo(runId);
    assertThat(runRow(schema, runId))
        .containsExactly(
            "interrupted", "t", "the runner stopped without finishing (killed or crashed)");
  }
}
