package dev.pgingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spec keys a pipeline with declared tables brings: {@code each}, {@code trim-by-parent},
 * {@code target.objects} and {@code max-concurrent-uploads}, on the shipped GenBank spec.
 */
class GenbankSpecTest {
  private static final Path SHIPPED = Path.of("jobs", "genbank.yaml");

  private static JobSpec parse(Map<String, String> overrides) throws IOException {
    return JobSpecParser.parse(
        Files.readString(SHIPPED),
        SHIPPED.toString(),
        SHIPPED.toAbsolutePath().getParent(),
        overrides);
  }

  private static String edited(String from, String to) throws IOException {
    String text = Files.readString(SHIPPED);
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  @Test
  void shippedSpecDeclaresRecordAndFeatureTables() throws IOException {
    JobSpec spec = parse(Map.of());

    assertThat(spec.pipeline()).isEqualTo("genbank");
    assertThat(spec.tables())
        .extracting(TableSpec::name)
        .containsExactly("genbank_record", "genbank_feature");
    TableSpec features = spec.tables().get(1);
    assertThat(features.each()).isEqualTo("feature");
    assertThat(features.parent()).isEqualTo("genbank_record");
    assertThat(features.trim()).isEqualTo(new TableSpec.Trim("feature_index", "feature_count"));
    assertThat(spec.tables().get(0).each()).isNull();
    assertThat(spec.options().maxConcurrentUploads()).isEqualTo(10);
    // A relative folder is where the user runs the command, as a file: URI without a slash at the
    // end.
    assertThat(spec.target().objects())
        .isEqualTo(
            Path.of("genbank-objects").toAbsolutePath().toUri().toString().replaceAll("/$", ""));
    assertThat(spec.summary()).containsEntry("records_inserted", "genbank_record.inserted");
  }

  @Test
  void objectsAndUploadLimitCanBeSetOnTheCommandLine() throws IOException {
    JobSpec spec =
        parse(Map.of("target.objects", "s3://seqs/genbank/", "max-concurrent-uploads", "3"));

    assertThat(spec.target().objects()).isEqualTo("s3://seqs/genbank");
    assertThat(spec.options().maxConcurrentUploads()).isEqualTo(3);
  }

  @Test
  void anUnknownItemKindIsRefusedWithTheKnownOnes() throws IOException {
    String text = edited("each: feature", "each: exon");

    assertThatThrownBy(() -> JobSpecParser.parse(text, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.genbank_feature.each")
        .hasMessageContaining("exon")
        .hasMessageContaining("one of feature");
  }

  @Test
  void trimNeedsAParentAndItsCountColumn() throws IOException {
    String noCount = edited("count: feature_count", "count: features");
    assertThatThrownBy(() -> JobSpecParser.parse(noCount, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.genbank_feature.trim-by-parent.count")
        .hasMessageContaining("a column the parent genbank_record writes");

    String noOrdinal = edited("ordinal: feature_index", "ordinal: idx");
    assertThatThrownBy(() -> JobSpecParser.parse(noOrdinal, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("trim-by-parent.ordinal");

    String orphan = edited("    parent: genbank_record\n", "");
    assertThatThrownBy(() -> JobSpecParser.parse(orphan, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("trim-by-parent")
        .hasMessageContaining("without a parent");
  }

  @Test
  void aColumnTakesOnlyAFieldThePipelineHas() throws IOException {
    String text = edited("field: organism }", "field: organsim }");

    assertThatThrownBy(() -> JobSpecParser.parse(text, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.genbank_record.columns.organism.field")
        .hasMessageContaining("organsim")
        .hasMessageContaining("a field of pipeline 'genbank': accession_version, locus_name");
    String feature = edited("field: qualifiers }", "field: qualifier }");
    assertThatThrownBy(() -> JobSpecParser.parse(feature, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("for each feature: accession_version, feature_index, type");
  }

  @Test
  void aPipelineThatStoresObjectsNeedsAStore() throws IOException {
    String text = edited("  objects: genbank-objects\n", "");

    assertThatThrownBy(() -> JobSpecParser.parse(text, "g.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("target.objects")
        .hasMessageContaining("pipeline 'genbank' stores objects");
  }

  @Test
  void otherJobsRefuseObjectsAndEach() {
    String ybrowse =
        """
        name: y
        pipeline: ybrowse-variants
        source:
          format: gff3
        target:
          objects: s3://b/p
        """;
    assertThatThrownBy(() -> JobSpecParser.parse(ybrowse, "y.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("target.objects")
        .hasMessageContaining("stores no objects");

    String declared =
        """
        name: d
        source:
          format: csv
        tables:
          - name: t
            each: feature
            key: [id]
            columns:
              - { name: id, type: bigint, field: id }
        """;
    assertThatThrownBy(() -> JobSpecParser.parse(declared, "d.yaml", null, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("tables.t.each")
        .hasMessageContaining("a declared job makes one row per record");
  }
}
