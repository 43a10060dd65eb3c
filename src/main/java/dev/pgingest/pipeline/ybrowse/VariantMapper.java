package dev.pgingest.pipeline.ybrowse;

import dev.pgingest.format.gff3.Gff3Record;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a YBrowse GFF3 feature into a {@link VariantRow}: names, haplogroup, coordinates of the
 * spec's assembly, evidence; placeholder values ({@code .}, {@code TBD}, {@code n/a} …) dropped.
 */
public final class VariantMapper implements Serializable {

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
        informative(f.type()),
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
