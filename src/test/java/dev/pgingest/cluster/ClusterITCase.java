package dev.pgingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.cli.ClusterStatus;
import dev.pgingest.run.IngestRun;
import dev.pgingest.testutil.RestartablePostgres;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TableDigest;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.workload.ybrowse.Variants;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The cluster path as a user walks it, on a real standalone session cluster started by {@code
 * jobs/local-cluster.sh} (JobManager and TaskManager as their own JVMs): submit, watch in the web
 * UI and REST API, stop with a savepoint, resume, and survive a killed TaskManager.
 */
class ClusterITCase {

  /** The clean runs the cluster runs are compared with. */
  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final int FILES = 4;
  private static final int LINES_PER_FILE = 12_000;
  static final long ITEMS = (long) FILES * LINES_PER_FILE;
  private static final Path DIR = Path.of("target", "it-cluster").toAbsolutePath();
  private static int restPort;
  private static ClusterStatus rest;
  private static List<Path> inputs;

  @BeforeAll
  static void startCluster() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      restPort = s.getLocalPort();
    }
    Files.createDirectories(DIR);
    inputs = writeInputs(DIR.resolve("input"));
    Runtime.getRuntime().addShutdownHook(new Thread(ClusterITCase::stopQuietly));
    script("local-cluster.sh", "start");
    rest = new ClusterStatus("http://127.0.0.1:" + restPort);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    String out = script("local-cluster.sh", "stop");
    assertThat(script("local-cluster.sh", "status")).doesNotContainPattern("pids: \\d");
    assertThat(out).isNotNull();
  }

  @Test
  void submitWatchStopWithSavepointAndResume() throws Exception {
    String schema = TestPostgres.freshSchema("cluster_sp");
    // Slower than the other tests: the stop (a CLI JVM, then the savepoint) must land before the
    // job reads its last file, also on a loaded 2-core machine.
    List<String> args = jobArgs(schema, 2500);
    long t0 = System.nanoTime();
    String jobId = script("submit.sh", args.toArray(String[]::new)).strip();
    long submitted = System.nanoTime();
    assertThat(jobId).matches("[0-9a-f]{32}");

    await(
        "job running with counters",
        Duration.ofSeconds(90),
        () -> {
          Map<String, Long> c = counters(jobId);
          return c.get("read") > 0
              && c.get("written") > 0
              && c.get("duplicates") > 0
              && c.get("rejected") > 0;
        });
    assertThat(http("/").statusCode()).isEqualTo(200);
    assertThat(http("/").body()).containsIgnoringCase("<html");
    HttpResponse<String> job = http("/jobs/" + jobId);
    assertThat(job.statusCode()).isEqualTo(200);
    assertThat(rest.get("/jobs/" + jobId).path("state").asText()).isEqualTo("RUNNING");
    assertThat(rest.get("/jobs/" + jobId).path("name").asText())
        .startsWith("pgingest ybrowse-variants");

    // Past the first file before stopping, so a finished file must not be read again.
    await(
        "first file done",
        Duration.ofSeconds(90),
        () -> counters(jobId).get("read") > LINES_PER_FILE + 2000);
    long readBeforeStop = counters(jobId).get("read");
    long stopStart = System.nanoTime();
    String savepoint = script("stop-with-savepoint.sh", jobId).strip();
    long stopped = System.nanoTime();
    assertThat(savepoint).startsWith("file:");
    assertThat(Files.isDirectory(Path.of(URI.create(savepoint)))).isTrue();
    await("stopped", Duration.ofSeconds(60), () -> state(jobId).equals("FINISHED"));

    long partial = TestPostgres.scalar("SELECT count(*) FROM " + schema + ".variant");
    String clean = cleanRun();
    long full = TestPostgres.scalar("SELECT count(*) FROM " + clean + ".variant");
    assertThat(partial).isPositive().isLessThan(full);

    List<String> resumeArgs = new ArrayList<>(List.of(savepoint));
    resumeArgs.addAll(args);
    long resumeStart = System.nanoTime();
    String resumed = script("resume.sh", resumeArgs.toArray(String[]::new)).strip();
    assertThat(resumed).matches("[0-9a-f]{32}").isNotEqualTo(jobId);
    await("resumed job finished", Duration.ofSeconds(120), () -> state(resumed).equals("FINISHED"));
    long resumedDone = System.nanoTime();

    assertSameTable(clean, schema);
    long readByResumed = sourceRecordsOut(resumed);
    assertThat(readByResumed).isPositive().isLessThanOrEqualTo(ITEMS - readBeforeStop);
    System.out.printf(
        "cluster timings: submit %.1fs, stop-with-savepoint %.1fs (after %d of %d records),"
            + " resume to finished %.1fs (read %d records); throttled to 2500 records/s%n",
        (submitted - t0) / 1e9,
        (stopped - stopStart) / 1e9,
        readBeforeStop,
        ITEMS,
        (resumedDone - resumeStart) / 1e9,
        readByResumed);
  }

  /**
   * A job declared in YAML alone, from the job jar: its codecs, mapping and tables on the cluster.
   */
  @Test
  void declaredProfilesJobRunsOnTheCluster() throws Exception {
    String schema = TestPostgres.freshSchema("cluster_profiles");
    String jobId =
        script(
                "submit.sh",
                "jobs/profiles.yaml",
                "--input",
                Path.of("jobs", "samples", "profiles").toAbsolutePath().toString(),
                "--jdbc-url",
                TestPostgres.url(),
                "--set",
                "target.schema=" + schema,
                "--set",
                "checkpoint-interval=1s")
            .strip();
    await(
        "the profiles job finished",
        Duration.ofSeconds(120),
        () -> state(jobId).equals("FINISHED"));

    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".raw_scraped_profiles"))
        .isEqualTo(68);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".global_usernames"))
        .isEqualTo(51);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".ingest_rejects"))
        .isEqualTo(2);
    assertThat(
            TestPostgres.scalar(
                "SELECT sum(inserted) FROM "
                    + schema
                    + ".ingest_counts WHERE table_name = '"
                    + schema
                    + ".global_usernames'"))
        .isEqualTo(51);
  }

  @Test
  void killedTaskManagerRecoversFromTheLastCheckpoint() throws Exception {
    String schema = TestPostgres.freshSchema("cluster_tm");
    String jobId = script("submit.sh", jobArgs(schema).toArray(String[]::new)).strip();
    await(
        "a checkpoint with rows behind it",
        Duration.ofSeconds(90),
        () -> {
          JsonNode cps = rest.get("/jobs/" + jobId + "/checkpoints").path("counts");
          return cps.path("completed").asInt() >= 1 && counters(jobId).get("written") > 3000;
        });

    long killed = System.nanoTime();
    assertThat(script("local-cluster.sh", "kill-taskmanager")).contains("killed taskmanager pid");
    script("local-cluster.sh", "start-taskmanager");
    await("recovered and finished", Duration.ofSeconds(180), () -> state(jobId).equals("FINISHED"));
    System.out.printf(
        "cluster timings: TaskManager killed -> job finished %.1fs%n",
        (System.nanoTime() - killed) / 1e9);

    assertThat(rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries"))
        .isNotEmpty();
    assertSameTable(cleanRun(), schema);
  }

  /**
   * A database restart mid-run on the standalone cluster: the TaskManager process survives (the
   * JDBC writer's close path used to take it down), the job waits the outage out with backoff and
   * ends with a clean run's table.
   */
  @Test
  void databaseOutageIsWaitedOutAndTheTaskManagerSurvives() throws Exception {
    try (RestartablePostgres pg =
        RestartablePostgres.start(DIR.resolve("pg-" + System.nanoTime()))) {
      String schema = "cluster_outage";
      List<String> args = jobArgs(schema);
      args.set(args.indexOf(TestPostgres.url()), pg.url());
      String jobId = script("submit.sh", args.toArray(String[]::new)).strip();
      await("rows written", Duration.ofSeconds(90), () -> counters(jobId).get("written") > 3000);
      String taskManagers =
          script("local-cluster.sh", "status")
              .lines()
              .filter(l -> l.startsWith("taskmanager pids:"))
              .findFirst()
              .orElseThrow();

      long down = System.nanoTime();
      pg.stop();
      Thread.sleep(15_000);
      assertThat(state(jobId))
          .as("job state while the database is down")
          .isIn("RUNNING", "RESTARTING");
      pg.startAgain();
      await(
          "finished after the outage",
          Duration.ofSeconds(180),
          () -> state(jobId).equals("FINISHED"));
      System.out.printf(
          "cluster timings: database down 15s -> job finished %.1fs after the stop%n",
          (System.nanoTime() - down) / 1e9);

      assertThat(script("local-cluster.sh", "status"))
          .as("the same TaskManager process is alive")
          .contains(taskManagers.strip());
      assertThat(
              rest.get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries"))
          .as("the outage failed tasks, which were restarted")
          .isNotEmpty();
      String clean = cleanRun();
      Set<String> runColumns = Set.of("variant_id", "created_run", "updated_run");
      TableDigest.Digest expected =
          TableDigest.of(TestPostgres.database(), clean, "variant", runColumns);
      TableDigest.Digest actual = TableDigest.of(pg.database(), schema, "variant", runColumns);
      assertThat(actual.sameContent(expected)).as("%s vs %s", actual, expected).isTrue();
      System.out.printf("cluster outage: %d rows compared%n", actual.rows());
    }
  }

  /** The same inputs loaded once on a MiniCluster, into a schema of its own. */
  private static String cleanRun() {
    String schema = TestPostgres.freshSchema("cluster_clean");
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    new IngestRun(Specs.shipped("ybrowse-variants", inputs, o), TestPostgres.database())
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    return schema;
  }

  private static void assertSameTable(String expected, String actual) throws Exception {
    Variants.assertSameTable(expected, actual);
  }

  /**
   * A detached job that fails for good leaves its run open (no runner stayed, no operator hears of
   * the last failure); {@code jobs/status.sh} asks Flink and records it with the run's sentence.
   */
  @Test
  void aDetachedJobThatFailsIsRecordedByStatus() throws Exception {
    String schema = TestPostgres.freshSchema("cluster_failed");
    String jobId =
        script(
                "submit.sh",
                "jobs/ybrowse-variants.yaml",
                "--input",
                Path.of("jobs", "samples", "ybrowse-snps-hg38.sample.gff3")
                    .toAbsolutePath()
                    .toString(),
                "--jdbc-url",
                TestPostgres.url(),
                "--set",
                "target.schema=" + schema,
                "--set",
                "max-rejects=0",
                "--set",
                "checkpoint-interval=1s")
            .strip();
    await("the job failed", Duration.ofSeconds(120), () -> state(jobId).equals("FAILED"));
    assertThat(TestPostgres.rows("SELECT status FROM " + schema + ".ingest_runs").get(0).get(0))
        .as("nobody recorded the failure yet")
        .isIn("submitted", "running");

    String out =
        script(
            Map.of("PGINGEST_JDBC_URL", TestPostgres.url()),
            "status.sh",
            "ybrowse-variants",
            "--schema",
            schema);

    assertThat(out).contains("failed").contains(jobId).contains("Error budget exceeded");
    assertThat(TestPostgres.rows("SELECT status, message FROM " + schema + ".ingest_runs"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get(0)).isEqualTo("failed");
              assertThat(r.get(1)).startsWith("Error budget exceeded");
            });
  }

  private static List<String> jobArgs(String schema) {
    return jobArgs(schema, 4000);
  }

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
            "--set", "max-records-per-second=" + recordsPerSecond,
            "--set", "checkpoint-interval=1s",
            "--set", "flush-interval=200ms",
            "--set", "batch-rows=500",
            "--set", "restart-delay=1s"));
    return args;
  }

  /** Records the source task sent downstream in that job: what it read, rows and rejects alike. */
  private static long sourceRecordsOut(String job) throws Exception {
    for (JsonNode v : rest.get("/jobs/" + job).path("vertices")) {
      if (v.path("name").asText().startsWith("Source:")) {
        return v.path("metrics").path("write-records").asLong();
      }
    }
    throw new AssertionError("no source vertex in job " + job);
  }

  private static Map<String, Long> counters(String job) throws Exception {
    return rest.counters(job);
  }

  private static String state(String job) throws Exception {
    return rest.state(job);
  }

  private static HttpResponse<String> http(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A condition checked every half second, failing with its name after the timeout. */
  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }

  static void await(String what, Duration timeout, ClusterITCase.Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("timed out waiting for: " + what, last);
  }

  /** Runs a script of jobs/ against this test's cluster; returns stdout, fails on non-zero exit. */
  static String script(String name, String... args) throws IOException, InterruptedException {
    return script(Map.of(), name, args);
  }

  /** {@link #script} with more environment. */
  static String script(Map<String, String> env, String name, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "jobs/" + name));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("PGINGEST_CLUSTER_DIR", DIR.toString());
    pb.environment().put("FLINK_REST_PORT", String.valueOf(restPort));
    pb.environment().remove("FLINK_HOME");
    pb.redirectError(
        DIR.resolve("scripts.err").toFile().exists()
            ? ProcessBuilder.Redirect.appendTo(DIR.resolve("scripts.err").toFile())
            : ProcessBuilder.Redirect.to(DIR.resolve("scripts.err").toFile()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new AssertionError(
          name
              + " "
              + String.join(" ", args)
              + " failed; stdout: "
              + out
              + "; stderr in "
              + DIR.resolve("scripts.err"));
    }
    return out;
  }

  private static void stopQuietly() {
    try {
      script("local-cluster.sh", "stop");
    } catch (Exception | AssertionError ignored) {
      // Best effort at JVM exit; @AfterAll already stopped it in the normal case.
    }
  }

  /** Four dumps: distinct SNPs, repeats within and across files, one malformed line each. */
  static List<Path> writeInputs(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < LINES_PER_FILE; i++) {
        int n = f * LINES_PER_FILE + i;
        if (i == 10) {
          lines.add("chrY\tpoint\tsnp\tnot-a-number\t1\t.\t+\t.\tID=BAD" + n);
          continue;
        }
        // Every 7th line repeats a SNP of the first file, so keys meet across files.
        int snp = i % 7 == 3 ? i : n;
        long pos = 2_700_000L + snp * 31L;
        lines.add(
            "chrY\tpoint\tsnp\t"
                + pos
                + "\t"
                + pos
                + "\t.\t+\t.\tID=FT"
                + snp
                + ";Name=FT"
                + snp
                + ";Alias=F"
                + f
                + "x"
                + (snp % 5)
                + ";allele_anc=A;allele_der=G;isogg_haplogroup=R-FT"
                + (snp % 40)
                + ";count_tested="
                + (snp % 11));
      }
      Path file = dir.resolve("part-" + f + ".gff3");
      Files.write(file, lines);
      files.add(file);
    }
    return files;
  }
}
