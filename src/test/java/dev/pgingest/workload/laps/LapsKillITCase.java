package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.fault.FaultHarness;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Runner;
import dev.pgingest.testutil.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
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
 * {@code kill -9} of the runner in the middle of an event, then the same command: the tables and
 * the status table equal a clean run's, and the races that were {@code complete} at the kill are
 * not read again.
 *
 * <p>The proof of "not read again": after the kill, a complete race's page is edited in place (one
 * lap time, same size and modification time, so the run still resumes). Had the resumed run read it
 * again, the edited lap time would be in the table; the clean run's is, and the race's rows keep
 * their row versions.
 */
class LapsKillITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Pattern RESUMING =
      Pattern.compile("resuming run (\\d+) from checkpoint (\\d+)");
  private static final Pattern LAP_TIME =
      Pattern.compile("'lapNum' : '1',[^}]*?'time' : '(\\d+\\.\\d*)(\\d)'");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aKilledRunResumesWithoutReadingCompleteRacesAgain(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "pgingest.jar").toAbsolutePath();
    assertThat(jar).as("the runner jar (built in the package phase)").exists();
    Path event = dir.resolve("event");
    RaceDump.Stats stats = RaceDump.writeLiveRcEvent(event, 16, 12, 30, 909);
    FaultHarness harness =
        new FaultHarness(
            FaultHarness.LAPS_LIVERC,
            TestPostgres.database(),
            List.of(event),
            FaultHarness.defaultOverrides());
    String clean = TestPostgres.freshSchema("laps_kill_clean");
    harness.clean(clean);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + clean + ".laps"))
        .isEqualTo(stats.laps());

    String schema = TestPostgres.freshSchema("laps_kill");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(
        List.of(
            "-jar", jar.toString(), "run", "jobs/laps-liverc.yaml", "--input", event.toString()));
    command.addAll(
        List.of("--jdbc-url", TestPostgres.url(), "--home", dir.resolve("home").toString()));
    command.addAll(List.of("--prometheus-port", "off"));
    for (Map.Entry<String, String> e :
        Map.of(
                "target.schema", schema,
                "checkpoint-interval", "500ms",
                "flush-interval", "50ms",
                "max-records-per-second", "4")
            .entrySet()) {
      command.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
    }

    Path first = dir.resolve("run-1.log");
    Process p = Runner.start(command, first);
    Runner.awaitCount(
        p,
        first,
        "SELECT count(*) FROM " + schema + ".race_ingest_status WHERE status = 'complete'",
        3);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    List<String> complete =
        TestPostgres.rows(
                "SELECT race_id FROM "
                    + schema
                    + ".race_ingest_status WHERE status = 'complete' ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList();
    assertThat(complete.size()).as("races complete at the kill").isLessThan(16);
    String versions = LapsFailureITCase.versions(schema, complete);

    // A complete race's page changes under the resumed run, invisibly to its input check.
    String edited = complete.get(0);
    Path page = event.resolve("race-" + edited + ".html");
    FileTime modified = Files.getLastModifiedTime(page);
    String text = Files.readString(page, StandardCharsets.UTF_8);
    Matcher lap = LAP_TIME.matcher(text);
    assertThat(lap.find()).as("a lap 1 time in %s", page).isTrue();
    char digit = lap.group(2).charAt(0);
    Files.writeString(
        page,
        text.substring(0, lap.start(2))
            + (digit == '9' ? '8' : (char) (digit + 1))
            + text.substring(lap.end(2)),
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(page, modified);

    Path last = dir.resolve("run-2.log");
    p = Runner.start(command, last);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the resumed run ends").isTrue();
    String out = Files.readString(last);
    assertThat(p.exitValue()).as("exit code of the resumed run; its output:\n%s", out).isZero();
    Matcher m = RESUMING.matcher(out);
    assertThat(m.find()).as("'resuming run N from checkpoint M' in:\n%s", out).isTrue();

    String context = "killed with races " + complete + " complete; " + m.group();
    harness.assertSameAs(clean, schema, context);
    assertThat(LapsFailureITCase.versions(schema, complete))
        .as("row versions of the races complete at the kill; %s", context)
        .isEqualTo(versions);
    assertThat(
            TestPostgres.rows(
                "SELECT race_id, status, laps_written::text, highest_lap::text FROM "
                    + schema
                    + ".race_ingest_status ORDER BY 1"))
        .as(context)
        .isEqualTo(
            TestPostgres.rows(
                "SELECT race_id, status, laps_written::text, highest_lap::text FROM "
                    + clean
                    + ".race_ingest_status ORDER BY 1"));
    assertThat(out).contains("races_complete: 16").contains("races_failed: 0");
  }
}
