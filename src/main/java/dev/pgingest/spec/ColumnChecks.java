package dev.pgingest.spec;

import dev.pgingest.sink.SqlNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Checks a declared table's {@code columns}: name, type, where the value comes from, range. */
final class ColumnChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;

  ColumnChecks(ValueChecks values) {
    this.origins = values.origins();
    this.values = values;
  }

  /**
   * The names of the columns the load writes, in order: a column left to its SQL default is not
   * written, so it cannot carry a key, a parent's key or a summed-up value.
   */
  static List<String> written(List<ColumnSpec> columns) {
    return columns.stream().filter(c -> c.sqlDefault() == null).map(ColumnSpec::name).toList();
  }

  /** The columns of the table whose key path is {@code table}, such as {@code tables.NAME}. */
  List<ColumnSpec> columns(String table, List<SpecYaml.Column> given) {
    if (given == null || given.isEmpty()) {
      throw origins.missing(table + ".columns", "a table declares at least one column");
    }
    List<ColumnSpec> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      SpecYaml.Column c = given.get(i);
      String at =
          c.name == null || c.name.isBlank()
              ? table + ".columns[" + i + "]"
              : table + ".columns." + c.name;
      String name =
          values.identifier(
              at + ".name",
              values.string(at + ".name", c.name, null),
              SqlNames.MAX_IDENTIFIER_BYTES);
      if (!seen.add(name)) {
        throw origins.bad(at + ".name", name, "a name no other column of the table has");
      }
      String written = values.string(at + ".type", c.type, null);
      String type = written.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      type = JobSpecParser.TYPE_ALIASES.getOrDefault(type, type);
      if (!ColumnSpec.TYPES.contains(type)) {
        throw origins.bad(at + ".type", written, "one of " + String.join(", ", ColumnSpec.TYPES));
      }
      int sources =
          (c.field != null ? 1 : 0) + (c.value != null ? 1 : 0) + (c.sqlDefault != null ? 1 : 0);
      if (sources != 1) {
        throw new SpecException(
            origins.where(at)
                + (sources == 0 ? " gives none of" : " gives more than one of")
                + " 'field', 'value', 'default'; expected exactly one: field (read from the"
                + " record), value (one of "
                + String.join(", ", ColumnSpec.VALUES)
                + ") or default (a SQL default; the load does not write the column)");
      }
      if (c.value != null && !ColumnSpec.VALUES.contains(c.value)) {
        throw origins.bad(at + ".value", c.value, "one of " + String.join(", ", ColumnSpec.VALUES));
      }
      if (c.field != null && c.field.isBlank()) {
        throw origins.bad(at + ".field", c.field, "the name of a field of the records");
      }
      if ((c.min != null || c.max != null) && !ColumnSpec.RANGED.contains(type)) {
        throw origins.bad(
            at + (c.min != null ? ".min" : ".max"),
            String.valueOf(c.min != null ? c.min : c.max),
            "no range: only " + String.join(", ", ColumnSpec.RANGED) + " columns take min and max");
      }
      // A range is checked on the value read from a record; a fixed value or a SQL default has
      // none to check.
      if ((c.min != null || c.max != null) && c.field == null) {
        throw origins.bad(
            at + (c.min != null ? ".min" : ".max"),
            String.valueOf(c.min != null ? c.min : c.max),
            "no range: only a column read from a record's field takes min and max");
      }
      if (c.min != null && c.max != null && c.min.compareTo(c.max) > 0) {
        throw origins.bad(
            at + ".max",
            c.max.toPlainString(),
            "a maximum no smaller than min " + c.min.toPlainString());
      }
      out.add(
          new ColumnSpec(
              name,
              type,
              c.field,
              c.value,
              c.sqlDefault,
              c.required != null && c.required,
              c.min,
              c.max));
    }
    return out;
  }
}
