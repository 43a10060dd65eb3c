package dev.pgingest.format.genbank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GenbankCodec} on the published files of the conformance corpus ({@code genbank/}), checked
 * against the values its README states; skipped when the corpus is absent.
 */
class GenbankCorpusTest {

  @TempDir Path spool;

  private CodecFeed<GenbankRecord> decode(String name) throws IOException {
    Path file = Corpus.dir("genbank").resolve(name);
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      CodecFeed<GenbankRecord> feed = CodecFeed.read(new GenbankCodec(spool), in, name);
      assertThat(feed.rejects).as(name).isEmpty();
      return feed;
    }
  }

  private static List<Feature> features(GenbankRecord record) throws IOException {
    List<Feature> out = new ArrayList<>();
    if (record.featureSpool() != null) {
      FeatureSpool.read(Path.of(record.featureSpool()), out::add);
    }
    return out;
  }

  private static long cds(List<GenbankRecord> records) throws IOException {
    long n = 0;
    for (GenbankRecord r : records) {
      n += features(r).stream().filter(f -> f.key().equals("CDS")).count();
    }
    return n;
  }

  @Test
  void everyFileLoadsWithoutRejects() throws IOException {
    Path dir = Corpus.dir("genbank");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      CodecFeed<GenbankRecord> feed = decode(file.getFileName().toString());
      assertThat(feed.records).as(file.toString()).isNotEmpty();
      for (GenbankRecord r : feed.values()) {
        if (r.letters() > 0) {
          assertThat(r.letters()).as(r.locusName()).isEqualTo(r.length());
        }
        assertThat(r.featureCount()).isEqualTo(features(r).size());
      }
    }
  }

  @Test
  void cor66() throws IOException {
    List<GenbankRecord> records = decode("cor6_6.gb").values();
    assertThat(records)
        .extracting(GenbankRecord::accessionVersion)
        .containsExactly(
            "X55053.1", "X62281.1", "M81224.1", "AJ237582.1", "L31939.1", "AF297471.1");
    assertThat(records)
        .extracting(GenbankRecord::length)
        .containsExactly(513L, 880L, 441L, 206L, 282L, 497L);
    assertThat(cds(records)).isEqualTo(6);
    GenbankRecord first = records.get(0);
    assertThat(first.gi()).isEqualTo("16229");
    assertThat(first.moleculeType()).isEqualTo("mRNA");
    assertThat(first.topology()).isNull();
    assertThat(first.keywords())
        .containsExactly(
            "antifreeze protein homology", "cold-regulated gene", "cor6.6 gene", "KIN1 homology");
    assertThat(first.taxonomy()).startsWith("Eukaryota", "Viridiplantae").endsWith("Arabidopsis");
    assertThat(first.letters()).isEqualTo(513);
  }

  @Test
  void circularPlasmid() throws IOException {
    GenbankRecord r = decode("NC_005816.gb").only();
    assertThat(r.accessionVersion()).isEqualTo("NC_005816.1");
    assertThat(r.length()).isEqualTo(9609);
    assertThat(r.letters()).isEqualTo(9609);
    assertThat(r.topology()).isEqualTo("circular");
    assertThat(r.featureCount()).isEqualTo(41);
    assertThat(cds(List.of(r))).isEqualTo(10);
    assertThat(r.dblink()).containsExactly("Project: 58037");
    assertThat(r.references().get(2).consortium()).isEqualTo("NCBI Genome Project");
  }

  @Test
  void oneOfAndRemoteParts() throws IOException {
    GenbankRecord r = decode("one_of.gb").only();
    assertThat(r.accessionVersion()).isEqualTo("U18266.1");
    assertThat(r.locusName()).isEqualTo("HSTMPO1");
    assertThat(r.length()).isEqualTo(2509);
    List<Feature> features = features(r);
    Feature utr = features.get(1);
    assertThat(utr.location()).isEqualTo("one-of(1888,1901)..2200");
    assertThat(utr.parsed().start()).isEqualTo(1888L);
    assertThat(utr.parsed().end()).isEqualTo(2200L);
    Feature cds = features.stream().filter(f -> f.key().equals("CDS")).findFirst().orElseThrow();
    assertThat(cds.parsed().parts()).extracting(Part::accession).contains("U18270.1");
    assertThat(cds.parsed().start()).isEqualTo(2201L);
    assertThat(cds.parsed().end()).isEqualTo(2479L);
  }

  @Test
  void orchidsFromGzip() throws IOException {
    List<GenbankRecord> records = decode("ls_orchid.gbk.gz").values();
    assertThat(records).hasSize(94);
    assertThat(records.get(0).accessionVersion()).isEqualTo("Z78533.1");
    assertThat(records.get(0).length()).isEqualTo(740);
    assertThat(records.get(93).accessionVersion()).isEqualTo("Z78439.1");
    assertThat(records.get(93).length()).isEqualTo(592);
    assertThat(records.stream().mapToLong(GenbankRecord::letters).sum()).isEqualTo(67518);
  }

  @Test
  void releaseDivisionFile() throws IOException {
    List<GenbankRecord> records = decode("gbvrl1_start.seq").values();
    assertThat(records)
        .extracting(GenbankRecord::accessionVersion)
        .containsExactly("AB000048.1", "AB000049.1", "AB000050.1");
    assertThat(records).extracting(GenbankRecord::length).containsExactly(2007L, 2007L, 1755L);
    assertThat(records).extracting(GenbankRecord::release).containsOnly("158.0");
  }

  @Test
  void contigRecord() throws IOException {
    GenbankRecord r = decode("NT_019265.gb").only();
    assertThat(r.accessionVersion()).isEqualTo("NT_019265.6");
    assertThat(r.length()).isEqualTo(1250660);
    assertThat(r.division()).isEqualTo("CON");
    assertThat(r.letters()).isZero();
    assertThat(r.sequenceSpool()).isNull();
    assertThat(r.contig()).startsWith("join(AL391218.9:105173..108462,gap(100),complement(");
    assertThat(Location.parse(r.contig()).parts())
        .filteredOn(p -> p.kind().equals(Part.GAP))
        .isNotEmpty();
  }

  @Test
  void genpeptRecord() throws IOException {
    GenbankRecord r = decode("protein_refseq2.gb").only();
    assertThat(r.accessionVersion()).isEqualTo("NP_034640.1");
    assertThat(r.length()).isEqualTo(182);
    assertThat(r.unit()).isEqualTo("aa");
    assertThat(r.moleculeType()).isEqualTo("aa");
    assertThat(r.letters()).isEqualTo(182);
    assertThat(r.dbsource()).startsWith("REFSEQ: accession NM_010510.1");
    assertThat(r.references()).hasSize(10);
    assertThat(r.references().get(0).pubmed()).isEqualTo("17785783");
    assertThat(features(r))
        .filteredOn(f -> f.key().equals("Site"))
        .first()
        .satisfies(f -> assertThat(f.location()).startsWith("order(29..30,33,36..37,"));
  }
}
