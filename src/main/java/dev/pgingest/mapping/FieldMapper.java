package dev.pgingest.mapping;

import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.sink.SqlType;
import dev.pgingest.sink.UpsertRow.Repeats;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps a field record to one row per table its source feeds, as the spec declares: each column from
 * a field (null tokens and types checked) or a built-in value.
 */
final class FieldMapper implements RowMapper<FieldRecord, TableRow> {

  /** Where a column's value comes from. */
  enum Kind {
    FIELD,
    RUN,
    FILE,
    LINE,
    RECORD
  }

  /**
   * One written column: its source, type, whether it must have a value, and the range its value
   * must lie in (bounds null when open).
   */
  record Plan(
      String column,
      Kind kind,
      String field,
      SqlType type,
      boolean required,
      BigDecimal min,
      BigDecimal max)
      implements Serializable {}

  /**
   * One table this source feeds.
   *
   * @param index the table's index in the job
   * @param name the table's name, for messages
   * @param columns written columns, in order
   * @param key positions of the key columns in {@code columns}
   * @param parentIndex the parent table's index, or -1
   * @param route positions of the parent's key columns in {@code columns} (the parent's key order),
   *     empty without a parent
   * @param repeats from the table's write mode
   */
  record Target(
      int index,
      String name,
      List<Plan> columns,
      int[] key,
      int parentIndex,
      int[] route,
      Repeats repeats)
      implements Serializable {}

  private final List<Target> targets;
  private final Set<String> nullTokens;
  private final String runId;

  /** Table indexes + 1, when a child's parent is among the targets too; 0 otherwise. */
  private final int chainSlots;

  FieldMapper(List<Target> targets, List<String> nullTokens, long runId) {
    this.targets = List.copyOf(targets);
    this.nullTokens = new HashSet<>(nullTokens);
    this.runId = Long.toString(runId);
    Set<Integer> mapped = new HashSet<>();
    int slots = 0;
    for (Target t : targets) {
      if (t.parentIndex() >= 0 && mapped.contains(t.parentIndex())) {
        slots = targets.stream().mapToInt(Target::index).max().orElse(0) + 1;
      }
      mapped.add(t.index());
    }
    this.chainSlots = slots;
  }

  @Override
  public void map(FieldRecord record, String file, long line, Consumer<TableRow> out) {
    // A row routes with the parent row the same record made, and so, through it, with the record's
    // top row: a grandchild (a row under a row under the top row) then reaches the same writer as
    // its
    // whole line of parents and never the database before them.
    String[] keys = chainSlots == 0 ? null : new String[chainSlots];
    String[] routes = chainSlots == 0 ? null : new String[chainSlots];
    for (Target t : targets) {
      List<Plan> plans = t.columns();
      String[] values = new String[plans.size()];
      for (int i = 0; i < values.length; i++) {
        Plan p = plans.get(i);
        String v =
            switch (p.kind()) {
              case FIELD -> field(record, p);
              case RUN -> runId;
              case FILE -> file;
              case LINE -> Long.toString(line);
              case RECORD -> record.json();
            };
        if (v == null) {
          if (p.required()) {
            throw new IllegalArgumentException(
                t.name() + "." + p.column() + ": no value in field '" + p.field() + "'");
          }
        } else if (p.kind() == Kind.FIELD) {
          try {
            v = Values.convert(p.type(), v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                t.name() + "." + p.column() + ": '" + clip(v) + "' " + e.getMessage());
          }
          if (p.min() != null || p.max() != null) {
            inRange(t, p, v);
          }
        }
        values[i] = v;
      }
      for (int k : t.key()) {
        if (values[k] == null) {
          Plan p = plans.get(k);
          throw new IllegalArgumentException(
              t.name()
                  + "."
                  + p.column()
                  + ": the key has no value"
                  + (p.kind() == Kind.FIELD ? " in field '" + p.field() + "'" : ""));
        }
      }
      // Appended rows are unique by construction and never merged: a short key only spreads them.
      String key =
          t.repeats() == Repeats.NONE ? t.index() + ":" + line : join(t.index(), values, t.key());
      String route = t.parentIndex() < 0 ? key : join(t.parentIndex(), values, t.route());
      if (keys != null) {
        if (t.parentIndex() >= 0 && route.equals(keys[t.parentIndex()])) {
          route = routes[t.parentIndex()];
        }
        keys[t.index()] = key;
        routes[t.index()] = route;
      }
      // Only merged rows compare fingerprints; the other modes drop or keep repeats without them.
      long fp = t.repeats() == Repeats.MERGE ? fingerprint(values) : 0;
      out.accept(new TableRow(t.index(), key, route, t.repeats(), values, file, line, fp));
    }
  }

  private String field(FieldRecord record, Plan p) {
    String v = record.get(p.field());
    return v == null || nullTokens.contains(v.trim()) ? null : v;
  }

  /** Table index and key values, separated by a character no checked value holds unescaped. */
  private static String join(int table, String[] values, int[] positions) {
    StringBuilder sb = new StringBuilder().append(table);
    for (int p : positions) {
      String v = values[p];
      sb.append('\u001f');
      // Escaped, so ("a\u001fb", "c") and ("a", "b\u001fc") stay two keys.
      sb.append(v.replace("\\", "\\\\").replace("\u001f", "\\u"));
    }
    return sb.toString();
  }

  /** A 64-bit hash of the values, equal for exact repeats. */
  static long fingerprint(String[] values) {
    long h = 0xcbf29ce484222325L;
    for (String v : values) {
      if (v == null) {
        h = (h ^ 0xff) * 0x100000001b3L;
        continue;
      }
      for (int i = 0; i < v.length(); i++) {
        h = (h ^ v.charAt(i)) * 0x100000001b3L;
      }
      h = (h ^ 0x1f) * 0x100000001b3L;
    }
    return h;
  }

  /** Rejects a value outside the column's declared range, naming value and bound. */
  private static void inRange(Target t, Plan p, String v) {
    BigDecimal n = new BigDecimal(v);
    if (p.min() != null && n.compareTo(p.min()) < 0) {
      throw new IllegalArgumentException(
          t.name()
              + "."
              + p.column()
              + ": "
              + v
              + " is below the minimum "
              + p.min().toPlainString());
    }
    if (p.max() != null && n.compareTo(p.max()) > 0) {
      throw new IllegalArgumentException(
          t.name()
              + "."
              + p.column()
              + ": "
              + v
              + " is above the maximum "
              + p.max().toPlainString());
    }
  }

  private static String clip(String v) {
    return v.length() <= 80 ? v : v.substring(0, 77) + "...";
  }
}
