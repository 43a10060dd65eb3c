package dev.pgingest.workload.laps.liverc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code name[key] = {…}} assignments in script text and reads their object literals.
 *
 * <p>Jackson reads the literal, set up for JavaScript as pages write it (single quotes, bare keys,
 * trailing commas, comments), and stops after it, so the scan goes on from there; nothing is
 * matched by a regex over the whole script, whose literals may nest or be cut short. Scalars are
 * kept as written text, numbers included, so nothing is lost to a double.
 */
final class JsLiteral {

  /** Reasons quote at most this much of the parser's message. */
  private static final int MAX_MESSAGE = 120;

  /** Thread-safe, so one serves all codecs; the source is left out of messages, they say where. */
  private static final JsonFactory JS =
      JsonFactory.builder()
          .enable(
              JsonReadFeature.ALLOW_SINGLE_QUOTES,
              JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
              JsonReadFeature.ALLOW_TRAILING_COMMA,
              JsonReadFeature.ALLOW_JAVA_COMMENTS,
              JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
              JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
              JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
              JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  private JsLiteral() {}

  /**
   * An assignment {@code name[key] =} found in a script.
   *
   * @param key the text between the brackets, unquoted
   * @param valueStart where the assigned value starts (after blanks)
   */
  record Assignment(String key, int valueStart) {}

  /**
   * An object literal read from a script.
   *
   * @param value its keys in order; values are text, {@link List}, {@link Map} or null
   * @param end the offset just after its closing brace
   */
  record Read(Map<String, Object> value, int end) {}

  /**
   * A literal that could not be read: what is wrong, where in the script ({@code offset}, the
   * script's length when it ended too soon) and the parser's detail, or null.
   */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    final int offset;
    final String detail;

    Malformed(String reason, int offset, String detail) {
      super(reason, null, false, false);
      this.offset = offset;
      this.detail = detail;
    }
  }

  /**
   * The next assignment of an object literal to {@code name[key]} in {@code js} from {@code from},
   * or null when there is none. Reads ({@code name[key].x}, {@code ==}), assignments of anything
   * else ({@code name[key] = name[key] || …}) and longer names ({@code myname[…]}) are passed over;
   * one the script ends after is returned, for {@link #object} to report.
   *
   * @throws Malformed when the script ends inside the brackets, as a cut-short page does
   */
  static Assignment nextAssignment(String js, String name, int from) throws Malformed {
    for (int at = js.indexOf(name, from); at >= 0; at = js.indexOf(name, at + 1)) {
      if (at > 0 && Character.isJavaIdentifierPart(js.charAt(at - 1))) {
        continue;
      }
      int open = skipBlanks(js, at + name.length());
      if (open >= js.length() || js.charAt(open) != '[') {
        continue;
      }
      int close = js.indexOf(']', open);
      if (close < 0) {
        throw new Malformed("the script ends inside " + name + "[", js.length(), null);
      }
      int eq = skipBlanks(js, close + 1);
      if (eq >= js.length() || js.charAt(eq) != '=' || js.startsWith("==", eq)) {
        continue;
      }
      int value = skipBlanks(js, eq + 1);
      if (value < js.length() && js.charAt(value) != '{') {
        continue;
      }
      return new Assignment(unquote(js.substring(open + 1, close).trim()), value);
    }
    return null;
  }

  /** Reads the one object literal starting at {@code from} (after blanks). */
  static Read object(String js, int from) throws Malformed {
    int start = skipBlanks(js, from);
    if (start >= js.length()) {
      throw new Malformed("the object literal ends before its closing brace", start, null);
    }
    if (js.charAt(start) != '{') {
      throw new Malformed("the value is not an object literal", start, null);
    }
    try (StringReader in = new StringReader(js)) {
      in.skip(start);
      try (JsonParser p = JS.createParser(in)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) value(p, p.nextToken());
        return new Read(value, start + (int) p.currentLocation().getCharOffset());
      }
    } catch (JsonEOFException e) {
      throw new Malformed("the object literal ends before its closing brace", js.length(), null);
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage();
      throw new Malformed(
          "invalid object literal",
          start + (int) e.getLocation().getCharOffset(),
          message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message);
    } catch (IOException e) {
      // The input is an in-memory string: no I/O can fail.
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          object.put(key, value(p, p.nextToken()));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          array.add(value(p, t));
        }
        return array;
      case VALUE_NULL:
        return null;
      default:
        // Strings unescaped; numbers and booleans exactly as written.
        return p.getText();
    }
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String unquote(String key) {
    boolean quoted =
        key.length() >= 2
            && (key.charAt(0) == '\'' || key.charAt(0) == '"')
            && key.charAt(key.length() - 1) == key.charAt(0);
    return quoted ? key.substring(1, key.length() - 1) : key;
  }
}
