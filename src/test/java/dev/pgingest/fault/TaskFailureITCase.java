package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R1: task failures at seeded random points of one run; after the restarts the tables and the
 * counts are exactly a clean run's. {@code -Dfaults.full=true} injects 20 instead of 3.
 */
class TaskFailureITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  /**
   * Records that passed the fault operator, over all subtasks and attempts: the MiniCluster runs in
   * this JVM, and a counter that survives restarts is what moves the run past each fault.
   */
  static final AtomicLong SEEN = new AtomicLong();

  static final AtomicInteger INJECTED = new AtomicInteger();
  static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

  /**
   * The task attempt the last fault was thrown in: both parallel subtasks can pass two close points
   * before the job cancels, so a further fault waits for the next attempt and every fault restarts
   * the job once.
   */
  static final AtomicInteger FAULTED_ATTEMPT = new AtomicInteger(-1);

  /** Throws once at each of the given cumulative counts of items read, in order. */
  static final class FailAt<R> extends RichMapFunction<R, R> {
    private final long[] points;
    private transient int attempt;

    FailAt(long[] points) {
      this.points = points;
    }

    @Override
    public void open(OpenContext ctx) {
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
      MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
    }

    @Override
    public R map(R row) {
      long n = SEEN.incrementAndGet();
      int k = INJECTED.get();
      int last = FAULTED_ATTEMPT.get();
      if (k < points.length
          && n >= points[k]
          && attempt > last
          && FAULTED_ATTEMPT.compareAndSet(last, attempt)
          && INJECTED.compareAndSet(k, k + 1)) {
        throw new IllegalStateException(
            "injected fault " + (k + 1) + " of " + points.length + " at record " + n);
      }
      return row;
    }
  }

  static Stream<FaultHarness.Job> jobs() {
    return FaultHarness.JOBS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobs")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void randomTaskFailuresEndWithTheCleanRunsTablesAndCounts(FaultHarness.Job job, @TempDir Path dir)
      throws Exception {
    boolean full = FaultHarness.full();
    int faults = full ? 20 : 3;
    int lines = full ? 100_000 : 20_000;
    long seed = FaultHarness.seed();
    Path input = dir.resolve(job.inputName());
    FaultHarness.Input stats = job.writeInput(input, lines, seed);

    Map<String, String> o = FaultHarness.defaultOverrides();
    // Room for every injected fault and one more, so an extra restart would not hide a bug.
    o.put("restart-attempts", String.valueOf(faults + 1));
    FaultHarness h = new FaultHarness(job, TestPostgres.database(), List.of(input), o);

    String clean = TestPostgres.freshSchema("r1_clean");
    long t0 = System.nanoTime();
    RunResult reference = h.clean(clean);
    double cleanSeconds = (System.nanoTime() - t0) / 1e9;
    TableSummary c = FaultHarness.first(reference);
    assertThat(c.read()).as("records read by the clean run").isEqualTo(stats.records());
    assertThat(c.rejected()).as("malformed lines rejected").isEqualTo(stats.malformed());

    // The fault operator sits between the files and mapping, so it sees every record read once
    // per attempt: the points spread over the records the clean run read.
    long[] points = points(seed, faults, c.read());
    String context =
        "seed "
            + seed
            + " (-Dfaults.seed="
            + seed
            + "), faults at records "
            + Arrays.toString(points);
    SEEN.set(0);
    INJECTED.set(0);
    MAX_ATTEMPT.set(0);
    FAULTED_ATTEMPT.set(-1);
    JobSources inject =
        new JobSources() {
          @Override
          public <T> DataStream<Decoded<T>> read(
              StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
            DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
            return items
                .map(new FailAt<Decoded<T>>(points))
                .returns(items.getType())
                .name("Inject faults");
          }
        };
    String faulted = TestPostgres.freshSchema("r1_faulted");
    t0 = System.nanoTime();
    RunResult recovered = h.run(faulted, Map.of()).withSources(inject).execute(FaultHarness.env());
    double faultedSeconds = (System.nanoTime() - t0) / 1e9;

    assertThat(INJECTED.get()).as("faults injected; %s", context).isEqualTo(faults);
    assertThat(MAX_ATTEMPT.get()).as("task attempts; %s", context).isGreaterThanOrEqualTo(faults);
    FaultHarness.assertSameCounts(reference, recovered, context);
    long rows = h.assertSameAs(clean, faulted, context);
    FaultHarness.figures(
        "R1 " + job,
        String.format(
            Locale.ROOT,
            "%d faults injected, %d survived, %d rows compared (%d lines, %s); clean %.1f s,"
                + " faulted %.1f s",
            INJECTED.get(),
            faults,
            rows,
            lines,
            context,
            cleanSeconds,
            faultedSeconds));
  }

  /**
   * {@code n} distinct cumulative record counts in [1, records): every one is reached, since each
   * record passes the operator at least once over all attempts.
   */
  static long[] points(long seed, int n, long records) {
    SplittableRandom rnd = new SplittableRandom(seed);
    TreeSet<Long> chosen = new TreeSet<>();
    while (chosen.size() < n) {
      chosen.add(1 + rnd.nextLong(records - 1));
    }
    return chosen.stream().mapToLong(Long::longValue).toArray();
  }
}
