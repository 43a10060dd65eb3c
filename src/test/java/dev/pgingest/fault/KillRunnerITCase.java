package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.MapToRows;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.testutil.CheckpointState;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.PrometheusScrape;
import dev.pgingest.testutil.Runner;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * R4: {@code kill -9} of the local runner at three points; the same command each time resumes from
 * the last checkpoint, and the last one ends with a clean run's tables and counts, having read only
 * the records its restore point did not cover.
 */
class KillRunnerITCase {

  /** Only for the clean reference run, in this JVM. */
  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LINES_PER_FILE = 12_000;
  private static final long SEED = 20_250_412L;

  /** Over the whole job: two files, two readers, about 16 s of reading in all. */
  private static final int RECORDS_PER_SECOND = 1_500;

  /** Flink's count of the records an operator emitted, as its Prometheus reporter names it. */
  private static final String SOURCE_RECORDS_OUT =
      "flink_taskmanager_job_task_operator_numRecordsOut";

  /** The file source's operator name starts so ({@code Source: Read gff3 files}). */
  private static final String SOURCE_OPERATOR_PREFIX = "Source";

  private static final Pattern RESUMING =
      Pattern.compile("resuming run (\\d+) from checkpoint (\\d+)");

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void killedRunnerResumesFromItsLastCheckpoint(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "pgingest.jar").toAbsolutePath();
    assertThat(jar).as("the runner jar (built in the package phase)").exists();
    List<Path> inputs = List.of(dir.resolve("snps-a.gff3"), dir.resolve("snps-b.gff3"));
    long lines = 0;
    for (int i = 0; i < inputs.size(); i++) {
      YBrowseDump.Stats s = YBrowseDump.write(inputs.get(i), LINES_PER_FILE, SEED + i);
      lines += s.dataLines();
    }
    FaultHarness harness =
        new FaultHarness(
            FaultHarness.YBROWSE, TestPostgres.database(), inputs, FaultHarness.defaultOverrides());
    String clean = TestPostgres.freshSchema("r4_clean");
    RunResult reference = harness.clean(clean);
    TableSummary c = FaultHarness.only(reference);
    assertThat(c.read()).as("records the clean run read").isEqualTo(lines);
    long cleanRows = TestPostgres.scalar("SELECT count(*) FROM " + clean + ".variant");

    String schema = TestPostgres.freshSchema("r4_killed");
    Path home = Files.createDirectories(dir.resolve("home"));
    Path summary = dir.resolve("summary.json");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(List.of("-jar", jar.toString(), "run", "jobs/ybrowse-variants.yaml"));
    for (Path in : inputs) {
      command.addAll(List.of("--input", in.toString()));
    }
    command.addAll(List.of("--jdbc-url", TestPostgres.url(), "--home", home.toString()));
    command.addAll(List.of("--summary-json", summary.toString()));
    int prometheusPort;
    try (ServerSocket free = new ServerSocket(0)) {
      prometheusPort = free.getLocalPort();
    }
    command.addAll(List.of("--prometheus-port", String.valueOf(prometheusPort)));
    for (Map.Entry<String, String> e :
        Map.of(
                "target.schema", schema,
                "checkpoint-interval", "1s",
                "flush-interval", "50ms",
                "batch-rows", "500",
                "max-records-per-second", String.valueOf(RECORDS_PER_SECOND))
            .entrySet()) {
      command.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
    }

    List<String> kills = new ArrayList<>();
    List<Long> checkpoints = new ArrayList<>();
    int[] percents = {25, 50, 75};
    for (int k = 0; k < percents.length; k++) {
      Path log = dir.resolve("run-" + (k + 1) + ".log");
      Process p = Runner.start(command, log);
      long target = cleanRows * percents[k] / 100;
      long rows = Runner.awaitCount(p, log, "SELECT count(*) FROM " + schema + ".variant", target);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      kills.add(percents[k] + "% (" + rows + " rows)");
      if (k > 0) {
        checkpoints.add(resumedFrom(log));
      }
    }
    // The restore point the last run will take, and the records it covers: the read count
    // MapToRows keeps in operator state, taken at the same barrier as the readers' file offsets.
    Path point = CheckpointState.newestCompleted(home);
    long covered = CheckpointState.sumOfLongListState(point.toString(), "count-" + MapToRows.READ);
    Path last = dir.resolve("run-4.log");
    long t0 = System.nanoTime();
    Process p = Runner.start(command, last);
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
    assertThat(
            List.of(
                field(json, "read"),
                field(json, "rejected"),
                field(json, "rows"),
                field(json, "duplicates"),
                field(json, "inserted"),
                field(json, "updated"),
                field(json, "unchanged"),
                field(json, "skipped")))
        .as(
            "counts of the resumed run (read, rejected, rows, duplicates, inserted, updated,"
                + " unchanged, skipped); %s",
            context)
        .isEqualTo(FaultHarness.counts(c));
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
            inputs.size(), context)
        .isPositive()
        .isLessThanOrEqualTo(c.read() - covered + inputs.size());
    long compared = harness.assertSameAs(clean, schema, context);
    FaultHarness.figures(
        "R4 kill -9",
        String.format(
            Locale.ROOT,
            "3 faults injected, 3 survived, %d rows compared; %s; last run %.1f s wall",
            compared,
            context,
            lastSeconds));
  }

  /** The checkpoint the run's output says it resumed from. */
  private static long resumedFrom(Path log) throws Exception {
    String out = Files.readString(log);
    Matcher m = RESUMING.matcher(out);
    assertThat(m.find()).as("'resuming run N from checkpoint M' in the output:\n%s", out).isTrue();
    assertThat(m.group(1)).as("the run resumed").isEqualTo("1");
    return Long.parseLong(m.group(2));
  }

  /** A number from the one-table summary JSON, as a long (seconds rounded up). */
  private static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": ([0-9.]+)").matcher(json);
    assertThat(m.find()).as("%s in %s", name, json).isTrue();
    return (long) Math.ceil(Double.parseDouble(m.group(1)));
  }
}
