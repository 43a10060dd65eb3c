package dev.pgingest.workload.ybrowse;

import dev.pgingest.format.gff3.Gff3Record;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a YBrowse GFF3 feature into a {@link VariantRow}: names, haplogroup, coordinates of the
 * spec's assembly, evidence; placeholder values ({@code .}, {@code TBD}, {@code n/a} …) dropped.
 *
 * <p>Features that are not Y-chromosome variants are rejected, so that an ordinary annotation file
 * (genes, exons, CDS) given by mistake fails the run on its reject budget instead of loading
 * thousands of bogus variants. A feature is a variant when all of these hold:
 *
 * <ul>
 *   <li>its type is one YBrowse uses ({@code snp}, {@code indel}) or a Sequence Ontology term for a
 *       small variant ({@link #VARIANT_TYPES}), in any case; a placeholder type ({@code .}) is let
 *       through, since the other checks still identify a variant and typed records win merges;
 *   <li>its seqid names the Y chromosome ({@link #Y_CONTIGS}): UCSC and Ensembl names, or the
 *       RefSeq or GenBank accession of chrY in GRCh37, GRCh38 or T2T-CHM13v2.0, any version;
 *   <li>it carries {@code allele_anc} or {@code allele_der} (even as a placeholder): YBrowse writes
 *       both on every variant, annotation files never do.
 * </ul>
 */
public final class VariantMapper implements Serializable {

  /** Feature types accepted as variants, in any case; YBrowse's own first, then SO terms. */
  static final List<String> VARIANT_TYPES =
      List.of("snp", "indel", "SNV", "MNP", "insertion", "deletion", "substitution", "delins");

  private static final Set<String> VARIANT_TYPES_LOWER =
      Set.copyOf(VARIANT_TYPES.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());

  /**
   * Names of the Y chromosome: chrY / Y, RefSeq NC_000024 (GRCh37, GRCh38) and NC_060948
   * (T2T-CHM13v2.0), GenBank CM000686 (GRCh37, GRCh38) and CP086569 (T2T-CHM13v2.0).
   */
  static final Pattern Y_CONTIGS =
      Pattern.compile("(?i:chrY|Y)|(?:NC_000024|NC_060948|CM000686|CP086569)(?:\\.\\d+)?");

  private static final String TYPES_TEXT = String.join(", ", VARIANT_TYPES);

  /** Values that YBrowse uses to say "nothing here"; compared case-insensitively. */
  static final Set<String> PLACEHOLDERS = Set.of(".", "", "tbd", "not listed", "none", "n/a", "na");

  /** Attributes that become columns or names rather than evidence. */
  private static final Set<String> STRUCTURAL =
      Set.of("ID", "Name", "Alias", "allele_anc", "allele_der");

  private final String assembly;

  public VariantMapper(String assembly) {
    this.assembly = assembly;
  }

  /** The row for a feature, or throws {@link IllegalArgumentException} with a reject reason. */
  public VariantRow map(Gff3Record f) {
    String type = informative(f.type());
    if (type != null && !VARIANT_TYPES_LOWER.contains(type.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "feature type '" + type + "' is not a Y-SNP or indel (expected " + TYPES_TEXT + ")");
    }
    if (!Y_CONTIGS.matcher(f.seqid()).matches()) {
      throw new IllegalArgumentException(
          "seqid '"
              + f.seqid()
              + "' is not the Y chromosome (expected chrY, Y, NC_000024, CM000686, CP086569 or"
              + " NC_060948)");
    }
    if (f.first("allele_anc") == null && f.first("allele_der") == null) {
      throw new IllegalArgumentException(
          "no allele_anc/allele_der attributes: not a YBrowse variant record");
    }
    if (f.start() < 1) {
      throw new IllegalArgumentException("start " + f.start() + " is not a 1-based position");
    }
    TreeSet<String> names = new TreeSet<>();
    String name = informative(f.first("Name"));
    String id = informative(f.first("ID"));
    addNames(names, f.all("Name"));
    addNames(names, f.all("ID"));
    addNames(names, f.all("Alias"));
    String canonical = name != null ? name : id;
    String haplogroup = informative(f.first("isogg_haplogroup"));
    if (haplogroup == null) {
      haplogroup = informative(f.first("ycc_haplogroup"));
    }
    String anc = informative(f.first("allele_anc"));
    String der = informative(f.first("allele_der"));
    TreeMap<String, String> evidence = new TreeMap<>();
    for (Map.Entry<String, List<String>> a : f.attributes().entrySet()) {
      if (STRUCTURAL.contains(a.getKey())) {
        continue;
      }
      List<String> values = new ArrayList<>(a.getValue().size());
      for (String v : a.getValue()) {
        String inf = informative(v);
        if (inf != null) {
          values.add(inf);
        }
      }
      if (!values.isEmpty()) {
        evidence.put(a.getKey(), String.join(",", values));
      }
    }
    for (String part : new String[] {canonical, haplogroup, anc, der, f.seqid()}) {
      if (part != null && part.indexOf(VariantKeys.SEP) >= 0) {
        throw new IllegalArgumentException(
            "control character U+001F in a name, haplogroup or allele: it separates key parts");
      }
    }
    String key =
        canonical != null
            ? VariantKeys.named(canonical, haplogroup)
            : VariantKeys.unnamed(assembly, f.seqid(), f.start(), anc, der);
    return new VariantRow(
        key,
        canonical,
        haplogroup,
        type,
        assembly,
        f.seqid(),
        f.start(),
        f.end(),
        anc,
        der,
        names.toArray(String[]::new),
        VariantRow.flatten(evidence));
  }

  private static void addNames(TreeSet<String> names, List<String> values) {
    for (String v : values) {
      String n = informative(v);
      if (n != null) {
        names.add(n);
      }
    }
  }

  /** The value trimmed, or null when it is absent or a placeholder. */
  static String informative(String v) {
    if (v == null) {
      return null;
    }
    String t = v.trim();
    return PLACEHOLDERS.contains(t.toLowerCase(Locale.ROOT)) ? null : t;
  }
}
