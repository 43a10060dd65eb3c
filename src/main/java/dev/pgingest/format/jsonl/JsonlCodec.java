package dev.pgingest.format.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes <a href="https://jsonlines.org/">JSON Lines</a>, one JSON object per line, into {@link
 * FieldRecord}s.
 *
 * <p>Each top-level key becomes a field whose value is text, so the mapping sees one shape for
 * every format:
 *
 * <ul>
 *   <li>a string is its content, unescaped;
 *   <li>a number or boolean is its text as written ({@code 12}, {@code 1.5e3}, {@code true}), so no
 *       precision is lost to a double on the way to a {@code numeric} column;
 *   <li>an object or array is its compact JSON text, numbers inside kept as written, for {@code
 *       jsonb} columns;
 *   <li>JSON null is {@code null}.
 * </ul>
 *
 * <p>The record's JSON is the line itself, trimmed, so a {@code jsonb} column of the whole record
 * keeps what the file said. Blank lines are skipped. A line that is not exactly one JSON object
 * (invalid JSON, another kind of value, trailing content) or repeats a key at any depth is
 * rejected: a repeated key has no agreed meaning (RFC 8259 section 4), and which one PostgreSQL's
 * {@code jsonb} keeps would differ from what the field took.
 */
public final class JsonlCodec implements LineCodec<FieldRecord> {

  /** Reasons quote at most this much of the parser's message. */
  private static final int MAX_MESSAGE = 120;

  /**
   * Parses and writes; thread-safe, so one serves all codecs. The source is left out of error
   * locations because the raw line is kept beside the reason anyway.
   */
  private static final JsonFactory JSON =
      new ObjectMapper()
          .getFactory()
          .rebuild()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  @Override
  public void line(String text, long lineNumber, DecodeSink<FieldRecord> out) {
    if (text.isBlank()) {
      return;
    }
    String line = text.trim();
    Map<String, String> fields = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        out.reject(lineNumber, "line is " + kind(first) + ", not an object", text);
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        fields.put(name, value(p, p.nextToken()));
      }
      if (p.nextToken() != null) {
        out.reject(
            lineNumber,
            "unexpected content after the object at column "
                + column(text, line, p.currentTokenLocation().getColumnNr()),
            text);
        return;
      }
    } catch (JsonProcessingException e) {
      out.reject(
          lineNumber,
          "invalid JSON at column "
              + column(text, line, e.getLocation().getColumnNr())
              + ": "
              + shorten(e.getOriginalMessage()),
          text);
      return;
    } catch (IOException e) {
      // The input is an in-memory string: no I/O can fail.
      throw new UncheckedIOException(e);
    }
    out.record(new FieldRecord(Collections.unmodifiableMap(fields), line), lineNumber);
  }

  /** The field value at {@code token}, as text; see the class comment. */
  private static String value(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case VALUE_NULL:
        return null;
      case START_OBJECT:
      case START_ARRAY:
        return compact(p);
      default:
        // Strings unescaped; numbers and booleans exactly as written in the line.
        return p.getText();
    }
  }

  /**
   * The object or array starting at the parser's current token as compact JSON. Copied token by
   * token, not through a tree, so numbers keep their written form ({@code 1.5e3}, not {@code
   * 1500.0}).
   */
  private static String compact(JsonParser p) throws IOException {
    StringWriter buffer = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      int depth = 0;
      JsonToken t = p.currentToken();
      while (true) {
        switch (t) {
          case START_OBJECT:
            g.writeStartObject();
            depth++;
            break;
          case START_ARRAY:
            g.writeStartArray();
            depth++;
            break;
          case END_OBJECT:
            g.writeEndObject();
            depth--;
            break;
          case END_ARRAY:
            g.writeEndArray();
            depth--;
            break;
          case FIELD_NAME:
            g.writeFieldName(p.currentName());
            break;
          case VALUE_STRING:
            g.writeString(p.getText());
            break;
          case VALUE_NUMBER_INT:
          case VALUE_NUMBER_FLOAT:
            g.writeNumber(p.getText());
            break;
          case VALUE_TRUE:
          case VALUE_FALSE:
            g.writeBoolean(t == JsonToken.VALUE_TRUE);
            break;
          case VALUE_NULL:
            g.writeNull();
            break;
          default:
            throw new IllegalStateException("unexpected token " + t);
        }
        if (depth == 0) {
          break;
        }
        t = p.nextToken();
      }
    }
    return buffer.toString();
  }

  /** A column of the trimmed {@code line} as a column of the {@code text} the file holds. */
  private static int column(String text, String line, int column) {
    return column + text.indexOf(line);
  }

  /** What a line holds instead of an object, for the reject reason. */
  private static String kind(JsonToken token) {
    if (token == null) {
      return "empty";
    }
    switch (token) {
      case START_ARRAY:
        return "a JSON array";
      case VALUE_STRING:
        return "a JSON string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a JSON number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a JSON boolean";
      case VALUE_NULL:
        return "JSON null";
      default:
        return "not JSON";
    }
  }

  /** The parser's message up to its first line break, shortened to fit a reject reason. */
  private static String shorten(String message) {
    String first = message == null ? "unreadable" : message.lines().findFirst().orElse("");
    return first.length() <= MAX_MESSAGE ? first : first.substring(0, MAX_MESSAGE) + "…";
  }

  /**
   * Whether a file's first bytes look like JSON lines this source maps: the first non-blank
   * character opens an object, whose line has every key of {@code required} and, when {@code
   * mapped} is not empty, at least one of it (a dotted field by its first key).
   */
  public static boolean recognizes(
      byte[] head, Collection<String> required, Collection<String> mapped) {
    if (!Sniff.startsWithObject(head)) {
      return false;
    }
    return required.stream().allMatch(f -> Sniff.jsonHasKey(head, topKey(f)))
        && (mapped.isEmpty() || mapped.stream().anyMatch(f -> Sniff.jsonHasKey(head, topKey(f))));
  }

  private static String topKey(String field) {
    int dot = field.indexOf('.');
    return dot > 0 ? field.substring(0, dot) : field;
  }
}
