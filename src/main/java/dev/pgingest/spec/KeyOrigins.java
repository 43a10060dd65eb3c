package dev.pgingest.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where each key of the spec came from (the file or a {@code --set} pair), and the errors that say
 * so: every message about a value names its key and where that key was written.
 *
 * @param root the document, after {@code --set}
 * @param origin where the file came from, as messages quote it
 * @param overridden dotted key to the {@code --set} pair that set it
 */
record KeyOrigins(ObjectNode root, String origin, Map<String, String> overridden) {

  /** The {@code --set} pair that set {@code key}, a key below it or a key above it, or null. */
  String override(String key) {
    String pair = overridden.get(key);
    if (pair != null) {
      return pair;
    }
    for (Map.Entry<String, String> o : overridden.entrySet()) {
      if (o.getKey().startsWith(key + ".") || key.startsWith(o.getKey() + ".")) {
        return o.getValue();
      }
    }
    return null;
  }

  /** "key 'K' in spec.yaml", or "--set K=V: key 'K'" when the command line set it. */
  String where(String key) {
    String pair = override(key);
    return pair != null ? pair + ": key '" + key + "'" : "key '" + key + "' in " + origin;
  }

  SpecException unknown(String key, Collection<String> known) {
    String pair = override(key);
    String list = "; known keys here: " + String.join(", ", new TreeSet<>(known));
    return new SpecException(
        pair != null
            ? pair + ": unknown key '" + key + "'" + list
            : "unknown key '" + key + "' in " + origin + list);
  }

  SpecException bad(String key, Object value, String expected) {
    return new SpecException(where(key) + " is '" + show(value) + "'; expected " + expected);
  }

  SpecException missing(String key, String why) {
    return new SpecException(
        "key '" + key + "' is missing in " + origin + (why == null ? "" : "; " + why));
  }

  static String show(Object value) {
    if (value instanceof JsonNode n) {
      return n.isValueNode() ? n.asText() : n.toString();
    }
    return String.valueOf(value);
  }

  SpecYaml.Root bind(ObjectNode doc) {
    try {
      return JobSpecParser.MAPPER.readerFor(SpecYaml.Root.class).readValue(doc);
    } catch (JsonProcessingException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new SpecException(origin + " cannot be read: " + e.getMessage());
    }
  }

  /** One sentence naming the key, the value and what is expected, for a Jackson failure. */
  SpecException translate(JsonProcessingException e) {
    List<Object> refs = new ArrayList<>();
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        refs.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
      }
    } else if (e.getProcessor() instanceof JsonParser p) {
      // A failure the parser reports unwrapped carries its path only as the parser's context.
      List<Object> reversed = new ArrayList<>();
      for (JsonStreamContext c = p.getParsingContext();
          c != null && !c.inRoot();
          c = c.getParent()) {
        reversed.add(0, c.inArray() ? (Object) c.getCurrentIndex() : c.getCurrentName());
      }
      refs = reversed;
    }
    StringBuilder path = new StringBuilder();
    JsonNode node = root;
    String last = null;
    boolean single = false;
    for (Object ref : refs) {
      if (ref instanceof String field) {
        node = node == null ? null : node.get(field);
        path.append(path.isEmpty() ? "" : ".").append(field);
        last = field;
      } else if (node instanceof ArrayNode list) {
        node = list.get((Integer) ref);
        path.append(entry(node, (Integer) ref));
      } else {
        // An index into a single value stands for Jackson's reading it as a one-entry list: the
        // key is the list's own.
        single = true;
      }
    }
    String key = path.toString();
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      return unknown(key, known);
    }
    if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      Class<?> t = mi.getTargetType();
      if (t.getEnclosingClass() == SpecYaml.class) {
        return new SpecException(where(key) + " must be a mapping of keys to values");
      }
      return bad(
          key,
          node == null ? "" : node,
          single ? "a string or a list of strings" : expected(t, last));
    }
    // Jackson wraps the parser's number overflow in a mapping exception, or not.
    Throwable coercion = e instanceof InputCoercionException ? e : e.getCause();
    if (coercion instanceof InputCoercionException ic && ic.getTargetType() != null) {
      return bad(key, node == null ? "" : node, expected(ic.getTargetType(), last));
    }
    return bad(
        key,
        node == null ? "" : node,
        "a valid value (" + e.getOriginalMessage().replaceAll("\\s+", " ").trim() + ")");
  }

  /** How an entry of a list is named in a key: by its name when it has one, else by index. */
  static String entry(JsonNode node, int index) {
    JsonNode name = node == null ? null : node.get("name");
    if (name != null && name.isValueNode() && !name.asText().isBlank()) {
      return "." + name.asText();
    }
    return "[" + index + "]";
  }

  static String expected(Class<?> type, String field) {
    if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return JobSpecParser.NAMED_LISTS.contains(field)
          ? "a list of mappings"
          : "a string or a list of strings";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of names to values";
    }
    return "a single value";
  }
}
