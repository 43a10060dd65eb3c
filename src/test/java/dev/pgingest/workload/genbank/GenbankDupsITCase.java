package dev.pgingest.workload.genbank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.ObservedBlobStore;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.testutil.TestS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An accession read twice in one run (issue 19, section 3): the later version in file order wins
 * exactly, record row and features, whether both versions are in one file or in two files read in
 * parallel, on both write paths; and records sharing a sequence store it once and count it once.
 */
class GenbankDupsITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final Path FIXTURES = Specs.fixture("workload/genbank");

  /**
   * Every column of both tables but the source file and the object's URI, which name the run's
   * input and object folders.
   */
  private static List<List<String>> tables(String schema) throws Exception {
    List<List<String>> out = new ArrayList<>();
    out.addAll(
        TestPostgres.rows(
            "SELECT to_jsonb(r) - 'source_file' - 'sequence_object' FROM "
                + schema
                + ".genbank_record r ORDER BY accession_version"));
    out.addAll(
        TestPostgres.rows(
            "SELECT to_jsonb(f)::text FROM "
                + schema
                + ".genbank_feature f ORDER BY accession_version, feature_index"));
    return out;
  }

  private static long objects(Path folder) throws IOException {
    Path sequences = folder.resolve("sequences");
    if (!Files.isDirectory(sequences)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(sequences)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".fasta.gz")).count();
    }
  }

  /**
   * AB100002.1 twice: the first version has a COMMENT, a fourth feature (misc_feature) and the CDS
   * note "first note"; the second has no comment, three features and "second note", and the same
   * sequence. Both in one file, or each in a file of its own read at once by two readers.
   */
  @ParameterizedTest(name = "{0}, write-path {1}")
  @CsvSource({"one file, upsert", "one file, copy", "two files, upsert", "two files, copy"})
  void theLaterVersionOfAnAccessionWinsExactly(String layout, String writePath, @TempDir Path dir)
      throws Exception {
    Path clean = Files.createDirectories(dir.resolve("clean"));
    Files.copy(FIXTURES.resolve("dup_second.seq"), clean.resolve("gbtst1.seq"));
    String expected = TestPostgres.freshSchema("genbank_dup_clean");
    RunResult reference =
        GenbankLoadITCase.run(
            GenbankLoadITCase.spec(
                expected,
                List.of(clean),
                dir.resolve("clean-objects").toUri().toString(),
                Map.of("write-path", writePath)),
            false);
    assertThat(reference.summary()).containsEntry("records_inserted", 1L);

    Path in = Files.createDirectories(dir.resolve("in"));
    if (layout.equals("one file")) {
      Files.copy(FIXTURES.resolve("dup_both.seq"), in.resolve("gbtst1.seq"));
    } else {
      // File order is the path's: gbtst2 comes after gbtst1.
      Files.copy(FIXTURES.resolve("dup_first.seq"), in.resolve("gbtst1.seq"));
      Files.copy(FIXTURES.resolve("dup_second.seq"), in.resolve("gbtst2.seq"));
    }
    String schema = TestPostgres.freshSchema("genbank_dup");
    Path objects = dir.resolve("objects");

    RunResult r =
        GenbankLoadITCase.run(
            GenbankLoadITCase.spec(
                schema,
                List.of(in),
                objects.toUri().toString(),
                Map.of("write-path", writePath, "parallelism", "2")),
            false);

    assertThat(tables(schema)).isEqualTo(tables(expected));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + schema
                    + ".genbank_record WHERE sequence_object = '"
                    + objects.toUri()
                    + "sequences/' || sequence_sha256 || '.fasta.gz'"))
        .isEqualTo(1);
    assertThat(
            TestPostgres.rows(
                "SELECT feature_count::text, comment IS NULL FROM "
                    + schema
                    + ".genbank_record WHERE accession_version = 'AB100002.1'"))
        .containsExactly(List.of("3", "t"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + schema
                    + ".genbank_feature WHERE feature_type = 'misc_feature'"
                    + " OR qualifiers->>'note' = 'first note'"))
        .isZero();
    // One sequence: stored once, and the second record finds it stored.
    assertThat(objects(objects)).isEqualTo(1);
    assertThat(r.summary())
        .containsEntry("records_inserted", 1L)
        .containsEntry("objects_uploaded", 1L)
        .containsEntry("objects_already_stored", 1L);
  }

  /**
   * Eight records (distinct accessions) of which six share one sequence and two another, read by
   * one reader or by two, through an S3 server that answers every request after 150 ms, so that
   * records sharing a sequence are in flight at once: one upload per sequence, and the counts a run
   * storing one record at a time reports (two uploaded, six found stored).
   */
  @ParameterizedTest(name = "parallelism {0}")
  @CsvSource({"1", "2"})
  void recordsSharingASequenceInFlightStoreItOnceAndCountItOnce(int parallelism, @TempDir Path dir)
      throws Exception {
    String template = Files.readString(FIXTURES.resolve("dup_second.seq"));
    // One base apart: another sequence, another hash.
    String other = template.replace("tcgggtaatt ttgacaggtc", "acgggtaatt ttgacaggtc");
    Path in = Files.createDirectories(dir.resolve("in"));
    List<StringBuilder> files = new ArrayList<>();
    for (int f = 0; f < parallelism; f++) {
      files.add(new StringBuilder());
    }
    for (int i = 0; i < 8; i++) {
      String accession = String.format("AB3000%02d", i);
      String record = (i % 4 == 3 ? other : template).replace("AB100002", accession);
      files.get(i % parallelism).append(record);
    }
    for (int f = 0; f < parallelism; f++) {
      Files.writeString(in.resolve("gbtst" + (f + 1) + ".seq"), files.get(f));
    }
    ObservedBlobStore[] server = new ObservedBlobStore[1];
    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"),
            "seqs",
            b -> server[0] = new ObservedBlobStore(b, "genbank/", 150, 0, null))) {
      String schema = TestPostgres.freshSchema("genbank_shared");

      RunResult r =
          GenbankLoadITCase.run(
              GenbankLoadITCase.spec(
                  schema,
                  List.of(in),
                  "s3://seqs/genbank",
                  Map.of(
                      "parallelism",
                      Integer.toString(parallelism),
                      "sink-parallelism",
                      Integer.toString(parallelism))),
              false);

      assertThat(r.summary()).containsEntry("records_inserted", 8L);
      List<String> hashes =
          TestPostgres.rows(
                  "SELECT DISTINCT sequence_sha256 FROM " + schema + ".genbank_record ORDER BY 1")
              .stream()
              .map(row -> "sequences/" + row.get(0) + ".fasta.gz")
              .toList();
      assertThat(hashes).hasSize(2);
      assertThat(server[0].putKeys()).containsExactlyInAnyOrderElementsOf(hashes);
      assertThat(
              s3.storage()
                  .list(
                      "seqs",
                      org.jclouds.blobstore.options.ListContainerOptions.Builder.inDirectory(
                          "genbank/sequences"))
                  .size())
          .isEqualTo(2);
      assertThat(r.summary())
          .containsEntry("objects_uploaded", 2L)
          .containsEntry("objects_already_stored", 6L);
    }
  }
}
