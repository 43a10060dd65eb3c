package dev.pgingest.format.genbank;

import java.io.Serializable;

/**
 * One piece of a {@link Location}: a range, a site between two bases, an old-style "one base
 * between" span, or a gap; {@code accession} is null for this record and names another entry for a
 * remote part.
 */
public record Part(
    String accession, Long start, Long end, Integer strand, String kind, Long gapLength)
    implements Serializable {

  /** {@code a..b} or a single base. */
  public static final String RANGE = "range";

  /** {@code a^b}: a site between two bases. */
  public static final String SITE = "site";

  /** {@code a.b}: one base somewhere in the span (an old form). */
  public static final String BETWEEN = "between";

  /** {@code gap()}, {@code gap(100)} or {@code gap(unk100)}, as on CONTIG lines. */
  public static final String GAP = "gap";

  /** Whether this part lies on the record itself, not elsewhere and not a gap. */
  public boolean local() {
    return accession == null && !GAP.equals(kind);
  }
}
