package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.gff3.Gff3Codec;
import dev.pgingest.format.gff3.Gff3Record;
import dev.pgingest.testutil.Corpus;
import dev.pgingest.testutil.Specs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests of {@link VariantMapper}, {@link VariantRow} and {@link VariantKeys}. */
class VariantMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final VariantMapper HG38 = new VariantMapper("GRCh38");

  /** The alleles YBrowse writes on every variant, for test lines about other attributes. */
  private static final String ALLELES = ";allele_anc=T;allele_der=C";

  /**
   * A YBrowse feature line at {@code position} with the given column 9, plus alleles T to C when it
   * names none (the mapper rejects features without alleles).
   */
  private static Gff3Record feature(long position, String attributes) {
    String column9 = attributes.contains("allele_") ? attributes : attributes + ALLELES;
    return parse("chrY\tpoint\tsnp\t" + position + "\t" + position + "\t.\t+\t.\t" + column9);
  }

  /** Decodes one line with the real codec, so the mapper sees what the job gives it. */
  private static Gff3Record parse(String line) {
    List<Gff3Record> out = new ArrayList<>();
    new Gff3Codec()
        .line(
            line,
            1,
            new DecodeSink<>() {
              @Override
              public void record(Gff3Record value, long lineNumber) {
                out.add(value);
              }

              @Override
              public void reject(long lineNumber, String reason, String raw) {
                fail("test line rejected by the codec: " + reason);
              }
            });
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private static VariantRow map(String attributes) {
    return HG38.map(feature(100, attributes));
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".",
        "",
        "TBD",
        "tbd",
        "Not Listed",
        "not listed",
        "NONE",
        "none",
        "n/a",
        "N/A",
        "NA",
        "na",
        " tbd "
      })
  void placeholderValuesBecomeNullAndLeaveNoEvidence(String placeholder) {
    VariantRow row =
        map(
            String.join(
                ";",
                "ID=" + placeholder,
                "Name=" + placeholder,
                "Alias=" + placeholder,
                "allele_anc=" + placeholder,
                "allele_der=" + placeholder,
                "isogg_haplogroup=" + placeholder,
                "ycc_haplogroup=" + placeholder,
                "ref=" + placeholder,
                "comment=" + placeholder));

    assertThat(row.canonicalName()).isNull();
    assertThat(row.haplogroup()).isNull();
    assertThat(row.anc()).isNull();
    assertThat(row.der()).isNull();
    assertThat(row.aliases()).isEmpty();
    assertThat(row.evidence()).isEmpty();
    // With no informative name the variant is identified by where it is.
    assertThat(row.key()).isEqualTo(VariantKeys.unnamed("GRCh38", "chrY", 100, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NA12878", "TBD2", "nonesuch", "n/a/b"})
  void valuesThatOnlyContainAPlaceholderAreKept(String value) {
    VariantRow row = map("Name=" + value + ";comment=" + value);

    assertThat(row.canonicalName()).isEqualTo(value);
    assertThat(row.evidenceMap()).containsEntry("comment", value);
  }

  @Test
  void placeholdersAreDroppedFromMultiValuedEvidence() {
    VariantRow row = map("Name=M269;ref=TBD,ISOGG (2015),n/a,YFull");

    assertThat(row.evidenceMap()).containsExactly(Map.entry("ref", "ISOGG (2015),YFull"));
  }

  @Test
  void placeholderTypeColumnBecomesNull() {
    VariantRow row = HG38.map(parse("chrY\tpoint\t.\t100\t100\t.\t+\t.\tName=M269" + ALLELES));

    assertThat(row.variantType()).isNull();
  }

  @Test
  void haplogroupIsIsoggWhenInformative() {
    assertThat(map("Name=M269;isogg_haplogroup=R1b1a1b;ycc_haplogroup=R1b").haplogroup())
        .isEqualTo("R1b1a1b");
  }

  @Test
  void haplogroupFallsBackToYccWhenIsoggIsAPlaceholderOrAbsent() {
    assertThat(map("Name=M269;isogg_haplogroup=TBD;ycc_haplogroup=R1b").haplogroup())
        .isEqualTo("R1b");
    assertThat(map("Name=M269;ycc_haplogroup=R1b").haplogroup()).isEqualTo("R1b");
  }

  @Test
  void canonicalNameIsNameElseId() {
    assertThat(map("ID=S21;Name=U106").canonicalName()).isEqualTo("U106");
    assertThat(map("ID=S21;Name=.").canonicalName()).isEqualTo("S21");
    assertThat(map("ID=S21").canonicalName()).isEqualTo("S21");
  }

  @Test
  void aliasesAreTheSortedDistinctInformativeIdNameAndAliasValues() {
    VariantRow row = map("ID=S21;Name=U106;Alias=S21,M405,.,U106,TBD");

    assertThat(row.aliases()).containsExactly("M405", "S21", "U106");
    // Names are columns, not evidence.
    assertThat(row.evidenceMap()).doesNotContainKeys("ID", "Name", "Alias");
  }

  @Test
  void allelesAndCoordinatesComeFromTheFeature() {
    VariantRow row =
        HG38.map(
            parse(
                "chrY\tpoint\tsnp\t2823945\t2823947\t.\t+\t.\tName=Y1;allele_anc=A;"
                    + "allele_der=T;mutation=A to T"));

    assertThat(row.contig()).isEqualTo("chrY");
    assertThat(row.start()).isEqualTo(2823945);
    assertThat(row.end()).isEqualTo(2823947);
    assertThat(row.assembly()).isEqualTo("GRCh38");
    assertThat(row.anc()).isEqualTo("A");
    assertThat(row.der()).isEqualTo("T");
    assertThat(row.variantType()).isEqualTo("snp");
    assertThat(row.evidenceMap()).containsExactly(Map.entry("mutation", "A to T"));
  }

  @Test
  void namedKeyUsesNameAndHaplogroup() {
    VariantRow row = map("ID=M269;Name=M269;isogg_haplogroup=R1b1a1b");

    assertThat(row.key()).isEqualTo(VariantKeys.named("M269", "R1b1a1b"));
  }

  @Test
  void namedKeyWithoutHaplogroupDiffersFromOneWithAHaplogroup() {
    VariantRow without = map("Name=M269");
    VariantRow with = map("Name=M269;isogg_haplogroup=R1b");

    assertThat(without.key()).isEqualTo(VariantKeys.named("M269", null));
    assertThat(without.key()).isNotEqualTo(with.key());
  }

  @Test
  void unnamedKeyUsesAssemblyContigStartAndAlleles() {
    Gff3Record f = feature(300, "ID=.;Name=.;allele_anc=A;allele_der=G");
    VariantRow row = HG38.map(f);

    assertThat(row.canonicalName()).isNull();
    assertThat(row.key()).isEqualTo(VariantKeys.unnamed("GRCh38", "chrY", 300, "A", "G"));
    // Each part of the identity changes the key.
    assertThat(new VariantMapper("GRCh37").map(f).key()).isNotEqualTo(row.key());
    assertThat(HG38.map(feature(301, "allele_anc=A;allele_der=G")).key()).isNotEqualTo(row.key());
    assertThat(HG38.map(feature(300, "allele_anc=C;allele_der=G")).key()).isNotEqualTo(row.key());
    assertThat(HG38.map(feature(300, "allele_anc=A;allele_der=T")).key()).isNotEqualTo(row.key());
    assertThat(HG38.map(feature(300, "allele_anc=A;allele_der=G")).key()).isEqualTo(row.key());
  }

  @Test
  void unnamedKeysDoNotRunFieldsTogether() {
    // Without a separator, start 1 + anc "2A" and start 12 + anc "A" would be one key.
    assertThat(VariantKeys.unnamed("GRCh38", "chrY", 1, "2A", "G"))
        .isNotEqualTo(VariantKeys.unnamed("GRCh38", "chrY", 12, "A", "G"));
    assertThat(VariantKeys.named("M2", "69")).isNotEqualTo(VariantKeys.named("M26", "9"));
  }

  @Test
  void evidenceJsonRendersWholeCountsAsNumbersAndTheRestAsStrings() throws Exception {
    VariantRow row =
        map(
            "Name=M269;count_tested=12;count_derived=-3;count_ratio=0.5;count_note=abc;"
                + "count_huge=1234567890123456789012;mutation=T to C;position=42");

    JsonNode evidence = json(row.evidenceJson());

    assertThat(evidence.get("count_tested").isIntegralNumber()).isTrue();
    assertThat(evidence.get("count_tested").asLong()).isEqualTo(12);
    assertThat(evidence.get("count_derived").asLong()).isEqualTo(-3);
    assertThat(evidence.get("count_ratio").isTextual()).isTrue();
    assertThat(evidence.get("count_note").textValue()).isEqualTo("abc");
    // Too long for a bigint: a number here would fail or lose digits in the jsonb column.
    assertThat(evidence.get("count_huge").textValue()).isEqualTo("1234567890123456789012");
    assertThat(evidence.get("mutation").textValue()).isEqualTo("T to C");
    // Only count_* attributes are counts; other digits stay text.
    assertThat(evidence.get("position").isTextual()).isTrue();
    assertThat(evidence.size()).isEqualTo(7);
  }

  @Test
  void jsonColumnsEscapeQuotesBackslashesAndControlCharacters() throws Exception {
    // Percent-escapes put the awkward characters into every JSON column through the codec.
    String awkward = "say %22hi%22 %5C path%0Anext%09tab%01ctl%0Dcr é";
    String decoded = "say \"hi\" \\ path\nnext\ttab\u0001ctl\rcr é";
    VariantRow row =
        HG38.map(
            parse(
                "chrY\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1;Alias="
                    + awkward
                    + ";allele_anc="
                    + awkward
                    + ";ref="
                    + awkward));

    JsonNode coordinates = json(row.coordinatesJson());
    JsonNode aliases = json(row.aliasesJson());
    JsonNode evidence = json(row.evidenceJson());

    assertThat(coordinates.get("GRCh38").get("anc").textValue()).isEqualTo(decoded);
    assertThat(aliases.get(0).textValue()).isEqualTo("M1");
    assertThat(aliases.get(1).textValue()).isEqualTo(decoded);
    assertThat(evidence.get("ref").textValue()).isEqualTo(decoded);
  }

  @Test
  void coordinatesJsonEscapesAnAwkwardContig() throws Exception {
    // The mapper only lets Y-chromosome names through; the row still escapes whatever it holds.
    Object[] fields = baseFields();
    fields[5] = "chr\"Y\\";

    JsonNode coordinates = json(build(fields).coordinatesJson());

    assertThat(coordinates.get("GRCh38").get("contig").textValue()).isEqualTo("chr\"Y\\");
  }

  @Test
  void coordinatesJsonHoldsTheAssemblysPositionAndNullAlleles() throws Exception {
    VariantRow row = HG38.map(feature(300, "Name=M1;allele_der=G"));

    JsonNode at = json(row.coordinatesJson()).get("GRCh38");

    assertThat(json(row.coordinatesJson()).size()).isEqualTo(1);
    assertThat(at.get("contig").textValue()).isEqualTo("chrY");
    assertThat(at.get("start").asLong()).isEqualTo(300);
    assertThat(at.get("end").asLong()).isEqualTo(300);
    assertThat(at.get("anc").isNull()).isTrue();
    assertThat(at.get("der").textValue()).isEqualTo("G");
  }

  @Test
  void emptyAliasesAndEvidenceAreValidJson() throws Exception {
    VariantRow row = map("ID=.");

    assertThat(json(row.aliasesJson()).isArray()).isTrue();
    assertThat(json(row.aliasesJson()).size()).isZero();
    assertThat(json(row.evidenceJson()).isObject()).isTrue();
    assertThat(json(row.evidenceJson()).size()).isZero();
  }

  @Test
  void mergeUnitesAliasesAndKeepsTheGreaterValuesInEitherOrder() {
    VariantRow one =
        HG38.map(
            feature(
                100,
                "ID=M269;Name=M269;Alias=S1;allele_anc=T;allele_der=C;"
                    + "isogg_haplogroup=R1b;count_tested=12;ref=ISOGG"));
    VariantRow two =
        HG38.map(
            parse(
                "chrY\tpoint\t.\t200\t201\t.\t+\t.\tName=M269;Alias=S2;allele_anc=G;"
                    + "isogg_haplogroup=R1b;count_tested=9;comment=later"));
    assertThat(two.key()).isEqualTo(one.key());

    VariantRow merged = one.merge(two);

    assertThat(two.merge(one)).isEqualTo(merged);
    assertThat(merged.merge(two)).isEqualTo(merged);
    assertThat(merged.canonicalName()).isEqualTo("M269");
    assertThat(merged.haplogroup()).isEqualTo("R1b");
    assertThat(merged.aliases()).containsExactly("M269", "S1", "S2");
    // count_tested: the greater number, 12, whichever came first.
    assertThat(merged.evidenceMap())
        .containsExactly(
            Map.entry("comment", "later"),
            Map.entry("count_tested", "12"),
            Map.entry("isogg_haplogroup", "R1b"),
            Map.entry("ref", "ISOGG"));
    // Coordinates as one object: {"anc": "T", …} sorts above {"anc": "G", …} in byte order.
    assertThat(merged.start()).isEqualTo(100);
    assertThat(merged.anc()).isEqualTo("T");
    assertThat(merged.der()).isEqualTo("C");
    // The other row has no type ("."), so the typed one's stays.
    assertThat(merged.variantType()).isEqualTo("snp");
  }

  @Test
  void mergeOfANumberAndAStringKeepsTheNumber() {
    VariantRow text =
        HG38.map(parse("chrY\tpoint\tsnp\t1\t1\t.\t+\t.\tName=M1;count_tested=abc" + ALLELES));
    VariantRow number =
        HG38.map(parse("chrY\tpoint\tsnp\t1\t1\t.\t+\t.\tName=M1;count_tested=3" + ALLELES));
    assertThat(text.merge(number).evidenceMap()).containsEntry("count_tested", "3");
    assertThat(number.merge(text).evidenceMap()).containsEntry("count_tested", "3");
  }

  @Test
  void mergeKeepsTheGreaterTypeInEitherOrder() {
    VariantRow snp = HG38.map(parse("chrY\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1" + ALLELES));
    VariantRow indel = HG38.map(parse("chrY\tpoint\tindel\t100\t100\t.\t+\t.\tName=M1" + ALLELES));
    assertThat(snp.merge(indel).variantType()).isEqualTo("snp");
    assertThat(indel.merge(snp).variantType()).isEqualTo("snp");
  }

  @Test
  void equalRowsHaveEqualFingerprints() {
    String attributes = "ID=M269;Name=M269;Alias=S1;allele_anc=T;count_tested=12";
    VariantRow a = map(attributes);
    VariantRow b = map(attributes);

    assertThat(b).isNotSameAs(a).isEqualTo(a);
    assertThat(b.hashCode()).isEqualTo(a.hashCode());
    assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
  }

  /** Constructor arguments of a typical row, in {@link VariantRow} component order. */
  private static Object[] baseFields() {
    return new Object[] {
      VariantKeys.named("M269", "R1b"),
      "M269",
      "R1b",
      "snp",
      "GRCh38",
      "chrY",
      100L,
      100L,
      "T",
      "C",
      new String[] {"M269", "S1"},
      new String[] {"count_tested", "12", "ref", "ISOGG"}
    };
  }

  private static VariantRow build(Object[] f) {
    return new VariantRow(
        (String) f[0],
        (String) f[1],
        (String) f[2],
        (String) f[3],
        (String) f[4],
        (String) f[5],
        (long) f[6],
        (long) f[7],
        (String) f[8],
        (String) f[9],
        (String[]) f[10],
        (String[]) f[11]);
  }

  /** A named change: pairs of component index and new value. */
  private static Arguments change(String name, Object... indexValuePairs) {
    return Arguments.of(name, indexValuePairs);
  }

  static Stream<Arguments> oneFieldChanged() {
    return Stream.of(
        change("key", 0, VariantKeys.named("M269", null)),
        change("canonicalName", 1, null),
        change("haplogroup", 2, "R1b1"),
        change("variantType", 3, "indel"),
        change("assembly", 4, "GRCh37"),
        change("contig", 5, "Y"),
        change("start", 6, 99L),
        change("end", 7, 101L),
        change("anc", 8, null),
        change("der", 9, "G"),
        // Field boundaries count: "TC" + "" is not "T" + "C".
        change("alleles shifted across their boundary", 8, "TC", 9, ""),
        change("aliases", 10, new String[] {"M269"}),
        change(
            "last alias moved into evidence",
            10,
            new String[] {"M269"},
            11,
            new String[] {"S1", "count_tested", "12", "ref", "ISOGG"}),
        change("evidence value", 11, new String[] {"count_tested", "13", "ref", "ISOGG"}),
        change("evidence key", 11, new String[] {"count_derived", "12", "ref", "ISOGG"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneFieldChanged")
  void fingerprintChangesWhenAnyFieldChanges(String field, Object[] indexValuePairs) {
    VariantRow base = build(baseFields());
    Object[] fields = baseFields();
    for (int i = 0; i < indexValuePairs.length; i += 2) {
      fields[(int) indexValuePairs[i]] = indexValuePairs[i + 1];
    }
    VariantRow changed = build(fields);

    assertThat(changed).isNotEqualTo(base);
    assertThat(changed.fingerprint()).isNotEqualTo(base.fingerprint());
  }

  @Test
  void startBelowOneIsRejected() {
    // GFF3 records allow 0 (the codec accepts it); a YBrowse position is 1-based.
    Gff3Record zero = parse("chrY\tpoint\tsnp\t0\t0\t.\t+\t.\tName=M1" + ALLELES);

    assertThatThrownBy(() -> HG38.map(zero))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start 0");
  }

  @Test
  void valueContainingTheSeparatorDoesNotCollideWithTwoValues() {
    VariantRow a =
        HG38.map(parse("chrY\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1;Alias=X%1FY" + ALLELES));
    VariantRow b =
        HG38.map(parse("chrY\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1;Alias=X,Y" + ALLELES));
    assertThat(b.key()).isEqualTo(a.key());
    assertThat(b).isNotEqualTo(a);
    assertThat(b.fingerprint()).isNotEqualTo(a.fingerprint());
  }

  @Test
  void keyPartsWithTheKeySeparatorAreRejected() {
    assertThatThrownBy(
            () -> HG38.map(parse("chrY\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M%1F1" + ALLELES)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+001F");
  }

  /** Records and codec rejects of one file, decoded as the job decodes it. */
  private record DecodedFile(List<Gff3Record> records, List<Long> codecRejectLines) {}

  private static DecodedFile decode(Path file) throws IOException {
    List<Gff3Record> records = new ArrayList<>();
    List<Long> rejects = new ArrayList<>();
    DecodeSink<Gff3Record> sink =
        new DecodeSink<>() {
          @Override
          public void record(Gff3Record value, long lineNumber) {
            records.add(value);
          }

          @Override
          public void reject(long lineNumber, String reason, String raw) {
            rejects.add(lineNumber);
          }
        };
    Gff3Codec codec = new Gff3Codec();
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      codec.line(lines.get(i), i + 1, sink);
    }
    codec.end(lines.size(), sink);
    return new DecodedFile(records, rejects);
  }

  /** Line number to the mapper's reject reason, for every record of the file it refuses. */
  private static Map<Long, String> mapperRejects(List<Gff3Record> records) {
    Map<Long, String> reasons = new TreeMap<>();
    for (Gff3Record r : records) {
      try {
        HG38.map(r);
      } catch (IllegalArgumentException e) {
        reasons.put(r.line(), e.getMessage());
      }
    }
    return reasons;
  }

  private static final String NOT_A_VARIANT_TYPE =
      "' is not a Y-SNP or indel (expected snp, indel, SNV, MNP, insertion, deletion,"
          + " substitution, delins)";
  private static final String NOT_Y =
      "' is not the Y chromosome (expected chrY, Y, NC_000024, CM000686, CP086569 or NC_060948)";

  @Test
  void annotationFileGivesNoRowsAndSaysWhyForEveryFeature() throws IOException {
    DecodedFile f = decode(Specs.fixture("workload/ybrowse/annotation_not_variants.gff3"));

    assertThat(f.codecRejectLines()).isEmpty();
    assertThat(mapperRejects(f.records()))
        .hasSize(f.records().size())
        .containsExactly(
            Map.entry(4L, "feature type 'gene" + NOT_A_VARIANT_TYPE),
            Map.entry(5L, "feature type 'transcript" + NOT_A_VARIANT_TYPE),
            Map.entry(6L, "feature type 'exon" + NOT_A_VARIANT_TYPE),
            Map.entry(7L, "feature type 'exon" + NOT_A_VARIANT_TYPE),
            Map.entry(8L, "feature type 'CDS" + NOT_A_VARIANT_TYPE),
            Map.entry(9L, "feature type 'gene" + NOT_A_VARIANT_TYPE),
            Map.entry(10L, "feature type 'mRNA" + NOT_A_VARIANT_TYPE),
            Map.entry(11L, "feature type 'region" + NOT_A_VARIANT_TYPE),
            Map.entry(12L, "seqid 'chr1" + NOT_Y),
            Map.entry(13L, "seqid 'chr7" + NOT_Y),
            Map.entry(14L, "no allele_anc/allele_der attributes: not a YBrowse variant record"));
  }

  @Test
  void shippedSampleStillLoadsEveryFeatureAndRejectsOnlyItsTwoBrokenLines() throws IOException {
    DecodedFile f = decode(Path.of("jobs/samples/ybrowse-snps-hg38.sample.gff3"));

    // Lines 61 (8 columns) and 121 (start 'abc') are the sample's deliberate rejects.
    assertThat(f.codecRejectLines()).containsExactly(61L, 121L);
    assertThat(f.records()).hasSize(196);
    assertThat(mapperRejects(f.records())).isEmpty();
  }

  @Test
  void publishedAnnotationFilesOfOtherSpeciesGiveNoRows() throws IOException {
    Path corpus = Corpus.dir("gff3");
    List<Path> files;
    try (Stream<Path> listed = Files.list(corpus)) {
      files = listed.sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      List<Gff3Record> records = decode(file).records();
      assertThat(records).as(file.toString()).isNotEmpty();
      assertThat(mapperRejects(records)).as(file.toString()).hasSize(records.size());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "chrY",
        "CHRY",
        "Y",
        "y",
        "NC_000024.10",
        "NC_000024.9",
        "NC_000024",
        "CM000686.2",
        "CP086569.2",
        "NC_060948.1"
      })
  void yChromosomeNamesOfEveryKnownAssemblyAreAccepted(String seqid) {
    VariantRow row = HG38.map(parse(seqid + "\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1" + ALLELES));

    assertThat(row.contig()).isEqualTo(seqid);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chr1", "chrX", "X", "NC_000023.11", "chrY_KI270740v1_random", "chrYY"})
  void otherContigsAreRejectedNamingTheSeqid(String seqid) {
    Gff3Record f = parse(seqid + "\tpoint\tsnp\t100\t100\t.\t+\t.\tName=M1" + ALLELES);

    assertThatThrownBy(() -> HG38.map(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seqid '" + seqid + NOT_Y);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "snp",
        "SNP",
        "indel",
        "SNV",
        "snv",
        "MNP",
        "insertion",
        "deletion",
        "substitution",
        "delins",
        "."
      })
  void variantTypesInAnyCaseAndAPlaceholderTypeAreAccepted(String type) {
    VariantRow row =
        HG38.map(parse("chrY\tpoint\t" + type + "\t100\t100\t.\t+\t.\tName=M1" + ALLELES));

    assertThat(row.canonicalName()).isEqualTo("M1");
  }

  @Test
  void oneAlleleEvenAsAPlaceholderIsEnoughToBeAVariant() {
    assertThat(HG38.map(feature(100, "Name=M1;allele_anc=.")).anc()).isNull();
    assertThat(HG38.map(feature(100, "Name=M1;allele_der=G")).der()).isEqualTo("G");
  }
}
