package dev.pgingest.workload.ybrowse;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.gff3.Gff3Codec;
import dev.pgingest.format.gff3.Gff3Record;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.sink.Column;
import dev.pgingest.sink.ColumnMerge;
import dev.pgingest.sink.IndexDef;
import dev.pgingest.sink.SqlType;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SettingException;
import dev.pgingest.spec.SourceSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * YBrowse SNP dumps (GFF3) into {@code variant}: named variants keyed by (canonical name,
 * haplogroup), unnamed ones by (assembly, contig, start, anc, der).
 */
public final class YBrowsePipeline implements PipelineDef<Gff3Record, VariantRow> {

  @Override
  public String name() {
    return "ybrowse-variants";
  }

  @Override
  public boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    return Gff3Codec.recognizes(head);
  }

  @Override
  public Set<String> formats() {
    return Set.of("gff3");
  }

  @Override
  public CodecFactory<Gff3Record> codec(JobSpec spec, SourceSpec source) {
    return path -> new Gff3Codec();
  }

  @Override
  public String expectedInput(JobSpec spec) {
    return "YBrowse Y-SNP/indel GFF3 features (type snp or indel on chrY, with allele_anc and"
        + " allele_der)";
  }

  @Override
  public TypeInformation<Decoded<Gff3Record>> decodedType() {
    return TypeInformation.of(new TypeHint<Decoded<Gff3Record>>() {});
  }

  @Override
  public TypeInformation<VariantRow> rowType() {
    return TypeInformation.of(VariantRow.class);
  }

  @Override
  public RowMapper<Gff3Record, VariantRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    VariantMapper m = new VariantMapper(source.setting("assembly", "GRCh38"));
    return (record, file, line, out) -> out.accept(m.map(record));
  }

  @Override
  public List<TableDef<VariantRow>> tables(JobSpec spec) {
    return List.of(table(spec));
  }

  /** The variant table as the spec names it. */
  public TableDef<VariantRow> table(JobSpec spec) {
    String t = spec.target().table() != null ? spec.target().table() : "variant";
    return new TableDef<>(
        spec.target().schema(),
        t,
        t + "_id",
        "variant_key",
        List.of(
            new Column<>("variant_key", SqlType.TEXT, ColumnMerge.KEY, true, VariantRow::key),
            new Column<>(
                "canonical_name",
                SqlType.TEXT,
                ColumnMerge.INSERT_ONLY,
                false,
                VariantRow::canonicalName),
            new Column<>(
                "haplogroup", SqlType.TEXT, ColumnMerge.INSERT_ONLY, false, VariantRow::haplogroup),
            new Column<>(
                "variant_type",
                SqlType.TEXT,
                ColumnMerge.GREATEST_TEXT,
                false,
                VariantRow::variantType),
            new Column<>(
                "coordinates",
                SqlType.JSONB,
                ColumnMerge.JSONB_MAX_PER_KEY,
                true,
                VariantRow::coordinatesJson),
            new Column<>(
                "aliases",
                SqlType.JSONB,
                ColumnMerge.JSONB_SET_UNION,
                true,
                VariantRow::aliasesJson),
            new Column<>(
                "evidence",
                SqlType.JSONB,
                ColumnMerge.JSONB_MAX_PER_KEY,
                true,
                VariantRow::evidenceJson)),
        List.of(
            new IndexDef(
                t + "_named_uq",
                "(canonical_name, haplogroup) NULLS NOT DISTINCT WHERE canonical_name IS NOT NULL",
                true,
                true),
            new IndexDef(t + "_coordinates_gin", "USING gin (coordinates)", false, true),
            new IndexDef(t + "_aliases_gin", "USING gin (aliases)", false, true)));
  }

  /** The assembly the dump's coordinates are on. */
  @Override
  public Set<String> sourceSettings() {
    return Set.of("assembly");
  }

  /** The assembly under its canonical name, GRCh38 (the current YBrowse dump) when not given. */
  @Override
  public Map<String, String> checkSettings(Map<String, String> given) {
    String name = given.getOrDefault("assembly", "GRCh38");
    String canonical =
        Assemblies.canonical(name)
            .orElseThrow(
                () ->
                    new SettingException(
                        "assembly", name, "not a known assembly; known: " + Assemblies.KNOWN));
    return Map.of("assembly", canonical);
  }
}
