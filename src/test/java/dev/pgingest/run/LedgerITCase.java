package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file ledger over a growing folder: unchanged files are skipped, new and changed ones read,
 * {@code --force} reads all; a damaged file is recorded as such and its neighbours still load; a
 * folder of the wrong kind of files fails saying what was expected.
 */
class LedgerITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static JobSpec spec(String schema, Path folder) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    o.put("max-reject-ratio", "1");
    return Specs.shipped("ybrowse-variants", List.of(folder), o);
  }

  /** {@code n} YBrowse lines of named SNPs {@code prefix1…prefixN}. */
  private static String lines(String prefix, int from, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      sb.append("chrY\tpoint\tsnp\t")
          .append(1000 + i)
          .append('\t')
          .append(1000 + i)
          .append("\t.\t+\t.\tID=")
          .append(prefix)
          .append(i)
          .append(";Name=")
          .append(prefix)
          .append(i)
          .append(";allele_anc=A;allele_der=G;isogg_haplogroup=R1b\n");
    }
    return sb.toString();
  }

  private static RunResult run(JobSpec spec, List<String> notes, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .withNotes(notes::add)
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void growingFolderReadsOnlyNewAndChangedFiles(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("ledger");
    Path a = dir.resolve("a.gff3");
    Path b = dir.resolve("b.gff3");
    Files.writeString(a, lines("A", 1, 50));
    Files.writeString(b, lines("B", 1, 30));
    List<String> notes = new ArrayList<>();

    RunResult first = run(spec(schema, dir), notes, false);
    assertThat(first.tables().get("variant").read()).isEqualTo(80);
    assertThat(
            TestPostgres.rows(
                "SELECT path, status, records, rejects, content_sha256 FROM "
                    + schema
                    + ".ingest_files WHERE run_id = "
                    + first.runId()
                    + " ORDER BY path"))
        .containsExactly(
            List.of(a.toAbsolutePath().toString(), "loaded", "50", "0", sha256(a)),
            List.of(b.toAbsolutePath().toString(), "loaded", "30", "0", sha256(b)));

    // A new file arrives: only it is read.
    Path c = dir.resolve("c.gff3");
    Files.writeString(c, lines("C", 1, 20));
    notes.clear();
    RunResult second = run(spec(schema, dir), notes, false);
    assertThat(notes).anyMatch(n -> n.startsWith("skipping 2 files already loaded unchanged"));
    assertThat(second.tables().get("variant").read()).isEqualTo(20);
    assertThat(second.tables().get("variant").inserted()).isEqualTo(20);

    // Touched but unchanged: the content hash says so, nothing is read.
    Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    // Changed: read again.
    Files.writeString(b, lines("B", 1, 35));
    notes.clear();
    RunResult third = run(spec(schema, dir), notes, false);
    assertThat(notes).anyMatch(n -> n.startsWith("skipping 2 files"));
    assertThat(third.tables().get("variant").read()).isEqualTo(35);
    assertThat(third.tables().get("variant").inserted()).isEqualTo(5);
    assertThat(third.tables().get("variant").unchanged()).isEqualTo(30);

    // Nothing new: no job at all.
    notes.clear();
    RunResult fourth = run(spec(schema, dir), notes, false);
    assertThat(fourth.tables()).isEmpty();
    assertThat(notes).contains("nothing to do: every input file was loaded unchanged before");

    // --force reads everything again and changes nothing.
    notes.clear();
    RunResult forced = run(spec(schema, dir), notes, true);
    assertThat(forced.tables().get("variant").read()).isEqualTo(105);
    assertThat(forced.tables().get("variant").unchanged()).isEqualTo(105);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".variant")).isEqualTo(105);
  }

  @Test
  void damagedGzipIsRecordedAndItsNeighboursLoad(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("ledger_gz");
    Path good = dir.resolve("good.gff3");
    Files.writeString(good, lines("G", 1, 40));
    byte[] whole;
    try (var bytes = new ByteArrayOutputStream();
        GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(lines("T", 1, 2000).getBytes(StandardCharsets.UTF_8));
      gz.finish();
      whole = bytes.toByteArray();
    }
    Path truncated = dir.resolve("truncated.gff3.gz");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));

    RunResult r = run(spec(schema, dir), new ArrayList<>(), false);

    long loadedFromTruncated =
        TestPostgres.scalar(
            "SELECT count(*) FROM " + schema + ".variant WHERE canonical_name LIKE 'T%'");
    assertThat(loadedFromTruncated).isGreaterThan(0).isLessThan(2000);
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + schema + ".variant WHERE canonical_name LIKE 'G%'"))
        .isEqualTo(40);
    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT file, line_number, reason FROM "
                + schema
                + ".ingest_rejects WHERE run_id = "
                + r.runId());
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).get(0)).isEqualTo(truncated.toAbsolutePath().toString());
    assertThat(Long.parseLong(rejects.get(0).get(1))).isEqualTo(loadedFromTruncated + 1);
    assertThat(rejects.get(0).get(2)).contains("gzip data ends unexpectedly");
    assertThat(
            TestPostgres.rows(
                "SELECT status, rejects, message IS NOT NULL FROM "
                    + schema
                    + ".ingest_files WHERE path = '"
                    + truncated.toAbsolutePath()
                    + "'"))
        .containsExactly(List.of("damaged", "1", "t"));
  }

  @Test
  void folderOfTheWrongKindFailsSayingWhatWasExpected(@TempDir Path dir) throws Exception {
    String schema = TestPostgres.freshSchema("ledger_kind");
    Files.writeString(
        dir.resolve("genes.gff3"),
        "##gff-version 3\n"
            + "chr1\tRefSeq\tgene\t1000\t9000\t.\t+\t.\tID=gene1;Name=ABC1\n"
            + "chr1\tRefSeq\texon\t1000\t1200\t.\t+\t.\tID=exon1;Parent=gene1\n"
            + "chr2\tRefSeq\tCDS\t1000\t1200\t.\t+\t0\tID=cds1;Parent=gene1\n");

    assertThatThrownBy(() -> run(spec(schema, dir), new ArrayList<>(), false))
        .isInstanceOf(RunFailure.class)
        .hasMessageStartingWith("Nothing in the input looks like YBrowse Y-SNP/indel GFF3 features")
        .hasMessageContaining("the 3 records read were all rejected")
        .hasMessageContaining("genes.gff3:2 (");
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".variant")).isZero();
    assertThat(
            TestPostgres.rows(
                "SELECT status FROM " + schema + ".ingest_runs ORDER BY run_id DESC LIMIT 1"))
        .containsExactly(List.of("failed"));
  }
}
