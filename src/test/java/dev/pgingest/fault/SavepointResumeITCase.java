package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.MapToRows;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunInterrupted;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.testutil.CheckpointState;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R3: stop-with-savepoint at 25%, 50% and 75% of the input, then resume the same run: the tables
 * and counts are a clean run's, and the resumed job reads only what the savepoint had not covered.
 */
class SavepointResumeITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES = 20_000;
  private static final long SEED = 20_250_311L;

  @TempDir static Path dir;
  private static FaultHarness harness;
  private static String clean;
  private static RunResult reference;
  private static YBrowseDump.Stats written;

  @BeforeAll
  static void cleanRun() throws Exception {
    Path input = dir.resolve(FaultHarness.YBROWSE.inputName());
    written = YBrowseDump.write(input, LINES, SEED);
    Map<String, String> o = FaultHarness.defaultOverrides();
    // Slow enough that a stop lands near the asked fraction: progress comes once a second.
    o.put("max-records-per-second", "4000");
    harness = new FaultHarness(FaultHarness.YBROWSE, TestPostgres.database(), List.of(input), o);
    clean = TestPostgres.freshSchema("r3_clean");
  }

  /**
   * The clean run, made by the first test that needs it: only then is the MiniCluster's environment
   * registered as the context one ({@code @BeforeAll} may still see another class's).
   */
  private static synchronized RunResult reference() {
    if (reference == null) {
      reference = harness.clean(clean);
      assertThat(FaultHarness.only(reference).read()).isEqualTo(written.dataLines());
    }
    return reference;
  }

  @ParameterizedTest(name = "stop at {0}%")
  @ValueSource(ints = {25, 50, 75})
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void stopWithSavepointThenResumeEndsAsACleanRun(int percent) throws Exception {
    String schema = TestPostgres.freshSchema("r3_stop" + percent);
    TableSummary c = FaultHarness.only(reference());
    long recordsInInput = c.read();
    // Savepoints go below the test's folder, as a runner's go below its home.
    IngestRun first =
        harness
            .run(schema, Map.of())
            .withSources(RecordCounter.SOURCES)
            .withCheckpointBase(dir.resolve(schema));
    double[] stoppedAt = new double[1];
    RecordCounter.RECORDS.set(0);
    RecordCounter.when(
        n -> n >= percent * recordsInInput / 100,
        () -> {
          stoppedAt[0] = 100.0 * RecordCounter.RECORDS.get() / recordsInInput;
          first.stopWithSavepoint();
        });
    RunInterrupted stop = null;
    try {
      first.execute(FaultHarness.env());
    } catch (RunInterrupted e) {
      stop = e;
    }
    assertThat(stop).as("the first job ends with RunInterrupted").isNotNull();
    assertThat(stop.restorePath()).as("savepoint path").isNotNull();
    long recordsBefore = RecordCounter.RECORDS.get();
    // The records the savepoint covers: MapToRows' read count, stored at the same barrier as the
    // readers' file offsets a resume starts from.
    long covered =
        CheckpointState.sumOfLongListState(stop.restorePath(), "count-" + MapToRows.READ);

    RecordCounter.RECORDS.set(0);
    RunResult resumed =
        harness
            .run(schema, Map.of())
            .withSources(RecordCounter.SOURCES)
            .withCheckpointBase(dir.resolve(schema))
            .resumeFrom(stop.runId(), stop.restorePath())
            .execute(FaultHarness.env());
    long recordsAfter = RecordCounter.RECORDS.get();

    String context =
        String.format(
            Locale.ROOT,
            "stop asked at %.0f%% of the input's records (%d%%), run %d, savepoint %s;"
                + " records read before the stop %d, covered by the savepoint %d, read after the"
                + " resume %d, in the input %d",
            stoppedAt[0],
            percent,
            stop.runId(),
            stop.restorePath(),
            recordsBefore,
            covered,
            recordsAfter,
            recordsInInput);
    assertThat(resumed.runId()).as(context).isEqualTo(stop.runId());
    // The stop was asked once the counter passed the threshold, so those records were before the
    // savepoint's barrier; the first job cannot have covered more than it read.
    assertThat(covered)
        .as("records the savepoint covers; %s", context)
        .isGreaterThanOrEqualTo(percent * recordsInInput / 100)
        .isLessThanOrEqualTo(recordsBefore);
    // The resumed readers start at the savepoint's offsets: they read what it did not cover, i.e.
    // at most total - recordsBefore + the in-flight window (recordsBefore - covered: records the
    // first job read past its barrier, which the resume must read again).
    assertThat(recordsAfter)
        .as(
            "records the resumed job read (≤ input − covered = input − read before the stop +"
                + " %d in flight); %s",
            recordsBefore - covered, context)
        .isPositive()
        .isLessThanOrEqualTo(recordsInInput - covered);
    FaultHarness.assertSameCounts(reference(), resumed, context);
    long rows = harness.assertSameAs(clean, schema, context);
    FaultHarness.figures(
        "R3 stop at " + percent + "%",
        "1 fault injected, 1 survived, " + rows + " rows compared; " + context);
  }
}
