package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.MapToRows;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.CheckpointState;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.PrometheusScrape;
import dev.pgingest.testutil.Runner;
import dev.pgingest.testutil.TestPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R4: {@code kill -9} of the local runner at three points; the same command each time resumes from
 * the last checkpoint, and the last one ends with a clean run's tables and counts, having read only
 * the records its restore point did not cover.
 *
 * <p>Every job in {@code jobs/} on its write path of R4 ({@link FaultHarness#matrix}): YBrowse
 * killed at 25%, 50% and 75%, each other job once at 50%; {@code -Dfaults.full=true}: every job on
 * both write paths killed three times.
 */
class KillRunnerITCase {

  /** Only for the clean reference run, in this JVM. */
  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES = 20_000;
  private static final long SEED = 20_250_412L;

  /** About how long the runner reads the whole input, throttled, with three kills / with one. */
  private static final long READ_SECONDS = 16, READ_SECONDS_ONE_KILL = 10;

  /** Flink's count of the records an operator emitted, as its Prometheus reporter names it. */
  private static final String SOURCE_RECORDS_OUT =
      "flink_taskmanager_job_task_operator_numRecordsOut";

  /** The file source's operator name starts so ({@code Source: Read gff3 files}). */
  private static final String SOURCE_OPERATOR_PREFIX = "Source";

  private static final Pattern RESUMING =
      Pattern.compile("resuming run (\\d+) from checkpoint (\\d+)");

  /** Job × path × kill points, as the class comment says. */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Map.Entry<FaultHarness.Job, String> e : FaultHarness.matrix(FaultHarness.R4)) {
      boolean three = FaultHarness.full() || e.getKey() == FaultHarness.YBROWSE;
      out.add(Arguments.of(e.getKey(), e.getValue(), three ? List.of(25, 50, 75) : List.of(50)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, kills at {2}%")
  @MethodSource("cases")
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killedRunnerResumesFromItsLastCheckpoint(
      FaultHarness.Job job, String path, List<Integer> percents, @TempDir Path dir)
      throws Exception {
    Path jar = Path.of("target", "pgingest.jar").toAbsolutePath();
    assertThat(jar).as("the runner jar (built in the package phase)").exists();
    List<Path> inputs = new ArrayList<>();
    if (job == FaultHarness.YBROWSE) {
      // Two files, two readers.
      inputs.add(dir.resolve("snps-a.gff3"));
      inputs.add(dir.resolve("snps-b.gff3"));
      for (int i = 0; i < inputs.size(); i++) {
        job.writeInput(inputs.get(i), LINES * 6 / 10, SEED + i);
      }
    } else {
      inputs.add(dir.resolve(job.inputName()));
      job.writeInput(inputs.get(0), LINES, SEED);
    }
    long files = 0;
    for (Path in : inputs) {
      try (Stream<Path> all = Files.walk(in)) {
        files += all.filter(Files::isRegularFile).count();
      }
    }
    Map<String, String> o = FaultHarness.defaultOverrides();
    o.put("write-path", path);
    // The runner's command reads every source of the spec; so do the harness's runs here.
    FaultHarness harness =
        new FaultHarness(job, TestPostgres.database(), inputs, o)
            .comparingObjectsByKey()
            .keepingOtherSources();
    String clean = TestPostgres.freshSchema("r4_clean");
    RunResult reference = harness.clean(clean, job.objectStore(dir.resolve("objects-clean")));
    TableSummary c = FaultHarness.first(reference);
    long cleanRows = TestPostgres.scalar(rowsSql(harness, clean));

    String schema = TestPostgres.freshSchema("r4_killed");
    Path home = Files.createDirectories(dir.resolve("home"));
    Path summary = dir.resolve("summary.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(List.of("-jar", jar.toString(), "run", "jobs/" + job.spec() + ".yaml"));
    List<SourceSpec> sources = harness.spec(clean, Map.of()).sources();
    if (sources.size() == 1) {
      for (Path in : inputs) {
        command.addAll(List.of("--input", in.toString()));
      }
    }
    command.addAll(List.of("--jdbc-url", TestPostgres.url(), "--home", home.toString()));
    command.addAll(List.of("--summary-json", summary.toString()));
    int prometheusPort;
    try (ServerSocket free = new ServerSocket(0)) {
      prometheusPort = free.getLocalPort();
    }
    command.addAll(List.of("--prometheus-port", String.valueOf(prometheusPort)));
    Map<String, String> sets = new LinkedHashMap<>(job.objectStore(dir.resolve("objects-killed")));
    if (sources.size() > 1) {
      // --input would feed every source: the first one gets the input, the others keep the
      // spec's paths, as in the harness's runs.
      assertThat(inputs).hasSize(1);
      sets.put("sources." + sources.get(0).name() + ".paths", inputs.get(0).toString());
    }
    sets.put("target.schema", schema);
    sets.put("write-path", path);
    sets.put("checkpoint-interval", "1s");
    sets.put("flush-interval", "50ms");
    sets.put("batch-rows", "500");
    long seconds = percents.size() > 1 ? READ_SECONDS : READ_SECONDS_ONE_KILL;
    sets.put("max-records-per-second", String.valueOf(Math.max(2, c.read() / seconds)));
    for (Map.Entry<String, String> e : sets.entrySet()) {
      command.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
    }

    List<String> kills = new ArrayList<>();
    List<Long> checkpoints = new ArrayList<>();
    for (int k = 0; k < percents.size(); k++) {
      Path log = dir.resolve("run-" + (k + 1) + ".log");
      Process p = started(Runner.start(command, log));
      long target = cleanRows * percents.get(k) / 100;
      long rows = Runner.awaitCount(p, log, rowsSql(harness, schema), target);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      kills.add(percents.get(k) + "% (" + rows + " rows)");
      if (k > 0) {
        checkpoints.add(resumedFrom(log));
      }
    }
    // The restore point the last run will take, and the records it covers: the read count
    // MapToRows keeps in operator state, taken at the same barrier as the readers' file offsets.
    Path point = CheckpointState.newestCompleted(home);
    long covered = CheckpointState.sumOfLongListState(point.toString(), "count-" + MapToRows.READ);
    Path last = dir.resolve("run-" + (percents.size() + 1) + ".log");
    long t0 = System.nanoTime();
    Process p = started(Runner.start(command, last));
    long readByLastRun;
    int series;
    // Records the readers of the last run emitted, counted by Flink's own numRecordsOut: it starts
    // at 0 in every job, unlike the run's read count, which the restore seeds.
    try (PrometheusScrape scrape =
        new PrometheusScrape(
            prometheusPort, SOURCE_RECORDS_OUT, "operator_name=\"" + SOURCE_OPERATOR_PREFIX)) {
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the last run ends").isTrue();
      readByLastRun = scrape.total();
      series = scrape.series();
    }
    double lastSeconds = (System.nanoTime() - t0) / 1e9;
    String out = Files.readString(last);
    assertThat(p.exitValue()).as("exit code of the last run; its output:\n%s", out).isZero();
    checkpoints.add(resumedFrom(last));
    assertThat(checkpoints.get(checkpoints.size() - 1))
        .as("the checkpoint the last run resumed from is the newest one on disk, %s", point)
        .isEqualTo(CheckpointState.number(point));
    assertThat(checkpoints)
        .as("checkpoints resumed from, in order")
        .isSorted()
        .doesNotHaveDuplicates();

    String json = Files.readString(summary);
    String context =
        "killed at "
            + kills
            + ", resumed from checkpoints "
            + checkpoints
            + "; summary "
            + json.strip()
            + "; records in the input "
            + c.read()
            + ", covered by the restore point "
            + covered
            + ", read by the last run "
            + readByLastRun
            + " (source numRecordsOut over "
            + series
            + " series)";
    FaultHarness.assertSameCounts(
        reference, RunResult.fromJson(0, "", json), "counts of the resumed run; " + context);
    assertThat(covered)
        .as("records the restore point covers, after a kill at 75%%; %s", context)
        .isPositive()
        .isLessThan(c.read());
    assertThat(series)
        .as("source subtasks seen on the Prometheus endpoint; %s", context)
        .isPositive();
    // A resume reads what the restore point had not covered: the readers restart at the offsets
    // stored at the same barrier as `covered`, so they emit exactly c.read() - covered records,
    // plus one end-of-file marker per input file (the source counts those as records, MapToRows
    // does not). A run that re-read its input from the start would emit c.read() + markers.
    assertThat(readByLastRun)
        .as(
            "records the last run's readers emitted (≤ input − covered + %d file ends); %s",
            files, context)
        .isPositive()
        .isLessThanOrEqualTo(c.read() - covered + files);
    long compared = harness.assertSameAs(clean, schema, context);
    FaultHarness.figures(
        "R4 " + job + " " + path + " kill -9",
        String.format(
            Locale.ROOT,
            "%d faults injected, %d survived, %d rows compared; %s; last run %.1f s wall",
            percents.size(),
            percents.size(),
            compared,
            context,
            lastSeconds));
  }

  /** Runners this class started: none outlives its test, also one that failed or timed out. */
  private static final List<Process> STARTED = new ArrayList<>();

  private static Process started(Process p) {
    STARTED.add(p);
    return p;
  }

  @AfterEach
  void killLeftRunners() throws Exception {
    for (Process p : STARTED) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    STARTED.clear();
  }

  /** The checkpoint the run's output says it resumed from. */
  private static long resumedFrom(Path log) throws Exception {
    String out = Files.readString(log);
    Matcher m = RESUMING.matcher(out);
    assertThat(m.find()).as("'resuming run N from checkpoint M' in the output:\n%s", out).isTrue();
    assertThat(m.group(1)).as("the run resumed").isEqualTo("1");
    return Long.parseLong(m.group(2));
  }

  /** The rows of every table the job writes in {@code schema}, summed. */
  private static String rowsSql(FaultHarness h, String schema) {
    List<String> counts = new ArrayList<>();
    for (TableDef<?> t : ResolvedJob.of(h.spec(schema, Map.of())).tables()) {
      counts.add("(SELECT count(*) FROM " + t.qualifiedName() + ")");
    }
    return "SELECT " + String.join(" + ", counts);
  }
}
