package dev.pgingest.spec;

import static dev.pgingest.spec.ColumnChecks.written;
import static dev.pgingest.spec.ValueChecks.or;

import dev.pgingest.graph.DeclaredTables;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.sink.SqlNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks {@code tables} (key, indexes, parent, each, trim-by-parent) and the {@code summary}. */
final class TableChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;
  private final ColumnChecks columnChecks;

  TableChecks(ValueChecks values) {
    this.origins = values.origins();
    this.values = values;
    this.columnChecks = new ColumnChecks(values);
  }

  /**
   * The declared tables, parents before children; a pipeline that writes its own table takes none.
   * Each table's columns, key, indexes, parent, {@code each} and trim are checked here.
   */
  List<TableSpec> tables(
      List<SpecYaml.Table> given, PipelineDef<?, ?> pipeline, String defaultSchema) {
    if (pipeline != null && !(pipeline instanceof DeclaredTables)) {
      if (given != null) {
        throw new SpecException(
            origins.where("tables")
                + " is given with pipeline '"
                + pipeline.name()
                + "'; expected tables only in a job without 'pipeline' (a pipeline writes its"
                + " own table, named by target.table)");
      }
      return List.of();
    }
    if (given == null || given.isEmpty()) {
      throw origins.missing(
          "tables",
          pipeline == null
              ? "a job without 'pipeline' declares at least one table to write"
              : "pipeline '" + pipeline.name() + "' writes the tables its job declares");
    }
    Set<String> items = pipeline instanceof DeclaredTables d ? d.items() : Set.of();
    List<TableSpec> out = new ArrayList<>();
    // Index names are unique per schema in PostgreSQL, not per table.
    Set<String> indexNames = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      SpecYaml.Table t = given.get(i);
      String at = t.name == null || t.name.isBlank() ? "tables[" + i + "]" : "tables." + t.name;
      String name =
          values.identifier(
              at + ".name",
              values.string(at + ".name", t.name, null),
              JobSpecParser.MAX_TABLE_BYTES);
      List<String> earlier = out.stream().map(TableSpec::name).toList();
      if (earlier.contains(name)) {
        throw origins.bad(at + ".name", name, "a name no other table has");
      }
      String schema =
          values.identifier(
              at + ".schema", or(t.schema, defaultSchema), SqlNames.MAX_IDENTIFIER_BYTES);
      String mode = or(t.mode, "merge");
      if (!TableSpec.MODES.contains(mode)) {
        throw origins.bad(at + ".mode", mode, "one of " + String.join(", ", TableSpec.MODES));
      }
      List<ColumnSpec> columns = columnChecks.columns(at, t.columns);
      List<String> key = key(at, t.key, mode, columns);
      List<IndexSpec> indexes = indexes(at, t.indexes, indexNames);
      // Parents are written first, so only a table declared earlier can be one.
      if (t.parent != null && !earlier.contains(t.parent)) {
        throw origins.bad(
            at + ".parent",
            t.parent,
            earlier.isEmpty()
                ? "a table declared before this one (parents come first), and none is"
                : "a table declared before this one (parents come first): "
                    + String.join(", ", earlier));
      }
      TableSpec parent =
          out.stream().filter(p -> p.name().equals(t.parent)).findFirst().orElse(null);
      if (parent != null) {
        // A child row is routed by its parent's key, so it must carry every column of it.
        for (String k : parent.key()) {
          if (!written(columns).contains(k)) {
            throw origins.bad(
                at + ".parent",
                t.parent,
                "a parent whose key columns this table writes too; it has no written column '"
                    + k
                    + "'");
          }
        }
      }
      if (t.each != null && !items.contains(t.each)) {
        throw origins.bad(
            at + ".each",
            t.each,
            items.isEmpty()
                ? "no 'each': "
                    + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
                    + " makes one row per record"
                : "one of " + String.join(", ", new TreeSet<>(items)));
      }
      TableSpec.Trim trim = trim(at, t, columns, parent);
      // Records of a pipeline have fixed fields, listed by it; those of CSV or JSON files (a job
      // without 'pipeline', or a pipeline that lists none) may have any.
      List<String> fields = pipeline instanceof DeclaredTables d ? d.fields(t.each) : null;
      for (ColumnSpec c : columns) {
        if (fields != null && c.field() != null && !fields.contains(c.field())) {
          throw origins.bad(
              at + ".columns." + c.name() + ".field",
              c.field(),
              "a field of pipeline '"
                  + pipeline.name()
                  + "'"
                  + (t.each == null ? "" : " for each " + t.each)
                  + ": "
                  + String.join(", ", fields));
        }
      }
      out.add(
          new TableSpec(
              name,
              schema,
              mode,
              key,
              columns,
              indexes,
              t.parent,
              t.create == null || t.create,
              t.each,
              trim));
    }
    return out;
  }

  /** The table's secondary indexes; {@code taken} holds the index names of the tables before. */
  private List<IndexSpec> indexes(String at, List<SpecYaml.Index> given, Set<String> taken) {
    List<IndexSpec> indexes = new ArrayList<>();
    for (int j = 0; given != null && j < given.size(); j++) {
      SpecYaml.Index x = given.get(j);
      String ia =
          x.name == null || x.name.isBlank()
              ? at + ".indexes[" + j + "]"
              : at + ".indexes." + x.name;
      String iname =
          values.identifier(
              ia + ".name",
              values.string(ia + ".name", x.name, null),
              SqlNames.MAX_IDENTIFIER_BYTES);
      if (!taken.add(iname)) {
        throw origins.bad(ia + ".name", iname, "a name no other index has");
      }
      String on = values.string(ia + ".on", x.on, null);
      if (on.isBlank()) {
        throw origins.bad(ia + ".on", on, "what follows ON table, such as (status)");
      }
      indexes.add(new IndexSpec(iname, on, x.unique != null && x.unique));
    }
    return indexes;
  }

  /**
   * A child's trim-by-parent: its ordinal column here, the count column in the parent, and the
   * ordinal its first row has (0 unless given).
   */
  private TableSpec.Trim trim(
      String at, SpecYaml.Table t, List<ColumnSpec> columns, TableSpec parent) {
    if (t.trimByParent == null) {
      return null;
    }
    String tat = at + ".trim-by-parent";
    if (parent == null) {
      throw new SpecException(
          origins.where(tat)
              + " is given without a parent; expected it only on a table with 'parent'");
    }
    String ordinal = values.string(tat + ".ordinal", t.trimByParent.ordinal, null);
    String count = values.string(tat + ".count", t.trimByParent.count, null);
    List<String> here = written(columns);
    if (!here.contains(ordinal)) {
      throw origins.bad(
          tat + ".ordinal", ordinal, "a column this table writes: " + String.join(", ", here));
    }
    List<String> there = written(parent.columns());
    if (!there.contains(count)) {
      throw origins.bad(
          tat + ".count",
          count,
          "a column the parent " + parent.name() + " writes: " + String.join(", ", there));
    }
    long first =
        values.integer(
            tat + ".first", t.trimByParent.first, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
    return new TableSpec.Trim(ordinal, count, first);
  }

  /** The conflict key: written columns, each once; for append, one that tells records apart. */
  private List<String> key(
      String table, List<String> given, String mode, List<ColumnSpec> columns) {
    String at = table + ".key";
    List<String> key = values.strings(at, given);
    if (key.isEmpty()) {
      throw origins.missing(at, "a table has a key of one or more of its columns");
    }
    List<String> written = written(columns);
    Set<String> seen = new HashSet<>();
    for (String k : key) {
      if (!written.contains(k)) {
        throw origins.bad(
            at,
            k,
            "a column the load writes (one with field or value): " + String.join(", ", written));
      }
      if (!seen.add(k)) {
        throw origins.bad(at, k, "each column once");
      }
    }
    if (mode.equals("append")) {
      Set<String> fixed =
          columns.stream()
              .filter(c -> key.contains(c.name()) && c.value() != null)
              .map(ColumnSpec::value)
              .collect(Collectors.toSet());
      if (!fixed.contains("$file") || !fixed.contains("$line")) {
        throw origins.bad(
            at,
            key,
            "for mode append a key that includes a column with value $file and one with value"
                + " $line, so that a record replayed after a failure is not added twice");
      }
    }
    return key;
  }

  /** The {@code summary}: names for counts of the declared tables, {@code table.count} each. */
  Map<String, String> summary(
      Map<String, String> given, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
    if (given == null) {
      return Map.of();
    }
    if (pipeline != null && !(pipeline instanceof DeclaredTables)) {
      throw new SpecException(
          origins.where("summary")
              + " is given with pipeline '"
              + pipeline.name()
              + "'; expected summary only in a job without 'pipeline' (a pipeline reports its"
              + " own table's counts)");
    }
    List<String> declared = tables.stream().map(TableSpec::name).toList();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String at = "summary." + e.getKey();
      String problem = SqlNames.identifierProblem(e.getKey());
      if (problem != null) {
        throw new SpecException(
            origins.where(at) + " is not " + SqlNames.IDENTIFIER_RULE + ": " + problem);
      }
      String ref = values.string(at, e.getValue(), null);
      int dot = ref.lastIndexOf('.');
      String table = dot < 0 ? ref : ref.substring(0, dot);
      String count = dot < 0 ? "" : ref.substring(dot + 1);
      if (!declared.contains(table) || !JobSpecParser.SUMMARY_COUNTS.contains(count)) {
        throw origins.bad(
            at,
            ref,
            "table.count with table one of "
                + String.join(", ", declared)
                + " and count one of "
                + String.join(", ", JobSpecParser.SUMMARY_COUNTS));
      }
      out.put(e.getKey(), ref);
    }
    return out;
  }
}
