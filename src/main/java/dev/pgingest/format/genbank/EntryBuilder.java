package dev.pgingest.format.genbank;

/**
 * Builds one entry, LOCUS to {@code //}: the codec hands its header fields to a {@link
 * HeaderBuilder}, its feature table to a {@link FeatureBuilder} and its sequence to a {@link
 * SequenceDigest}, then asks for the {@link GenbankRecord}. A new one per entry, so nothing of a
 * rejected entry is left for the next.
 */
final class EntryBuilder {

  private final Locus locus;
  private final long locusLine;
  private final String locusRaw;

  /** The entry's spool files, or null when it is not spooled. */
  private final SpoolFolder.Entry spool;

  private final HeaderBuilder header = new HeaderBuilder();
  private final FeatureBuilder features;
  private final SequenceDigest sequence;

  /**
   * {@code spool} is null when the entry is not spooled; {@code qualifierValue} is the codec's
   * buffer for qualifier values (see {@link FeatureBuilder}).
   */
  EntryBuilder(
      Locus locus,
      long locusLine,
      String locusRaw,
      SpoolFolder.Entry spool,
      StringBuilder qualifierValue) {
    this.locus = locus;
    this.locusLine = locusLine;
    this.locusRaw = locusRaw;
    this.spool = spool;
    this.features =
        new FeatureBuilder(spool == null ? feature -> {} : spool.features()::write, qualifierValue);
    this.sequence = new SequenceDigest(spool == null ? null : spool.sequence());
  }

  long locusLine() {
    return locusLine;
  }

  String locusRaw() {
    return locusRaw;
  }

  HeaderBuilder header() {
    return header;
  }

  FeatureBuilder features() {
    return features;
  }

  SequenceDigest sequence() {
    return sequence;
  }

  /**
   * The record, once the {@code //} at {@code lineNumber} came; a sequence with letters must have
   * the LOCUS length. Closes the spool files.
   */
  GenbankRecord build(String release, String contentSha256, long lineNumber) throws Malformed {
    SequenceDigest.Summary letters = sequence.summary();
    if (letters.letters() > 0 && letters.letters() != locus.length()) {
      throw new Malformed(
          lineNumber,
          "the sequence has "
              + letters.letters()
              + " letters but LOCUS (line "
              + locusLine
              + ") says "
              + locus.length()
              + " "
              + locus.unit());
    }
    if (spool != null) {
      spool.close();
    }
    Header h = header.build();
    return new GenbankRecord(
        locus.name(),
        locus.length(),
        locus.unit(),
        locus.moleculeType(),
        locus.topology(),
        locus.division(),
        locus.date(),
        h.definition(),
        h.accessions(),
        h.version(),
        h.gi(),
        h.keywords(),
        h.dblink(),
        h.source(),
        h.organism(),
        h.taxonomy(),
        h.references(),
        h.comment(),
        h.structuredComments(),
        h.dbsource(),
        h.contig(),
        release,
        letters.letters(),
        letters.sha256(),
        letters.gcCount(),
        spool == null ? null : spool.sequencePath(),
        features.count(),
        spool == null ? null : spool.featurePath(),
        contentSha256);
  }

  /** Deletes the spool files of the entry, which is rejected. */
  void drop() {
    if (spool != null) {
      spool.delete();
    }
  }
}
