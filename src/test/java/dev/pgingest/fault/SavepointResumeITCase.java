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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R3: stop-with-savepoint at 25%, 50% and 75% of the input, then resume the same run: the tables
 * and counts are a clean run's, and the resumed job reads only what the savepoint had not covered.
 *
 * <p>Every job in {@code jobs/} on its write path of R3 ({@link FaultHarness#matrix}): YBrowse
 * stopped at all three points, each other job at one (rotated by job); {@code -Dfaults.full=true}:
 * every job on both write paths at all three.
 */
class SavepointResumeITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES = 20_000;
  private static final long SEED = 20_250_311L;

  /** About how long a throttled run reads: a stop lands near the asked fraction. */
  private static final long READ_SECONDS = 5;

  @TempDir static Path dir;

  /** A job on a write path: its harness, clean schema and clean run, made once. */
  private record Clean(FaultHarness harness, String schema, RunResult result) {}

  private static final Map<String, Clean> CLEAN = new ConcurrentHashMap<>();

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
      FaultHarness h =
          new FaultHarness(job, TestPostgres.database(), List.of(input), o).comparingObjectsByKey();
      String schema = TestPostgres.freshSchema("r3_clean");
      c = new Clean(h, schema, h.clean(schema, job.objectStore(dir.resolve(schema))));
      CLEAN.put(key, c);
    }
    return c;
  }

  /** Job × path × stop point, as the class comment says. */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    int[] all = {25, 50, 75};
    for (Map.Entry<FaultHarness.Job, String> e : FaultHarness.matrix(FaultHarness.R3)) {
      FaultHarness.Job job = e.getKey();
      if (FaultHarness.full() || job == FaultHarness.YBROWSE) {
        for (int p : all) {
          out.add(Arguments.of(job, e.getValue(), p));
        }
      } else {
        out.add(Arguments.of(job, e.getValue(), all[FaultHarness.JOBS.indexOf(job) % 3]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, stop at {2}%")
  @MethodSource("cases")
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void stopWithSavepointThenResumeEndsAsACleanRun(FaultHarness.Job job, String path, int percent)
      throws Exception {
    Clean clean = clean(job, path);
    FaultHarness harness = clean.harness();
    String schema = TestPostgres.freshSchema("r3_stop" + percent);
    TableSummary c = FaultHarness.first(clean.result());
    long recordsInInput = c.read();
    // Slow enough that a stop lands near the asked fraction; both halves store objects in one
    // store, as one run does.
    Map<String, String> extra = new LinkedHashMap<>(job.objectStore(dir.resolve(schema)));
    extra.put("max-records-per-second", String.valueOf(Math.max(2, recordsInInput / READ_SECONDS)));
    // Savepoints go below the test's folder, as a runner's go below its home.
    IngestRun first =
        harness
            .run(schema, extra)
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
            .run(schema, extra)
            .withSources(RecordCounter.SOURCES)
            .withCheckpointBase(dir.resolve(schema))
            .resumeFrom(stop.runId(), stop.restorePath())
            .execute(FaultHarness.env());
    long recordsAfter = RecordCounter.RECORDS.get();

    String context =
        String.format(
            Locale.ROOT,
            "%s, write path %s: stop asked at %.0f%% of the input's records (%d%%), run %d, savepoint %s;"
                + " records read before the stop %d, covered by the savepoint %d, read after the"
                + " resume %d, in the input %d",
            job,
            path,
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
    FaultHarness.assertSameCounts(clean.result(), resumed, context);
    long rows = harness.assertSameAs(clean.schema(), schema, context);
    FaultHarness.figures(
        "R3 " + job + " " + path + " stop at " + percent + "%",
        "1 fault injected, 1 survived, " + rows + " rows compared; " + context);
  }
}
