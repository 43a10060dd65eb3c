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
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R1: task failures at seeded random points of one run; after the restarts the tables and the
 * counts are exactly a clean run's. {@code -Dfaults.full=true} injects 20 instead of 3.
 *
 * <p>Every job runs twice: with {@link #FIXED_SEED}, so a failure there is not chance, and with a
 * new seed each build ({@code -Dfaults.seed=N} repeats one), printed before the run. The last fault
 * of a run waits for a completed checkpoint that covers records, so at least one restart restores
 * state, and the test checks that one did. {@code -Dfaults.jobs=genbank,profiles} runs only those
 * specs.
 */
class TaskFailureITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  /** The seed of the fixed-seed run of each job. */
  static final long FIXED_SEED = 20_251_206L;

  /**
   * How long records are held back, over the whole input, while the last fault waits for a
   * checkpoint with records: a fast job would otherwise be over before its first checkpoint.
   */
  static final long HOLD_NANOS_PER_INPUT = TimeUnit.SECONDS.toNanos(10);

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

  /** Records that had passed the fault operator, per checkpoint id, summed over its subtasks. */
  static final ConcurrentHashMap<Long, Long> SNAPSHOT_PASSED = new ConcurrentHashMap<>();

  /** The highest completed checkpoint id that covers records that passed the operator; 0: none. */
  static final AtomicLong COMPLETED_WITH_RECORDS = new AtomicLong();

  /** Faults thrown after a checkpoint with records had completed. */
  static final AtomicInteger FAULTS_AFTER_CHECKPOINT = new AtomicInteger();

  /**
   * Attempt numbers whose fault operator started from a checkpoint ({@code isRestored()}). Not
   * proof of a restore that mattered on its own: Flink completes a checkpoint right after a job (or
   * a restarted attempt) starts, before records pass, even with a long interval, so nearly every
   * restart restores one.
   */
  static final Set<Integer> RESTORED_ATTEMPTS = new ConcurrentSkipListSet<>();

  /** Checkpoint ids the restored attempts started from. */
  static final Set<Long> RESTORED_FROM = new ConcurrentSkipListSet<>();

  /** Attempt numbers that started from a checkpoint whose snapshot held records passed. */
  static final Set<Integer> RESTORED_WITH_RECORDS = new ConcurrentSkipListSet<>();

  /** Records the restored subtasks found in their state, summed over subtasks and attempts. */
  static final AtomicLong RESTORED_PASSED = new AtomicLong();

  /**
   * Throws once at each of the given cumulative counts of items read, in order; the last throw
   * waits for a completed checkpoint with records, and while it waits, records are held back. Its
   * state is the records its subtask passed, so a restore is seen, and with what.
   */
  static final class FailAt<R> extends RichMapFunction<R, R>
      implements CheckpointedFunction, CheckpointListener {
    private final long[] points;
    private final long holdNanos;
    private transient int attempt;
    private transient ListState<Long> passedState;
    private transient long passed;

    FailAt(long[] points, long holdNanos) {
      this.points = points;
      this.holdNanos = holdNanos;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      passedState =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("records-passed", Long.class));
      passed = 0;
      for (Long v : passedState.get()) {
        passed += v;
      }
      if (context.isRestored()) {
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        long checkpoint = context.getRestoredCheckpointId().orElse(-1L);
        RESTORED_ATTEMPTS.add(attempt);
        RESTORED_FROM.add(checkpoint);
        if (SNAPSHOT_PASSED.getOrDefault(checkpoint, 0L) > 0) {
          RESTORED_WITH_RECORDS.add(attempt);
        }
        RESTORED_PASSED.addAndGet(passed);
      }
    }

    @Override
    public void open(OpenContext ctx) {
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
      MAX_ATTEMPT.accumulateAndGet(attempt, Math::max);
    }

    @Override
    public R map(R row) {
      if (INJECTED.get() >= points.length - 1 && COMPLETED_WITH_RECORDS.get() == 0) {
        // Only the last fault waits: the others land where they fall, before the first
        // checkpoint (a restart from nothing) or after one. Between records, never in one: the
        // checkpoint barrier must still pass.
        LockSupport.parkNanos(holdNanos);
      }
      passed++;
      long n = SEEN.incrementAndGet();
      int k = INJECTED.get();
      int last = FAULTED_ATTEMPT.get();
      long checkpoint = COMPLETED_WITH_RECORDS.get();
      if (k < points.length
          && n >= points[k]
          && (k < points.length - 1 || checkpoint > 0)
          && attempt > last
          && FAULTED_ATTEMPT.compareAndSet(last, attempt)
          && INJECTED.compareAndSet(k, k + 1)) {
        if (checkpoint > 0) {
          FAULTS_AFTER_CHECKPOINT.incrementAndGet();
        }
        throw new IllegalStateException(
            "injected fault "
                + (k + 1)
                + " of "
                + points.length
                + " at record "
                + n
                + (checkpoint > 0 ? ", after checkpoint " + checkpoint : ""));
      }
      return row;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      passedState.update(List.of(passed));
      SNAPSHOT_PASSED.merge(context.getCheckpointId(), passed, Long::sum);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      // Every subtask's snapshot of the checkpoint was taken before any is notified.
      if (SNAPSHOT_PASSED.getOrDefault(checkpointId, 0L) > 0) {
        COMPLETED_WITH_RECORDS.accumulateAndGet(checkpointId, Math::max);
      }
    }
  }

  /** Each job in {@code -Dfaults.jobs} (default: all), with the fixed seed and a new one. */
  static Stream<Arguments> runs() {
    String only = System.getProperty("faults.jobs", "");
    Set<String> wanted = only.isBlank() ? Set.of() : Set.of(only.trim().split("\\s*,\\s*"));
    return FaultHarness.JOBS.stream()
        .filter(j -> wanted.isEmpty() || wanted.contains(j.spec()))
        .flatMap(j -> Stream.of(Arguments.of(j, "fixed"), Arguments.of(j, "random")));
  }

  /**
   * (d) R1 on a whole saved LiveRC event at parallelism 2: its event page and its race pages both
   * write the races rows. Disabled: the random faults show the defect of {@link
   * FailoverCountsITCase}'s case (b) (e.g. {@code -Dfaults.seed=645354}: races updated 5, a clean
   * run 0; the tables are the same).
   */
  @Disabled(
      "defect: a table without run stamps counts a key's first write in a replay as updated when the"
          + " failed attempt had already written the key with other values after the restored"
          + " checkpoint (here the races row from the event page, then the race page); seed 645354"
          + " gives races updated 5 where a clean run has 0")
  @ParameterizedTest(name = "laps-liverc with its event page, {0} seed")
  @ValueSource(strings = {"fixed", "random"})
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void randomTaskFailuresOnALiveRcEventWithItsEventPage(String seedKind, @TempDir Path dir)
      throws Exception {
    randomTaskFailuresEndWithTheCleanRunsTablesAndCounts(
        FaultHarness.LAPS_LIVERC_WITH_EVENT_PAGE, seedKind, dir);
  }

  @ParameterizedTest(name = "{0}, {1} seed")
  @MethodSource("runs")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void randomTaskFailuresEndWithTheCleanRunsTablesAndCounts(
      FaultHarness.Job job, String seedKind, @TempDir Path dir) throws Exception {
    boolean full = FaultHarness.full();
    int faults = full ? 20 : 3;
    int lines = full ? 100_000 : 20_000;
    long seed = seedKind.equals("fixed") ? FIXED_SEED : FaultHarness.seed();
    FaultHarness.figures(
        "R1 " + job, seedKind + " seed " + seed + " (-Dfaults.seed=" + seed + " repeats it)");
    Path input = dir.resolve(job.inputName());
    FaultHarness.Input stats = job.writeInput(input, lines, seed);

    Map<String, String> o = FaultHarness.defaultOverrides();
    // Room for every injected fault and one more, so an extra restart would not hide a bug.
    o.put("restart-attempts", String.valueOf(faults + 1));
    FaultHarness h =
        new FaultHarness(job, TestPostgres.database(), List.of(input), o).comparingObjectsByKey();
    // Each run stores its objects in a store of its own, so both upload and can be compared.
    Path cleanStore = dir.resolve("objects-clean");
    Path faultedStore = dir.resolve("objects-faulted");

    String clean = TestPostgres.freshSchema("r1_clean");
    ObjectStores.assertEmptyBefore(cleanStore, "clean");
    long t0 = System.nanoTime();
    RunResult reference = h.clean(clean, job.objectStore(cleanStore));
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
    SNAPSHOT_PASSED.clear();
    COMPLETED_WITH_RECORDS.set(0);
    FAULTS_AFTER_CHECKPOINT.set(0);
    RESTORED_ATTEMPTS.clear();
    RESTORED_FROM.clear();
    RESTORED_WITH_RECORDS.clear();
    RESTORED_PASSED.set(0);
    long holdNanos = HOLD_NANOS_PER_INPUT / Math.max(1, c.read());
    JobSources inject =
        new JobSources() {
          @Override
          public <T> DataStream<Decoded<T>> read(
              StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
            DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
            return items
                .map(new FailAt<Decoded<T>>(points, holdNanos))
                .returns(items.getType())
                .name("Inject faults");
          }
        };
    ObjectStores.assertEmptyBefore(faultedStore, "faulted");
    String faulted = TestPostgres.freshSchema("r1_faulted");
    t0 = System.nanoTime();
    RunResult recovered =
        h.run(faulted, job.objectStore(faultedStore))
            .withSources(inject)
            .execute(FaultHarness.env());
    double faultedSeconds = (System.nanoTime() - t0) / 1e9;

    assertThat(INJECTED.get()).as("faults injected; %s", context).isEqualTo(faults);
    assertThat(MAX_ATTEMPT.get()).as("task attempts; %s", context).isGreaterThanOrEqualTo(faults);
    assertThat(FAULTS_AFTER_CHECKPOINT.get())
        .as("faults thrown after a checkpoint with records completed; %s", context)
        .isPositive();
    assertThat(RESTORED_WITH_RECORDS)
        .as(
            "task attempts that started from a checkpoint holding records (restored: attempts %s"
                + " from checkpoints %s); %s",
            RESTORED_ATTEMPTS, RESTORED_FROM, context)
        .isNotEmpty();
    assertThat(RESTORED_PASSED.get())
        .as("records passed, as the restored state of the fault operator held them; %s", context)
        .isPositive();
    FaultHarness.assertSameCounts(reference, recovered, context);
    long rows = h.assertSameAs(clean, faulted, context);
    String objects = "";
    if (!job.objectStore(cleanStore).isEmpty()) {
      objects =
          ", "
              + ObjectStores.assertSameStore(
                  job, clean, cleanStore, reference, faulted, faultedStore, recovered, context);
    }
    FaultHarness.figures(
        "R1 " + job,
        String.format(
            Locale.ROOT,
            "%d faults injected (%d after a checkpoint), %d survived, attempts %s restored from"
                + " checkpoints %s (with records: attempts %s, %d records in the restored state),"
                + " %d rows compared%s (%d lines, %s %s); clean %.1f s,"
                + " faulted %.1f s",
            INJECTED.get(),
            FAULTS_AFTER_CHECKPOINT.get(),
            faults,
            RESTORED_ATTEMPTS,
            RESTORED_FROM,
            RESTORED_WITH_RECORDS,
            RESTORED_PASSED.get(),
            rows,
            objects,
            lines,
            seedKind,
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
