package dev.pgingest.workload.shop.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.jsonl.JsonlCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recommender's bundle recommendations, one JSON object per line (parsed by {@link
 * JsonlCodec}): arrays and objects are kept as JSON text, numbers as written; a line without an
 * {@code id}, or whose handles, variant ids or scores are not an array (object), is rejected with
 * the reason.
 */
final class BundleLines {

  /** Compacts bundle lines; thread-safe, so one serves all readers. */
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonlCodec jsonl = new JsonlCodec();

  /** The sink and line of the call under way. */
  private DecodeSink<ShopRow> out;

  private String currentLine;

  private final DecodeSink<FieldRecord> lines =
      new DecodeSink<>() {
        @Override
        public void record(FieldRecord value, long lineNumber) {
          bundle(value, lineNumber);
        }

        @Override
        public void reject(long lineNumber, String reason, String raw) {
          out.reject(lineNumber, reason, raw);
        }
      };

  void line(String line, long lineNumber, DecodeSink<ShopRow> out) {
    this.out = out;
    currentLine = line;
    try {
      jsonl.line(line, lineNumber, lines);
    } finally {
      this.out = null;
      currentLine = null;
    }
  }

  /** One bundle line, already checked by the JSONL codec to be one JSON object. */
  private void bundle(FieldRecord fields, long lineNumber) {
    Map<String, JsonToken> kinds = new HashMap<>();
    String record = compact(fields.json(), kinds);
    JsonToken id = kinds.get("id");
    if (id == null || id == JsonToken.VALUE_NULL || fields.get("id").isEmpty()) {
      out.reject(lineNumber, "bundle without an id", currentLine);
      return;
    }
    if (id != JsonToken.VALUE_STRING
        && id != JsonToken.VALUE_NUMBER_INT
        && id != JsonToken.VALUE_NUMBER_FLOAT) {
      out.reject(
          lineNumber, "id is " + kind(id) + "; a bundle id is a string or a number", currentLine);
      return;
    }
    String handles = either(fields, "handles", "product_handles");
    String variantKeys = either(fields, "variant_ids", "variant_keys");
    String problem = shape(kinds, handles, JsonToken.START_ARRAY, "an array");
    if (problem == null) {
      problem = shape(kinds, variantKeys, JsonToken.START_ARRAY, "an array");
    }
    if (problem == null && fields.get("scores") != null) {
      problem = shape(kinds, "scores", JsonToken.START_OBJECT, "an object");
    }
    if (problem != null) {
      out.reject(lineNumber, problem, currentLine);
      return;
    }
    Map<String, String> head = new LinkedHashMap<>();
    head.put("bundle_id", fields.get("id"));
    head.put("upload", fields.get("upload"));
    head.put("rank", fields.get("rank"));
    head.put("handles", handles == null ? null : fields.get(handles));
    head.put("variant_keys", variantKeys == null ? null : fields.get(variantKeys));
    head.put("score", fields.get("score"));
    head.put("scores", fields.get("scores"));
    head.put("record", record);
    out.record(
        new ShopRow(
            ShopExport.BUNDLES,
            Collections.unmodifiableMap(head),
            null,
            null,
            null,
            Map.of(),
            true),
        lineNumber);
  }

  /** Which of two names for one field the line gives (the first if both), or null if neither. */
  private static String either(FieldRecord fields, String name, String otherName) {
    return fields.get(name) != null ? name : fields.get(otherName) != null ? otherName : null;
  }

  /** Why the value of {@code field} is not of the {@code expected} kind, or null when it is. */
  private static String shape(
      Map<String, JsonToken> kinds, String field, JsonToken expected, String what) {
    if (field == null || kinds.get(field) == expected) {
      return null;
    }
    return field + " is " + kind(kinds.get(field)) + ", not " + what;
  }

  private static String kind(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a JSON object";
      case START_ARRAY -> "a JSON array";
      case VALUE_STRING -> "a JSON string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
      case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
      default -> "JSON null";
    };
  }

  /**
   * The object {@code json} as compact JSON, and the kind of each top-level value into {@code
   * kinds}. Copied token by token so that numbers keep their written form ({@code 1.50} is not
   * {@code 1.5}).
   */
  private static String compact(String json, Map<String, JsonToken> kinds) {
    StringWriter buffer = new StringWriter();
    try (JsonParser p = JSON.createParser(json);
        JsonGenerator g = JSON.createGenerator(buffer)) {
      int depth = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (depth == 1 && t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
          kinds.put(p.currentName(), t);
        }
        switch (t) {
          case START_OBJECT -> {
            g.writeStartObject();
            depth++;
          }
          case START_ARRAY -> {
            g.writeStartArray();
            depth++;
          }
          case END_OBJECT -> {
            g.writeEndObject();
            depth--;
          }
          case END_ARRAY -> {
            g.writeEndArray();
            depth--;
          }
          case FIELD_NAME -> g.writeFieldName(p.currentName());
          case VALUE_STRING -> g.writeString(p.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
          case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
          case VALUE_NULL -> g.writeNull();
          default -> throw new IllegalStateException("unexpected token " + t);
        }
      }
    } catch (IOException e) {
      // The JSONL codec has parsed this very text, and the generator writes to memory.
      throw new UncheckedIOException(e);
    }
    return buffer.toString();
  }
}
