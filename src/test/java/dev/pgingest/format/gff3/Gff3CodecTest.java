package dev.pgingest.format.gff3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Rejected;
import dev.pgingest.testutil.Corpus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unit tests of {@link Gff3Codec}: real published files, one fixture per edge case, YBrowse. */
class Gff3CodecTest {

  private static final String YBROWSE_LINE =
      "chrY\tpoint\tsnp\t8936213\t8936213\t.\t+\t.\tID=BY32772;Name=BY32772;allele_anc=T;"
          + "allele_der=C;ycc_haplogroup=R1b;isogg_haplogroup=R1b;mutation=T to C;count_tested=3;"
          + "count_derived=0;ref=Rik Harper (2018);comment=.;yfull_node=R-Y131908";

  /** What a codec produced from one input, in order. */
  private record Decoded(List<Gff3Record> records, List<Rejected> rejects) {

    Gff3Record byId(String id) {
      return records.stream().filter(r -> id.equals(r.first("ID"))).findFirst().orElseThrow();
    }
  }

  /** Feeds a file to a fresh codec line by line, the way the file source does. */
  private static Decoded decode(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, UTF_8))) {
      return decoded(CodecFeed.lines(new Gff3Codec(), reader.lines()));
    }
  }

  private static Decoded decode(String... lines) {
    return decoded(CodecFeed.lines(new Gff3Codec(), lines));
  }

  /** The codec's output, after checking each record's own line matches the reported one. */
  private static Decoded decoded(CodecFeed<Gff3Record> feed) {
    feed.records.forEach(d -> assertThat(d.record().line()).isEqualTo(d.line()));
    return new Decoded(feed.values(), List.copyOf(feed.rejects));
  }

  private static Decoded fixture(String name) throws IOException {
    try {
      return decode(Path.of(Gff3CodecTest.class.getResource("/gff3/" + name).toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Real files published by others, from the conformance corpus; absent, the test is skipped. */
  private static Path shared() {
    return Corpus.dir("gff3");
  }

  static Stream<Path> sharedFiles() throws IOException {
    try (Stream<Path> files = Files.list(shared())) {
      return files.sorted().toList().stream();
    }
  }

  @Nested
  class PublishedFiles {

    @ParameterizedTest
    @MethodSource("dev.pgingest.format.gff3.Gff3CodecTest#sharedFiles")
    void parsesWithoutRejects(Path file) throws IOException {
      Decoded d = decode(file);

      assertThat(d.rejects()).isEmpty();
      assertThat(d.records()).isNotEmpty();
    }

    @Test
    void sharedDirectoryHoldsTheFourDocumentedFiles() throws IOException {
      assertThat(sharedFiles().map(p -> p.getFileName().toString()))
          .contains(
              "eden.gff3",
              "gffutils_ncbi_gff3.gff3",
              "hybrid1.gff3",
              "standard_fasta_example.gff3");
    }

    @Test
    void ncbiSpeBCdsNoteDecodesEscapedSemicolon() throws IOException {
      Decoded d = decode(shared().resolve("gffutils_ncbi_gff3.gff3"));

      List<Gff3Record> cds = d.records().stream().filter(r -> r.type().equals("CDS")).toList();
      assertThat(cds)
          .extracting(Gff3Record::line, r -> r.first("ID"))
          .containsExactly(
              tuple(7L, "NC_008596.1:speB:unknown_transcript_1"),
              tuple(11L, "NC_008596.1:speB:unknown_transcript_2"),
              tuple(15L, "NC_008596.1:speB:unknown_transcript_3"),
              tuple(19L, "NC_008596.1:speB:unknown_transcript_4"));
      assertThat(cds)
          .allSatisfy(
              r ->
                  assertThat(r.all("note"))
                      .containsExactly(
                          "identified by match to protein family HMM PF00491; match to protein"
                              + " family HMM TIGR01230"));

      Gff3Record first = cds.get(0);
      assertThat(first.seqid()).isEqualTo("NC_008596.1");
      assertThat(first.source()).isEqualTo("RefSeq");
      assertThat(first.start()).isEqualTo(1137579);
      assertThat(first.end()).isEqualTo(1138547);
      assertThat(first.score()).isNull();
      assertThat(first.strand()).isEqualTo("+");
      assertThat(first.phase()).isEqualTo("0");
      assertThat(first.first("Parent")).isEqualTo("NC_008596.1:speB");
      // db_xref appears twice on the line: the second occurrence appends.
      assertThat(first.all("db_xref")).containsExactly("GI:118469242", "GeneID:4535378");
      assertThat(first.attributes().keySet())
          .containsExactly(
              "ID",
              "Parent",
              "locus_tag",
              "EC_number",
              "note",
              "transl_table",
              "product",
              "protein_id",
              "db_xref",
              "exon_number");
    }

    @Test
    void ncbiKeepsDuplicateIdsAndEmptyValues() throws IOException {
      Decoded d = decode(shared().resolve("gffutils_ncbi_gff3.gff3"));

      // Duplicate IDs are the loader's business, not the codec's.
      assertThat(d.records())
          .filteredOn(r -> r.type().equals("gene") && "NC_008596.1:speB".equals(r.first("ID")))
          .extracting(Gff3Record::line)
          .containsExactly(6L, 10L, 14L, 18L);

      Gff3Record fepG = d.records().get(0);
      assertThat(fepG.line()).isEqualTo(5);
      assertThat(fepG.first("note"))
          .isEqualTo(
              "ferric enterobactin transport system permease protein FepG; this gene contains a"
                  + " frame shift which is not the result of sequencing error; identified by"
                  + " match to protein family HMM PF01032");
      assertThat(fepG.all("pseudo")).containsExactly("");
    }

    @Test
    void hybrid1GrowthHormoneAndFastaSection() throws IOException {
      Decoded d = decode(shared().resolve("hybrid1.gff3"));

      Gff3Record mrna = d.byId("A00469");
      assertThat(mrna.line()).isEqualTo(7);
      assertThat(mrna.seqid()).isEqualTo("chr17");
      assertThat(mrna.type()).isEqualTo("mRNA");
      assertThat(mrna.start()).isEqualTo(62467934);
      assertThat(mrna.end()).isEqualTo(62469545);
      assertThat(mrna.strand()).isEqualTo("-");
      assertThat(mrna.phase()).isNull();
      assertThat(mrna.all("Dbxref"))
          .containsExactly(
              "AFFX-U133:205840_x_at",
              "Locuslink:2688",
              "Genbank-mRNA:A00469",
              "Swissprot:P01241",
              "PFAM:PF00103",
              "AFFX-U95:1332_f_at",
              "Swissprot:SOMA_HUMAN");
      assertThat(mrna.all("Note")).containsExactly("growth hormone 1");
      assertThat(mrna.all("Alias")).containsExactly("GH1");

      // Six features on lines 7-12; "###" on 13, "##FASTA" on 14, sequence after: nothing.
      assertThat(d.records()).hasSize(6);
      assertThat(d.records())
          .extracting(Gff3Record::line)
          .containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
      assertThat(d.records().subList(1, 6))
          .allSatisfy(r -> assertThat(r.all("Parent")).containsExactly("A00469"))
          .extracting(Gff3Record::phase)
          .containsExactly("1", "2", "1", "1", "0");
    }

    @Test
    void standardFastaExampleTwelveFeaturesAndTargetWithSpaces() throws IOException {
      Decoded d = decode(shared().resolve("standard_fasta_example.gff3"));

      assertThat(d.records()).hasSize(12);
      assertThat(d.records().get(11).line()).isEqualTo(14);
      assertThat(d.records())
          .filteredOn(r -> r.type().equals("cDNA_match"))
          .extracting(Gff3Record::score, r -> r.all("Target"))
          .containsExactly(
              tuple("5.8e-42", List.of("cdna0123 12 462")),
              tuple("8.1e-43", List.of("cdna0123 463 963")),
              tuple("1.4e-40", List.of("cdna0123 964 2964")));
      assertThat(d.records()).noneMatch(r -> r.seqid().equals("cdna0123"));
    }

    @Test
    void edenTwentyThreeFeaturesWithMultiValueParent() throws IOException {
      Decoded d = decode(shared().resolve("eden.gff3"));

      assertThat(d.records()).hasSize(23);
      assertThat(d.records())
          .extracting(Gff3Record::type)
          .containsOnly("gene", "TF_binding_site", "mRNA", "exon", "CDS");

      Gff3Record gene = d.byId("gene00001");
      assertThat(gene.source()).isEqualTo(".");
      assertThat(gene.first("Name")).isEqualTo("EDEN");

      assertThat(d.byId("exon00002").all("Parent")).containsExactly("mRNA00001", "mRNA00002");
      assertThat(d.byId("exon00003").all("Parent")).containsExactly("mRNA00001", "mRNA00003");
      Gff3Record exon4 = d.byId("exon00004");
      assertThat(exon4.line()).isEqualTo(11);
      assertThat(exon4.start()).isEqualTo(5000);
      assertThat(exon4.end()).isEqualTo(5500);
      assertThat(exon4.all("Parent")).containsExactly("mRNA00001", "mRNA00002", "mRNA00003");

      // A multi-line feature (one ID over several lines) stays one record per line.
      assertThat(d.records()).filteredOn(r -> "cds00001".equals(r.first("ID"))).hasSize(4);
    }

    @Test
    void gzipInputDecodesTheSame(@TempDir Path tmp) throws IOException {
      Path plain = shared().resolve("eden.gff3");
      Path gz = tmp.resolve("eden.gff3.gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
        Files.copy(plain, out);
      }

      assertThat(decode(gz)).isEqualTo(decode(plain));
    }
  }

  @Nested
  class Rejects {

    @Test
    void wrongColumnCount() throws IOException {
      Decoded d = fixture("wrong_column_count.gff3");

      assertThat(d.records()).extracting(Gff3Record::line).containsExactly(2L, 6L);
      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(3L, "expected 9 tab-separated columns, found 7"),
              tuple(4L, "expected 9 tab-separated columns, found 1"),
              tuple(5L, "expected 9 tab-separated columns, found 10"));
      assertThat(d.rejects().get(0).raw()).isEqualTo("ctg1\tsrc\tgene\t100\t200\t.\t+");
    }

    @Test
    void oneTrailingTabIsTolerated() throws IOException {
      Decoded d = fixture("trailing_tab.gff3");

      assertThat(d.records()).extracting(Gff3Record::line).containsExactly(2L, 4L);
      assertThat(d.records().get(0).all("ID")).containsExactly("one_trailing_tab");
      // Eight columns and a tab: column 9 is empty, read as "no attributes".
      assertThat(d.records().get(1).attributes()).isEmpty();
      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(tuple(3L, "expected 9 tab-separated columns, found 11"));
    }

    @Test
    void nonNumericPositions() throws IOException {
      Decoded d = fixture("non_numeric_position.gff3");

      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(2L, "non-numeric start position 'abc' in column 4"),
              tuple(3L, "non-numeric end position '1e5' in column 5"),
              tuple(4L, "negative start position '-5' in column 4"),
              tuple(5L, "end position '1234567890123456789' in column 5 is too large"),
              tuple(6L, "empty column 4 (start)"));
      assertThat(d.records()).singleElement().satisfies(r -> assertThat(r.start()).isZero());
    }

    @Test
    void startGreaterThanEnd() throws IOException {
      Decoded d = fixture("start_greater_than_end.gff3");

      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason, Rejected::raw)
          .containsExactly(
              tuple(
                  3L,
                  "start 200 is greater than end 100",
                  "ctg1\tsrc\tgene\t200\t100\t.\t+\t.\tID=reversed"));
      // start == end is a point feature, as in YBrowse.
      assertThat(d.records()).extracting(r -> r.first("ID")).containsExactly("ok", "point");
    }

    @Test
    void badPercentEscapes() throws IOException {
      Decoded d = fixture("bad_percent_escape.gff3");

      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(2L, "bad percent-escape '%G1' in column 9"),
              tuple(3L, "bad percent-escape '%4' in column 9"),
              tuple(4L, "bad percent-escape '%4' in column 9"),
              tuple(5L, "bad percent-escape '%ZZ' in column 1"));
      // Hex digits are case-insensitive (RFC 3986 section 2.1).
      assertThat(d.records())
          .singleElement()
          .satisfies(r -> assertThat(r.all("Note")).containsExactly("lower;case,hex"));
    }

    @Test
    void invalidUtf8FromEscapes() throws IOException {
      Decoded d = fixture("invalid_utf8_escape.gff3");

      assertThat(d.records()).isEmpty();
      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(2L, "percent-escapes '%C3%28' in column 9 are not valid UTF-8"),
              tuple(3L, "percent-escapes '%FF' in column 9 are not valid UTF-8"),
              tuple(4L, "percent-escapes '%C3' in column 9 are not valid UTF-8"),
              tuple(5L, "percent-escapes '%C0%AF' in column 9 are not valid UTF-8"),
              tuple(6L, "percent-escapes '%ED%A0%80' in column 9 are not valid UTF-8"));
    }

    @Test
    void invalidStrandAndPhase() throws IOException {
      Decoded d = fixture("invalid_strand_phase.gff3");

      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(3L, "invalid strand 'x' in column 7; expected one of + - . ?"),
              tuple(4L, "invalid phase '3' in column 8; expected one of 0 1 2 ."),
              tuple(5L, "invalid strand '++' in column 7; expected one of + - . ?"));
      assertThat(d.records())
          .extracting(r -> r.first("ID"), Gff3Record::strand, Gff3Record::phase)
          .containsExactly(tuple("ok", "+", null), tuple("unknown_strand", "?", "2"));
    }

    @Test
    void attributeWithoutEquals() throws IOException {
      Decoded d = fixture("attribute_without_equals.gff3");

      assertThat(d.rejects())
          .extracting(Rejected::line, Rejected::reason)
          .containsExactly(
              tuple(2L, "attribute 'foo' has no '='"),
              tuple(3L, "attribute '=v' has an empty key"));
      // An unescaped '=' inside a value splits at the first one only.
      assertThat(d.records())
          .singleElement()
          .satisfies(r -> assertThat(r.all("Note")).containsExactly("x=y"));
    }

    @Test
    void longOffendingTextIsShortenedInTheReasonButNotInTheRaw() {
      String junk = "x".repeat(500);
      String line = "ctg1\tsrc\tgene\t100\t200\t.\t+\t.\tID=a;" + junk;

      Decoded d = decode(line);

      assertThat(d.rejects())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.reason())
                    .isEqualTo("attribute '" + "x".repeat(60) + "...' has no '='");
                assertThat(r.raw()).isEqualTo(line);
              });
    }
  }

  @Nested
  class Attributes {

    @Test
    void repeatedKeysAppendInFirstSeenOrder() throws IOException {
      Gff3Record r = fixture("repeated_keys.gff3").records().get(0);

      assertThat(r.attributes().keySet()).containsExactly("ID", "Dbxref", "Note");
      assertThat(r.all("Dbxref")).containsExactly("x:1", "x:2", "x:3");
      assertThat(r.all("ID")).containsExactly("a", "b");
      assertThat(r.first("ID")).isEqualTo("a");
    }

    @Test
    void multipleValuesSplitOnComma() throws IOException {
      Gff3Record r = fixture("multi_values.gff3").records().get(0);

      assertThat(r.all("Parent")).containsExactly("m1", "m2", "m3");
      assertThat(r.all("Alias")).containsExactly("one");
      assertThat(r.all("absent")).isEmpty();
      assertThat(r.first("absent")).isNull();
    }

    @Test
    void percentEncodedSeparatorsStayInsideTheirValue() throws IOException {
      Decoded d = fixture("percent_encoded_separators.gff3");

      assertThat(d.rejects()).isEmpty();
      Gff3Record r = d.records().get(0);
      assertThat(r.all("Note")).containsExactly("a;b,c=d%e&f\tg h");
      assertThat(r.all("my=key")).containsExactly("v");
      // Not form-encoding: '+' is literal; decoding happens once.
      assertThat(r.all("Plus")).containsExactly("T+C");
      assertThat(r.all("Twice")).containsExactly("%25");
      assertThat(r.all("Target")).containsExactly("cdna 1 20");
    }

    @Test
    void percentEscapesDecodeAsUtf8() throws IOException {
      Decoded d = fixture("utf8_escapes.gff3");

      assertThat(d.rejects()).isEmpty();
      Gff3Record r = d.records().get(0);
      assertThat(r.first("Note")).isEqualTo("café");
      assertThat(r.first("Name")).isEqualTo("dna\uD83E\uDDEC");
      assertThat(r.first("Alias")).isEqualTo("literal é");
      assertThat(d.records().get(1).seqid()).isEqualTo("ctgé");
    }

    @Test
    void emptyPairsAreSkippedAndEmptyValuesKept() throws IOException {
      Decoded d = fixture("empty_attribute_pairs.gff3");

      assertThat(d.rejects()).isEmpty();
      assertThat(d.records().get(0).attributes())
          .containsExactly(Map.entry("ID", List.of("a")), Map.entry("Note", List.of("x")));
      assertThat(d.records().get(1).all("pseudo")).containsExactly("");
      assertThat(d.records().get(1).first("pseudo")).isEmpty();
      assertThat(d.records().get(1).all("Parent")).containsExactly("p1", "", "p2");
      assertThat(d.records().get(2).attributes()).isEmpty();
      assertThat(d.records().get(3).attributes()).isEmpty();
    }

    @Test
    void keysSharingACacheSlotStayDistinct() {
      // Same length, first and last character: the codec's key cache fingerprints them alike.
      Decoded d =
          decode(
              "ctg1\tsrc\tgene\t1\t2\t.\t+\t.\tabXd=1;acYd=2;abXd=3",
              "ctg1\tsrc\tgene\t1\t2\t.\t+\t.\tacYd=4;abXd=5");

      assertThat(d.records().get(0).attributes())
          .containsExactly(Map.entry("abXd", List.of("1", "3")), Map.entry("acYd", List.of("2")));
      assertThat(d.records().get(1).attributes())
          .containsExactly(Map.entry("acYd", List.of("4")), Map.entry("abXd", List.of("5")));
    }

    @Test
    void recordsAreImmutable() throws IOException {
      Gff3Record r = fixture("multi_values.gff3").records().get(0);

      assertThatThrownBy(() -> r.attributes().put("x", List.of("y")))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> r.all("Parent").add("m4"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordCopiesAMutableMapItIsGiven() {
      Map<String, List<String>> attributes = new LinkedHashMap<>();
      List<String> values = new ArrayList<>(List.of("a"));
      attributes.put("ID", values);

      Gff3Record r = new Gff3Record("c", ".", "gene", 1, 2, null, null, null, attributes, 1);
      attributes.put("Name", List.of("n"));
      values.add("b");

      assertThat(r.attributes()).containsExactly(Map.entry("ID", List.of("a")));
    }
  }

  @Nested
  class LinesThatAreNotFeatures {

    @Test
    void fastaSectionEndsFeatures() throws IOException {
      Decoded d = fixture("fasta_section.gff3");

      assertThat(d.records()).extracting(r -> r.first("ID")).containsExactly("g1", "m1");
      assertThat(d.rejects()).isEmpty();
    }

    @Test
    void fastaHeaderWithoutDirectiveEndsFeatures() throws IOException {
      Decoded d = fixture("fasta_without_directive.gff3");

      assertThat(d.records()).extracting(r -> r.first("ID")).containsExactly("g1");
      assertThat(d.rejects()).isEmpty();
    }

    @Test
    void flushMarkersAreIgnored() throws IOException {
      Decoded d = fixture("flush_markers.gff3");

      assertThat(d.records())
          .extracting(Gff3Record::line, r -> r.first("ID"))
          .containsExactly(tuple(2L, "g1"), tuple(4L, "g2"));
      assertThat(d.rejects()).isEmpty();
    }

    @Test
    void commentsAndDirectivesAreIgnored() throws IOException {
      Decoded d = fixture("comments_and_directives.gff3");

      assertThat(d.records())
          .extracting(Gff3Record::line, r -> r.first("ID"))
          .containsExactly(tuple(7L, "g1"), tuple(9L, "g2"));
      assertThat(d.rejects()).isEmpty();
    }

    @Test
    void blankLinesAreIgnored() throws IOException {
      Decoded d = fixture("blank_lines.gff3");

      assertThat(d.records())
          .extracting(Gff3Record::line, r -> r.first("ID"))
          .containsExactly(tuple(3L, "g1"), tuple(7L, "g2"));
      assertThat(d.rejects()).isEmpty();
    }

    @Test
    void crlfLinesArriveStrippedAndDecodeCleanly() throws IOException {
      Decoded d = fixture("crlf_line_endings.gff3");

      assertThat(d.rejects()).isEmpty();
      assertThat(d.records())
          .extracting(r -> r.first("Note"), r -> r.all("Parent"), Gff3Record::strand)
          .containsExactly(tuple("windows", List.of(), "+"), tuple(null, List.of("a", "b"), "-"));
    }

    @Test
    void byteOrderMarkOnFirstLineIsDropped() {
      Decoded d = decode("\uFEFF##gff-version 3", "ctg1\tsrc\tgene\t1\t2\t.\t+\t.\tID=g1");

      assertThat(d.rejects()).isEmpty();
      assertThat(d.records()).extracting(r -> r.first("ID")).containsExactly("g1");
    }
  }

  @Test
  void ybrowsePointSnp() {
    Decoded d = decode("##gff-version 3", YBROWSE_LINE);

    assertThat(d.rejects()).isEmpty();
    Gff3Record r = d.records().get(0);
    assertThat(r.line()).isEqualTo(2);
    assertThat(r.seqid()).isEqualTo("chrY");
    assertThat(r.source()).isEqualTo("point");
    assertThat(r.type()).isEqualTo("snp");
    assertThat(r.start()).isEqualTo(8936213);
    assertThat(r.end()).isEqualTo(8936213);
    assertThat(r.score()).isNull();
    assertThat(r.strand()).isEqualTo("+");
    assertThat(r.phase()).isNull();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("ID", List.of("BY32772"));
    expected.put("Name", List.of("BY32772"));
    expected.put("allele_anc", List.of("T"));
    expected.put("allele_der", List.of("C"));
    expected.put("ycc_haplogroup", List.of("R1b"));
    expected.put("isogg_haplogroup", List.of("R1b"));
    expected.put("mutation", List.of("T to C"));
    expected.put("count_tested", List.of("3"));
    expected.put("count_derived", List.of("0"));
    expected.put("ref", List.of("Rik Harper (2018)"));
    expected.put("comment", List.of("."));
    expected.put("yfull_node", List.of("R-Y131908"));
    assertThat(r.attributes()).containsExactlyEntriesOf(expected);
  }

  /** A sanity print of decode speed on YBrowse-shaped lines; deliberately not an assertion. */
  @Test
  void throughputSanityPrint() {
    int distinct = 20_000;
    String[] lines = new String[distinct];
    for (int i = 0; i < distinct; i++) {
      long pos = 2_650_000L + 37L * i;
      lines[i] =
          "chrY\tpoint\tsnp\t"
              + pos
              + "\t"
              + pos
              + "\t.\t+\t.\tID=BY"
              + i
              + ";Name=BY"
              + i
              + ";allele_anc=T;allele_der=C;primer_f=ACGTTGCA%3BTT;ycc_haplogroup=R1b;"
              + "isogg_haplogroup=R1b;mutation=T to C;count_tested=3;count_derived=0;"
              + "ref=Rik Harper (2018);comment=.;yfull_node=R-Y"
              + i;
    }
    long[] count = new long[1];
    DecodeSink<Gff3Record> counting =
        new DecodeSink<>() {
          @Override
          public void record(Gff3Record value, long lineNumber) {
            count[0] += value.attributes().size();
          }

          @Override
          public void reject(long lineNumber, String reason, String raw) {
            throw new AssertionError(reason + ": " + raw);
          }
        };
    int warmupRounds = 20;
    int rounds = 50;
    Gff3Codec codec = new Gff3Codec();
    long lineNumber = 0;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long startNanos = 0;
    long startCpuNanos = 0;
    for (int round = 0; round < warmupRounds + rounds; round++) {
      if (round == warmupRounds) {
        startNanos = System.nanoTime();
        startCpuNanos = threads.getCurrentThreadCpuTime();
      }
      for (String line : lines) {
        codec.line(line, ++lineNumber, counting);
      }
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    // CPU time of this thread too: shared build machines make wall time noisy.
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpuNanos) / 1e9;
    long measured = (long) distinct * rounds;
    System.out.printf(
        "Gff3Codec: %,d YBrowse-shaped lines, %,.0f lines/s wall, %,.0f lines/s on-CPU%n",
        measured, measured / seconds, measured / cpuSeconds);
    assertThat(count[0]).isEqualTo(13L * distinct * (warmupRounds + rounds));
  }
}
