package dev.pgingest.format.genbank;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.testutil.CodecFeed;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of {@link GenbankCodec} on one small fixture per edge case. */
class GenbankCodecTest {

  @TempDir Path spool;

  private static Path fixture(String name) {
    try {
      return Path.of(GenbankCodecTest.class.getResource("/genbank/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static CodecFeed<GenbankRecord> decode(String name, Path spoolDir) throws IOException {
    try (InputStream in = Files.newInputStream(fixture(name))) {
      return CodecFeed.read(new GenbankCodec(spoolDir), in, name);
    }
  }

  /** The letters of every ORIGIN section of a fixture, read here without the codec. */
  private static List<String> originLetters(String name) throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder sb = null;
    for (String line : Files.readAllLines(fixture(name))) {
      if (line.startsWith("ORIGIN")) {
        sb = new StringBuilder();
      } else if (line.startsWith("//") && sb != null) {
        out.add(sb.toString());
        sb = null;
      } else if (sb != null) {
        sb.append(line.replaceAll("[0-9 ]", ""));
      }
    }
    return out;
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
  }

  private static String gunzip(String path) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(path)))) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static List<Feature> features(GenbankRecord record) throws IOException {
    List<Feature> out = new ArrayList<>();
    FeatureSpool.read(Path.of(record.featureSpool()), out::add);
    return out;
  }

  private List<Path> spoolFiles() throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files.toList();
    }
  }

  @Test
  void releaseHeaderGivesEveryRecordTheRelease() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("release_header.seq", spool);
    assertThat(feed.rejects).isEmpty();
    assertThat(feed.records)
        .extracting(d -> d.line(), d -> d.record().locusName(), d -> d.record().release())
        .containsExactly(tuple(11L, "TST00001", "261.0"), tuple(28L, "TST00002", "261.0"));
    List<String> letters = originLetters("release_header.seq");
    for (int i = 0; i < 2; i++) {
      GenbankRecord r = feed.values().get(i);
      assertThat(r.letters()).isEqualTo(letters.get(i).length()).isEqualTo(r.length());
      assertThat(r.sequenceSha256()).isEqualTo(sha256(letters.get(i)));
      long gc = letters.get(i).chars().filter(c -> c == 'g' || c == 'c').count();
      assertThat(r.gcCount()).isEqualTo(gc);
      assertThat(r.gcContent()).isEqualTo((double) gc / r.letters());
    }
  }

  @Test
  void gzipTwinDecodesTheSame() throws Exception {
    CodecFeed<GenbankRecord> plain = decode("release_header.seq", null);
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(fixture("release_header.seq.gz")))) {
      CodecFeed<GenbankRecord> gz = CodecFeed.read(new GenbankCodec(null), in, "gz");
      assertThat(gz.rejects).isEmpty();
      assertThat(gz.values()).isEqualTo(plain.values());
    }
  }

  @Test
  void noReleaseWithoutHeader() throws Exception {
    assertThat(decode("old_locus_layout.gb", null).only().release()).isNull();
  }

  @Test
  void oldLocusLayoutAndHeaderFields() throws Exception {
    GenbankRecord r = decode("old_locus_layout.gb", null).only();
    assertThat(r.locusName()).isEqualTo("OLDLAY1");
    assertThat(r.length()).isEqualTo(75);
    assertThat(r.unit()).isEqualTo("bp");
    assertThat(r.moleculeType()).isEqualTo("ss-RNA");
    assertThat(r.topology()).isNull();
    assertThat(r.division()).isEqualTo("VRL");
    assertThat(r.date()).isEqualTo(LocalDate.of(1992, 3, 2));
    assertThat(r.definition()).isEqualTo("Old layout test RNA, second definition line.");
    assertThat(r.accessions()).containsExactly("OLD001", "OLD002", "OLD003");
    assertThat(r.primaryAccession()).isEqualTo("OLD001");
    assertThat(r.secondaryAccessions()).containsExactly("OLD002", "OLD003");
    assertThat(r.version()).isEqualTo("OLD001.4");
    assertThat(r.accessionVersion()).isEqualTo("OLD001.4");
    assertThat(r.gi()).isEqualTo("123456");
    assertThat(r.keywords()).containsExactly("first keyword", "second keyword", "third keyword");
    assertThat(r.source()).isEqualTo("test virus");
    assertThat(r.organism()).isEqualTo("Test virus");
    assertThat(r.taxonomy()).containsExactly("Viruses", "Riboviria", "Testviridae");
    assertThat(r.references())
        .containsExactly(
            new Reference(
                1,
                "bases 1 to 75",
                "Doe,J. and Roe,R.",
                null,
                "A study of the old layout",
                "J. Test. 1, 1-2 (1992)",
                null,
                "92000001",
                null),
            new Reference(
                2,
                "bases 10 to 20",
                "Doe,J.",
                null,
                "Direct Submission",
                "Submitted (01-FEB-1991) Test Lab, Nowhere",
                null,
                null,
                null));
    assertThat(r.featureCount()).isEqualTo(1);
    assertThat(r.letters()).isEqualTo(75);
  }

  @Test
  void multiLineQualifiers() throws Exception {
    GenbankRecord r = decode("multiline_qualifiers.gb", spool).only();
    List<Feature> features = features(r);
    assertThat(r.featureCount()).isEqualTo(3);
    assertThat(features)
        .extracting(Feature::index, Feature::key)
        .containsExactly(tuple(0, "source"), tuple(1, "mRNA"), tuple(2, "CDS"));
    assertThat(features.get(0).qualifiers())
        .containsExactly(
            new Qualifier("organism", "Arabidopsis thaliana"), new Qualifier("focus", null));
    Feature mrna = features.get(1);
    assertThat(mrna.location()).isEqualTo("join(<1..10,20..30,40..50,60..>120)");
    assertThat(mrna.parsed()).isEqualTo(Location.parse(mrna.location()));
    assertThat(mrna.parsed().partialStart()).isTrue();
    assertThat(mrna.parsed().parts()).hasSize(4);
    assertThat(features.get(2).qualifiers())
        .containsExactly(
            new Qualifier("gene", "abc1"),
            new Qualifier("codon_start", "1"),
            new Qualifier("note", "the \"short\" form; see /other notes here"),
            new Qualifier("transl_table", "11"),
            new Qualifier("pseudo", null),
            new Qualifier(
                "translation",
                "MSETNKNAFQAGQAAGKAEEKSNVLLDKAKDAAAAAGASAQQAGKSISDAAVGGVNFVKDKTGLNK"),
            new Qualifier("product", "a \"quoted\""));
  }

  @Test
  void structuredCommentAndDblink() throws Exception {
    GenbankRecord r = decode("structured_comment.gb", null).only();
    assertThat(r.dblink()).containsExactly("BioProject: PRJNA1", "BioSample: SAMN00000001");
    assertThat(r.comment())
        .startsWith("This entry is for tests.\n\n##Genome-Assembly-Data-START##");
    assertThat(r.structuredComments().keySet())
        .containsExactly("Genome-Assembly-Data", "Genome-Annotation-Data");
    assertThat(r.structuredComments().get("Genome-Assembly-Data"))
        .containsExactly(
            Map.entry("Assembly Method", "SPAdes v. 3.15"),
            Map.entry("Sequencing Technology", "Illumina"));
    assertThat(r.structuredComments().get("Genome-Annotation-Data"))
        .containsExactly(
            Map.entry("Annotation Provider", "NCBI"),
            Map.entry("Features Annotated", "Gene; CDS; rRNA; tRNA"),
            Map.entry("Genes (total)", "4"));
    assertThat(r.references())
        .containsExactly(
            new Reference(
                1,
                null,
                null,
                "Test Consortium",
                "Direct Submission",
                "Submitted (01-JAN-2020) Test Lab",
                "12345678",
                null,
                "First remark line second remark line."));
    assertThat(r.division()).isEqualTo("BCT");
  }

  @Test
  void contigWithoutOrigin() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("contig_no_origin.gb", spool);
    GenbankRecord r = feed.only();
    assertThat(r.division()).isEqualTo("CON");
    assertThat(r.length()).isEqualTo(50300);
    assertThat(r.letters()).isZero();
    assertThat(r.sequenceSha256()).isNull();
    assertThat(r.sequenceSpool()).isNull();
    assertThat(r.gcContent()).isNull();
    assertThat(r.contig())
        .isEqualTo(
            "join(AB000001.1:1..20000,gap(100),complement(AB000002.3:1..10000),gap(),gap(unk100),"
                + "AB000003.1:5001..25000)");
    Feature gene = features(r).get(1);
    assertThat(gene.parsed().parts())
        .containsExactly(
            new Part(null, 200L, 300L, -1, Part.RANGE, null),
            new Part("AB000001.1", 1L, 100L, -1, Part.RANGE, null));
    assertThat(gene.parsed().start()).isEqualTo(200L);
    assertThat(spoolFiles()).hasSize(1);
  }

  @Test
  void masterRecordWithoutSequence() throws Exception {
    GenbankRecord r = decode("master_no_sequence.gb", null).only();
    assertThat(r.unit()).isEqualTo("rc");
    assertThat(r.length()).isEqualTo(120);
    assertThat(r.letters()).isZero();
    assertThat(r.dblink()).containsExactly("BioProject: PRJNA2");
    assertThat(r.featureCount()).isEqualTo(1);
  }

  @Test
  void malformedMiddleRecordIsRejectedWholeAndItsFilesDeleted() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("malformed_middle_record.gb", spool);
    assertThat(feed.records)
        .extracting(d -> d.line(), d -> d.record().locusName())
        .containsExactly(tuple(1L, "GOOD1"), tuple(31L, "GOOD2"));
    assertThat(feed.rejects).hasSize(1);
    CodecFeed.Rejected reject = feed.rejects.get(0);
    assertThat(reject.line()).isEqualTo(15L);
    assertThat(reject.raw()).startsWith("LOCUS       BAD1");
    assertThat(reject.reason())
        .startsWith("line 26: FEATURES location 'join(1..' is not a valid location");
    // Two good records, each with a sequence and a feature spool; nothing left of BAD1.
    assertThat(spoolFiles()).hasSize(4);
    for (GenbankRecord r : feed.values()) {
      assertThat(Path.of(r.sequenceSpool())).exists();
      assertThat(Path.of(r.featureSpool())).exists();
    }
  }

  @Test
  void missingEndMarkers() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("missing_end_marker.gb", spool);
    assertThat(feed.values()).extracting(GenbankRecord::locusName).containsExactly("FINE1");
    assertThat(feed.records.get(0).line()).isEqualTo(14L);
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(
            tuple(1L, "line 1: entry has no // end marker before the LOCUS at line 14"),
            tuple(28L, "line 28: entry has no // end marker before the end of the file (line 40)"));
    assertThat(spoolFiles()).hasSize(2);
  }

  @Test
  void circularJoinAcrossTheOrigin() throws Exception {
    GenbankRecord r = decode("circular_wrap.gb", spool).only();
    assertThat(r.topology()).isEqualTo("circular");
    List<Feature> features = features(r);
    Location cds = features.get(1).parsed();
    assertThat(cds.start()).isEqualTo(101L);
    assertThat(cds.end()).isEqualTo(33L);
    assertThat(cds.strand()).isEqualTo(1);
    Location gene = features.get(2).parsed();
    assertThat(gene.start()).isEqualTo(121L);
    assertThat(gene.end()).isEqualTo(5L);
    assertThat(gene.strand()).isEqualTo(-1);
  }

  @Test
  void genpeptProtein() throws Exception {
    GenbankRecord r = decode("genpept_protein.gp", spool).only();
    assertThat(r.unit()).isEqualTo("aa");
    assertThat(r.moleculeType()).isEqualTo("aa");
    assertThat(r.topology()).isEqualTo("linear");
    assertThat(r.division()).isEqualTo("ROD");
    assertThat(r.dbsource()).isEqualTo("REFSEQ: accession XM_000001.2\nclass: standard.");
    assertThat(r.keywords()).containsExactly("RefSeq");
    assertThat(r.references().get(0).bases()).isEqualTo("residues 1 to 64");
    assertThat(r.gcContent()).isNull();
    String letters = originLetters("genpept_protein.gp").get(0);
    assertThat(r.letters()).isEqualTo(64);
    assertThat(gunzip(r.sequenceSpool()).replace("\n", "")).isEqualTo(letters);
    Feature site = features(r).get(2);
    assertThat(site.key()).isEqualTo("Site");
    assertThat(site.parsed().parts()).hasSize(3);
    assertThat(features(r).get(1).qualifiers())
        .contains(new Qualifier("calculated_mol_wt", "7012"));
  }

  @Test
  void sequenceSpoolIsAFastaBodyOf70LetterLines() throws Exception {
    GenbankRecord r = decode("multiline_qualifiers.gb", spool).only();
    String letters = originLetters("multiline_qualifiers.gb").get(0);
    assertThat(gunzip(r.sequenceSpool()))
        .isEqualTo(letters.substring(0, 70) + "\n" + letters.substring(70) + "\n");
    assertThat(Path.of(r.sequenceSpool()))
        .isAbsolute()
        .hasFileName(
            Path.of(r.featureSpool()).getFileName().toString().replace(".features", ".seq.gz"));
  }

  @Test
  void contentHashCoversEveryLineOfTheEntry() throws Exception {
    List<String> lines = Files.readAllLines(fixture("structured_comment.gb"));
    GenbankRecord r = decode("structured_comment.gb", null).only();
    assertThat(r.contentSha256()).isEqualTo(sha256(String.join("\n", lines) + "\n"));
    List<String> changed = new ArrayList<>(lines);
    changed.set(1, changed.get(1) + "x");
    GenbankRecord other =
        CodecFeed.lines(new GenbankCodec(null), changed.toArray(String[]::new)).only();
    assertThat(other.contentSha256()).isNotEqualTo(r.contentSha256());
    assertThat(other.sequenceSha256()).isEqualTo(r.sequenceSha256());
  }

  @Test
  void nothingIsWrittenWithoutSpoolDirOrWhenTheRecordIsDropped() throws Exception {
    GenbankRecord none = decode("multiline_qualifiers.gb", null).only();
    assertThat(none.sequenceSpool()).isNull();
    assertThat(none.featureSpool()).isNull();

    GenbankCodec codec = new GenbankCodec(spool);
    List<GenbankRecord> kept = new ArrayList<>();
    List<Long> asked = new ArrayList<>();
    DecodeSink<GenbankRecord> dropping =
        new DecodeSink<>() {
          @Override
          public void record(GenbankRecord value, long lineNumber) {
            kept.add(value);
          }

          @Override
          public void reject(long lineNumber, String reason, String raw) {
            throw new AssertionError(reason);
          }

          @Override
          public boolean keeps(long lineNumber) {
            asked.add(lineNumber);
            return false;
          }
        };
    long n = 0;
    for (String line : Files.readAllLines(fixture("multiline_qualifiers.gb"))) {
      codec.line(line, ++n, dropping);
    }
    codec.end(n, dropping);
    assertThat(asked).containsExactly(1L);
    assertThat(spoolFiles()).isEmpty();
    assertThat(kept).hasSize(1);
    GenbankRecord dropped = kept.get(0);
    assertThat(dropped.sequenceSpool()).isNull();
    assertThat(dropped).isEqualTo(none);
  }

  @Test
  void textBetweenRecordsIsARejectOfThatLineOnly() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("text_between_records.gb", null);
    assertThat(feed.values()).extracting(GenbankRecord::locusName).containsExactly("TB1", "TB2");
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::raw)
        .containsExactly(tuple(15L, "stray text between entries"));
  }

  @Test
  void sequenceLengthMustMatchLocus() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("sequence_length_mismatch.gb", spool);
    assertThat(feed.values()).extracting(GenbankRecord::locusName).containsExactly("LEN2");
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(
            tuple(1L, "line 14: the sequence has 30 letters but LOCUS (line 1) says 31 bp"));
    assertThat(spoolFiles()).hasSize(2);
  }

  @Test
  void sequenceMayHoldOnlyLettersStarAndDash() throws Exception {
    CodecFeed<GenbankRecord> feed = decode("bad_sequence_character.gb", spool);
    assertThat(feed.values()).extracting(GenbankRecord::locusName).containsExactly("OKCH1");
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(
            tuple(1L, "line 13: sequence line has '?' at column 16, not a letter, * or -"));
    assertThat(spoolFiles()).hasSize(2);
  }

  @Test
  void unclosedQuoteAndBadLocusAreRejects() {
    CodecFeed<GenbankRecord> feed =
        CodecFeed.lines(
            new GenbankCodec(null),
            "LOCUS       X1   10 bp    DNA     linear   PLN 21-JUN-1999",
            "FEATURES             Location/Qualifiers",
            "     gene            1..10",
            "                     /note=\"never closed",
            "ORIGIN",
            "        1 acgtacgtac",
            "//",
            "LOCUS       X2   ten bp    DNA     linear   PLN 21-JUN-1999",
            "//",
            "LOCUS       X3   4 bp    DNA     linear   PLN 31-FOO-1999",
            "//",
            "LOCUS       X4   4 bp    DNA     linear   PLN",
            "ORIGIN",
            "        1 ACgT",
            "//");
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(
            tuple(1L, "line 4: qualifier /note has no closing quote"),
            tuple(8L, "line 8: LOCUS length 'ten' is not a number"),
            tuple(10L, "line 10: LOCUS date '31-FOO-1999' is not a date"));
    GenbankRecord x4 = feed.records.get(0).record();
    assertThat(feed.records.get(0).line()).isEqualTo(12L);
    assertThat(x4.date()).isNull();
    assertThat(x4.division()).isEqualTo("PLN");
    assertThat(x4.letters()).isEqualTo(4);
    assertThat(x4.gcCount()).isEqualTo(2);
  }

  /** The open quote of a rejected entry once stayed open and made the next entry's codec fail. */
  @Test
  void unclosedQuoteEndsWithItsEntry() {
    CodecFeed<GenbankRecord> feed =
        CodecFeed.lines(
            new GenbankCodec(null),
            "LOCUS       X1   10 bp    DNA     linear   PLN 21-JUN-1999",
            "FEATURES             Location/Qualifiers",
            "     gene            1..10",
            "                     /note=\"never closed",
            "//",
            "LOCUS       X2   10 bp    DNA     linear   PLN 21-JUN-1999",
            "FEATURES             Location/Qualifiers",
            "     gene            1..10",
            "                     /gene=\"abc\"",
            "//");
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(tuple(1L, "line 4: qualifier /note has no closing quote"));
    assertThat(feed.records).extracting(d -> d.record().locusName()).containsExactly("X2");
  }

  /** A 250 Mb entry streams through without its letters or features being held. */
  @Test
  void hugeRecordStreamsInConstantMemory() throws Exception {
    int perLine = 60;
    long lines = 4_166_667L;
    long length = lines * perLine;
    String body = "acgtacgtac ggccttaaNn acgtacgtac ggccttaaNn acgtacgtac ggccttaaNn";
    String letters = body.replace(" ", "");
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    Stream<String> head =
        Stream.of(
            "LOCUS       HUGE1   " + length + " bp    DNA     linear   PLN 21-JUN-1999",
            "FEATURES             Location/Qualifiers",
            "     source          1.." + length,
            "ORIGIN");
    Stream<String> seq =
        Stream.iterate(0L, i -> i < lines, i -> i + 1)
            .map(
                i -> {
                  expected.update(letters.getBytes(UTF_8));
                  return String.format("%9d ", i * perLine + 1) + body;
                });
    Runtime rt = Runtime.getRuntime();
    rt.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    GenbankRecord r =
        CodecFeed.lines(
                new GenbankCodec(null), Stream.concat(head, Stream.concat(seq, Stream.of("//"))))
            .only();
    assertThat(r.letters()).isEqualTo(length);
    assertThat(r.sequenceSha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
    assertThat(r.gcCount()).isEqualTo(lines * 27);
    rt.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    assertThat(after - before).isLessThan(64L << 20);
  }
}
