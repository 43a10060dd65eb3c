package dev.pgingest.workload.genbank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Corpus;
import dev.pgingest.testutil.TestPostgres;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance corpus's GenBank files (published by others: Biopython's test files) through
 * {@code jobs/genbank.yaml}: the values the corpus README states, in the tables and the store.
 */
class GenbankCorpusITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  @Test
  void everyCorpusFileLoadsWithTheStatedValues(@TempDir Path dir) throws Exception {
    Path corpus = Corpus.dir("genbank");
    String schema = TestPostgres.freshSchema("genbank_corpus");
    String objects = dir.resolve("objects").toUri().toString();

    RunResult r =
        GenbankLoadITCase.run(GenbankLoadITCase.spec(schema, List.of(corpus), objects), false);

    // 6 + 1 + 1 + 94 + 3 + 1 + 1 records in the seven files, none refused.
    assertThat(r.tables().get("genbank_record").read()).isEqualTo(107);
    assertThat(r.tables().get("genbank_record").rejected()).isZero();
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + schema + ".genbank_record"))
        .isEqualTo(107);
    assertThat(
            TestPostgres.rows(
                "SELECT accession_version, length::text FROM "
                    + schema
                    + ".genbank_record"
                    + " WHERE source_file LIKE '%cor6_6.gb'"))
        .containsExactlyInAnyOrder(
            List.of("X55053.1", "513"),
            List.of("X62281.1", "880"),
            List.of("M81224.1", "441"),
            List.of("AJ237582.1", "206"),
            List.of("L31939.1", "282"),
            List.of("AF297471.1", "497"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + schema
                    + ".genbank_feature f JOIN "
                    + schema
                    + ".genbank_record r USING (accession_version) WHERE r.source_file LIKE '%cor6_6.gb'"
                    + " AND f.feature_type = 'CDS'"))
        .isEqualTo(6);
    assertThat(
            TestPostgres.rows(
                "SELECT length::text, topology, feature_count::text, (SELECT count(*) FROM "
                    + schema
                    + ".genbank_feature f WHERE f.accession_version = r.accession_version AND feature_type = 'CDS')::text"
                    + " FROM "
                    + schema
                    + ".genbank_record r WHERE accession_version = 'NC_005816.1'"))
        .containsExactly(List.of("9609", "circular", "41", "10"));
    assertThat(
            TestPostgres.rows(
                "SELECT locus_name, length::text FROM "
                    + schema
                    + ".genbank_record WHERE accession_version = 'U18266.1'"))
        .containsExactly(List.of("HSTMPO1", "2509"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM "
                    + schema
                    + ".genbank_feature WHERE accession_version = 'U18266.1'"
                    + " AND location LIKE '%one-of(1888,1901)..2200%'"))
        .isPositive();
    // A CONTIG record: a length, no sequence, nothing stored.
    assertThat(
            TestPostgres.rows(
                "SELECT length::text, division, sequence_object IS NULL, contig LIKE 'join(%gap(100)%' FROM "
                    + schema
                    + ".genbank_record WHERE accession_version = 'NT_019265.6'"))
        .containsExactly(List.of("1250660", "CON", "t", "t"));
    assertThat(
            TestPostgres.rows(
                "SELECT molecule_type, length::text FROM "
                    + schema
                    + ".genbank_record WHERE accession_version = 'NP_034640.1'"))
        .containsExactly(List.of("aa", "182"));
    assertThat(
            TestPostgres.rows(
                "SELECT accession_version, length::text, release FROM "
                    + schema
                    + ".genbank_record"
                    + " WHERE source_file LIKE '%gbvrl1_start.seq' ORDER BY 1"))
        .containsExactly(
            List.of("AB000048.1", "2007", "158.0"),
            List.of("AB000049.1", "2007", "158.0"),
            List.of("AB000050.1", "1755", "158.0"));

    // ls_orchid: 94 records, 67518 bp; the first one's object holds exactly its ORIGIN letters.
    assertThat(
            TestPostgres.rows(
                "SELECT count(*)::text, sum(length)::text FROM "
                    + schema
                    + ".genbank_record"
                    + " WHERE source_file LIKE '%ls_orchid.gbk.gz'"))
        .containsExactly(List.of("94", "67518"));
    String orchid;
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(corpus.resolve("ls_orchid.gbk.gz")))) {
      orchid = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    String letters = GenbankLoadITCase.originLetters(orchid, "Z78533");
    assertThat(letters).hasSize(740);
    String uri =
        TestPostgres.rows(
                "SELECT sequence_object FROM "
                    + schema
                    + ".genbank_record WHERE accession_version = 'Z78533.1'")
            .get(0)
            .get(0);
    assertThat(GenbankLoadITCase.object(uri))
        .containsExactly(">" + GenbankLoadITCase.sha256(letters) + " length=740", letters);
    // Every record with letters has its object, one per distinct sequence.
    long distinct =
        TestPostgres.scalar(
            "SELECT count(DISTINCT sequence_sha256) FROM " + schema + ".genbank_record");
    assertThat(r.summary().get("objects_uploaded")).isEqualTo(distinct);
    try (var files = Files.list(dir.resolve("objects").resolve("sequences"))) {
      assertThat(files.count()).isEqualTo(distinct);
    }
  }
}
