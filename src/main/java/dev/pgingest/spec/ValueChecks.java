package dev.pgingest.spec;

import dev.pgingest.sink.SqlNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/**
 * Checks single values of the spec (strings, names, numbers, durations, choices) for every section
 * checker, so that a value of one kind is refused in the same words wherever it appears.
 */
record ValueChecks(KeyOrigins origins) {

  /** {@code value}, or {@code def} when the spec leaves the key out. */
  static String or(String value, String def) {
    return value != null ? value : def;
  }

  /** {@code given} as one of {@code values}, spelled in lower case; {@code def} when absent. */
  <E extends Enum<E>> E choice(String key, String given, E def, E[] values) {
    if (given == null) {
      return def;
    }
    for (E v : values) {
      if (v.name().toLowerCase(Locale.ROOT).equals(given.trim())) {
        return v;
      }
    }
    throw origins.bad(
        key,
        given,
        "one of "
            + Arrays.stream(values)
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }

  /** The trimmed string; {@code def} when absent, or a "missing" error when there is no default. */
  String string(String key, String value, String def) {
    if (value == null) {
      if (def == null) {
        throw origins.missing(key, null);
      }
      return def;
    }
    return value.trim();
  }

  /** The list as given, empty when absent; a null entry (an empty YAML item) is refused. */
  List<String> strings(String key, List<String> given) {
    if (given == null) {
      return List.of();
    }
    for (String s : given) {
      if (s == null) {
        throw origins.bad(key, given, "a list of strings, none of them empty");
      }
    }
    return given;
  }

  char character(String key, String value, char def) {
    if (value == null) {
      return def;
    }
    if (value.length() != 1) {
      throw origins.bad(key, value, "exactly one character, such as , or ; or \"\\t\" for a tab");
    }
    return value.charAt(0);
  }

  /**
   * A SQL name of at most {@code maxBytes}: tables get fewer than PostgreSQL's limit because index
   * and constraint names are built from them.
   */
  String identifier(String key, String name, int maxBytes) {
    String problem = SqlNames.identifierProblem(name);
    if (problem != null) {
      throw origins.bad(key, name, SqlNames.IDENTIFIER_RULE + ": " + problem);
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      throw origins.bad(
          key,
          name,
          "a name of at most "
              + maxBytes
              + " bytes, so that the index names built from it fit PostgreSQL's "
              + SqlNames.MAX_IDENTIFIER_BYTES
              + ": it is "
              + bytes
              + " bytes long");
    }
    return name;
  }

  long integer(String key, Long v, long def, long min, long max) {
    if (v == null) {
      return def;
    }
    if (v < min || v > max) {
      throw origins.bad(key, v, "a whole number from " + min + " to " + max);
    }
    return v;
  }

  double ratio(String key, Double v, double def) {
    if (v == null) {
      return def;
    }
    // Written so that NaN fails too.
    if (!(v >= 0 && v <= 1)) {
      throw origins.bad(key, v, "a number from 0 to 1");
    }
    return v;
  }

  /** A number with an optional unit (ms, s, m, h; bare means ms), at least {@code min}. */
  Duration duration(String key, String v, Duration def, Duration min) {
    if (v == null) {
      return def;
    }
    Matcher m = JobSpecParser.DURATION.matcher(v.trim());
    if (!m.matches()) {
      throw origins.bad(key, v, "a duration such as 500ms, 10s, 2m or 1h");
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
      // The run reads durations in milliseconds; one that overflows them is refused here.
      d.toMillis();
    } catch (NumberFormatException | ArithmeticException e) {
      throw origins.bad(key, v, "a duration of at most about 292 million years");
    }
    if (d.compareTo(min) < 0) {
      throw origins.bad(key, v, "a duration of at least " + min.toMillis() + "ms");
    }
    return d;
  }
}
