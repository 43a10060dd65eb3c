package dev.pgingest.format.genbank;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * One GenBank or GenPept entry, LOCUS to {@code //}, without its sequence and features, which
 * {@link GenbankCodec} streams to spool files ({@code sequenceSpool}, {@code featureSpool}).
 *
 * <p>{@code contentSha256} covers every line of the entry, so any change to annotation or sequence
 * changes it; {@code sequenceSha256} covers the sequence letters exactly as kept (case preserved).
 */
public record GenbankRecord(
    String locusName,
    long length,
    String unit,
    String moleculeType,
    String topology,
    String division,
    LocalDate date,
    String definition,
    List<String> accessions,
    String version,
    String gi,
    List<String> keywords,
    List<String> dblink,
    String source,
    String organism,
    List<String> taxonomy,
    List<Reference> references,
    String comment,
    Map<String, Map<String, String>> structuredComments,
    String dbsource,
    String contig,
    String release,
    long letters,
    String sequenceSha256,
    long gcCount,
    String sequenceSpool,
    int featureCount,
    String featureSpool,
    String contentSha256)
    implements Serializable {

  /** accession.version from VERSION, else the primary accession. */
  public String accessionVersion() {
    return version != null ? version : primaryAccession();
  }

  /** The first accession of ACCESSION, or null when there is none. */
  public String primaryAccession() {
    return accessions.isEmpty() ? null : accessions.get(0);
  }

  /** The accessions after the first one. */
  public List<String> secondaryAccessions() {
    return accessions.isEmpty() ? List.of() : accessions.subList(1, accessions.size());
  }

  /** (G+C+S)/letters, null for 0 letters or unit aa. */
  public Double gcContent() {
    if (letters == 0 || "aa".equals(unit)) {
      return null;
    }
    return (double) gcCount / letters;
  }
}
