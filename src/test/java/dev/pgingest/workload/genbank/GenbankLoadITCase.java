package dev.pgingest.workload.genbank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.ObservedBlobStore;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.testutil.TestS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/genbank.yaml} on MiniCluster, embedded PostgreSQL and a real S3 server: rows,
 * features and stored sequences of a division; a changed record updated and stored again with its
 * removed feature gone; a re-run that stores nothing and writes no row version; bad input beside
 * good records.
 */
class GenbankLoadITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final Path FIXTURES = Specs.fixture("workload/genbank");

  static JobSpec spec(String schema, List<Path> inputs, String objects) {
    return spec(schema, inputs, objects, Map.of());
  }

  /** The shipped spec into {@code schema}, quick checkpoints and flushes, {@code extra} on top. */
  static JobSpec spec(String schema, List<Path> inputs, String objects, Map<String, String> extra) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("target.objects", objects);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    o.put("max-reject-ratio", "1");
    o.putAll(extra);
    return Specs.shipped("genbank", inputs, o);
  }

  static RunResult run(JobSpec spec, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  /** The letters of the ORIGIN lines of the record whose LOCUS names {@code locus}. */
  static String originLetters(String text, String locus) {
    int at = text.indexOf("LOCUS       " + locus + " ");
    int origin = text.indexOf("\nORIGIN", at);
    int end = text.indexOf("\n//", origin);
    String body = text.substring(text.indexOf('\n', origin + 1) + 1, end);
    return body.replaceAll("[^A-Za-z]", "");
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A stored sequence object read back through Flink's file systems: header, then letters. */
  static List<String> object(String uri) throws IOException {
    org.apache.flink.core.fs.Path p = new org.apache.flink.core.fs.Path(uri);
    try (InputStream in = new GZIPInputStream(FileSystem.get(p.toUri()).open(p))) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      int nl = text.indexOf('\n');
      return List.of(text.substring(0, nl), text.substring(nl + 1).replace("\n", ""));
    }
  }

  private static List<String> versions(String schema) throws Exception {
    return TestPostgres.rows(
            "SELECT accession_version || ':' || xmin::text FROM "
                + schema
                + ".genbank_record"
                + " UNION ALL SELECT accession_version || '/' || feature_index || ':' || xmin::text FROM "
                + schema
                + ".genbank_feature ORDER BY 1")
        .stream()
        .map(r -> r.get(0))
        .toList();
  }

  @Test
  void aDivisionLoadsAChangedRecordIsUpdatedAndARerunStoresAndWritesNothing(@TempDir Path dir)
      throws Exception {
    Path division = dir.resolve("in").resolve("gbtst1.seq");
    Files.createDirectories(division.getParent());
    Files.copy(FIXTURES.resolve("division_v1.seq"), division);
    String v1 = Files.readString(division);
    try (TestS3 s3 = TestS3.start(dir.resolve("s3"), "seqs")) {
      String schema = TestPostgres.freshSchema("genbank");
      String objects = "s3://seqs/genbank";

      RunResult first = run(spec(schema, List.of(division.getParent()), objects), false);

      assertThat(first.summary())
          .containsEntry("records_inserted", 3L)
          .containsEntry("features_inserted", 9L)
          .containsEntry("objects_uploaded", 3L)
          .containsEntry("objects_already_stored", 0L);
      assertThat(
              TestPostgres.rows(
                  "SELECT accession_version, locus_name, length::text, molecule_type, topology, division,"
                      + " sequence_date::text, release, taxonomy::text, feature_count::text, source_file"
                      + " LIKE '%/gbtst1.seq' FROM "
                      + schema
                      + ".genbank_record ORDER BY 1"))
          .containsExactly(
              List.of(
                  "AB100001.1",
                  "AB100001",
                  "150",
                  "DNA",
                  "linear",
                  "VRL",
                  "2026-11-15",
                  "270.0",
                  "[\"Viruses\", \"Riboviria\", \"Testviridae\"]",
                  "3",
                  "t"),
              List.of(
                  "AB100002.1",
                  "AB100002",
                  "180",
                  "DNA",
                  "linear",
                  "VRL",
                  "2026-11-15",
                  "270.0",
                  "[\"Viruses\", \"Riboviria\", \"Testviridae\"]",
                  "4",
                  "t"),
              List.of(
                  "AB100003.1",
                  "AB100003",
                  "90",
                  "DNA",
                  "circular",
                  "VRL",
                  "2026-11-15",
                  "270.0",
                  "[\"Viruses\", \"Riboviria\", \"Testviridae\"]",
                  "2",
                  "t"));
      // Each stored object is the record's ORIGIN letters under the key of their SHA-256.
      for (String locus : List.of("AB100001", "AB100002", "AB100003")) {
        String letters = originLetters(v1, locus);
        String sha = sha256(letters);
        List<List<String>> row =
            TestPostgres.rows(
                "SELECT sequence_sha256, sequence_object, round(gc_content, 6)::text FROM "
                    + schema
                    + ".genbank_record WHERE locus_name = '"
                    + locus
                    + "'");
        assertThat(row.get(0).get(0)).isEqualTo(sha);
        assertThat(row.get(0).get(1)).isEqualTo(objects + "/sequences/" + sha + ".fasta.gz");
        long gc = letters.chars().filter(ch -> ch == 'g' || ch == 'c').count();
        assertThat(row.get(0).get(2))
            .isEqualTo(
                new BigDecimal((double) gc / letters.length())
                    .setScale(6, RoundingMode.HALF_UP)
                    .toPlainString());
        assertThat(object(row.get(0).get(1)))
            .containsExactly(">" + sha + " length=" + letters.length(), letters);
      }
      assertThat(
              TestPostgres.rows(
                  "SELECT feature_index::text, feature_type, location, start_pos::text, end_pos::text,"
                      + " strand::text, qualifiers::text FROM "
                      + schema
                      + ".genbank_feature"
                      + " WHERE accession_version = 'AB100002.1' ORDER BY feature_index"))
          .containsExactly(
              List.of(
                  "0",
                  "source",
                  "1..180",
                  "1",
                  "180",
                  "1",
                  "{\"mol_type\": \"genomic RNA\", \"organism\": \"Test virus\"}"),
              List.of("1", "gene", "5..170", "5", "170", "1", "{\"gene\": \"abcB\"}"),
              List.of(
                  "2",
                  "CDS",
                  "join(5..50,60..170)",
                  "5",
                  "170",
                  "1",
                  "{\"gene\": \"abcB\", \"note\": \"first note\", \"db_xref\": [\"GeneID:1001\", \"taxon:99999\"]}"),
              List.of(
                  "3",
                  "misc_feature",
                  "171..180",
                  "171",
                  "180",
                  "1",
                  "{\"note\": \"to be removed\"}"));
      // A join across the origin of a circular genome: it starts after it ends.
      assertThat(
              TestPostgres.rows(
                  "SELECT start_pos::text, end_pos::text, qualifiers->>'pseudo' FROM "
                      + schema
                      + ".genbank_feature WHERE accession_version = 'AB100003.1' AND feature_type = 'CDS'"))
          .containsExactly(List.of("80", "30", "true"));

      // v2: one base and one qualifier of AB100002 changed, its misc_feature removed.
      Files.copy(
          FIXTURES.resolve("division_v2.seq"), division, StandardCopyOption.REPLACE_EXISTING);
      String v2 = Files.readString(division);
      RunResult second = run(spec(schema, List.of(division.getParent()), objects), false);

      assertThat(second.summary())
          .containsEntry("records_inserted", 0L)
          .containsEntry("records_updated", 1L)
          .containsEntry("records_unchanged", 2L)
          .containsEntry("features_inserted", 0L)
          .containsEntry("features_updated", 1L)
          .containsEntry("objects_uploaded", 1L)
          .containsEntry("objects_already_stored", 2L);
      String changed = sha256(originLetters(v2, "AB100002"));
      assertThat(
              TestPostgres.rows(
                  "SELECT sequence_sha256, feature_count::text FROM "
                      + schema
                      + ".genbank_record WHERE accession_version = 'AB100002.1'"))
          .containsExactly(List.of(changed, "3"));
      assertThat(object(objects + "/sequences/" + changed + ".fasta.gz").get(1))
          .isEqualTo(originLetters(v2, "AB100002"));
      assertThat(
              TestPostgres.rows(
                  "SELECT feature_type, qualifiers->>'note' FROM "
                      + schema
                      + ".genbank_feature WHERE accession_version = 'AB100002.1' ORDER BY feature_index"))
          .containsExactly(
              Arrays.asList("source", null),
              Arrays.asList("gene", null),
              List.of("CDS", "second note"));
      assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".genbank_feature"))
          .isEqualTo(8);

      // The same division again, read in full: nothing stored, no row version written.
      List<String> before = versions(schema);
      RunResult third = run(spec(schema, List.of(division.getParent()), objects), true);

      assertThat(third.summary())
          .containsEntry("records_inserted", 0L)
          .containsEntry("records_updated", 0L)
          .containsEntry("records_unchanged", 3L)
          .containsEntry("features_updated", 0L)
          .containsEntry("objects_uploaded", 0L)
          .containsEntry("objects_already_stored", 3L)
          .containsEntry("bytes_uploaded", 0L);
      assertThat(versions(schema)).isEqualTo(before);
    }
  }

  @Test
  void aMalformedRecordAndATruncatedGzipLeaveTheirNeighboursLoaded(@TempDir Path dir)
      throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.copy(FIXTURES.resolve("malformed_middle_record.seq"), in.resolve("gbtst1.seq"));
    // Another division whose gzip stream stops in its third record.
    String other =
        Files.readString(FIXTURES.resolve("division_v1.seq")).replace("AB1000", "CD2000");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(other.getBytes(StandardCharsets.US_ASCII));
    }
    byte[] whole = gz.toByteArray();
    Path truncated = in.resolve("gbtst2.seq.gz");
    Files.write(truncated, Arrays.copyOf(whole, whole.length * 9 / 10));
    String schema = TestPostgres.freshSchema("genbank_bad");

    RunResult r = run(spec(schema, List.of(in), dir.resolve("objects").toUri().toString()), false);

    long locus2 = lineOf(FIXTURES.resolve("malformed_middle_record.seq"), "LOCUS       AB100002");
    assertThat(
            TestPostgres.rows(
                "SELECT accession_version FROM " + schema + ".genbank_record ORDER BY 1"))
        .extracting(row -> row.get(0))
        .contains("AB100001.1", "AB100003.1", "CD200001.1", "CD200002.1")
        .doesNotContain("AB100002.1");
    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT file, line_number::text, reason FROM "
                + schema
                + ".ingest_rejects ORDER BY file");
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0).get(0)).endsWith("gbtst1.seq");
    assertThat(rejects.get(0).get(1)).isEqualTo(Long.toString(locus2));
    assertThat(rejects.get(0).get(2)).contains("join(5..50,60..");
    assertThat(rejects.get(1).get(0)).endsWith("gbtst2.seq.gz");
    assertThat(rejects.get(1).get(2)).contains("gzip data ends unexpectedly");
    assertThat(r.tables().get("genbank_record").rejected()).isEqualTo(2);
  }

  @Test
  void divisionsReadInParallelThroughAThrottlingSlowServerKeepTheUploadLimit(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    long records = 0;
    for (int i = 1; i <= 3; i++) {
      records += GenbankDump.write(in.resolve("gbvrl" + i + ".seq"), 25, 700 + i).records();
    }
    ObservedBlobStore[] server = new ObservedBlobStore[1];
    // Every upload and existence check is answered 503 SlowDown once, and each waits 30 ms.
    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"),
            "seqs",
            b -> server[0] = new ObservedBlobStore(b, "genbank/", 30, 1, null))) {
      String schema = TestPostgres.freshSchema("genbank_s3");
      RunResult r =
          run(
              spec(schema, List.of(in), "s3://seqs/genbank", Map.of("max-concurrent-uploads", "3")),
              false);

      long distinct =
          TestPostgres.scalar(
              "SELECT count(DISTINCT sequence_sha256) FROM " + schema + ".genbank_record");
      assertThat(r.summary())
          .containsEntry("records_inserted", records)
          .containsEntry("objects_uploaded", distinct)
          .containsEntry("objects_already_stored", 0L);
      assertThat(server[0].putKeys()).hasSize((int) distinct);
      assertThat(server[0].slowDowns()).isGreaterThanOrEqualTo((int) distinct);
      assertThat(server[0].maxConcurrentUploads())
          .as("uploads at once on the server")
          .isBetween(1, 3);
      // Every record's object is on the server, by the key its row names.
      assertThat(
              TestPostgres.scalar(
                  "SELECT count(*) FROM "
                      + schema
                      + ".genbank_record WHERE sequence_object LIKE"
                      + " 's3://seqs/genbank/sequences/' || sequence_sha256 || '.fasta.gz'"))
          .isEqualTo(records);
      assertThat(
              s3.storage()
                  .list(
                      "seqs",
                      org.jclouds.blobstore.options.ListContainerOptions.Builder.inDirectory(
                          "genbank/sequences"))
                  .size())
          .isEqualTo((int) distinct);
    }
  }

  static long lineOf(Path file, String prefix) throws IOException {
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i + 1;
      }
    }
    throw new AssertionError(prefix + " not in " + file);
  }
}
