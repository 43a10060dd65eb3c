package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.RestartablePostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * job must finish by itself with a clean run's tables and counts.
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
  void jobSurvivesADatabaseRestart(int outageSeconds) throws Exception {
    String faulted = "r2_outage_" + outageSeconds;
    CountDownLatch at40 = new CountDownLatch(1);
    long[] readAtStop = new long[1];
    long recordsInInput = FaultHarness.only(reference()).read();
    RecordCounter.RECORDS.set(0);
    RecordCounter.when(
        n -> n >= recordsInInput * 40 / 100,
        () -> {
          readAtStop[0] = RecordCounter.RECORDS.get();
          at40.countDown();
        });
    // Slow enough that 40% of the input leaves most of the run still to write.
    CompletableFuture<RunResult> run =
        CompletableFuture.supplyAsync(
            () ->
                harness
                    .run(faulted, Map.of("max-records-per-second", "2500"))
                    .withSources(RecordCounter.SOURCES)
                    .execute(FaultHarness.env()));
    assertThat(at40.await(45, TimeUnit.SECONDS)).as("40% of the input read within 45 s").isTrue();

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
            "database stopped at %d of %d records read (40%%), down %.1f s",
            readAtStop[0],
            recordsInInput,
            downSeconds);
    FaultHarness.assertSameCounts(reference(), recovered, context);
    long rows = harness.assertSameAs(clean, faulted, context);
    assertThat(FaultHarness.only(recovered).read()).isEqualTo(stats.dataLines());
    FaultHarness.figures(
        "R2 outage " + outageSeconds + " s",
        "1 fault injected, 1 survived, " + rows + " rows compared; " + context);
  }
}
