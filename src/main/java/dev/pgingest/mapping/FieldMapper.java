package dev.pgingest.mapping;

import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.sink.SqlType;
import dev.pgingest.sink.UpsertRow.Repeats;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps a field record to one row per table its source feeds, as the spec declares: each column
 * from a field (null tokens and types checked) or a built-in value.
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

  /** One written column: its source, type and whether it must have a value. */
  record Plan(String column, Kind kind, String field, SqlType type, boolean required)
      implements Serializable {}

  /**
   * One table this source feeds.
   *
   * @param index the table's index in the job
   * @param name the table's name, for messages
   * @param columns written columns, in order
   * @param key positions of the key columns in {@code columns}
   * @param parentIndex the parent table's index, or -1
   * @param route positions of the parent's key columns in {@code columns} (the parent's key
   *     order), empty without a parent
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

  FieldMapper(List<Target> targets, List<String> nullTokens, long runId) {
    this.targets = List.copyOf(targets);
    this.nullTokens = new HashSet<>(nullTokens);
    this.runId = Long.toString(runId);
  }

  @Override
  public void map(FieldRecord record, String file, long line, Consumer<TableRow> out) {
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
        }
        values[i] = v;
      }
      for (int k : t.key()) {
        if (values[k] == null) {
          Plan p = plans.get(k);
          throw new IllegalArgumentException(
              t.name() + "." + p.column() + ": the key has no value"
                  + (p.kind() == Kind.FIELD ? " in field '" + p.field() + "'" : ""));
        }
      }
      // Appended rows are unique by construction and never merged: a short key only spreads them.
      String key =
          t.repeats() == Repeats.NONE ? t.index() + ":" + line : join(t.index(), values, t.key());
      String route = t.parentIndex() < 0 ? key : join(t.parentIndex(), values, t.route());
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

  private static String clip(String v) {
    return v.length() <= 80 ? v : v.substring(0, 77) + "...";
  }
}
