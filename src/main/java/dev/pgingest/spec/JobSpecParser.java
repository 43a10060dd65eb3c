package dev.pgingest.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.Pipelines;
import dev.pgingest.sink.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses a YAML job spec into an immutable {@link JobSpec}, before any Flink object exists.
 *
 * <p>Jackson binds the YAML into {@link SpecBindings} and refuses unknown keys at any depth; this
 * class then checks values, fills in defaults and turns every failure into a {@link SpecException}
 * whose one sentence names the key by its path as users write it ({@code
 * tables.global_usernames.columns.username.type}), the bad value and what is expected.
 */
public final class JobSpecParser {

  /** Formats a spec may name under {@code source.format}. */
  public static final Set<String> FORMATS = Set.of("csv", "jsonl", "auto", "gff3");

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

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  /** No dot: a source's name addresses it in {@code --set sources.NAME.key=value}. */
  private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** Index and constraint names append up to 23 bytes to the table's name. */
  static final int MAX_TABLE_BYTES = Sql.MAX_IDENTIFIER_BYTES - 23;

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** Lists whose entries {@code --set} and messages address by their {@code name}. */
  private static final Set<String> NAMED_LISTS = Set.of("sources", "tables", "columns", "indexes");

  private static final YAMLMapper MAPPER = mapper();

  private static final List<String> TOP = knownKeys(SpecBindings.Root.class);
  private static final List<String> OPTIONS = knownKeys(SpecBindings.Opts.class);

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
  private static List<String> knownKeys(Class<?> type) {
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
   *     tables.global_usernames.mode}, entries of a list named by their {@code name}) or bare
   *     option names ({@code batch-rows}), values in YAML scalar syntax
   */
  public static JobSpec parse(
      String text, String origin, Path baseDir, Map<String, String> overrides) {
    ObjectNode root = load(text, origin);
    Where w = new Where(root, origin, applyOverrides(root, overrides));
    SpecBindings.Root b = w.bind(root);
    return new Checker(w, baseDir).check(b, text, hash(text, overrides));
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
    } catch (java.io.IOException e) {
      throw new SpecException(origin + " cannot be read: " + e.getMessage());
    }
    if (!(doc instanceof ObjectNode o)) {
      throw new SpecException(
          origin + " must be a YAML mapping with keys such as name, pipeline, source");
    }
    return o;
  }

  private static String text(JsonParser p) {
    try {
      return p.getText();
    } catch (java.io.IOException e) {
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
      if (!key.contains(".")) {
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

  private static String resolve(String path, Path baseDir) {
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

  /**
   * Where a value came from and how to say so: the document (after {@code --set}), its origin and
   * the keys {@code --set} gave.
   *
   * @param overridden dotted key to the {@code --set} pair that set it
   */
  private record Where(ObjectNode root, String origin, Map<String, String> overridden) {

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

    SpecBindings.Root bind(ObjectNode doc) {
      try {
        return MAPPER.readerFor(SpecBindings.Root.class).readValue(doc);
      } catch (JsonProcessingException e) {
        throw translate(e);
      } catch (java.io.IOException e) {
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
        if (t.getEnclosingClass() == SpecBindings.class) {
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
        return NAMED_LISTS.contains(field) ? "a list of mappings" : "a string or a list of strings";
      }
      if (Map.class.isAssignableFrom(type)) {
        return "a mapping of names to values";
      }
      return "a single value";
    }
  }

  /** Checks the bound spec against the rules Jackson cannot express, filling in defaults. */
  private static final class Checker {
    private final Where w;
    private final Path baseDir;

    Checker(Where w, Path baseDir) {
      this.w = w;
      this.baseDir = baseDir;
    }

    JobSpec check(SpecBindings.Root b, String text, String hash) {
      String name = string("name", b.name, null);
      if (!NAME.matcher(name).matches()) {
        throw w.bad("name", name, "a name matching " + NAME.pattern());
      }
      PipelineDef<?, ?> pipeline = null;
      if (b.pipeline != null) {
        if (!Pipelines.names().contains(b.pipeline)) {
          throw w.bad(
              "pipeline",
              b.pipeline,
              "one of the known pipelines: " + String.join(", ", Pipelines.names()));
        }
        pipeline = Pipelines.forName(b.pipeline);
      }
      TargetSpec target = target(b.target == null ? new SpecBindings.Target() : b.target, pipeline);
      List<TableSpec> tables = tables(b.tables, pipeline, target.schema());
      List<SourceSpec> sources = sources(b, pipeline, tables);
      Map<String, String> summary = summary(b.summary, pipeline, tables);
      Options options = options(b.options == null ? new SpecBindings.Opts() : b.options);
      SpecBindings.SqlLists sql = b.sql == null ? new SpecBindings.SqlLists() : b.sql;
      return new JobSpec(
          name,
          b.pipeline,
          sources,
          target,
          tables,
          summary,
          options,
          new SqlSpec(strings("sql.before", sql.before), strings("sql.after", sql.after)),
          text,
          hash);
    }

    private TargetSpec target(SpecBindings.Target t, PipelineDef<?, ?> pipeline) {
      String table = null;
      if (t.table != null) {
        if (pipeline == null) {
          throw w.bad(
              "target.table",
              t.table,
              "no target.table in a job without 'pipeline': such a job declares its tables under"
                  + " 'tables'");
        }
        table = identifier("target.table", t.table, MAX_TABLE_BYTES);
      }
      return new TargetSpec(
          identifier("target.schema", or(t.schema, "public"), Sql.MAX_IDENTIFIER_BYTES),
          table,
          identifier(
              "target.rejects-table",
              or(t.rejectsTable, "ingest_rejects"),
              Sql.MAX_IDENTIFIER_BYTES),
          identifier(
              "target.runs-table", or(t.runsTable, "ingest_runs"), Sql.MAX_IDENTIFIER_BYTES));
    }

    private List<SourceSpec> sources(
        SpecBindings.Root b, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
      String either = "expected 'source' (one source) or 'sources' (a list of named sources)";
      if (b.source != null && b.sources != null) {
        String pair = w.override("sources") != null ? w.override("sources") : w.override("source");
        throw new SpecException(
            (pair != null ? pair + ": the spec" : w.origin())
                + " gives both 'source' and 'sources'; "
                + either
                + ", not both");
      }
      if (b.source == null && b.sources == null) {
        throw w.missing("source", either);
      }
      List<SourceSpec> out = new ArrayList<>();
      if (b.source != null) {
        out.add(source("source", b.source, or(b.source.name, "source"), pipeline, tables));
      } else {
        if (b.sources.isEmpty()) {
          throw w.bad("sources", "[]", "at least one source");
        }
        if (pipeline != null && b.sources.size() > 1) {
          throw new SpecException(
              w.where("sources")
                  + " lists "
                  + b.sources.size()
                  + " sources; expected one: pipeline '"
                  + pipeline.name()
                  + "' reads one");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < b.sources.size(); i++) {
          SpecBindings.Source s = b.sources.get(i);
          String at =
              s.name == null || s.name.isBlank() ? "sources[" + i + "]" : "sources." + s.name;
          String name = string(at + ".name", s.name, null);
          if (!seen.add(name)) {
            throw w.bad(at + ".name", name, "a name no other source has");
          }
          out.add(source(at, s, name, pipeline, tables));
        }
      }
      return out;
    }

    private SourceSpec source(
        String at,
        SpecBindings.Source s,
        String name,
        PipelineDef<?, ?> pipeline,
        List<TableSpec> tables) {
      if (!SOURCE_NAME.matcher(name).matches()) {
        throw w.bad(at + ".name", name, "a name matching " + SOURCE_NAME.pattern());
      }
      String format = string(at + ".format", s.format, null);
      if (!FORMATS.contains(format)) {
        throw w.bad(
            at + ".format",
            format,
            "one of the known formats: " + String.join(", ", new TreeSet<>(FORMATS)));
      }
      List<String> paths = new ArrayList<>();
      for (String p : strings(at + ".paths", s.paths)) {
        paths.add(resolve(p, baseDir));
      }
      CsvOptions d = CsvOptions.defaults();
      CsvOptions csv = d;
      if (s.csv != null) {
        csv =
            new CsvOptions(
                character(at + ".csv.delimiter", s.csv.delimiter, d.delimiter()),
                character(at + ".csv.quote", s.csv.quote, d.quote()),
                s.csv.header == null ? d.header() : s.csv.header);
      }
      List<String> feeds = strings(at + ".tables", s.tables);
      Set<String> declared = tables.stream().map(TableSpec::name).collect(Collectors.toSet());
      for (String t : feeds) {
        if (!declared.contains(t)) {
          throw w.bad(
              at + ".tables",
              t,
              declared.isEmpty()
                  ? "no tables: this job declares none"
                  : "names of declared tables: "
                      + String.join(", ", tables.stream().map(TableSpec::name).toList()));
        }
      }
      return new SourceSpec(
          name,
          format,
          paths,
          csv,
          strings(at + ".null-tokens", s.nullTokens),
          feeds,
          settings(at, s.settings, pipeline));
    }

    /** A pipeline's source settings, as that pipeline checks them; other keys are unknown. */
    private Map<String, String> settings(
        String at, Map<String, JsonNode> given, PipelineDef<?, ?> pipeline) {
      Set<String> allowed = pipeline == null ? Set.of() : pipeline.sourceSettings();
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : given.entrySet()) {
        String key = at + "." + e.getKey();
        if (!allowed.contains(e.getKey())) {
          List<String> known = new ArrayList<>(knownKeys(SpecBindings.Source.class));
          known.addAll(allowed);
          throw w.unknown(key, known);
        }
        JsonNode v = e.getValue();
        if (v == null || v.isNull()) {
          continue;
        }
        if (!v.isValueNode()) {
          throw w.bad(key, v, "a single value");
        }
        values.put(e.getKey(), v.asText().trim());
      }
      if (pipeline == null) {
        return Map.of();
      }
      try {
        return pipeline.checkSettings(values);
      } catch (SettingException e) {
        String key = at + "." + e.key();
        String pair = w.override(key);
        throw new SpecException(
            pair != null
                ? pair + ": '" + e.value() + "' is " + e.problem()
                : w.where(key) + " is '" + e.value() + "', " + e.problem());
      } catch (SpecException e) {
        throw new SpecException(w.where(at) + ": " + e.getMessage());
      }
    }

    private List<TableSpec> tables(
        List<SpecBindings.Table> given, PipelineDef<?, ?> pipeline, String defaultSchema) {
      if (pipeline != null) {
        if (given != null) {
          throw new SpecException(
              w.where("tables")
                  + " is given with pipeline '"
                  + pipeline.name()
                  + "'; expected tables only in a job without 'pipeline' (a pipeline writes its"
                  + " own table, named by target.table)");
        }
        return List.of();
      }
      if (given == null || given.isEmpty()) {
        throw w.missing("tables", "a job without 'pipeline' declares at least one table to write");
      }
      List<TableSpec> out = new ArrayList<>();
      Set<String> indexNames = new HashSet<>();
      for (int i = 0; i < given.size(); i++) {
        SpecBindings.Table t = given.get(i);
        String at = t.name == null || t.name.isBlank() ? "tables[" + i + "]" : "tables." + t.name;
        String name = identifier(at + ".name", string(at + ".name", t.name, null), MAX_TABLE_BYTES);
        List<String> earlier = out.stream().map(TableSpec::name).toList();
        if (earlier.contains(name)) {
          throw w.bad(at + ".name", name, "a name no other table has");
        }
        String schema =
            identifier(at + ".schema", or(t.schema, defaultSchema), Sql.MAX_IDENTIFIER_BYTES);
        String mode = or(t.mode, "merge");
        if (!TableSpec.MODES.contains(mode)) {
          throw w.bad(at + ".mode", mode, "one of " + String.join(", ", TableSpec.MODES));
        }
        List<ColumnSpec> columns = columns(at, t.columns);
        List<String> key = key(at, t.key, mode, columns);
        List<IndexSpec> indexes = new ArrayList<>();
        for (int j = 0; t.indexes != null && j < t.indexes.size(); j++) {
          SpecBindings.Index x = t.indexes.get(j);
          String ia =
              x.name == null || x.name.isBlank()
                  ? at + ".indexes[" + j + "]"
                  : at + ".indexes." + x.name;
          String iname =
              identifier(
                  ia + ".name", string(ia + ".name", x.name, null), Sql.MAX_IDENTIFIER_BYTES);
          if (!indexNames.add(iname)) {
            throw w.bad(ia + ".name", iname, "a name no other index has");
          }
          String on = string(ia + ".on", x.on, null);
          if (on.isBlank()) {
            throw w.bad(ia + ".on", on, "what follows ON table, such as (status)");
          }
          indexes.add(new IndexSpec(iname, on, x.unique != null && x.unique));
        }
        if (t.parent != null && !earlier.contains(t.parent)) {
          throw w.bad(
              at + ".parent",
              t.parent,
              earlier.isEmpty()
                  ? "a table declared before this one (parents come first), and none is"
                  : "a table declared before this one (parents come first): "
                      + String.join(", ", earlier));
        }
        out.add(
            new TableSpec(
                name, schema, mode, key, columns, indexes, t.parent, t.create == null || t.create));
      }
      return out;
    }

    private List<ColumnSpec> columns(String table, List<SpecBindings.Column> given) {
      if (given == null || given.isEmpty()) {
        throw w.missing(table + ".columns", "a table declares at least one column");
      }
      List<ColumnSpec> out = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < given.size(); i++) {
        SpecBindings.Column c = given.get(i);
        String at =
            c.name == null || c.name.isBlank()
                ? table + ".columns[" + i + "]"
                : table + ".columns." + c.name;
        String name =
            identifier(at + ".name", string(at + ".name", c.name, null), Sql.MAX_IDENTIFIER_BYTES);
        if (!seen.add(name)) {
          throw w.bad(at + ".name", name, "a name no other column of the table has");
        }
        String written = string(at + ".type", c.type, null);
        String type = written.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        type = TYPE_ALIASES.getOrDefault(type, type);
        if (!ColumnSpec.TYPES.contains(type)) {
          throw w.bad(at + ".type", written, "one of " + String.join(", ", ColumnSpec.TYPES));
        }
        int sources =
            (c.field != null ? 1 : 0) + (c.value != null ? 1 : 0) + (c.sqlDefault != null ? 1 : 0);
        if (sources != 1) {
          throw new SpecException(
              w.where(at)
                  + (sources == 0 ? " gives none of" : " gives more than one of")
                  + " 'field', 'value', 'default'; expected exactly one: field (read from the"
                  + " record), value (one of "
                  + String.join(", ", ColumnSpec.VALUES)
                  + ") or default (a SQL default; the load does not write the column)");
        }
        if (c.value != null && !ColumnSpec.VALUES.contains(c.value)) {
          throw w.bad(at + ".value", c.value, "one of " + String.join(", ", ColumnSpec.VALUES));
        }
        if (c.field != null && c.field.isBlank()) {
          throw w.bad(at + ".field", c.field, "the name of a field of the records");
        }
        out.add(
            new ColumnSpec(
                name, type, c.field, c.value, c.sqlDefault, c.required != null && c.required));
      }
      return out;
    }

    private List<String> key(
        String table, List<String> given, String mode, List<ColumnSpec> columns) {
      String at = table + ".key";
      List<String> key = strings(at, given);
      if (key.isEmpty()) {
        throw w.missing(at, "a table has a key of one or more of its columns");
      }
      List<String> written =
          columns.stream().filter(c -> c.sqlDefault() == null).map(ColumnSpec::name).toList();
      Set<String> seen = new HashSet<>();
      for (String k : key) {
        if (!written.contains(k)) {
          throw w.bad(
              at,
              k,
              "a column the load writes (one with field or value): " + String.join(", ", written));
        }
        if (!seen.add(k)) {
          throw w.bad(at, k, "each column once");
        }
      }
      if (mode.equals("append")) {
        Set<String> values =
            columns.stream()
                .filter(c -> key.contains(c.name()) && c.value() != null)
                .map(ColumnSpec::value)
                .collect(Collectors.toSet());
        if (!values.contains("$file") || !values.contains("$line")) {
          throw w.bad(
              at,
              key,
              "for mode append a key that includes a column with value $file and one with value"
                  + " $line, so that a record replayed after a failure is not added twice");
        }
      }
      return key;
    }

    private Map<String, String> summary(
        Map<String, String> given, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
      if (given == null) {
        return Map.of();
      }
      if (pipeline != null) {
        throw new SpecException(
            w.where("summary")
                + " is given with pipeline '"
                + pipeline.name()
                + "'; expected summary only in a job without 'pipeline' (a pipeline reports its"
                + " own table's counts)");
      }
      List<String> declared = tables.stream().map(TableSpec::name).toList();
      Map<String, String> out = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : given.entrySet()) {
        String at = "summary." + e.getKey();
        String problem = Sql.identifierProblem(e.getKey());
        if (problem != null) {
          throw new SpecException(w.where(at) + " is not " + Sql.IDENTIFIER_RULE + ": " + problem);
        }
        String ref = string(at, e.getValue(), null);
        int dot = ref.lastIndexOf('.');
        String table = dot < 0 ? ref : ref.substring(0, dot);
        String count = dot < 0 ? "" : ref.substring(dot + 1);
        if (!declared.contains(table) || !SUMMARY_COUNTS.contains(count)) {
          throw w.bad(
              at,
              ref,
              "table.count with table one of "
                  + String.join(", ", declared)
                  + " and count one of "
                  + String.join(", ", SUMMARY_COUNTS));
        }
        out.put(e.getKey(), ref);
      }
      return out;
    }

    private Options options(SpecBindings.Opts o) {
      Options d = Options.defaults();
      return new Options(
          (int) integer("options.batch-rows", o.batchRows, d.batchRows(), 1, 100_000),
          duration(
              "options.flush-interval", o.flushInterval, d.flushInterval(), Duration.ofMillis(10)),
          (int) integer("options.retries", o.retries, d.retries(), 0, 100),
          (int) integer("options.sink-parallelism", o.sinkParallelism, d.sinkParallelism(), 1, 64),
          (int) integer("options.parallelism", o.parallelism, d.parallelism(), 1, 256),
          duration(
              "options.checkpoint-interval",
              o.checkpointInterval,
              d.checkpointInterval(),
              Duration.ofMillis(100)),
          (int)
              integer("options.restart-attempts", o.restartAttempts, d.restartAttempts(), 0, 1000),
          duration("options.restart-delay", o.restartDelay, d.restartDelay(), Duration.ZERO),
          duration(
              "options.restart-max-delay", o.restartMaxDelay, d.restartMaxDelay(), Duration.ZERO),
          integer("options.max-rejects", o.maxRejects, d.maxRejects(), -1, Long.MAX_VALUE),
          ratio("options.max-reject-ratio", o.maxRejectRatio, d.maxRejectRatio()),
          integer(
              "options.max-records-per-second",
              o.maxRecordsPerSecond,
              d.maxRecordsPerSecond(),
              0,
              Long.MAX_VALUE));
    }

    private static String or(String value, String def) {
      return value != null ? value : def;
    }

    private String string(String key, String value, String def) {
      if (value == null) {
        if (def == null) {
          throw w.missing(key, null);
        }
        return def;
      }
      return value.trim();
    }

    private List<String> strings(String key, List<String> given) {
      if (given == null) {
        return List.of();
      }
      for (String s : given) {
        if (s == null) {
          throw w.bad(key, given, "a list of strings, none of them empty");
        }
      }
      return given;
    }

    private char character(String key, String value, char def) {
      if (value == null) {
        return def;
      }
      if (value.length() != 1) {
        throw w.bad(key, value, "exactly one character, such as , or ; or \"\\t\" for a tab");
      }
      return value.charAt(0);
    }

    private String identifier(String key, String name, int maxBytes) {
      String problem = Sql.identifierProblem(name);
      if (problem != null) {
        throw w.bad(key, name, Sql.IDENTIFIER_RULE + ": " + problem);
      }
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxBytes) {
        throw w.bad(
            key,
            name,
            "a name of at most "
                + maxBytes
                + " bytes, so that the index names built from it fit PostgreSQL's "
                + Sql.MAX_IDENTIFIER_BYTES
                + ": it is "
                + bytes
                + " bytes long");
      }
      return name;
    }

    private long integer(String key, Long v, long def, long min, long max) {
      if (v == null) {
        return def;
      }
      if (v < min || v > max) {
        throw w.bad(key, v, "a whole number from " + min + " to " + max);
      }
      return v;
    }

    private double ratio(String key, Double v, double def) {
      if (v == null) {
        return def;
      }
      if (!(v >= 0 && v <= 1)) {
        throw w.bad(key, v, "a number from 0 to 1");
      }
      return v;
    }

    private Duration duration(String key, String v, Duration def, Duration min) {
      if (v == null) {
        return def;
      }
      Matcher m = DURATION.matcher(v.trim());
      if (!m.matches()) {
        throw w.bad(key, v, "a duration such as 500ms, 10s, 2m or 1h");
      }
      String unit = m.group(2) == null ? "ms" : m.group(2);
      Duration d;
      try {
        long n = Long.parseLong(m.group(1));
        d =
            switch (unit) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              default -> Duration.ofHours(n);
            };
        d.toMillis();
      } catch (NumberFormatException | ArithmeticException e) {
        throw w.bad(key, v, "a duration of at most about 292 million years");
      }
      if (d.compareTo(min) < 0) {
        throw w.bad(key, v, "a duration of at least " + min.toMillis() + "ms");
      }
      return d;
    }
  }
}
