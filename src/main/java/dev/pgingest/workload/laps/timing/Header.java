package dev.pgingest.workload.laps.timing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the columns a codec reads sit in a file, from its header row: names trimmed, in any order,
 * other columns ignored, so that exports that pad names or add columns still read.
 *
 * <p>Unnamed columns are allowed, unlike in {@link dev.pgingest.format.csv.CsvCodec}'s header:
 * timing exports end every line with the delimiter, which adds an empty last name. Only a column
 * read here named twice makes the header unusable, as either could be meant.
 */
final class Header {

  private final int fieldCount;
  private final Map<String, Integer> positions;

  /** The named columns not read, by trimmed name, first one of a name only. */
  private final Map<String, Integer> others;

  private Header(int fieldCount, Map<String, Integer> positions, Map<String, Integer> others) {
    this.fieldCount = fieldCount;
    this.positions = positions;
    this.others = others;
  }

  /**
   * Reads the header row {@code names} for the columns {@code read}.
   *
   * @throws IllegalArgumentException saying why the header is unusable: a column of {@code read}
   *     named twice, or one of {@code required} missing
   */
  static Header read(List<String> names, List<String> read, List<String> required) {
    Map<String, Integer> positions = new HashMap<>();
    Map<String, Integer> others = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      if (!read.contains(name)) {
        if (!name.isEmpty()) {
          others.putIfAbsent(name, i);
        }
        continue;
      }
      Integer earlier = positions.putIfAbsent(name, i);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "'" + name + "' names columns " + (earlier + 1) + " and " + (i + 1));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String name : required) {
      if (!positions.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "no " + String.join(", ", missing) + (missing.size() == 1 ? " column" : " columns"));
    }
    return new Header(names.size(), positions, others);
  }

  /** Why {@code fields} does not fit this header, or null when it does. */
  String misfit(List<String> fields) {
    return fields.size() == fieldCount
        ? null
        : "has " + fields.size() + " fields, the header names " + fieldCount;
  }

  /** Whether the header names {@code column}. */
  boolean has(String column) {
    return positions.containsKey(column);
  }

  /**
   * The named columns not read, by header name (trimmed), with their trimmed values in {@code
   * fields}, empty ones left out, in header order; empty when none.
   */
  Map<String, String> others(List<String> fields) {
    Map<String, String> out = null;
    for (Map.Entry<String, Integer> e : others.entrySet()) {
      String value = fields.get(e.getValue()).trim();
      if (!value.isEmpty()) {
        if (out == null) {
          out = new LinkedHashMap<>();
        }
        out.put(e.getKey(), value);
      }
    }
    return out == null ? Map.of() : out;
  }

  /** The column's trimmed value in {@code fields}, or null when it is absent or empty. */
  String value(List<String> fields, String column) {
    Integer at = positions.get(column);
    if (at == null) {
      return null;
    }
    String value = fields.get(at).trim();
    return value.isEmpty() ? null : value;
  }
}
