/**
 * GenBank and GenPept flat files (<a href="https://ftp.ncbi.nih.gov/genbank/gbrel.txt">NCBI GenBank
 * release notes</a>, section 3.4, and the <a
 * href="https://www.insdc.org/submitting-standards/feature-table/">INSDC feature table</a>) read as
 * a stream into {@link GenbankRecord}s, one per LOCUS to {@code //} entry.
 *
 * <p>The parts, in the order a line meets them: {@link GenbankCodec} tells which section a line
 * belongs to and gathers keyword fields with their continuation lines; per entry, an {@code
 * EntryBuilder} holds the {@code Locus}, a {@code HeaderBuilder} (with a {@code ReferenceBuilder}
 * and a {@code CommentBuilder}) for the keyword fields, a {@code FeatureBuilder} (with a {@code
 * QualifierBuilder}) for the feature table and a {@code SequenceDigest} for the ORIGIN lines, and
 * makes the record at {@code //}. A malformed entry is a {@code Malformed} thrown by whichever part
 * found it.
 *
 * <p>Memory stays constant whatever the entry's size: the sequence letters pass through a SHA-256,
 * a G+C+S counter and, when spooling, a gzip FASTA body file ({@code <spoolDir>/<uuid>-<n>.seq.gz},
 * 70 letters a line, no header, see {@code SequenceSpool}), and each feature is written to {@code
 * <spoolDir>/<uuid>-<n>.features} (see {@link FeatureSpool}) as soon as it is complete. Only the
 * header fields of one entry are held. Files are written only when a spool folder is given and
 * {@link dev.pgingest.format.DecodeSink#keeps} says the entry will be kept; a rejected entry's
 * files are deleted at once.
 *
 * <p>Choices where the format leaves room, each so a bad entry is rejected whole with the line at
 * fault rather than loaded with a different meaning:
 *
 * <ul>
 *   <li>A release header (an NCBI division file's first lines, {@code … Genetic Sequence Data
 *       Bank}) may precede the first LOCUS; its {@code Release N} number goes to every entry. Blank
 *       lines between entries are skipped; any other line outside an entry is rejected.
 *   <li>LOCUS fields are read by what they are, not by column, so the current and the older layouts
 *       both work. An {@code aa} entry's molecule type is {@code aa}.
 *   <li>An ORIGIN with no sequence lines counts as no sequence (old files write one for an entry
 *       whose letters were left out); a sequence with letters must have the LOCUS length.
 *   <li>Multi-line DEFINITION, SOURCE, ORGANISM and reference fields are joined with one space;
 *       COMMENT and DBSOURCE keep their lines ({@code \n}); CONTIG and locations are joined with
 *       nothing and must parse as a {@link Location}.
 *   <li>An ORGANISM continuation line belongs to the lineage once it holds {@code ;} or ends in
 *       {@code .}; until then it continues the organism name.
 *   <li>Quoted qualifier values are joined with one space, {@code /translation} with nothing;
 *       {@code ""} inside means {@code "}. Unknown keywords (PROJECT, SEGMENT, BASE COUNT, …) are
 *       ignored.
 * </ul>
 */
package dev.pgingest.format.genbank;
