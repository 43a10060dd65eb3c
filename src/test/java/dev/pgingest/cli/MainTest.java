package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's refusals: each a non-zero exit and one sentence that names the problem. */
class MainTest {

  /** Exit code, stdout and stderr of one invocation. */
  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownSpecKeyIsNamed(@TempDir Path dir) throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(
        spec,
        Files.readString(Path.of("jobs/ybrowse-variants.yaml"))
            .replace("batch-rows: 5000", "batch-size: 5000"));
    Outcome o = run("run", spec.toString(), "--home", dir.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("unknown key 'options.batch-size'");
  }

  @Test
  void badPrometheusPortIsNamed(@TempDir Path dir) {
    for (String bad : new String[] {"lots", "0", "9259-9249"}) {
      Outcome o =
          run(
              "run",
              "jobs/ybrowse-variants.yaml",
              "--prometheus-port",
              bad,
              "--home",
              dir.toString());
      assertThat(o.code()).isEqualTo(2);
      assertThat(o.err())
          .contains(
              "--prometheus-port needs a port, a range like 9249-9259 or 'off', got '" + bad + "'");
    }
  }

  @Test
  void badOverrideValueIsNamed(@TempDir Path dir) {
    Outcome o =
        run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--set",
            "batch-rows=lots",
            "--home",
            dir.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("key 'options.batch-rows'").contains("'lots'");
  }

  @Test
  void missingInputIsOneSentence(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-dump.gff3");
    Outcome o =
        run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--input",
            missing.toString(),
            "--home",
            dir.toString());
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err().strip()).isEqualTo("pgingest: Input not found: " + missing + ".");
  }

  @Test
  void missingSpecIsABadCommandLine(@TempDir Path dir) {
    Outcome o = run("run", "jobs/nope.yaml", "--home", dir.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip()).isEqualTo("pgingest: Job spec not found: jobs/nope.yaml.");
    assertThat(o.err().strip().lines()).hasSize(1);
  }

  @Test
  void specThatIsAFolderIsABadCommandLine(@TempDir Path dir) {
    Outcome o = run("run", "jobs", "--home", dir.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip())
        .isEqualTo("pgingest: bad job spec: jobs is a folder, not a job spec file (jobs/*.yaml)");
  }

  @Test
  void unknownAssemblyFromSetIsABadCommandLineNamingTheSet(@TempDir Path dir) {
    Outcome o =
        run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--set",
            "source.assembly=hg99",
            "--home",
            dir.toString());
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err().strip())
        .isEqualTo(
            "pgingest: bad job spec: --set source.assembly=hg99: 'hg99' is not a known assembly;"
                + " known: GRCh37 (hg19, b37), GRCh38 (hg38), T2T-CHM13v2.0 (hs1, chm13)");
  }

  @Test
  void unreachableDatabaseIsOneSentenceWithoutThePassword(@TempDir Path dir) {
    Outcome o =
        run(
            "run",
            "jobs/ybrowse-variants.yaml",
            "--jdbc-url",
            "jdbc:postgresql://127.0.0.1:1/postgres?user=u&password=hunter2",
            "--home",
            dir.toString());
    assertThat(o.code()).isEqualTo(1);
    assertThat(o.err())
        .startsWith("pgingest: Cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/")
        .doesNotContain("hunter2");
    assertThat(o.err().strip().lines()).hasSize(1);
  }

  @Test
  void unknownOptionPrintsUsage() {
    Outcome o = run("run", "jobs/ybrowse-variants.yaml", "--frobnicate", "1");
    assertThat(o.code()).isEqualTo(2);
    assertThat(o.err()).contains("Unknown options: '--frobnicate'").contains("Usage:");
  }
}
