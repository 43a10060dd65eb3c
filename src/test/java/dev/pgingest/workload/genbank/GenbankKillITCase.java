package dev.pgingest.workload.genbank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.fault.FaultHarness;
import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.CheckpointState;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Runner;
import dev.pgingest.testutil.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
 * {@code kill -9} of the runner while it loads a folder of divisions, then the same command: the
 * tables equal a clean run's, and a division that was complete before the kill is not read again.
 *
 * <p>The proof of "not read again": after the kill, the complete division is edited in place (same
 * size, same modification time, so the run still resumes). Had the resumed run read it again, its
 * edited definition would be in the table; the clean run's is.
 */
class GenbankKillITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Pattern RESUMING =
      Pattern.compile("resuming run (\\d+) from checkpoint (\\d+)");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aKilledRunResumesWithoutReadingFinishedDivisionsAgain(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "pgingest.jar").toAbsolutePath();
    assertThat(jar).as("the runner jar (built in the package phase)").exists();
    Path in = Files.createDirectories(dir.resolve("divisions"));
    // A small division, read first and done early; three larger ones keep the run going.
    Path small = in.resolve("gbvrl1.seq");
    long smallRecords = GenbankDump.write(small, 8, 101).records();
    long records = smallRecords;
    for (int i = 2; i <= 4; i++) {
      records += GenbankDump.write(in.resolve("gbvrl" + i + ".seq"), 120, 100 + i).records();
    }
    Map<String, String> base = FaultHarness.defaultOverrides();
    base.put("target.objects", dir.resolve("objects").toUri().toString());
    FaultHarness harness =
        new FaultHarness(FaultHarness.GENBANK, TestPostgres.database(), List.of(in), base);
    String clean = TestPostgres.freshSchema("gb_kill_clean");
    RunResult reference = harness.clean(clean);
    assertThat(reference.tables().get("genbank_record").read()).isEqualTo(records);
    String smallPrefix =
        TestPostgres.rows(
                "SELECT left(accession_version, 4) FROM "
                    + clean
                    + ".genbank_record"
                    + " WHERE source_file LIKE '%/gbvrl1.seq' LIMIT 1")
            .get(0)
            .get(0);

    String schema = TestPostgres.freshSchema("gb_kill");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.addAll(
        List.of("-jar", jar.toString(), "run", "jobs/genbank.yaml", "--input", in.toString()));
    command.addAll(
        List.of("--jdbc-url", TestPostgres.url(), "--home", dir.resolve("home").toString()));
    Path summary = dir.resolve("summary.json");
    command.addAll(List.of("--summary-json", summary.toString()));
    for (Map.Entry<String, String> e :
        Map.of(
                "target.schema", schema,
                "target.objects", dir.resolve("objects").toUri().toString(),
                "checkpoint-interval", "1s",
                "flush-interval", "50ms",
                "batch-rows", "500",
                "max-records-per-second", "25")
            .entrySet()) {
      command.addAll(List.of("--set", e.getKey() + "=" + e.getValue()));
    }

    Path first = dir.resolve("run-1.log");
    Process p = Runner.start(command, first);
    // Killed once the small division is all in and two checkpoints have passed since.
    Runner.awaitCount(
        p,
        first,
        "SELECT count(*) FROM "
            + schema
            + ".genbank_record"
            + " WHERE accession_version LIKE '"
            + smallPrefix
            + "%'",
        smallRecords);
    Runner.awaitCount(p, first, "SELECT count(*) FROM " + schema + ".genbank_record", records / 4);
    // Every checkpoint begun from now on has its barrier behind the small division's records:
    // Flink makes chk-N when it starts checkpoint N. Two of them must complete before the kill.
    Path home = dir.resolve("home");
    long begunBefore = CheckpointState.highestStarted(home).orElse(0);
    long completed = CheckpointState.awaitCompletedAfter(home, begunBefore + 1, p::isAlive);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long atKill = TestPostgres.scalar("SELECT count(*) FROM " + schema + ".genbank_record");

    // The finished division changes under the resumed run, invisibly to its input check.
    FileTime modified = Files.getLastModifiedTime(small);
    String text = Files.readString(small, StandardCharsets.US_ASCII);
    int at = text.indexOf("DEFINITION  ") + "DEFINITION  ".length();
    char c = text.charAt(at);
    Files.writeString(
        small,
        text.substring(0, at) + (c == 'X' ? 'Y' : 'X') + text.substring(at + 1),
        StandardCharsets.US_ASCII);
    Files.setLastModifiedTime(small, modified);

    Path last = dir.resolve("run-2.log");
    Instant resumed = Instant.now().minusSeconds(1);
    p = Runner.start(command, last);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the resumed run ends").isTrue();
    String out = Files.readString(last);
    assertThat(p.exitValue()).as("exit code of the resumed run; its output:\n%s", out).isZero();
    Matcher m = RESUMING.matcher(out);
    assertThat(m.find()).as("'resuming run N from checkpoint M' in:\n%s", out).isTrue();

    String context =
        "killed at "
            + atKill
            + " of "
            + records
            + " records after checkpoint "
            + completed
            + " (the last begun before the small division was in: "
            + begunBefore
            + "); "
            + m.group();
    assertThat(Long.parseLong(m.group(2)))
        .as("the checkpoint resumed from is at least the awaited one; %s", context)
        .isGreaterThanOrEqualTo(completed);
    // The killed run's spools of records it never mapped are gone once the resumed run succeeds.
    Path spools = Path.of(System.getProperty("java.io.tmpdir"), "pgingest-spool", "genbank");
    try (var files = Files.list(spools)) {
      assertThat(files.filter(f -> modified(f).isBefore(resumed)).toList())
          .as("spool files older than the resumed run; %s", context)
          .isEmpty();
    }
    harness.assertSameAs(clean, schema, context);
    // The counts held by a reader that ran out of files before the kill survive the restore.
    Matcher read =
        Pattern.compile("\"genbank_record\": \\{\"read\": (\\d+)")
            .matcher(Files.readString(summary));
    assertThat(read.find()).as("the summary JSON of the resumed run").isTrue();
    assertThat(Long.parseLong(read.group(1))).as("records read; %s", context).isEqualTo(records);
    assertThat(
            TestPostgres.rows(
                "SELECT definition FROM "
                    + schema
                    + ".genbank_record"
                    + " WHERE accession_version LIKE '"
                    + smallPrefix
                    + "%' ORDER BY accession_version LIMIT 1"))
        .as("the finished division's first definition, as the clean run read it; %s", context)
        .isEqualTo(
            TestPostgres.rows(
                "SELECT definition FROM "
                    + clean
                    + ".genbank_record"
                    + " WHERE accession_version LIKE '"
                    + smallPrefix
                    + "%' ORDER BY accession_version LIMIT 1"));
  }

  private static Instant modified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toInstant();
    } catch (IOException e) {
      // Deleted since listed: as good as gone.
      return Instant.MAX;
    }
  }
}
