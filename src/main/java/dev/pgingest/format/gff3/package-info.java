/**
 * The GFF3 codec ({@link Gff3Codec}): feature lines of a GFF3 file as {@link Gff3Record}s.
 *
 * <p>What is read and what is skipped:
 *
 * <ul>
 *   <li>Empty and whitespace-only lines, {@code #} comments and {@code ##} directives (including
 *       the {@code ###} flush marker) produce nothing.
 *   <li>{@code ##FASTA}, or a line starting with {@code >} (the spec forbids seqids that start with
 *       an unescaped {@code >}), ends the feature section: every later line is ignored.
 *   <li>A UTF-8 byte order mark before the first line is dropped.
 * </ul>
 *
 * <p>Choices where the spec leaves room, each made so that a bad line is rejected with a reason
 * rather than loaded with a silently different meaning:
 *
 * <ul>
 *   <li>Columns are split on tabs only. One trailing tab (an empty tenth column) is tolerated
 *       because some writers emit it; any other column count is rejected.
 *   <li>Columns 1 to 8 must not be empty (the spec uses {@code "."} for "undefined"). An empty
 *       column 9 is read like {@code "."}: no attributes.
 *   <li>Percent-escapes ({@code %XX}, either hex case) are decoded in columns 1, 2, 3 and 9, as the
 *       spec's escaping rules apply to every column; decoded bytes must form valid UTF-8. {@code +}
 *       is a literal plus, not a space.
 *   <li>Column 9 is split on raw {@code ;}, {@code =} and {@code ,} before decoding, so escaped
 *       separators ({@code %3B %3D %2C}) stay inside their value. A pair splits at its first {@code
 *       =}; empty pairs ({@code ;;}, a trailing {@code ;}) are skipped; {@code key=} yields one
 *       empty value. Spaces are kept literally, since the spec allows them in column 9.
 *   <li>A key repeated on a line appends its values to the first occurrence.
 *   <li>Score is kept as text; strand and phase accept only the spec's symbols.
 * </ul>
 *
 * <p>The hot path uses no regex, scans column 9 with the JDK's vectorised {@code indexOf}, and
 * shares repeated attribute keys between records. An instance keeps per-file state and is not
 * thread-safe, which matches the one-codec-per-file contract of {@link LineCodec}.
 */
package dev.pgingest.format.gff3;
