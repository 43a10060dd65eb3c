package dev.pgingest.mapping;

import dev.pgingest.sink.UpsertRow;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A row of a declared table: its values as text (already checked and normalised for their column
 * types), in the order of the table's written columns.
 *
 * @param table index of the table in the job's table list
 * @param key the table index and key values, unique across the job's tables
 * @param route the key of the row's parent row (or its own key): the shuffle key
 * @param repeats what dedup does with repeats of the key, from the table's write mode
 * @param values one per written column; null for SQL NULL
 * @param file the file the record came from
 * @param line the line where the record starts
 * @param fingerprint a hash of the values, equal for exact repeats
 * @param repeat whether the run already wrote this key (for counts)
 */
public record TableRow(
    int table,
    String key,
    String route,
    Repeats repeats,
    String[] values,
    String file,
    long line,
    long fingerprint,
    boolean repeat)
    implements UpsertRow<TableRow> {

  public TableRow(
      int table,
      String key,
      String route,
      Repeats repeats,
      String[] values,
      String file,
      long line,
      long fingerprint) {
    this(table, key, route, repeats, values, file, line, fingerprint, false);
  }

  /** This row sent with other rows: all rows of one record share the route of its top row. */
  public TableRow withRoute(String newRoute) {
    return new TableRow(table, key, newRoute, repeats, values, file, line, fingerprint, repeat);
  }

  /**
   * Gives out the rows of one record all with the route of the first, so they meet in one writer in
   * this order (a pipeline's parents before their children).
   */
  public static void sendTogether(List<TableRow> rows, Consumer<TableRow> out) {
    if (rows.isEmpty()) {
      return;
    }
    String route = rows.get(0).route();
    for (TableRow row : rows) {
      out.accept(row.route().equals(route) ? row : row.withRoute(route));
    }
  }

  @Override
  public TableRow asRepeat() {
    return new TableRow(table, key, route, repeats, values, file, line, fingerprint, true);
  }

  @Override
  public TableRow merge(TableRow later) {
    TableRow m = mergeValues(later);
    // A key the run writes for the first time stays first, whatever merges into it.
    boolean rep = repeat && later.repeat;
    return m.repeat == rep
        ? m
        : new TableRow(
            m.table, m.key, m.route, m.repeats, m.values, m.file, m.line, m.fingerprint, rep);
  }

  private TableRow mergeValues(TableRow later) {
    boolean laterIsNewer = later.order().compareTo(order()) >= 0;
    return switch (repeats) {
      case FIRST_WINS -> laterIsNewer ? this : later;
      case LATEST_WINS, NONE -> laterIsNewer ? later : this;
      case MERGE -> {
        TableRow older = laterIsNewer ? this : later;
        TableRow newer = laterIsNewer ? later : this;
        // A later record fills in and corrects; a missing value does not erase one.
        String[] merged = Arrays.copyOf(older.values, older.values.length);
        for (int i = 0; i < merged.length; i++) {
          if (newer.values[i] != null) {
            merged[i] = newer.values[i];
          }
        }
        yield new TableRow(
            table,
            key,
            route,
            repeats,
            merged,
            newer.file,
            newer.line,
            FieldMapper.fingerprint(merged));
      }
    };
  }

  @Override
  public String order() {
    // Zero-padded, so positions compare as text; String.format costs more than the rest of dedup.
    String l = Long.toString(line);
    return file + '\u0000' + "0".repeat(19 - l.length()) + l;
  }

  @Override
  public String describe() {
    return String.join(" | ", Arrays.stream(values).map(v -> v == null ? "NULL" : v).toList());
  }
}
