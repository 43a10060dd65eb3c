package dev.pgingest.format.csv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes CSV (<a href="https://www.rfc-editor.org/rfc/rfc4180">RFC 4180</a>) into {@link
 * FieldRecord}s, with a configurable delimiter and quote and an optional header row.
 *
 * <p>Fields are split by Jackson's CSV parser, not by this class. {@link LineCodec} hands over one
 * line at a time, but a quoted field may hold line breaks, so a record can span lines: this class
 * only follows whether a quoted field is still open at the end of a line (a scan of quotes at field
 * starts, so a stray quote inside an unquoted value such as {@code 5'10"} does not swallow the
 * following lines) and, while one is, gathers the lines joined with {@code \n}. The complete record
 * text then goes to the parser. A record is numbered by the line it starts on.
 *
 * <p>The rules it follows are in the package documentation.
 */
public final class CsvCodec implements LineCodec<FieldRecord> {

  /** Most lines one record may span before it is rejected. */
  static final int MAX_RECORD_LINES = 10_000;

  /** Most characters (1 MiB) one record may hold before it is rejected. */
  static final int MAX_RECORD_CHARS = 1 << 20;

  /** Characters of an over-long record kept in its reject: enough to recognise it. */
  private static final int RAW_KEEP = 4 << 10;

  /** Reasons quote at most this much of the parser's message. */
  private static final int MAX_MESSAGE = 120;

  /** Row readers are built from it; it is thread-safe once configured, so one serves all. */
  private static final CsvMapper CSV = new CsvMapper();

  /** Writes each record's JSON; thread-safe, so one serves all codecs. */
  private static final JsonFactory JSON = new JsonFactory();

  /** Where the quote scan is at the end of a line. */
  private enum QuoteState {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    QUOTE_IN_QUOTED
  }

  private final char delimiter;
  private final char quote;
  private final boolean header;

  /** Rows as string arrays, one per record text; built once, as building it is the costly part. */
  private final ObjectReader rowReader;

  /** The record being gathered while a quoted field is open across lines; empty otherwise. */
  private final StringBuilder pending = new StringBuilder();

  private long pendingStart;
  private int pendingLines;

  /** Set once the header row has been read, or at once when there is none. */
  private boolean headerDone;

  /** Field names: the header's, or "1", "2", … grown on demand without one. */
  private String[] names = new String[0];

  private SerializableString[] jsonNames = new SerializableString[0];

  /** Why the header cannot name fields, or null when it can. */
  private String headerProblem;

  /**
   * One generator for the whole file, writing into {@link #jsonText}; creating one per record costs
   * more than writing the record.
   */
  private final JsonGenerator jsonOut;

  private final TextBuffer jsonText = new TextBuffer();

  private final boolean withJson;

  /** Handed to {@link CsvRows}, which reads {@link #values} instead of a record's map. */
  static final FieldRecord POSITIONAL = new FieldRecord(Map.of(), null);

  private boolean positional;

  /** Values of the current record; reused so a record costs only its strings and map. */
  private final List<String> values = new ArrayList<>();

  /**
   * @param delimiter separates fields, e.g. {@code ','} or {@code ';'}
   * @param quote encloses fields holding the delimiter, the quote (doubled) or line breaks
   * @param header whether the first record names the fields
   */
  public CsvCodec(char delimiter, char quote, boolean header) {
    this(delimiter, quote, header, true);
  }

  /**
   * As {@link #CsvCodec(char, char, boolean)}; without {@code withJson} a record's JSON is not
   * built (nothing maps {@code $record}) and its {@link FieldRecord#json()} is null.
   */
  public CsvCodec(char delimiter, char quote, boolean header, boolean withJson) {
    if (delimiter == quote
        || delimiter == '\n'
        || delimiter == '\r'
        || quote == '\n'
        || quote == '\r') {
      throw new IllegalArgumentException(
          "delimiter '" + delimiter + "' and quote '" + quote + "' cannot separate fields");
    }
    this.delimiter = delimiter;
    this.quote = quote;
    this.header = header;
    this.headerDone = !header;
    this.withJson = withJson;
    CsvSchema schema =
        CsvSchema.emptySchema()
            .withColumnSeparator(delimiter)
            .withQuoteChar(quote)
            .withoutEscapeChar();
    this.rowReader = CSV.readerFor(String[].class).with(schema);
    try {
      this.jsonOut = JSON.createGenerator(jsonText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Each record's object is taken on its own, so no separator between root values.
    jsonOut.setRootValueSeparator(null);
  }

  @Override
  public void line(String text, long lineNumber, DecodeSink<FieldRecord> out) {
    if (pendingLines == 0) {
      if (text.isBlank()) {
        return;
      }
      // Fast path: a line without any quote character cannot open a quoted field.
      if (text.indexOf(quote) < 0 || scan(text, QuoteState.FIELD_START) != QuoteState.QUOTED) {
        decode(text, lineNumber, out);
        return;
      }
      pending.append(text);
      pendingStart = lineNumber;
      pendingLines = 1;
      return;
    }
    String overflow =
        pendingLines == MAX_RECORD_LINES
            ? "spans more than " + MAX_RECORD_LINES + " lines"
            : pending.length() + 1 + text.length() > MAX_RECORD_CHARS
                ? "holds more than 1 MiB of text"
                : null;
    if (overflow != null) {
      // The overflowing line belongs to the skipped record; the next line starts afresh.
      out.reject(
          pendingStart,
          "record with an open quoted field " + overflow + "; skipped",
          keep(pending));
      clearPending();
      return;
    }
    pending.append('\n').append(text);
    pendingLines++;
    if (scan(text, QuoteState.QUOTED) != QuoteState.QUOTED) {
      String record = pending.toString();
      long start = pendingStart;
      clearPending();
      decode(record, start, out);
    }
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<FieldRecord> out) {
    if (pendingLines > 0) {
      out.reject(pendingStart, "unterminated quoted field: the file ends inside it", keep(pending));
      clearPending();
    }
  }

  private void clearPending() {
    pending.setLength(0);
    pendingLines = 0;
  }

  /**
   * Follows quoting through {@code text} from {@code state}. Only a quote at the start of a field
   * opens a quoted field, as in RFC 4180 and in Jackson's parser, so both agree on where a record
   * ends.
   */
  private QuoteState scan(String text, QuoteState from) {
    QuoteState state = from;
    for (int i = 0, n = text.length(); i < n; i++) {
      char ch = text.charAt(i);
      switch (state) {
        case FIELD_START:
          state = ch == quote ? QuoteState.QUOTED : ch == delimiter ? state : QuoteState.UNQUOTED;
          break;
        case UNQUOTED:
          if (ch == delimiter) {
            state = QuoteState.FIELD_START;
          }
          break;
        case QUOTED:
          if (ch == quote) {
            state = QuoteState.QUOTE_IN_QUOTED;
          }
          break;
        case QUOTE_IN_QUOTED:
          // A second quote is an escaped quote; anything else closed the field.
          state =
              ch == quote
                  ? QuoteState.QUOTED
                  : ch == delimiter ? QuoteState.FIELD_START : QuoteState.UNQUOTED;
          break;
        default:
          throw new IllegalStateException(state.name());
      }
    }
    return state;
  }

  /** Decodes the complete text of a record that started on {@code lineNumber}. */
  private void decode(String text, long lineNumber, DecodeSink<FieldRecord> out) {
    String problem = split(text);
    if (!headerDone) {
      headerDone = true;
      headerProblem = problem != null ? problem : readHeader();
      if (headerProblem != null) {
        out.reject(lineNumber, "unusable header row: " + headerProblem, text);
      }
      return;
    }
    if (problem != null) {
      out.reject(lineNumber, problem, text);
      return;
    }
    if (headerProblem != null) {
      out.reject(lineNumber, "the header row is unusable: " + headerProblem, text);
      return;
    }
    int count = values.size();
    if (header && count != names.length) {
      out.reject(lineNumber, "has " + count + " fields, the header names " + names.length, text);
      return;
    }
    if (positional) {
      out.record(POSITIONAL, lineNumber);
      return;
    }
    if (count > names.length) {
      growPositionalNames(count);
    }
    Map<String, String> fields = new LinkedHashMap<>(count * 4 / 3 + 1);
    for (int i = 0; i < count; i++) {
      fields.put(names[i], values.get(i));
    }
    out.record(
        new FieldRecord(Collections.unmodifiableMap(fields), withJson ? toJson(count) : null),
        lineNumber);
  }

  /**
   * A codec for {@link CsvRows}: no header, no record maps or JSON; each record is handed on as
   * {@link #POSITIONAL} while {@link #values()} holds its fields.
   */
  static CsvCodec positional(char delimiter) {
    CsvCodec c = new CsvCodec(delimiter, '"', false, false);
    c.positional = true;
    return c;
  }

  /** The fields of the record being handed on (positional codecs), valid during the call. */
  List<String> values() {
    return values;
  }

  /** Parses one record's text into {@link #values}; returns why it cannot, or null. */
  private String split(String text) {
    values.clear();
    try (JsonParser p = rowReader.createParser(text)) {
      // Without schema columns Jackson exposes each row as an array of strings.
      JsonToken t = p.nextToken();
      if (t != JsonToken.START_ARRAY) {
        return "no fields";
      }
      while ((t = p.nextToken()) == JsonToken.VALUE_STRING) {
        values.add(p.getText());
      }
      if (t != JsonToken.END_ARRAY || p.nextToken() != null) {
        return "carriage return outside a quoted field";
      }
      return null;
    } catch (JsonProcessingException e) {
      return "invalid CSV: " + shorten(e.getOriginalMessage());
    } catch (IOException e) {
      // The input is an in-memory string: no I/O can fail.
      throw new UncheckedIOException(e);
    }
  }

  /** Takes the names from {@link #values}; returns why they cannot name fields, or null. */
  private String readHeader() {
    int count = values.size();
    String[] read = new String[count];
    Map<String, Integer> seen = new HashMap<>(count * 4 / 3 + 1);
    for (int i = 0; i < count; i++) {
      String name = values.get(i).trim();
      if (name.isEmpty()) {
        return "column " + (i + 1) + " has no name";
      }
      Integer earlier = seen.putIfAbsent(name, i + 1);
      if (earlier != null) {
        return "'" + name + "' names columns " + earlier + " and " + (i + 1);
      }
      read[i] = name;
    }
    names = read;
    jsonNames = serialized(read);
    return null;
  }

  private void growPositionalNames(int count) {
    int from = names.length;
    names = Arrays.copyOf(names, count);
    for (int i = from; i < count; i++) {
      names[i] = Integer.toString(i + 1);
    }
    jsonNames = serialized(names);
  }

  /** Field names pre-encoded once, so writing each record's JSON does not escape them again. */
  private static SerializableString[] serialized(String[] names) {
    SerializableString[] out = new SerializableString[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = new SerializedString(names[i]);
    }
    return out;
  }

  /** The first {@code count} values as a JSON object, keys in column order. */
  private String toJson(int count) {
    try {
      jsonOut.writeStartObject();
      for (int i = 0; i < count; i++) {
        jsonOut.writeFieldName(jsonNames[i]);
        jsonOut.writeString(values.get(i));
      }
      jsonOut.writeEndObject();
      jsonOut.flush();
    } catch (IOException e) {
      // The generator writes to memory: nothing can fail.
      throw new UncheckedIOException(e);
    }
    return jsonText.take();
  }

  private static String keep(CharSequence text) {
    return text.length() <= RAW_KEEP ? text.toString() : text.subSequence(0, RAW_KEEP) + "…";
  }

  /** The parser's message up to its first line break, shortened to fit a reject reason. */
  private static String shorten(String message) {
    String first = message == null ? "unreadable record" : message.lines().findFirst().orElse("");
    return first.length() <= MAX_MESSAGE ? first : first.substring(0, MAX_MESSAGE) + "…";
  }

  /** An unsynchronised in-memory writer whose text is taken and cleared once per record. */
  private static final class TextBuffer extends Writer {
    private final StringBuilder text = new StringBuilder(256);

    @Override
    public void write(char[] chars, int offset, int length) {
      text.append(chars, offset, length);
    }

    @Override
    public void write(String s, int offset, int length) {
      text.append(s, offset, offset + length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String take() {
      String taken = text.toString();
      text.setLength(0);
      return taken;
    }
  }

  /**
   * Whether a file's first bytes look like CSV this source maps: a header row, split at {@code
   * delimiter}, that names every field of {@code required} and, when {@code mapped} is not empty,
   * at least one of it (names trimmed, any case).
   */
  public static boolean recognizes(
      byte[] head,
      char delimiter,
      char quote,
      Collection<String> required,
      Collection<String> mapped) {
    List<String> header = Sniff.csvHeader(head, delimiter, quote);
    return Sniff.namesAll(header, required)
        && (mapped.isEmpty() || mapped.stream().anyMatch(m -> Sniff.namesAll(header, List.of(m))));
  }
}
