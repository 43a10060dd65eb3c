package dev.pgingest.spec;

import dev.pgingest.sink.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses a YAML job spec into an immutable {@link JobSpec}, before any Flink object exists.
 *
 * <p>Every key is checked: an unknown key or a bad value fails with a {@link SpecException} whose
 * message names the key, in the manner of pgloader's command parser.
 */
public final class JobSpecParser {

  /** Formats a spec may name under {@code source.format}. */
  public static final Set<String> FORMATS = Set.of("gff3");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  /** Index and constraint names append up to 23 bytes to the table's name. */
  static final int MAX_TABLE_BYTES = Sql.MAX_IDENTIFIER_BYTES - 23;
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private static final Map<String, Set<String>> SECTIONS =
      Map.of(
          "source", Set.of("format", "paths", "assembly"),
          "target", Set.of("schema", "table", "rejects-table", "runs-table"),
          "options",
              Set.of(
                  "batch-rows",
                  "flush-interval",
                  "retries",
                  "sink-parallelism",
                  "parallelism",
                  "checkpoint-interval",
                  "restart-attempts",
                  "restart-delay",
                  "restart-max-delay",
                  "max-rejects",
                  "max-reject-ratio",
                  "max-records-per-second"),
          "sql", Set.of("before", "after"));
  private static final Set<String> TOP = Set.of("name", "pipeline", "source", "target", "options", "sql");

  private JobSpecParser() {}

  /**
   * Parses and validates a spec.
   *
   * @param text the YAML text
   * @param origin where the text came from, quoted in messages
   * @param baseDir directory that relative {@code source.paths} are resolved against, or null to
   *     keep them as written
   * @param overrides {@code --set} pairs: dotted keys ({@code options.batch-rows}) or bare option
   *     names ({@code batch-rows}), values in YAML scalar syntax
   */
  public static JobSpec parse(
      String text, String origin, Path baseDir, Map<String, String> overrides) {
    Map<String, Object> root = load(text, origin);
    Reader r = new Reader(root, origin, applyOverrides(root, overrides));
    for (String key : root.keySet()) {
      if (!TOP.contains(key)) {
        throw r.unknown(key, TOP);
      }
    }
    for (Map.Entry<String, Set<String>> section : SECTIONS.entrySet()) {
      Object value = root.get(section.getKey());
      if (value == null) {
        continue;
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new SpecException(r.where(section.getKey()) + " must be a mapping of keys to values");
      }
      for (Object key : map.keySet()) {
        if (!section.getValue().contains(String.valueOf(key))) {
          throw r.unknown(section.getKey() + "." + key, section.getValue());
        }
      }
    }

    String name = r.string("name", null, NAME);
    String pipeline = r.string("pipeline", null, Pattern.compile("[a-z0-9-]+"));

    String format = r.string("source.format", null, null);
    if (!FORMATS.contains(format)) {
      throw new SpecException(
          r.where("source.format") + " is '" + format + "'; known formats: " + FORMATS);
    }
    List<String> paths = new ArrayList<>();
    for (String p : r.optionalStringList("source.paths")) {
      paths.add(resolve(p, baseDir));
    }
    String assembly = r.assembly("source.assembly", "GRCh38");
    SourceSpec source =
        new SourceSpec(
            "source", format, paths, CsvOptions.defaults(), List.of(), List.of(), Map.of("assembly", assembly));

    TargetSpec target =
        new TargetSpec(
            r.identifier("target.schema", "public", Sql.MAX_IDENTIFIER_BYTES),
            r.identifier("target.table", "variant", MAX_TABLE_BYTES),
            r.identifier("target.rejects-table", "ingest_rejects", Sql.MAX_IDENTIFIER_BYTES),
            r.identifier("target.runs-table", "ingest_runs", Sql.MAX_IDENTIFIER_BYTES));

    Options d = Options.defaults();
    Options options =
        new Options(
            (int) r.integer("options.batch-rows", d.batchRows(), 1, 100_000),
            r.duration("options.flush-interval", d.flushInterval(), Duration.ofMillis(10)),
            (int) r.integer("options.retries", d.retries(), 0, 100),
            (int) r.integer("options.sink-parallelism", d.sinkParallelism(), 1, 64),
            (int) r.integer("options.parallelism", d.parallelism(), 1, 256),
            r.duration("options.checkpoint-interval", d.checkpointInterval(), Duration.ofMillis(100)),
            (int) r.integer("options.restart-attempts", d.restartAttempts(), 0, 1000),
            r.duration("options.restart-delay", d.restartDelay(), Duration.ZERO),
            r.duration("options.restart-max-delay", d.restartMaxDelay(), Duration.ZERO),
            r.integer("options.max-rejects", d.maxRejects(), -1, Long.MAX_VALUE),
            r.ratio("options.max-reject-ratio", d.maxRejectRatio()),
            r.integer(
                "options.max-records-per-second", d.maxRecordsPerSecond(), 0, Long.MAX_VALUE));

    SqlSpec sql = new SqlSpec(r.optionalStringList("sql.before"), r.optionalStringList("sql.after"));
    return new JobSpec(
        name, pipeline, List.of(source), target, List.of(), Map.of(), options, sql, text,
        hash(text, overrides));
  }

  private static Map<String, Object> load(String text, String origin) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (YAMLException e) {
      throw new SpecException(
          origin + " is not valid YAML: " + e.getMessage().replaceAll("\\s+", " ").trim());
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw new SpecException(origin + " must be a YAML mapping with keys name, pipeline, source");
    }
    Map<String, Object> root = new LinkedHashMap<>();
    map.forEach((k, v) -> root.put(String.valueOf(k), deepCopy(v)));
    return root;
  }

  private static Object deepCopy(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, val) -> copy.put(String.valueOf(k), deepCopy(val)));
      return copy;
    }
    return v;
  }

  /**
   * Applies {@code --set} pairs to the parsed document and returns, for each dotted key they set,
   * the pair as the user typed it, so that messages about those values point at the command line
   * rather than at the spec file.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, String> applyOverrides(
      Map<String, Object> root, Map<String, String> overrides) {
    Map<String, String> typed = new LinkedHashMap<>();
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      String key = o.getKey().trim();
      String pair = "--set " + key + "=" + o.getValue();
      if (!key.contains(".")) {
        if (!SECTIONS.get("options").contains(key) && !TOP.contains(key)) {
          throw new SpecException(
              pair + ": '" + key + "' is not a known option; known: "
                  + String.join(", ", sorted(SECTIONS.get("options"))));
        }
        key = TOP.contains(key) ? key : "options." + key;
      }
      String[] parts = key.split("\\.", 2);
      Object value;
      try {
        value = new Yaml(new SafeConstructor(new LoaderOptions())).load(o.getValue());
      } catch (YAMLException e) {
        throw new SpecException(pair + ": the value for key '" + key + "' is not valid YAML");
      }
      if (value == null) {
        throw new SpecException(pair + ": the value for key '" + key + "' is empty");
      }
      typed.put(key, pair);
      if (parts.length == 1) {
        root.put(parts[0], value);
      } else {
        Object section = root.computeIfAbsent(parts[0], k -> new LinkedHashMap<String, Object>());
        if (!(section instanceof Map)) {
          throw new SpecException(pair + ": key '" + parts[0] + "' is not a mapping");
        }
        ((Map<String, Object>) section).put(parts[1], value);
      }
    }
    return typed;
  }

  private static String resolve(String path, Path baseDir) {
    if (baseDir == null || path.contains("://") || Path.of(path).isAbsolute()) {
      return path;
    }
    return baseDir.resolve(path).normalize().toString();
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
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
   * Typed access to dotted keys, each failure quoting the key and where its value came from.
   *
   * @param overridden dotted key to the {@code --set} pair that set it
   */
  private record Reader(Map<String, Object> root, String origin, Map<String, String> overridden) {

    /** The {@code --set} pair that set {@code key} or a key below it, or null. */
    String override(String key) {
      String pair = overridden.get(key);
      if (pair != null) {
        return pair;
      }
      for (Map.Entry<String, String> o : overridden.entrySet()) {
        if (o.getKey().startsWith(key + ".")) {
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

    SpecException unknown(String key, Set<String> known) {
      String pair = override(key);
      String list = "; known keys here: " + String.join(", ", sorted(known));
      return new SpecException(
          pair != null
              ? pair + ": unknown key '" + key + "'" + list
              : "unknown key '" + key + "' in " + origin + list);
    }

    Object get(String key) {
      String[] parts = key.split("\\.", 2);
      Object v = root.get(parts[0]);
      if (parts.length == 2 && v instanceof Map<?, ?> m) {
        return m.get(parts[1]);
      }
      return parts.length == 2 ? null : v;
    }

    SpecException bad(String key, Object value, String expected) {
      return new SpecException(where(key) + " is '" + value + "'; expected " + expected);
    }

    String assembly(String key, String def) {
      String name = string(key, def, null);
      return Assemblies.canonical(name)
          .orElseThrow(
              () -> {
                String pair = override(key);
                return new SpecException(
                    (pair != null ? pair + ": '" + name + "' is" : where(key) + " is '" + name + "',")
                        + " not a known assembly; known: "
                        + Assemblies.KNOWN);
              });
    }

    String identifier(String key, String def, int maxBytes) {
      String name = string(key, def, null);
      String problem = Sql.identifierProblem(name);
      if (problem != null) {
        throw bad(key, name, Sql.IDENTIFIER_RULE + ": " + problem);
      }
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxBytes) {
        throw bad(
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

    String string(String key, String def, Pattern pattern) {
      Object v = get(key);
      if (v == null) {
        if (def == null) {
          throw new SpecException("key '" + key + "' is missing in " + origin);
        }
        return def;
      }
      if (v instanceof Map || v instanceof List) {
        throw bad(key, v, "a single value");
      }
      String s = String.valueOf(v).trim();
      if (pattern != null && !pattern.matcher(s).matches()) {
        throw bad(key, s, "a name matching " + pattern.pattern());
      }
      return s;
    }

    List<String> optionalStringList(String key) {
      Object v = get(key);
      if (v == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (v instanceof List<?> l) {
        for (Object o : l) {
          if (o == null || o instanceof Map || o instanceof List) {
            throw bad(key, v, "a list of strings");
          }
          out.add(String.valueOf(o));
        }
      } else if (v instanceof Map) {
        throw bad(key, v, "a string or a list of strings");
      } else {
        out.add(String.valueOf(v));
      }
      return out;
    }

    long integer(String key, long def, long min, long max) {
      Object v = get(key);
      if (v == null) {
        return def;
      }
      long n;
      if (v instanceof Integer || v instanceof Long) {
        n = ((Number) v).longValue();
      } else {
        try {
          n = Long.parseLong(String.valueOf(v).trim().replace("_", ""));
        } catch (NumberFormatException e) {
          throw bad(key, v, "a whole number");
        }
      }
      if (n < min || n > max) {
        throw bad(key, v, "a whole number from " + min + " to " + max);
      }
      return n;
    }

    double ratio(String key, double def) {
      Object v = get(key);
      if (v == null) {
        return def;
      }
      double d;
      try {
        d = v instanceof Number num ? num.doubleValue() : Double.parseDouble(String.valueOf(v));
      } catch (NumberFormatException e) {
        throw bad(key, v, "a number from 0 to 1");
      }
      if (!(d >= 0 && d <= 1)) {
        throw bad(key, v, "a number from 0 to 1");
      }
      return d;
    }

    Duration duration(String key, Duration def, Duration min) {
      Object v = get(key);
      if (v == null) {
        return def;
      }
      Matcher m = DURATION.matcher(String.valueOf(v).trim());
      if (!m.matches()) {
        throw bad(key, v, "a duration such as 500ms, 10s, 2m or 1h");
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
        throw bad(key, v, "a duration of at most about 292 million years");
      }
      if (d.compareTo(min) < 0) {
        throw bad(key, v, "a duration of at least " + min.toMillis() + "ms");
      }
      return d;
    }
  }
}
