package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.RestartablePostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R2: PostgreSQL stops while a job writes to it and comes back (at once, or after 20 seconds); the
 * job must finish by itself with a clean run's tables and counts. The outage must have hit the job:
 * it was running when the database stopped, and its exception history holds a failure from after
 * the stop, from which its tasks restarted.
 */
class DatabaseRestartITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES = 20_000;
  private static final long SEED = 20_250_206L;

  /** Longest wait for the job once the database is back. */
  private static final long FINISH_SECONDS = 60;

  @TempDir static Path dir;
  private static RestartablePostgres pg;
  private static FaultHarness harness;
  private static String clean;
  private static RunResult reference;
  private static YBrowseDump.Stats stats;

  @BeforeAll
  static void cleanRun() throws Exception {
    pg = RestartablePostgres.start(Files.createDirectories(dir.resolve("pgdata")));
    Path input = dir.resolve(FaultHarness.YBROWSE.inputName());
    stats = YBrowseDump.write(input, LINES, SEED);
    Map<String, String> o = FaultHarness.defaultOverrides();
    // Each restart while the database is down fails at the sink's first connection: the
    // restarts, at most 2 s apart, must outlast a 20-second outage.
    o.put("restart-attempts", "60");
    o.put("restart-delay", "1s");
    o.put("restart-max-delay", "2s");
    harness = new FaultHarness(FaultHarness.YBROWSE, pg.database(), List.of(input), o);
    clean = "r2_clean";
  }

  /**
   * The clean run, made by the first test that needs it: only then is the MiniCluster's environment
   * registered as the context one ({@code @BeforeAll} may still see another class's).
   */
  private static synchronized RunResult reference() {
    if (reference == null) {
      reference = harness.clean(clean);
      assertThat(FaultHarness.only(reference).read()).isEqualTo(stats.dataLines());
    }
    return reference;
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @ParameterizedTest(name = "outage of {0} s")
  @ValueSource(ints = {0, 20})
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void jobSurvivesADatabaseRestart(int outageSeconds, @InjectMiniCluster MiniCluster mini)
      throws Exception {
    String faulted = "r2_outage_" + outageSeconds;
    CountDownLatch at40 = new CountDownLatch(1);
    long recordsInInput = FaultHarness.only(reference()).read();
    RecordCounter.RECORDS.set(0);
    RecordCounter.when(n -> n >= recordsInInput * 40 / 100, at40::countDown);
    // Slow enough that 40% of the input leaves most of the run still to write.
    CompletableFuture<RunResult> run =
        CompletableFuture.supplyAsync(
            () ->
                harness
                    .run(faulted, Map.of("max-records-per-second", "2500"))
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
            "database stopped at %d of %d records read (40%% or more), down %.1f s",
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
    FaultHarness.assertSameCounts(reference(), recovered, context);
    long rows = harness.assertSameAs(clean, faulted, context);
    assertThat(FaultHarness.only(recovered).read()).isEqualTo(stats.dataLines());
    FaultHarness.figures(
        "R2 outage " + outageSeconds + " s",
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
