package dev.pgingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.cli.ClusterStatus;
import dev.pgingest.run.IngestRun;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TableDigest;
import dev.pgingest.testutil.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "same rows" proof of the cluster paths: one sample (rejects, repeats within and across files)
 * loaded three ways into three schemas, (a) attached on this JVM's MiniCluster as {@code pgingest
 * run} does, (b) detached on a standalone session cluster with {@code jobs/submit.sh}, (c) in
 * application mode with {@code jobs/local-cluster.sh application}, its TaskManager killed once
 * mid-run. Every table of (b) and of (c) holds what (a)'s holds, {@code ingest_runs} and {@code
 * ingest_files} included, without run ids, identity columns, clocks, job ids, tokens, checkpoint
 * paths and timings; both cluster runs end {@code succeeded} on their own.
 */
class ApplicationModeITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final Path DIR = Path.of("target", "it-application").toAbsolutePath();
  private static final Path SESSION = DIR.resolve("session");
  private static final Path APPLICATION = DIR.resolve("application");

  /** Columns of pgingest's bookkeeping that differ by run, not by what was loaded. */
  private static final Set<String> RUN_COLUMNS =
      Set.of(
          "run_id",
          "created_run",
          "updated_run",
          "flink_job_id",
          "run_token",
          "restore_path",
          "checkpoint",
          // The run's first transaction id in this database.
          "start_xid",
          // A hash of the spec with its overrides, target.schema among them.
          "spec_hash");

  /** Texts and json with timings in them: compared with every "…seconds" value set to 0. */
  private static final Map<String, String> WITHOUT_TIMINGS =
      Map.of(
          "summary", timingsOut(),
          "result", timingsOut(),
          "notes", timingsOut());

  private static List<Path> inputs;
  private static final Map<Path, int[]> PORTS = new LinkedHashMap<>();

  @BeforeAll
  static void writeInputs() throws Exception {
    Files.createDirectories(DIR);
    inputs = ClusterITCase.writeInputs(DIR.resolve("input"));
    PORTS.put(SESSION, new int[] {freePort(), freePort()});
    PORTS.put(APPLICATION, new int[] {freePort(), freePort()});
    Runtime.getRuntime().addShutdownHook(new Thread(ApplicationModeITCase::stopQuietly));
  }

  @AfterAll
  static void stopClusters() throws Exception {
    for (Path cluster : PORTS.keySet()) {
      script(cluster, "local-cluster.sh", "stop");
      assertThat(script(cluster, "local-cluster.sh", "status")).doesNotContainPattern("pids: \\d");
    }
  }

  @Test
  void localSessionAndApplicationModeRunsLoadTheSameRows() throws Exception {
    // (a) attached, on this JVM's MiniCluster.
    long t0 = System.nanoTime();
    String local = TestPostgres.freshSchema("app_local");
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", local);
    o.put("checkpoint-interval", "500ms");
    new IngestRun(Specs.shipped("ybrowse-variants", inputs, o), TestPostgres.database())
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    long localDone = System.nanoTime();

    // (b) detached on a session cluster: nobody waits for the job, it closes its run itself.
    String session = TestPostgres.freshSchema("app_session");
    script(SESSION, "local-cluster.sh", "start");
    ClusterStatus sessionRest = new ClusterStatus("http://127.0.0.1:" + PORTS.get(SESSION)[0]);
    String sessionJob =
        script(SESSION, "submit.sh", jobArgs(session, 0).toArray(String[]::new)).strip();
    assertThat(sessionJob).matches("[0-9a-f]{32}");
    ClusterITCase.await(
        "the detached job's run succeeded",
        Duration.ofSeconds(180),
        () -> "succeeded".equals(runStatus(session)));
    ClusterITCase.await(
        "the detached job finished",
        Duration.ofSeconds(60),
        () -> sessionRest.state(sessionJob).equals("FINISHED"));
    script(SESSION, "local-cluster.sh", "stop");
    long sessionDone = System.nanoTime();

    // (c) application mode, throttled so that the TaskManager dies mid-run.
    String application = TestPostgres.freshSchema("app_application");
    String appJob =
        script(APPLICATION, "local-cluster.sh", "application", jobArgs(application, 3000)).strip();
    assertThat(appJob).matches("[0-9a-f]{32}");
    ClusterStatus appRest = new ClusterStatus("http://127.0.0.1:" + PORTS.get(APPLICATION)[0]);
    ClusterITCase.await(
        "a checkpoint with rows behind it",
        Duration.ofSeconds(120),
        () -> {
          JsonNode cps = appRest.get("/jobs/" + appJob + "/checkpoints").path("counts");
          return cps.path("completed").asInt() >= 1
              && appRest.counters(appJob).get("written") > 3000;
        });
    String statusAtKill = runStatus(application);
    String stateAtKill = appRest.state(appJob);
    long readAtKill = appRest.counters(appJob).get("read");
    long killed = System.nanoTime();
    assertThat(script(APPLICATION, "local-cluster.sh", "kill-taskmanager"))
        .contains("killed taskmanager pid");
    script(APPLICATION, "local-cluster.sh", "start-taskmanager");
    assertThat(stateAtKill).as("job state at the kill").isEqualTo("RUNNING");
    assertThat(statusAtKill).as("ingest_runs.status at the kill").isNotEqualTo("succeeded");
    assertThat(readAtKill).as("records read at the kill").isLessThan(ClusterITCase.ITEMS);
    String ended = script(APPLICATION, "local-cluster.sh", "wait", "300");
    long appDone = System.nanoTime();
    assertThat(ended).contains("JobManager exit status 0");
    String jmLog = Files.readString(APPLICATION.resolve("log").resolve("jobmanager-0.log"));
    assertThat(jmLog)
        .as("the job restarted after the TaskManager was killed")
        .containsPattern("switched from state \\w+ to RESTARTING");
    assertThat(jmLog).contains("Application completed SUCCESSFULLY");

    for (String schema : List.of(local, session, application)) {
      assertThat(runStatus(schema)).as("ingest_runs.status in %s", schema).isEqualTo("succeeded");
      assertThat(
              TestPostgres.rows("SELECT rejected, duplicates > 0 FROM " + schema + ".ingest_runs"))
          .as("rejects and duplicates in %s", schema)
          .containsExactly(List.of("4", "t"));
    }
    long rows = assertSameTables(local, session) + assertSameTables(local, application);
    System.out.printf(
        "application mode: local run %.1fs, session cluster (start, detached job, stop) %.1fs,"
            + " application cluster %.1fs (TaskManager killed after %d of %d records, %.1fs"
            + " before the cluster ended); %d rows compared%n",
        (localDone - t0) / 1e9,
        (sessionDone - localDone) / 1e9,
        (appDone - sessionDone) / 1e9,
        readAtKill,
        ClusterITCase.ITEMS,
        (appDone - killed) / 1e9,
        rows);
  }

  /**
   * Every table of {@code actual} holds what the same table of {@code expected} holds; the same
   * tables in both.
   *
   * @return rows compared
   */
  private static long assertSameTables(String expected, String actual) throws SQLException {
    List<String> tables = tables(expected);
    assertThat(tables).contains("ingest_runs", "ingest_files", "ingest_rejects", "variant");
    assertThat(tables(actual)).as("tables of %s", actual).isEqualTo(tables);
    long rows = 0;
    for (String table : tables) {
      Set<String> excluded = varying(expected, table);
      TableDigest.Digest e =
          TableDigest.of(TestPostgres.database(), expected, table, excluded, WITHOUT_TIMINGS);
      TableDigest.Digest a =
          TableDigest.of(TestPostgres.database(), actual, table, excluded, WITHOUT_TIMINGS);
      if (!a.sameContent(e)) {
        throw new AssertionError(
            "table "
                + table
                + " of "
                + actual
                + " differs from the local run's\n  local: "
                + e
                + "\n  other: "
                + a
                + "\n  only in the local run: "
                + TableDigest.onlyIn(
                    TestPostgres.database(),
                    expected,
                    actual,
                    table,
                    e.columns(),
                    WITHOUT_TIMINGS,
                    5)
                + "\n  only in "
                + actual
                + ": "
                + TableDigest.onlyIn(
                    TestPostgres.database(),
                    actual,
                    expected,
                    table,
                    e.columns(),
                    WITHOUT_TIMINGS,
                    5));
      }
      rows += a.rows();
    }
    return rows;
  }

  private static List<String> tables(String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = TestPostgres.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** Run ids, identity columns, clocks and sequences, and {@link #RUN_COLUMNS}. */
  private static Set<String> varying(String schema, String table) throws SQLException {
    Set<String> out = new HashSet<>();
    try (Connection c = TestPostgres.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT column_name, coalesce(column_default, ''), is_identity, data_type"
                    + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String def = rs.getString(2).toLowerCase(Locale.ROOT);
          if (RUN_COLUMNS.contains(rs.getString(1))
              || "YES".equals(rs.getString(3))
              || rs.getString(4).startsWith("timestamp")
              || def.contains("nextval(")
              || def.contains("now()")
              || def.contains("clock_timestamp()")) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }

  /** A json text with the value of every key ending in "seconds" set to 0. */
  private static String timingsOut() {
    return "regexp_replace(%s::text, '(\"[A-Za-z_.]*seconds\"): *[-0-9.eE+]+', '\\1: 0', 'g')";
  }

  private static String runStatus(String schema) throws SQLException {
    List<List<String>> rows = TestPostgres.rows("SELECT status FROM " + schema + ".ingest_runs");
    return rows.isEmpty() ? null : rows.get(0).get(0);
  }

  /** The job's arguments; {@code recordsPerSecond} 0: not throttled. */
  private static List<String> jobArgs(String schema, int recordsPerSecond) {
    List<String> args = new ArrayList<>(List.of("jobs/ybrowse-variants.yaml"));
    for (Path in : inputs) {
      args.add("--input");
      args.add(in.toString());
    }
    args.addAll(
        List.of(
            "--jdbc-url", TestPostgres.url(),
            "--parallelism", "1",
            "--set", "target.schema=" + schema,
            "--set", "checkpoint-interval=1s",
            "--set", "flush-interval=200ms",
            "--set", "batch-rows=500",
            "--set", "restart-delay=1s"));
    if (recordsPerSecond > 0) {
      args.addAll(List.of("--set", "max-records-per-second=" + recordsPerSecond));
    }
    return args;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String script(Path cluster, String name, String first, List<String> rest)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(first));
    args.addAll(rest);
    return script(cluster, name, args.toArray(String[]::new));
  }

  /**
   * Runs a script of jobs/ against the cluster of {@code cluster} (its dir and ports); returns
   * stdout, fails on non-zero exit.
   */
  private static String script(Path cluster, String name, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "jobs/" + name));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("PGINGEST_CLUSTER_DIR", cluster.toString());
    pb.environment().put("FLINK_REST_PORT", String.valueOf(PORTS.get(cluster)[0]));
    pb.environment().put("FLINK_RPC_PORT", String.valueOf(PORTS.get(cluster)[1]));
    pb.environment().remove("FLINK_HOME");
    Path err = DIR.resolve("scripts.err");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(6, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(
          name
              + " "
              + String.join(" ", args)
              + " failed (exit "
              + (p.isAlive() ? "none, still running" : p.exitValue())
              + "); stdout: "
              + out
              + "; stderr in "
              + err);
    }
    return out;
  }

  private static void stopQuietly() {
    for (Path cluster : PORTS.keySet()) {
      try {
        script(cluster, "local-cluster.sh", "stop");
      } catch (Exception | AssertionError ignored) {
        // Best effort at JVM exit; @AfterAll already stopped them in the normal case.
      }
    }
  }
}
