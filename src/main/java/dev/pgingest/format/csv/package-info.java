/**
 * The CSV codec ({@link CsvCodec}) and the row reader other codecs build on ({@link CsvRows}).
 *
 * <p>Choices, each made so that a bad record is rejected with a reason rather than loaded with a
 * silently different meaning:
 *
 * <ul>
 *   <li>With a header, its names are trimmed and fields are matched to them by position in the
 *       file, so the mapping can refer to columns by name in any order; a record with more or fewer
 *       fields than the header names is rejected. A header with an empty or repeated name is
 *       rejected, and then so is every record, as no field can be trusted to its name.
 *   <li>Without a header, fields are named {@code "1"}, {@code "2"}, … by position, in any number.
 *   <li>Values are kept as given: no trimming, and an empty field is {@code ""}; null tokens are
 *       the mapping's business.
 *   <li>Blank lines between records are skipped; inside a quoted field they are content.
 *   <li>A record still open after {@value CsvCodec#MAX_RECORD_LINES} lines or {@value
 *       CsvCodec#MAX_RECORD_CHARS} characters is rejected whole and reading resumes on the next
 *       line, so that one unbalanced quote cannot hold the rest of a large file in memory. One
 *       still open at the end of the file is rejected at the line it started on.
 *   <li>A carriage return outside quotes, which the parser would take for a record break, is
 *       rejected rather than splitting the record in two.
 * </ul>
 *
 * <p>The parser's reader and schema and one JSON generator are built once per codec, and the quote
 * scan is skipped for the common line with no quote character. An instance keeps per-file state and
 * is not thread-safe, which matches the one-codec-per-file contract of {@link LineCodec}.
 */
package dev.pgingest.format.csv;
