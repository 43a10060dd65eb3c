package dev.pgingest.workload.ybrowse;

/**
 * The {@code variant_key} encoding of the two key kinds, in one unique text column so that one
 * upsert statement has one conflict target.
 *
 * <p>Named: {@code n␟name␟haplogroup} (empty haplogroup for null, so null haplogroups are not
 * distinct). Unnamed: {@code u␟assembly␟contig␟start␟anc␟der}. The unit separator (U+001F) cannot
 * be confused with anything YBrowse puts in a name.
 */
public final class VariantKeys {
  static final char SEP = '\u001f';

  private VariantKeys() {}

  public static String named(String name, String haplogroup) {
    return "n" + SEP + name + SEP + (haplogroup == null ? "" : haplogroup);
  }

  public static String unnamed(String assembly, String contig, long start, String anc, String der) {
    return "u"
        + SEP
        + assembly
        + SEP
        + contig
        + SEP
        + start
        + SEP
        + (anc == null ? "" : anc)
        + SEP
        + (der == null ? "" : der);
  }
}
