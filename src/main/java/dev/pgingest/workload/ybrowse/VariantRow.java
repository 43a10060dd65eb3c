package dev.pgingest.workload.ybrowse;

import dev.pgingest.json.Json;
import dev.pgingest.sink.JsonOrder;
import dev.pgingest.sink.UpsertRow;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One row of the {@code variant} table as built from one or more GFF3 records of the same key.
 *
 * <p>Flat fields and string arrays only, so Flink serializes it without Kryo between the parser and
 * the dedup operator. Coordinates hold one assembly: a run loads one dump of one assembly, and the
 * upsert adds it to the assemblies already in the table.
 *
 * @param key the dedup and conflict key, see {@link VariantKeys}
 * @param canonicalName the variant's name, null for unnamed variants
 * @param haplogroup ISOGG haplogroup, else YCC, null when neither is informative
 * @param variantType the GFF3 type column, e.g. {@code snp}
 * @param assembly assembly the coordinates belong to, e.g. {@code GRCh38}
 * @param contig sequence id, e.g. {@code chrY}
 * @param start 1-based start
 * @param end 1-based inclusive end
 * @param anc ancestral allele or null
 * @param der derived allele or null
 * @param aliases every distinct name, sorted
 * @param evidence informative attributes as sorted key/value pairs: {@code [k0, v0, k1, v1, …]}
 */
public record VariantRow(
    String key,
    String canonicalName,
    String haplogroup,
    String variantType,
    String assembly,
    String contig,
    long start,
    long end,
    String anc,
    String der,
    String[] aliases,
    String[] evidence)
    implements UpsertRow<VariantRow> {

  /**
   * Merges as the upsert SQL does ({@link dev.pgingest.sink.ColumnMerge}): alias union; per
   * evidence attribute and for the coordinates of the assembly the greater value by {@link
   * JsonOrder}; the greater variant type. Commutative and idempotent, so arrival order never
   * matters.
   */
  @Override
  public VariantRow merge(VariantRow other) {
    TreeSet<String> names = new TreeSet<>(Arrays.asList(aliases));
    names.addAll(Arrays.asList(other.aliases));
    TreeMap<String, String> ev = evidenceMap();
    other
        .evidenceMap()
        .forEach(
            (k, v) ->
                ev.merge(
                    k,
                    v,
                    (mine, theirs) ->
                        JsonOrder.VALUES.compare(
                                    evidenceValueJson(k, mine), evidenceValueJson(k, theirs))
                                >= 0
                            ? mine
                            : theirs));
    // One run loads one assembly; across assemblies the greater name stands in, to stay
    // commutative.
    int byCoords =
        assembly.equals(other.assembly)
            ? JsonOrder.VALUES.compare(coordinateJson(), other.coordinateJson())
            : assembly.compareTo(other.assembly);
    VariantRow coords = byCoords >= 0 ? this : other;
    String type =
        variantType == null
            ? other.variantType
            : other.variantType == null || variantType.compareTo(other.variantType) >= 0
                ? variantType
                : other.variantType;
    return new VariantRow(
        key,
        canonicalName,
        haplogroup,
        type,
        coords.assembly,
        coords.contig,
        coords.start,
        coords.end,
        coords.anc,
        coords.der,
        names.toArray(String[]::new),
        flatten(ev));
  }

  /** Evidence as a sorted map. */
  public TreeMap<String, String> evidenceMap() {
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i + 1 < evidence.length; i += 2) {
      m.put(evidence[i], evidence[i + 1]);
    }
    return m;
  }

  static String[] flatten(TreeMap<String, String> m) {
    String[] out = new String[m.size() * 2];
    int i = 0;
    for (var e : m.entrySet()) {
      out[i++] = e.getKey();
      out[i++] = e.getValue();
    }
    return out;
  }

  /** {@code {"GRCh38": {"anc": …, "der": …, "end": …, "start": …, "contig": …}}}. */
  public String coordinatesJson() {
    StringBuilder sb = new StringBuilder(112).append('{');
    return Json.string(sb, assembly).append(": ").append(coordinateJson()).append('}').toString();
  }

  /**
   * The coordinates of the one assembly exactly as PostgreSQL prints the jsonb object (keys by
   * length, then bytes; ", " and ": "), since merges compare that text.
   */
  String coordinateJson() {
    StringBuilder sb = new StringBuilder(96).append("{\"anc\": ");
    nullableString(sb, anc).append(", \"der\": ");
    nullableString(sb, der).append(", \"end\": ").append(end);
    sb.append(", \"start\": ").append(start).append(", \"contig\": ");
    return Json.string(sb, contig).append('}').toString();
  }

  /** {@code ["M269", "S21"]}. */
  public String aliasesJson() {
    StringBuilder sb = new StringBuilder().append('[');
    for (int i = 0; i < aliases.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      Json.string(sb, aliases[i]);
    }
    return sb.append(']').toString();
  }

  /** Evidence as a JSON object; {@code count_*} values that are whole numbers become numbers. */
  public String evidenceJson() {
    StringBuilder sb = new StringBuilder().append('{');
    for (int i = 0; i + 1 < evidence.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      Json.string(sb, evidence[i])
          .append(':')
          .append(evidenceValueJson(evidence[i], evidence[i + 1]));
    }
    return sb.append('}').toString();
  }

  /** One evidence value as JSON: {@code count_*} whole numbers as numbers, the rest as strings. */
  static String evidenceValueJson(String key, String value) {
    if (key.startsWith("count_") && isWholeNumber(value)) {
      return Long.toString(Long.parseLong(value));
    }
    return Json.quote(value);
  }

  private static boolean isWholeNumber(String v) {
    int from = v.startsWith("-") ? 1 : 0;
    return v.length() > from && v.length() <= 18 && isDigits(v, from);
  }

  private static boolean isDigits(String v, int from) {
    for (int i = from; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static StringBuilder nullableString(StringBuilder sb, String s) {
    return s == null ? sb.append("null") : Json.string(sb, s);
  }

  /** Content equality, arrays compared by value: an exact repeat is equal to its original. */
  @Override
  public boolean equals(Object o) {
    return o instanceof VariantRow v
        && key.equals(v.key)
        && Objects.equals(canonicalName, v.canonicalName)
        && Objects.equals(haplogroup, v.haplogroup)
        && Objects.equals(variantType, v.variantType)
        && assembly.equals(v.assembly)
        && contig.equals(v.contig)
        && start == v.start
        && end == v.end
        && Objects.equals(anc, v.anc)
        && Objects.equals(der, v.der)
        && Arrays.equals(aliases, v.aliases)
        && Arrays.equals(evidence, v.evidence);
  }

  @Override
  public long fingerprint() {
    long h = 0xcbf29ce484222325L;
    h = mix(h, key);
    h = mix(h, canonicalName);
    h = mix(h, haplogroup);
    h = mix(h, variantType);
    h = mix(h, assembly);
    h = mix(h, contig);
    h = mix(h, Long.toString(start));
    h = mix(h, Long.toString(end));
    h = mix(h, anc);
    h = mix(h, der);
    for (String a : aliases) {
      h = mix(h, a);
    }
    h = mix(h, "\u0001");
    for (String e : evidence) {
      h = mix(h, e);
    }
    return h;
  }

  /**
   * FNV-1a over the length, then the chars: the length prefix keeps field boundaries apart whatever
   * characters a value holds (a separator could appear inside a value).
   */
  private static long mix(long h, String s) {
    int n = s == null ? -1 : s.length();
    h ^= n;
    h *= 0x100000001b3L;
    for (int i = 0; i < n; i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  @Override
  public int hashCode() {
    int h =
        Objects.hash(
            key, canonicalName, haplogroup, variantType, assembly, contig, start, end, anc, der);
    return 31 * (31 * h + Arrays.hashCode(aliases)) + Arrays.hashCode(evidence);
  }

  @Override
  public String toString() {
    return "VariantRow["
        + key
        + ", "
        + coordinatesJson()
        + ", "
        + aliasesJson()
        + ", "
        + evidenceJson()
        + "]";
  }
}
