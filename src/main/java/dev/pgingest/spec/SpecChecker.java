package dev.pgingest.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.Pipelines;
import dev.pgingest.sink.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;

/** Checks the bound spec against the rules Jackson cannot express, filling in defaults. */
final class SpecChecker {
  private final Where w;
  private final Path baseDir;

  SpecChecker(Where w, Path baseDir) {
    this.w = w;
    this.baseDir = baseDir;
  }

  JobSpec check(SpecBindings.Root b, String text, String hash) {
    String name = string("name", b.name, null);
    if (!JobSpecParser.NAME.matcher(name).matches()) {
      throw w.bad("name", name, "a name matching " + JobSpecParser.NAME.pattern());
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
        new SqlSpec(
            strings("sql.before", sql.before),
            strings("sql.after", sql.after),
            strings("sql.start", sql.start),
            steps(b.afterLoad)),
        text,
        hash,
        progress(b.progress, pipeline, tables));
  }

  /** The progress section: its table, a unit table of the job, and summed-up columns. */
  private ProgressSpec progress(
      SpecBindings.Progress p, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
    if (p == null) {
      return null;
    }
    if (pipeline == null || !pipeline.tellsUnits()) {
      throw new SpecException(
          w.where("progress")
              + " is given, but "
              + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
              + " does not tell which unit (e.g. a race) its records belong to; expected progress"
              + " only with a pipeline that does, such as laps");
    }
    String table =
        identifier("progress.table", string("progress.table", p.table, null), Sql.MAX_IDENTIFIER_BYTES);
    List<String> names = tables.stream().map(TableSpec::name).toList();
    if (names.contains(table)) {
      throw w.bad("progress.table", table, "a table of its own, not one of the declared tables");
    }
    String unitName = string("progress.unit", p.unit, null);
    TableSpec unit = tables.stream().filter(t -> t.name().equals(unitName)).findFirst().orElse(null);
    if (unit == null || unit.each() != null) {
      throw w.bad(
          "progress.unit",
          unitName,
          "a declared table with one row per record: "
              + String.join(", ", tables.stream().filter(t -> t.each() == null).map(TableSpec::name).toList()));
    }
    Set<String> taken = new HashSet<>(unit.key());
    taken.addAll(ProgressSpec.FIXED);
    List<ProgressSpec.Summary> columns = new ArrayList<>();
    List<SpecBindings.ProgressColumn> given = p.columns == null ? List.of() : p.columns;
    for (int i = 0; i < given.size(); i++) {
      SpecBindings.ProgressColumn c = given.get(i);
      String at =
          c.name == null || c.name.isBlank() ? "progress.columns[" + i + "]" : "progress.columns." + c.name;
      String name = identifier(at + ".name", string(at + ".name", c.name, null), Sql.MAX_IDENTIFIER_BYTES);
      if (!taken.add(name)) {
        throw w.bad(at + ".name", name, "a name no other column of the status table has");
      }
      if ((c.count == null) == (c.max == null)) {
        throw new SpecException(
            w.where(at)
                + " gives "
                + (c.count == null ? "neither" : "both")
                + " of 'count' and 'max'; expected exactly one: count (a table, its rows under the"
                + " unit) or max (table.column, its greatest value under the unit)");
      }
      String ref = c.count != null ? c.count : c.max;
      String tableName = c.count != null ? c.count : ref.substring(0, Math.max(0, ref.indexOf('.')));
      String column = c.count != null ? null : ref.substring(ref.indexOf('.') + 1);
      TableSpec of = tables.stream().filter(t -> t.name().equals(tableName)).findFirst().orElse(null);
      String key = at + (c.count != null ? ".count" : ".max");
      if (of == null) {
        throw w.bad(key, ref, (c.count != null ? "a declared table: " : "table.column of a declared table: ") + String.join(", ", names));
      }
      for (String k : unit.key()) {
        if (!written(of.columns()).contains(k)) {
          throw w.bad(key, ref, "a table that writes the unit's key column '" + k + "' too");
        }
      }
      if (column != null && !written(of.columns()).contains(column)) {
        throw w.bad(key, ref, "a column " + of.name() + " writes: " + String.join(", ", written(of.columns())));
      }
      columns.add(new ProgressSpec.Summary(name, of.name(), column));
    }
    return new ProgressSpec(table, unit.name(), columns);
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
      table = identifier("target.table", t.table, JobSpecParser.MAX_TABLE_BYTES);
    }
    String objects = objects(t.objects, pipeline);
    return new TargetSpec(
        identifier("target.schema", or(t.schema, "public"), Sql.MAX_IDENTIFIER_BYTES),
        table,
        identifier(
            "target.rejects-table",
            or(t.rejectsTable, "ingest_rejects"),
            Sql.MAX_IDENTIFIER_BYTES),
        identifier(
            "target.runs-table", or(t.runsTable, "ingest_runs"), Sql.MAX_IDENTIFIER_BYTES),
        objects);
  }

  /**
   * The object store as a URI: {@code s3://bucket[/prefix]}, a {@code file:} URI, or a local
   * folder (relative to the current directory, where the user runs the command).
   */
  private String objects(String given, PipelineDef<?, ?> pipeline) {
    boolean stores = pipeline != null && pipeline.storesObjects();
    if (given == null) {
      if (stores) {
        throw w.missing(
            "target.objects",
            "pipeline '"
                + pipeline.name()
                + "' stores objects: an s3://bucket/prefix URI or a local folder");
      }
      return null;
    }
    if (!stores) {
      throw w.bad(
          "target.objects",
          given,
          "no target.objects: "
              + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
              + " stores no objects");
    }
    String v = given.strip();
    while (v.length() > 1 && v.endsWith("/") && !v.endsWith("://")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.startsWith("s3://") || v.startsWith("s3a://")) {
      if (v.endsWith("://")) {
        throw w.bad("target.objects", given, "s3://bucket or s3://bucket/prefix");
      }
      return v;
    }
    if (v.isEmpty() || v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !v.startsWith("file://")) {
      throw w.bad("target.objects", given, "an s3://bucket/prefix URI, a file:// URI or a local folder");
    }
    java.nio.file.Path local =
        v.startsWith("file:") ? java.nio.file.Path.of(java.net.URI.create(v)) : java.nio.file.Path.of(v);
    return local.toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
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
      // A pipeline that writes its own table reads one source; one with declared tables reads as
      // many as its formats allow (race pages and timing exports into the same tables).
      if (pipeline != null && !pipeline.declaresTables() && b.sources.size() > 1) {
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
    if (!JobSpecParser.SOURCE_NAME.matcher(name).matches()) {
      throw w.bad(at + ".name", name, "a name matching " + JobSpecParser.SOURCE_NAME.pattern());
    }
    String format = string(at + ".format", s.format, null);
    if (!Pipelines.formats().contains(format)) {
      throw w.bad(
          at + ".format",
          format,
          "one of the known formats: " + String.join(", ", Pipelines.formats()));
    }
    Set<String> readable = (pipeline == null ? Pipelines.declared() : pipeline).formats();
    if (!readable.contains(format)) {
      throw w.bad(
          at + ".format",
          format,
          "a format "
              + (pipeline == null ? "a declared job" : "pipeline " + pipeline.name())
              + " reads: "
              + String.join(", ", new TreeSet<>(readable)));
    }
    List<String> paths = new ArrayList<>();
    for (String p : strings(at + ".paths", s.paths)) {
      paths.add(JobSpecParser.resolve(p, baseDir));
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
        List<String> known = new ArrayList<>(JobSpecParser.knownKeys(SpecBindings.Source.class));
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
    if (pipeline != null && !pipeline.declaresTables()) {
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
      throw w.missing(
          "tables",
          pipeline == null
              ? "a job without 'pipeline' declares at least one table to write"
              : "pipeline '" + pipeline.name() + "' writes the tables its job declares");
    }
    Set<String> items = pipeline == null ? Set.of() : pipeline.items();
    List<TableSpec> out = new ArrayList<>();
    Set<String> indexNames = new HashSet<>();
    for (int i = 0; i < given.size(); i++) {
      SpecBindings.Table t = given.get(i);
      String at = t.name == null || t.name.isBlank() ? "tables[" + i + "]" : "tables." + t.name;
      String name = identifier(at + ".name", string(at + ".name", t.name, null), JobSpecParser.MAX_TABLE_BYTES);
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
      TableSpec parent =
          out.stream().filter(p -> p.name().equals(t.parent)).findFirst().orElse(null);
      if (parent != null) {
        // A child row is routed by its parent's key, so it must carry every column of it.
        for (String k : parent.key()) {
          if (!written(columns).contains(k)) {
            throw w.bad(
                at + ".parent",
                t.parent,
                "a parent whose key columns this table writes too; it has no written column '"
                    + k
                    + "'");
          }
        }
      }
      if (t.each != null && !items.contains(t.each)) {
        throw w.bad(
            at + ".each",
            t.each,
            items.isEmpty()
                ? "no 'each': "
                    + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
                    + " makes one row per record"
                : "one of " + String.join(", ", new java.util.TreeSet<>(items)));
      }
      TableSpec.Trim trim = trim(at, t, columns, parent);
      List<String> fields = pipeline == null ? null : pipeline.fields(t.each);
      for (ColumnSpec c : columns) {
        if (fields != null && c.field() != null && !fields.contains(c.field())) {
          throw w.bad(
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

  /** A child's trim-by-parent: its ordinal column here, the count column in the parent. */
  private TableSpec.Trim trim(
      String at, SpecBindings.Table t, List<ColumnSpec> columns, TableSpec parent) {
    if (t.trimByParent == null) {
      return null;
    }
    String tat = at + ".trim-by-parent";
    if (parent == null) {
      throw new SpecException(
          w.where(tat) + " is given without a parent; expected it only on a table with 'parent'");
    }
    String ordinal = string(tat + ".ordinal", t.trimByParent.ordinal, null);
    String count = string(tat + ".count", t.trimByParent.count, null);
    List<String> here = written(columns);
    if (!here.contains(ordinal)) {
      throw w.bad(tat + ".ordinal", ordinal, "a column this table writes: " + String.join(", ", here));
    }
    List<String> there = written(parent.columns());
    if (!there.contains(count)) {
      throw w.bad(
          tat + ".count",
          count,
          "a column the parent " + parent.name() + " writes: " + String.join(", ", there));
    }
    return new TableSpec.Trim(ordinal, count);
  }

  private static List<String> written(List<ColumnSpec> columns) {
    return columns.stream().filter(c -> c.sqlDefault() == null).map(ColumnSpec::name).toList();
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
      type = JobSpecParser.TYPE_ALIASES.getOrDefault(type, type);
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
      if ((c.min != null || c.max != null) && !ColumnSpec.RANGED.contains(type)) {
        throw w.bad(
            at + (c.min != null ? ".min" : ".max"),
            String.valueOf(c.min != null ? c.min : c.max),
            "no range: only " + String.join(", ", ColumnSpec.RANGED) + " columns take min and max");
      }
      if ((c.min != null || c.max != null) && c.field == null) {
        throw w.bad(
            at + (c.min != null ? ".min" : ".max"),
            String.valueOf(c.min != null ? c.min : c.max),
            "no range: only a column read from a record's field takes min and max");
      }
      if (c.min != null && c.max != null && c.min.compareTo(c.max) > 0) {
        throw w.bad(at + ".max", c.max.toPlainString(), "a maximum no smaller than min " + c.min.toPlainString());
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

  private List<String> key(
      String table, List<String> given, String mode, List<ColumnSpec> columns) {
    String at = table + ".key";
    List<String> key = strings(at, given);
    if (key.isEmpty()) {
      throw w.missing(at, "a table has a key of one or more of its columns");
    }
    List<String> written = written(columns);
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
    if (pipeline != null && !pipeline.declaresTables()) {
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
      if (!declared.contains(table) || !JobSpecParser.SUMMARY_COUNTS.contains(count)) {
        throw w.bad(
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
            Long.MAX_VALUE),
        (int)
            integer(
                "options.max-concurrent-uploads",
                o.maxConcurrentUploads,
                d.maxConcurrentUploads(),
                1,
                1000),
        choice("options.write-path", o.writePath, d.writePath(), Options.WritePath.values()),
        choice(
            "options.state-backend",
            o.stateBackend,
            d.stateBackend(),
            Options.StateBackend.values()));
  }

  private List<SqlSpec.Step> steps(List<SpecBindings.Step> given) {
    if (given == null) {
      return List.of();
    }
    List<SqlSpec.Step> out = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      SpecBindings.Step s = given.get(i);
      String at = "after-load[" + i + "]";
      if (s == null || s.name == null) {
        throw w.missing(at + ".name", "each step after the load needs a name");
      }
      String problem = Sql.identifierProblem(s.name);
      if (problem != null) {
        throw new SpecException(w.where(at + ".name") + " is not " + Sql.IDENTIFIER_RULE + ": " + problem);
      }
      if (out.stream().anyMatch(o -> o.name().equals(s.name))) {
        throw new SpecException(w.where(at + ".name") + " '" + s.name + "' is given twice");
      }
      List<String> sql = strings(at + ".sql", s.sql);
      if (sql.isEmpty()) {
        throw w.missing(at + ".sql", "a step runs at least one statement");
      }
      boolean enabled = true;
      if (s.run != null) {
        String v = s.run.asText().trim();
        if (s.run.isBoolean()) {
          enabled = s.run.booleanValue();
        } else if (v.equals("on") || v.equals("off")) {
          enabled = v.equals("on");
        } else {
          throw w.bad(at + ".run", s.run, "on or off");
        }
      }
      out.add(new SqlSpec.Step(s.name, sql, enabled));
    }
    return out;
  }

  /** {@code given} as one of {@code values}, spelled in lower case; {@code def} when absent. */
  private <E extends Enum<E>> E choice(String key, String given, E def, E[] values) {
    if (given == null) {
      return def;
    }
    for (E v : values) {
      if (v.name().toLowerCase(Locale.ROOT).equals(given.trim())) {
        return v;
      }
    }
    throw w.bad(
        key,
        given,
        "one of "
            + Arrays.stream(values)
                .map(v -> v.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
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
    Matcher m = JobSpecParser.DURATION.matcher(v.trim());
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
