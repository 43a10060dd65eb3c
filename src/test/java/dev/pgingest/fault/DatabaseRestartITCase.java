package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.RestartablePostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R2: PostgreSQL stops while a job writes to it and comes back (at once, or after 20 seconds); the
 * job must finish by itself with a clean run's tables and counts. The outage must have hit the job:
 * it was running when the database stopped, and its exception history holds a failure from after
 * the stop, from which its tasks restarted.
 *
 * <p>Every job in {@code jobs/} on its write path of R2 ({@link FaultHarness#matrix}), YBrowse
 * through both outages, the others through the restart at once; {@code -Dfaults.full=true}: every
 * job on both write paths through both outages.
 */
class DatabaseRestartITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES = 20_000;
  private static final long SEED = 20_250_206L;

  /** Longest wait for the job once the database is back. */
  private static final long FINISH_SECONDS = 60;

  /** About how long a throttled faulted run reads: 40% of it leaves most of the run to write. */
  private static final long READ_SECONDS = 8;

  @TempDir static Path dir;
  private static RestartablePostgres pg;

  /** A job on a write path: its harness, clean schema and clean run, made once. */
  private record Clean(FaultHarness harness, String schema, RunResult result) {}

  private static final Map<String, Clean> CLEAN = new ConcurrentHashMap<>();

  @BeforeAll
  static void startDatabase() throws Exception {
    pg = RestartablePostgres.start(Files.createDirectories(dir.resolve("pgdata")));
  }

  /**
   * The clean run of a job on a path, made by the first test that needs it: only then is the
   * MiniCluster's environment registered as the context one ({@code @BeforeAll} may still see
   * another class's).
   */
  private static synchronized Clean clean(FaultHarness.Job job, String path) throws Exception {
    String key = job.spec() + "/" + path;
    Clean c = CLEAN.get(key);
    if (c == null) {
      Path input = dir.resolve(job.spec()).resolve(job.inputName());
      if (!Files.exists(input)) {
        Files.createDirectories(input.getParent());
        job.writeInput(input, LINES, SEED);
      }
      Map<String, String> o = FaultHarness.defaultOverrides();
      o.put("write-path", path);
      // Each restart while the database is down fails at the sink's first connection: the
      // restarts, at most 2 s apart, must outlast a 20-second outage.
      o.put("restart-attempts", "60");
      o.put("restart-delay", "1s");
      o.put("restart-max-delay", "2s");
      FaultHarness h =
          new FaultHarness(job, pg.database(), List.of(input), o).comparingObjectsByKey();
      String schema = "r2_clean_" + CLEAN.size();
      c = new Clean(h, schema, h.clean(schema, job.objectStore(dir.resolve(schema))));
      CLEAN.put(key, c);
    }
    return c;
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  /** Job × path × outage seconds, as the class comment says. */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Map.Entry<FaultHarness.Job, String> e : FaultHarness.matrix(FaultHarness.R2)) {
      boolean both = FaultHarness.full() || e.getKey() == FaultHarness.YBROWSE;
      for (int outage : both ? new int[] {0, 20} : new int[] {0}) {
        out.add(Arguments.of(e.getKey(), e.getValue(), outage));
      }
    }
    return out.stream();
  }

  private static final AtomicInteger RUNS = new AtomicInteger();

  @ParameterizedTest(name = "{0}, {1}, outage of {2} s")
  @MethodSource("cases")
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void jobSurvivesADatabaseRestart(
      FaultHarness.Job job, String path, int outageSeconds, @InjectMiniCluster MiniCluster mini)
      throws Exception {
    Clean clean = clean(job, path);
    FaultHarness harness = clean.harness();
    String faulted = "r2_outage_" + RUNS.incrementAndGet();
    CountDownLatch at40 = new CountDownLatch(1);
    long recordsInInput = FaultHarness.first(clean.result()).read();
    RecordCounter.RECORDS.set(0);
    RecordCounter.when(n -> n >= recordsInInput * 40 / 100, at40::countDown);
    // Slow enough that 40% of the input leaves most of the run still to write.
    long rate = Math.max(2, recordsInInput / READ_SECONDS);
    Map<String, String> extra = new LinkedHashMap<>(job.objectStore(dir.resolve(faulted)));
    extra.put("max-records-per-second", String.valueOf(rate));
    CompletableFuture<RunResult> run =
        CompletableFuture.supplyAsync(
            () ->
                harness
                    .run(faulted, extra)
                    .withSources(RecordCounter.SOURCES)
                    .execute(FaultHarness.env()));
    assertThat(at40.await(45, TimeUnit.SECONDS)).as("40% of the input read within 45 s").isTrue();

    // The job the outage is to hit: running, with records still to read, as the database stops.
    JobID jobId = runningJob(mini);
    int attemptBefore = maxAttempt(mini.getExecutionGraphInfo(jobId).get(30, TimeUnit.SECONDS));
    long stopMillis = System.currentTimeMillis();
    long recordsAtStop = RecordCounter.RECORDS.get();
    assertThat(recordsAtStop)
        .as("records read when the database stops, of %d", recordsInInput)
        .isLessThan(recordsInInput);

    pg.stop();
    long stopped = System.nanoTime();
    Thread.sleep(outageSeconds * 1000L);
    pg.startAgain();
    double downSeconds = (System.nanoTime() - stopped) / 1e9;

    RunResult recovered;
    try {
      recovered = run.get(FINISH_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the job did not finish within " + FINISH_SECONDS + " s of the database's return", e);
    }
    String context =
        String.format(
            Locale.ROOT,
            "%s, write path %s: database stopped at %d of %d records read (40%% or more), down"
                + " %.1f s",
            job,
            path,
            recordsAtStop,
            recordsInInput,
            downSeconds);
    assertThat(JobID.fromHexString(recovered.jobId()))
        .as("the job that ran through the outage")
        .isEqualTo(jobId);
    ExecutionGraphInfo after = mini.getExecutionGraphInfo(jobId).get(30, TimeUnit.SECONDS);
    List<String> failures = failuresSince(after, stopMillis);
    assertThat(failures)
        .as("%s: failures in the job's exception history since the database stopped", context)
        .isNotEmpty();
    int attemptAfter = maxAttempt(after);
    assertThat(attemptAfter)
        .as("%s: the task attempt number after the outage (before it: %d)", context, attemptBefore)
        .isGreaterThan(attemptBefore);
    FaultHarness.assertSameCounts(clean.result(), recovered, context);
    long rows = harness.assertSameAs(clean.schema(), faulted, context);
    FaultHarness.figures(
        "R2 " + job + " " + path + " outage " + outageSeconds + " s",
        String.format(
            Locale.ROOT,
            "1 fault injected, 1 survived, %d rows compared; %s; %d failures since the stop, task"
                + " attempt %d to %d; first cause: %s",
            rows,
            context,
            failures.size(),
            attemptBefore,
            attemptAfter,
            failures.get(0)));
  }

  /** The one job of the MiniCluster that is running. */
  private static JobID runningJob(MiniCluster mini) throws Exception {
    List<JobID> running =
        mini.listJobs().get(30, TimeUnit.SECONDS).stream()
            .filter(j -> j.getJobState() == JobStatus.RUNNING)
            .map(JobStatusMessage::getJobId)
            .toList();
    assertThat(running).as("jobs running on the MiniCluster").hasSize(1);
    return running.get(0);
  }

  /** The highest current attempt number over the job's subtasks. */
  private static int maxAttempt(ExecutionGraphInfo info) {
    int max = -1;
    for (AccessExecutionVertex v : info.getArchivedExecutionGraph().getAllExecutionVertices()) {
      max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
    }
    return max;
  }

  /** The last cause of a stack trace as text: its first line if it has none. */
  private static String rootCause(String trace) {
    String out = trace.lines().findFirst().orElse("");
    for (String line : (Iterable<String>) trace.lines()::iterator) {
      if (line.startsWith("Caused by: ")) {
        out = line.substring("Caused by: ".length());
      }
    }
    return out;
  }

  /** The root cause of each failure in the job's exception history at or after {@code millis}. */
  private static List<String> failuresSince(ExecutionGraphInfo info, long millis) {
    List<String> out = new ArrayList<>();
    for (RootExceptionHistoryEntry e : info.getExceptionHistory()) {
      if (e.getTimestamp() >= millis) {
        out.add(rootCause(e.getExceptionAsString()));
      }
    }
    return out;
  }
}
