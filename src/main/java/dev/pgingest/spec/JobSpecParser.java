package dev.pgingest.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pgingest.sink.SqlNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses a YAML job spec into an immutable {@link JobSpec}, before any Flink object exists.
 *
 * <p>Jackson binds the YAML into {@link SpecYaml} and refuses unknown keys at any depth; {@link
 * SpecChecker} then checks values and fills in defaults. Every failure is a {@link SpecException}
 * whose one sentence names the key by its path as users write it ({@code
 * tables.people.columns.email.type}), the bad value and what is expected.
 */
public final class JobSpecParser {

  /** What a summary entry may count, after the table name: {@code table.count}. */
  public static final List<String> SUMMARY_COUNTS =
      List.of("rows", "inserted", "updated", "unchanged", "skipped", "duplicates");

  /** Common spellings of the column types, to the name {@link ColumnSpec#TYPES} uses. */
  static final Map<String, String> TYPE_ALIASES =
      Map.of(
          "int", "integer",
          "int4", "integer",
          "int8", "bigint",
          "bool", "boolean",
          "timestamp with time zone", "timestamptz");

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  /** No dot: a source's name addresses it in {@code --set sources.NAME.key=value}. */
  static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** Index and constraint names append up to 23 bytes to the table's name. */
  static final int MAX_TABLE_BYTES = SqlNames.MAX_IDENTIFIER_BYTES - 23;

  static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** Lists whose entries {@code --set} and messages address by their {@code name}. */
  static final Set<String> NAMED_LISTS =
      Set.of("sources", "tables", "columns", "indexes", "after-load");

  static final YAMLMapper MAPPER = mapper();

  static final List<String> TOP = knownKeys(SpecYaml.Root.class);
  static final List<String> OPTIONS = knownKeys(SpecYaml.Opts.class);

  private JobSpecParser() {}

  private static YAMLMapper mapper() {
    YAMLMapper m =
        YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // 2.5 rows or "required: 1" are mistakes, not values to round or guess.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }

  /** The keys Jackson binds for {@code type}, sorted, for "known keys here" lists. */
  static List<String> knownKeys(Class<?> type) {
    BeanDescription d = MAPPER.getDeserializationConfig().introspect(MAPPER.constructType(type));
    return d.findProperties().stream().map(BeanPropertyDefinition::getName).sorted().toList();
  }

  /**
   * Parses and validates a spec.
   *
   * @param text the YAML text
   * @param origin where the text came from, quoted in messages
   * @param baseDir directory that relative source paths are resolved against, or null to keep them
   *     as written
   * @param overrides {@code --set} pairs: dotted keys ({@code options.batch-rows}, {@code
   *     tables.people.mode}, entries of a list named by their {@code name}) or bare option names
   *     ({@code batch-rows}), values in YAML scalar syntax
   */
  public static JobSpec parse(
      String text, String origin, Path baseDir, Map<String, String> overrides) {
    ObjectNode root = load(text, origin);
    KeyOrigins origins = new KeyOrigins(root, origin, applyOverrides(root, overrides));
    SpecYaml.Root b = origins.bind(root);
    return new SpecChecker(origins, baseDir).check(b, text, hash(text, overrides));
  }

  private static ObjectNode load(String text, String origin) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(text);
    } catch (JacksonException e) {
      String path = e instanceof JacksonYAMLParseException ? "" : contextPath(e);
      if (!path.isEmpty() && e.getOriginalMessage().startsWith("Duplicate field")) {
        throw new SpecException("key '" + path + "' in " + origin + " is given twice");
      }
      if (!path.isEmpty() && e.getOriginalMessage().startsWith("Malformed numeric value")) {
        // A scalar that looks like a number but is not one, such as .nan: the YAML is fine, the
        // value is not.
        throw new SpecException(
            "key '"
                + path
                + "' in "
                + origin
                + " is '"
                + text((JsonParser) e.getProcessor())
                + "'; expected a number");
      }
      throw new SpecException(
          origin + " is not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
    } catch (IOException e) {
      throw new SpecException(origin + " cannot be read: " + e.getMessage());
    }
    if (!(doc instanceof ObjectNode o)) {
      throw new SpecException(
          origin + " must be a YAML mapping with keys such as name, pipeline, source");
    }
    refuseEmptyEntries(o, "", origin);
    return o;
  }

  /**
   * A list entry with nothing in it (a bare {@code -}) is refused here, naming its list: the checks
   * below read every entry as a mapping or a value.
   */
  private static void refuseEmptyEntries(JsonNode node, String path, String origin) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode entry = node.get(i);
        if (entry.isNull()) {
          throw new SpecException(
              "key '"
                  + path
                  + "' in "
                  + origin
                  + " has an empty entry (entry "
                  + (i + 1)
                  + ", a '-' with nothing after it); remove it or fill it in");
        }
        JsonNode name = entry.get("name");
        refuseEmptyEntries(
            entry, path + "." + (name != null && name.isTextual() ? name.asText() : i + 1), origin);
      }
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  refuseEmptyEntries(
                      f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), origin));
    }
  }

  private static String text(JsonParser p) {
    try {
      return p.getText();
    } catch (IOException e) {
      return "?";
    }
  }

  /** The dotted path the parser was at when it failed (entries by index), or "" at the top. */
  private static String contextPath(JacksonException e) {
    if (!(e.getProcessor() instanceof JsonParser p)) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
      parts.add(
          0, c.inArray() ? "[" + Math.max(0, c.getCurrentIndex()) + "]" : "." + c.getCurrentName());
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  /**
   * Applies {@code --set} pairs to the parsed document and returns, for each dotted key they set,
   * the pair as the user typed it, so that messages about those values point at the command line
   * rather than at the spec file.
   */
  private static Map<String, String> applyOverrides(
      ObjectNode root, Map<String, String> overrides) {
    Map<String, String> typed = new LinkedHashMap<>();
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      String key = o.getKey().trim();
      String pair = "--set " + key + "=" + o.getValue();
      if (!key.contains(".") && step(root, key) != null) {
        // --set coverage=off: a step after the load, turned off or on by its name.
        key = "after-load." + key + ".run";
      } else if (!key.contains(".")) {
        if (!OPTIONS.contains(key) && !TOP.contains(key)) {
          throw new SpecException(
              pair + ": '" + key + "' is not a known option; known: " + String.join(", ", OPTIONS));
        }
        key = TOP.contains(key) ? key : "options." + key;
      }
      String[] parts = key.split("\\.", -1);
      for (String part : parts) {
        if (part.isBlank()) {
          throw new SpecException(
              pair + ": '" + key + "' is not a key; expected dotted names such as options.retries");
        }
      }
      JsonNode value;
      try {
        value = MAPPER.readTree(o.getValue());
      } catch (JacksonException e) {
        throw new SpecException(pair + ": the value for key '" + key + "' is not valid YAML");
      }
      if (value == null || value.isMissingNode() || value.isNull()) {
        throw new SpecException(pair + ": the value for key '" + key + "' is empty");
      }
      typed.put(key, pair);
      ObjectNode parent = walkTo(root, parts, pair);
      parent.set(parts[parts.length - 1], value);
    }
    return typed;
  }

  /** The step after the load named {@code name}, or null. */
  private static JsonNode step(ObjectNode root, String name) {
    return root.get("after-load") instanceof ArrayNode steps ? named(steps, name) : null;
  }

  /** The mapping that holds the last of {@code parts}, made where absent. */
  private static ObjectNode walkTo(ObjectNode root, String[] parts, String pair) {
    JsonNode node = root;
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      String part = parts[i];
      JsonNode next;
      if (node instanceof ArrayNode list) {
        next = named(list, part);
        if (next == null) {
          throw new SpecException(
              pair
                  + ": '"
                  + at
                  + "' has no entry named '"
                  + part
                  + "'; names there: "
                  + String.join(", ", names(list)));
        }
      } else {
        ObjectNode map = (ObjectNode) node;
        next = map.get(part);
        if (next == null || next.isNull()) {
          if (NAMED_LISTS.contains(part)) {
            // Entries are addressed by name, so an absent list has none to address.
            throw new SpecException(
                pair + ": the spec has no '" + at + (at.isEmpty() ? "" : ".") + part + "' list");
          }
          next = map.putObject(part);
        }
      }
      if (at.length() > 0) {
        at.append('.');
      }
      at.append(part);
      if (!next.isContainerNode()) {
        throw new SpecException(pair + ": key '" + at + "' is not a mapping");
      }
      node = next;
    }
    if (node instanceof ArrayNode list) {
      throw new SpecException(
          pair
              + ": '"
              + at
              + "' is a list; name one of its entries ("
              + String.join(", ", names(list))
              + ") as in "
              + at
              + ".NAME."
              + parts[parts.length - 1]);
    }
    return (ObjectNode) node;
  }

  /** The entry of {@code list} whose {@code name} is {@code name}, or null. */
  private static JsonNode named(ArrayNode list, String name) {
    for (JsonNode e : list) {
      if (e.isObject() && e.path("name").isValueNode() && e.path("name").asText().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<String> names(ArrayNode list) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : list) {
      if (e.isObject() && e.path("name").isValueNode()) {
        out.add(e.path("name").asText());
      }
    }
    return out;
  }

  static String resolve(String path, Path baseDir) {
    if (baseDir == null || path.contains("://") || Path.of(path).isAbsolute()) {
      return path;
    }
    return baseDir.resolve(path).normalize().toString();
  }

  private static String hash(String text, Map<String, String> overrides) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(text.getBytes(StandardCharsets.UTF_8));
      new TreeMap<>(overrides)
          .forEach((k, v) -> md.update(("\n" + k + "=" + v).getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
