package dev.pgingest.format.gff3;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One GFF3 feature line, decoded as the <a
 * href="https://github.com/The-Sequence-Ontology/Specifications/blob/master/gff3.md">GFF3 1.26
 * spec</a> defines its nine columns.
 *
 * <p>Text columns hold percent-decoded values. The attribute map keeps the order in which keys
 * first appear on the line, and each value list keeps file order; both are unmodifiable.
 *
 * @param seqid column 1, the landmark (contig, chromosome) the coordinates refer to
 * @param source column 2, kept as given ({@code "."} included)
 * @param type column 3, a Sequence Ontology term or accession
 * @param start column 4, 1-based inclusive
 * @param end column 5, 1-based inclusive, never less than {@code start}
 * @param score column 6 as text, {@code null} when {@code "."}
 * @param strand column 7, one of {@code + - ?}, {@code null} when {@code "."}
 * @param phase column 8, one of {@code 0 1 2}, {@code null} when {@code "."}
 * @param attributes column 9, key to values (never empty lists); empty when the column is {@code
 *     "."}
 * @param line 1-based line number in the file
 */
public record Gff3Record(
    String seqid,
    String source,
    String type,
    long start,
    long end,
    String score,
    String strand,
    String phase,
    Map<String, List<String>> attributes,
    long line) {

  private static final Map<String, List<String>> NO_ATTRIBUTES = new Frozen(new LinkedHashMap<>());

  public Gff3Record {
    Objects.requireNonNull(seqid, "seqid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    if (start < 0 || start > end) {
      throw new IllegalArgumentException("need 0 <= start <= end, got " + start + ".." + end);
    }
    if (!(attributes instanceof Frozen)) {
      attributes = freeze(attributes);
    }
  }

  /** The first value of {@code key}, or {@code null} when the key is absent. */
  public String first(String key) {
    List<String> values = attributes.get(key);
    return values == null ? null : values.get(0);
  }

  /** All values of {@code key} in file order; an empty list when the key is absent. */
  public List<String> all(String key) {
    return attributes.getOrDefault(key, List.of());
  }

  /**
   * Takes a map without copying it, for the codec that just built it: the caller must hold no other
   * reference, and every value must already be an immutable non-empty list ({@code List.of} /
   * {@code List.copyOf}). This spares a second map per line on files of millions of lines.
   */
  static Map<String, List<String>> adopt(Map<String, List<String>> owned) {
    return owned.isEmpty() ? NO_ATTRIBUTES : new Frozen(owned);
  }

  /** Deep, order-preserving copy, so a record never shares mutable state with its caller. */
  private static Map<String, List<String>> freeze(Map<String, List<String>> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return NO_ATTRIBUTES;
    }
    Map<String, List<String>> copy = new LinkedHashMap<>(attributes.size() * 4 / 3 + 1);
    for (Map.Entry<String, List<String>> e : attributes.entrySet()) {
      // List.copyOf returns an already-immutable list as is, and rejects null elements.
      List<String> values = List.copyOf(e.getValue());
      if (values.isEmpty()) {
        // first() promises a value for every present key.
        throw new IllegalArgumentException("attribute '" + e.getKey() + "' has no values");
      }
      copy.put(Objects.requireNonNull(e.getKey(), "attribute key"), values);
    }
    return new Frozen(copy);
  }

  /**
   * An unmodifiable view over a map nobody else holds; its own type marks it as safe to share, so
   * the constructor can skip the copy.
   */
  private static final class Frozen extends AbstractMap<String, List<String>> {
    private final Map<String, List<String>> view;

    Frozen(Map<String, List<String>> owned) {
      this.view = Collections.unmodifiableMap(owned);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
      return view.entrySet();
    }

    @Override
    public Set<String> keySet() {
      return view.keySet();
    }

    @Override
    public int size() {
      return view.size();
    }

    @Override
    public boolean containsKey(Object key) {
      return view.containsKey(key);
    }

    @Override
    public List<String> get(Object key) {
      return view.get(key);
    }

    @Override
    public List<String> getOrDefault(Object key, List<String> defaultValue) {
      return view.getOrDefault(key, defaultValue);
    }
  }
}
