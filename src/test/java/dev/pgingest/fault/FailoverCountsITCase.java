package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R1, counts after a failover: placed faults whose replay is known, each ending with a clean run's
 * tables and exactly its counts (read, rejected, rows, duplicates, inserted, updated, unchanged,
 * skipped of every table).
 *
 * <ul>
 *   <li>(a) a key with two records, both written by an attempt that then fails before a checkpoint
 *       covers them, so the restore replays both;
 *   <li>(b) one row fed by two files (a LiveRC event page and a race page, parallelism 2), the
 *       first attempt writing one and failing, the replay reading the other first;
 *   <li>(c) a fault once every reader has ended and a checkpoint holds them ended, so the readers'
 *       counts after the restore come from restored state only.
 * </ul>
 *
 * <p>(d), the LiveRC event pages at parallelism 2 under random faults, is R1's own ({@link
 * TaskFailureITCase#randomTaskFailuresOnALiveRcEventWithItsEventPage}).
 */
class FailoverCountsITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  /** Long enough for a batch flushed by {@code flush-interval} (50 ms) to be committed. */
  static final long FLUSH_MILLIS = 400;

  /** Longest wait of one record for another; a wait that times out makes the case inconclusive. */
  static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Items of one file within a line range (inclusive), or the whole file when {@code lo < 0}. */
  record Match(String fileName, long lo, long hi) implements Serializable {
    boolean matches(Decoded<?> d) {
      return d.file() != null
          && Path.of(d.file()).getFileName().toString().equals(fileName)
          && (lo < 0 || (d.line() >= lo && d.line() <= hi));
    }
  }

  // What the gates did, over all subtasks and attempts (the MiniCluster runs in this JVM).
  static final Set<String> PASSED = ConcurrentHashMap.newKeySet();
  static final AtomicBoolean FAULTED = new AtomicBoolean();
  static final AtomicBoolean ORDER_MISSED = new AtomicBoolean();
  static final AtomicBoolean RESTORED_WITH_PAIR = new AtomicBoolean();
  static final AtomicInteger RESTORES = new AtomicInteger();
  static final List<String> LOG = java.util.Collections.synchronizedList(new ArrayList<>());

  static void reset() {
    PASSED.clear();
    FAULTED.set(false);
    ORDER_MISSED.set(false);
    RESTORED_WITH_PAIR.set(false);
    RESTORES.set(0);
    LOG.clear();
    ENDED.set(0);
    ARMED_AT.set(-1);
    FIRED.set(false);
    FIRED_AT.set(-1);
  }

  /**
   * Lets two records through in a chosen order per attempt, each flushed alone, and fails the first
   * attempt: after both passed ({@code faultBeforeSecond} false), or when the second arrives,
   * having let only the first through. The subtask that passed the first record holds its next item
   * until the fault, so no checkpoint completes between the pair and the fault. Its state says
   * which of the pair passed, so a restore that covered one of them is seen.
   */
  static final class PairGate<T> extends RichMapFunction<Decoded<T>, Decoded<T>>
      implements CheckpointedFunction {
    private final Match a;
    private final Match b;
    private final boolean replayReversed;
    private final boolean faultBeforeSecond;
    private transient int attempt;
    private transient int passedMask;
    private transient ListState<Integer> state;
    private transient boolean holdNext;
    private transient boolean failNext;

    PairGate(Match a, Match b, boolean replayReversed, boolean faultBeforeSecond) {
      this.a = a;
      this.b = b;
      this.replayReversed = replayReversed;
      this.faultBeforeSecond = faultBeforeSecond;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      state =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("pair-passed", Integer.class));
      passedMask = 0;
      for (Integer m : state.get()) {
        passedMask |= m;
      }
      if (context.isRestored()) {
        RESTORES.incrementAndGet();
        if (passedMask != 0) {
          RESTORED_WITH_PAIR.set(true);
        }
      }
    }

    @Override
    public void open(OpenContext ctx) {
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
    }

    @Override
    public Decoded<T> map(Decoded<T> item) throws Exception {
      if (holdNext) {
        holdNext = false;
        long until = System.nanoTime() + WAIT_NANOS;
        while (!FAULTED.get() && System.nanoTime() < until) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
      }
      if (failNext) {
        failNext = false;
        Thread.sleep(FLUSH_MILLIS);
        FAULTED.set(true);
        throw new IllegalStateException("injected fault after both records of the pair passed");
      }
      if (item.isFileEnd() || item.isReject()) {
        return item;
      }
      boolean isA = a.matches(item);
      boolean isB = b.matches(item);
      if (!isA && !isB) {
        return item;
      }
      String which = isA ? "a" : "b";
      boolean reversed = attempt > 0 && replayReversed;
      String earlier = reversed ? "b" : "a";
      if (!which.equals(earlier)) {
        long until = System.nanoTime() + WAIT_NANOS;
        while (!PASSED.contains(attempt + ":" + earlier) && System.nanoTime() < until) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (!PASSED.contains(attempt + ":" + earlier)) {
          ORDER_MISSED.set(true);
        }
        // The earlier record goes to the database in a batch of its own.
        Thread.sleep(FLUSH_MILLIS);
        if (attempt == 0 && faultBeforeSecond) {
          FAULTED.set(true);
          throw new IllegalStateException(
              "injected fault before record " + which + " passed, after " + earlier);
        }
      }
      PASSED.add(attempt + ":" + which);
      LOG.add("attempt " + attempt + ": " + which + " (" + item.file() + ":" + item.line() + ")");
      passedMask |= isA ? 1 : 2;
      if (attempt == 0 && !FAULTED.get()) {
        if (which.equals(earlier)) {
          holdNext = faultBeforeSecond;
        } else {
          failNext = true;
        }
      }
      return item;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
      state.update(List.of(passedMask));
    }
  }

  static final AtomicInteger ENDED = new AtomicInteger();
  static final AtomicLong ARMED_AT = new AtomicLong(-1);
  static final AtomicBoolean FIRED = new AtomicBoolean();
  static final AtomicLong FIRED_AT = new AtomicLong(-1);

  /**
   * Fails the first attempt once every reader has ended: at the completion of the first checkpoint
   * taken after all subtasks of this operator (chained to the readers) saw their end of input.
   */
  static final class FailAfterReadersEnd<T> extends AbstractStreamOperator<Decoded<T>>
      implements OneInputStreamOperator<Decoded<T>, Decoded<T>>, BoundedOneInput {
    private transient int attempt;

    @Override
    public void open() throws Exception {
      super.open();
      attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
    }

    @Override
    public void processElement(StreamRecord<Decoded<T>> element) {
      output.collect(element);
    }

    @Override
    public void endInput() {
      if (attempt == 0) {
        ENDED.incrementAndGet();
      }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
      super.snapshotState(context);
      if (attempt == 0
          && ENDED.get() == getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()) {
        ARMED_AT.compareAndSet(-1, context.getCheckpointId());
      }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      super.notifyCheckpointComplete(checkpointId);
      long armed = ARMED_AT.get();
      if (attempt == 0 && armed >= 0 && checkpointId >= armed && FIRED.compareAndSet(false, true)) {
        FIRED_AT.set(checkpointId);
        throw new IllegalStateException(
            "injected fault after every reader ended, at checkpoint " + checkpointId);
      }
    }
  }

  private static FaultHarness harness(FaultHarness.Job job, List<Path> inputs, String path) {
    Map<String, String> o = FaultHarness.defaultOverrides();
    o.put("restart-attempts", "3");
    o.put("write-path", path);
    // Checkpoints far enough apart that the pair and its fault fall between two of them.
    o.put("checkpoint-interval", "2s");
    return new FaultHarness(job, TestPostgres.database(), inputs, o).comparingObjectsByKey();
  }

  private static void compare(
      FaultHarness h, FaultHarness.Job job, Path dir, JobSources faults, String context)
      throws Exception {
    String clean = TestPostgres.freshSchema("r1c_clean");
    RunResult reference = h.clean(clean, job.objectStore(dir.resolve("objects-clean")));
    reset();
    String faulted = TestPostgres.freshSchema("r1c_faulted");
    RunResult recovered =
        h.run(faulted, job.objectStore(dir.resolve("objects-faulted")))
            .withSources(faults)
            .execute(FaultHarness.env());
    String what = context + "; gate log " + LOG + ", restores " + RESTORES.get();
    FaultHarness.figures("R1 counts " + job, what);
    assertThat(FAULTED.get() || FIRED.get()).as("fault injected; %s", what).isTrue();
    Assumptions.assumeFalse(
        ORDER_MISSED.get(), "the readers did not deliver the pair in the order asked; " + what);
    Assumptions.assumeFalse(
        RESTORED_WITH_PAIR.get(), "a checkpoint between the pair and the fault; " + what);
    FaultHarness.assertSameCounts(reference, recovered, what);
    h.assertSameAs(clean, faulted, what);
  }

  private static JobSources pairGate(Match a, Match b, boolean reversed, boolean beforeSecond) {
    return new JobSources() {
      @Override
      public <T> DataStream<Decoded<T>> read(
          StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
        DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
        return items
            .map(new PairGate<T>(a, b, reversed, beforeSecond))
            .returns(items.getType())
            .name("Gate a pair");
      }
    };
  }

  // ---------------------------------------------------------------- (a)

  /**
   * (a) on YBrowse (rows with run stamps): a variant line and, next to it, a second record of the
   * same variant that changes it; the first attempt writes both and fails, the restore replays
   * both.
   */
  @ParameterizedTest(name = "ybrowse, {0}")
  @ValueSource(strings = {"upsert", "copy"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKeysTwoRecordsReplayedCountAsInAcleanRunYBrowse(String path, @TempDir Path dir)
      throws Exception {
    Path input = dir.resolve("snps.gff3");
    FaultHarness.YBROWSE.writeInput(input, 3_000, TaskFailureITCase.FIXED_SEED);
    List<String> lines = new ArrayList<>(Files.readAllLines(input, StandardCharsets.UTF_8));
    int at = lines.size() / 2;
    String v1 =
        "chrY\tpoint\tsnp\t2900000\t2900000\t.\t+\t.\tID=PAIR1;Name=PAIR1;allele_anc=A;"
            + "allele_der=G;isogg_haplogroup=R-M269;count_tested=3";
    String v2 = v1.replace("ID=PAIR1;", "ID=PAIR1;Alias=PAIR1B;").replace("=3", "=8");
    lines.add(at, v2);
    lines.add(at, v1);
    Files.write(input, lines, StandardCharsets.UTF_8);
    String name = input.getFileName().toString();
    FaultHarness h = harness(FaultHarness.YBROWSE, List.of(input), path);
    compare(
        h,
        FaultHarness.YBROWSE,
        dir,
        pairGate(new Match(name, at + 1, at + 1), new Match(name, at + 2, at + 2), false, false),
        "(a) ybrowse, " + path + ", lines " + (at + 1) + " and " + (at + 2));
  }

  /**
   * (a) on GenBank (declared tables without run stamps, counted by the statements): a record and
   * right after it a revised copy of it (same accession, another definition).
   */
  @Disabled(
      "defect: a table without run stamps (declared tables: GenBank, laps, shop, profiles) counts a key's first write in a replay as updated when the failed attempt had already written the key with other values after the restored checkpoint (WriteSql counts the first write of a key by xmax = 0 into ingest_counts; the failed attempt's counts were committed, and the replay's first write meets the row it left). Expected updated 0, got 1")
  @ParameterizedTest(name = "genbank, {0}")
  @ValueSource(strings = {"upsert", "copy"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKeysTwoRecordsReplayedCountAsInAcleanRunGenbank(String path, @TempDir Path dir)
      throws Exception {
    genbankPair(path, dir);
  }

  static void genbankPair(String path, Path dir) throws Exception {
    Path input = dir.resolve("gbvrl1.seq");
    FaultHarness.GENBANK.writeInput(input, 40 * 200, TaskFailureITCase.FIXED_SEED);
    List<String> lines = new ArrayList<>(Files.readAllLines(input, StandardCharsets.UTF_8));
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("LOCUS ")) {
        starts.add(i);
      }
    }
    int k = starts.size() / 2;
    int s = starts.get(k);
    int e = s;
    while (!lines.get(e).equals("//")) {
      e++;
    }
    List<String> copy = new ArrayList<>();
    boolean changed = false;
    for (String l : lines.subList(s, e + 1)) {
      if (!changed && l.startsWith("DEFINITION  ")) {
        l = "DEFINITION  Revised " + l.substring("DEFINITION  ".length());
        changed = true;
      }
      copy.add(l);
    }
    assertThat(changed).as("the record has a DEFINITION line").isTrue();
    lines.addAll(e + 1, copy);
    Files.write(input, lines, StandardCharsets.UTF_8);
    String name = input.getFileName().toString();
    int len = e - s + 1;
    FaultHarness h = harness(FaultHarness.GENBANK, List.of(input), path);
    compare(
        h,
        FaultHarness.GENBANK,
        dir,
        pairGate(new Match(name, s + 1, e + 1), new Match(name, e + 2, e + 1 + len), false, false),
        "(a) genbank, " + path + ", records at lines " + (s + 1) + " and " + (e + 2));
  }

  // ---------------------------------------------------------------- (b)

  /**
   * (b) a LiveRC event page and a race page both write the race's row (parallelism 2): the first
   * attempt writes it from one of them and fails before the other passes; the replay reads the
   * other first.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"upsert", "copy"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRowFromTwoFilesRacePageFirstThenReplayedInAnotherOrderCountsAsInAcleanRun(
      String path, @TempDir Path dir) throws Exception {
    twoFiles("race", path, dir);
  }

  /** (b), the first attempt writing the race's row from the event page. */
  @Disabled(
      "defect: a table without run stamps (declared tables: GenBank, laps, shop, profiles) counts a key's first write in a replay as updated when the failed attempt had already written the key with other values after the restored checkpoint (WriteSql counts the first write of a key by xmax = 0 into ingest_counts; the failed attempt's counts were committed, and the replay's first write meets the row it left). Expected updated 0, got 1")
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"upsert", "copy"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRowFromTwoFilesEventPageFirstThenReplayedInAnotherOrderCountsAsInAcleanRun(
      String path, @TempDir Path dir) throws Exception {
    twoFiles("event", path, dir);
  }

  static void twoFiles(String first, String path, Path dir) throws Exception {
    Path event = dir.resolve("event");
    FaultHarness.LAPS_LIVERC_WITH_EVENT_PAGE.writeInput(
        event, 3 * 360, TaskFailureITCase.FIXED_SEED);
    String eventPage;
    String racePage;
    try (var pages = Files.newDirectoryStream(event, "event-*.html")) {
      eventPage = pages.iterator().next().getFileName().toString();
    }
    try (var pages = Files.list(event)) {
      racePage =
          pages
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("race-"))
              .sorted()
              .findFirst()
              .orElseThrow();
    }
    Match ev = new Match(eventPage, -1, -1);
    Match race = new Match(racePage, -1, -1);
    FaultHarness h = harness(FaultHarness.LAPS_LIVERC_WITH_EVENT_PAGE, List.of(event), path);
    compare(
        h,
        FaultHarness.LAPS_LIVERC_WITH_EVENT_PAGE,
        dir,
        first.equals("event") ? pairGate(ev, race, true, true) : pairGate(race, ev, true, true),
        "(b) "
            + path
            + ", "
            + eventPage
            + " and "
            + racePage
            + ", first attempt "
            + first
            + " page first");
  }

  // ---------------------------------------------------------------- (c)

  /**
   * (c) on every job: a fault after every reader ended and a checkpoint holds them ended. Whether
   * the run's finisher closes the run before the fault or only after the restore is timing: in the
   * second case the restored subtasks sent their end counts a second time, and without one end per
   * sender in {@code RunFinisher} read and rows came out doubled (seen on profiles and GenBank:
   * read 8,000 of 4,000 lines; in 1 of 5 runs here).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ybrowse-variants", "profiles", "genbank", "laps-liverc"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aRestoreAfterEveryReaderEndedCountsAsAcleanRun(String spec, @TempDir Path dir)
      throws Exception {
    FaultHarness.Job job =
        FaultHarness.JOBS.stream().filter(j -> j.spec().equals(spec)).findFirst().orElseThrow();
    Path input = dir.resolve(job.inputName());
    job.writeInput(input, 4_000, TaskFailureITCase.FIXED_SEED);
    FaultHarness h = harness(job, List.of(input), "auto");
    JobSources faults =
        new JobSources() {
          @Override
          public <T> DataStream<Decoded<T>> read(
              StreamExecutionEnvironment env, ResolvedJob<T, ?> rj, SourceSpec source) {
            DataStream<Decoded<T>> items = JobSources.FILES.read(env, rj, source);
            return items
                .transform(
                    "Fail after the readers end", items.getType(), new FailAfterReadersEnd<T>())
                .name("Fail after the readers end");
          }
        };
    compare(h, job, dir, faults, "(c) " + spec + ", fault once every reader ended");
    assertThat(FIRED_AT.get()).as("checkpoint the fault followed").isPositive();
  }
}
