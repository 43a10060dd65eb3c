package dev.pgingest.spec;

import static dev.pgingest.spec.ColumnChecks.written;

import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.ReportsUnits;
import dev.pgingest.sink.SqlNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks {@code progress}: its status table, the unit table and the summed-up columns. */
final class UnitStatusChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;

  UnitStatusChecks(ValueChecks values) {
    this.origins = values.origins();
    this.values = values;
  }

  /** The progress section, or null when absent; only a pipeline that reports units may have one. */
  UnitStatusSpec progress(SpecYaml.Progress p, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
    if (p == null) {
      return null;
    }
    if (!(pipeline instanceof ReportsUnits)) {
      throw new SpecException(
          origins.where("progress")
              + " is given, but "
              + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
              + " does not tell which unit its records belong to; progress needs a pipeline that"
              + " reports units");
    }
    String table =
        values.identifier(
            "progress.table",
            values.string("progress.table", p.table, null),
            SqlNames.MAX_IDENTIFIER_BYTES);
    List<String> names = tables.stream().map(TableSpec::name).toList();
    if (names.contains(table)) {
      throw origins.bad(
          "progress.table", table, "a table of its own, not one of the declared tables");
    }
    String unitName = values.string("progress.unit", p.unit, null);
    TableSpec unit =
        tables.stream().filter(t -> t.name().equals(unitName)).findFirst().orElse(null);
    // A unit is a record, so its table has one row per record, not one per item ('each').
    if (unit == null || unit.each() != null) {
      throw origins.bad(
          "progress.unit",
          unitName,
          "a declared table with one row per record: "
              + String.join(
                  ", ",
                  tables.stream().filter(t -> t.each() == null).map(TableSpec::name).toList()));
    }
    // A status row holds the unit's key columns and the fixed ones; summed-up columns take other
    // names.
    Set<String> taken = new HashSet<>(unit.key());
    taken.addAll(UnitStatusSpec.FIXED);
    List<UnitStatusSpec.Summary> columns = new ArrayList<>();
    List<SpecYaml.ProgressColumn> given = p.columns == null ? List.of() : p.columns;
    for (int i = 0; i < given.size(); i++) {
      SpecYaml.ProgressColumn c = given.get(i);
      String at =
          c.name == null || c.name.isBlank()
              ? "progress.columns[" + i + "]"
              : "progress.columns." + c.name;
      String name =
          values.identifier(
              at + ".name",
              values.string(at + ".name", c.name, null),
              SqlNames.MAX_IDENTIFIER_BYTES);
      if (!taken.add(name)) {
        throw origins.bad(at + ".name", name, "a name no other column of the status table has");
      }
      if ((c.count == null) == (c.max == null)) {
        throw new SpecException(
            origins.where(at)
                + " gives "
                + (c.count == null ? "neither" : "both")
                + " of 'count' and 'max'; expected exactly one: count (a table, its rows under the"
                + " unit) or max (table.column, its greatest value under the unit)");
      }
      String ref = c.count != null ? c.count : c.max;
      String tableName =
          c.count != null ? c.count : ref.substring(0, Math.max(0, ref.indexOf('.')));
      String column = c.count != null ? null : ref.substring(ref.indexOf('.') + 1);
      TableSpec of =
          tables.stream().filter(t -> t.name().equals(tableName)).findFirst().orElse(null);
      String key = at + (c.count != null ? ".count" : ".max");
      if (of == null) {
        throw origins.bad(
            key,
            ref,
            (c.count != null ? "a declared table: " : "table.column of a declared table: ")
                + String.join(", ", names));
      }
      // Rows are summed up per unit by the unit's key, so the table must carry it.
      for (String k : unit.key()) {
        if (!written(of.columns()).contains(k)) {
          throw origins.bad(key, ref, "a table that writes the unit's key column '" + k + "' too");
        }
      }
      if (column != null && !written(of.columns()).contains(column)) {
        throw origins.bad(
            key,
            ref,
            "a column " + of.name() + " writes: " + String.join(", ", written(of.columns())));
      }
      columns.add(new UnitStatusSpec.Summary(name, of.name(), column));
    }
    return new UnitStatusSpec(table, unit.name(), columns);
  }
}
