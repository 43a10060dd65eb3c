package dev.pgingest.mapping;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.Sniff;
import dev.pgingest.format.csv.CsvCodec;
import dev.pgingest.format.jsonl.JsonlCodec;
import dev.pgingest.graph.DeclaredTables;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.sink.Column;
import dev.pgingest.sink.ColumnMerge;
import dev.pgingest.sink.IndexDef;
import dev.pgingest.sink.SqlType;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow.Repeats;
import dev.pgingest.sink.WriteMode;
import dev.pgingest.spec.ColumnSpec;
import dev.pgingest.spec.CsvOptions;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.TableSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The pipeline of a job declared in YAML alone: CSV and JSONL sources, tables, columns and write
 * modes as the spec's {@code tables} say.
 */
public final class DeclaredPipeline implements PipelineDef<FieldRecord, TableRow>, DeclaredTables {

  @Override
  public String name() {
    return "declared";
  }

  @Override
  public Set<String> formats() {
    return Set.of("csv", "jsonl", "auto");
  }

  @Override
  public CodecFactory<FieldRecord> codec(JobSpec spec, SourceSpec source) {
    return FieldCodecs.factory(source, keepsRecord(spec, t -> true));
  }

  @Override
  public boolean reads(SourceSpec source, String path) {
    return !source.format().equals("auto") || FieldCodecs.byName(path) != null;
  }

  /**
   * By content: a JSON object line for {@code jsonl}, a header row for {@code csv}, either for
   * {@code auto}; the fields the source's tables map must show, every required or key one and at
   * least one of the others. A CSV source without a header row has no names to show and keeps the
   * name rule ({@code .csv}).
   */
  @Override
  public boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    Set<String> required = new LinkedHashSet<>();
    Set<String> mapped = new LinkedHashSet<>();
    for (TableSpec t : spec.tables()) {
      if (!source.tables().isEmpty() && !source.tables().contains(t.name())) {
        continue;
      }
      for (ColumnSpec c : t.columns()) {
        if (c.field() == null) {
          continue;
        }
        mapped.add(c.field());
        if (c.required() || t.key().contains(c.name())) {
          required.add(c.field());
        }
      }
    }
    CsvOptions csv = source.csv() == null ? CsvOptions.defaults() : source.csv();
    boolean json =
        switch (source.format()) {
          case "jsonl" -> true;
          case "csv" -> false;
          default -> Sniff.startsWithObject(head);
        };
    if (json) {
      return JsonlCodec.recognizes(head, required, mapped);
    }
    if (!csv.header()) {
      return "csv".equals(FieldCodecs.byName(path));
    }
    return CsvCodec.recognizes(head, csv.delimiter(), csv.quote(), required, mapped);
  }

  @Override
  public TypeInformation<Decoded<FieldRecord>> decodedType() {
    return TypeInformation.of(new TypeHint<Decoded<FieldRecord>>() {});
  }

  @Override
  public TypeInformation<TableRow> rowType() {
    return new TableRowSerializer.Type();
  }

  @Override
  public RowMapper<FieldRecord, TableRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    return fieldMapper(
        spec,
        t -> source.tables().isEmpty() || source.tables().contains(t.name()),
        source.nullTokens(),
        runId);
  }

  /**
   * Maps a field record to one row for each declared table that {@code feeds} selects, as the
   * spec's columns say; pipelines with declared tables map their own items through it.
   */
  public static RowMapper<FieldRecord, TableRow> fieldMapper(
      JobSpec spec, Predicate<TableSpec> feeds, List<String> nullTokens, long runId) {
    List<FieldMapper.Target> targets = new ArrayList<>();
    List<TableSpec> tables = spec.tables();
    for (int i = 0; i < tables.size(); i++) {
      TableSpec t = tables.get(i);
      if (!feeds.test(t)) {
        continue;
      }
      List<FieldMapper.Plan> plans = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ColumnSpec c : t.columns()) {
        if (c.sqlDefault() != null) {
          continue;
        }
        names.add(c.name());
        plans.add(
            new FieldMapper.Plan(
                c.name(),
                kind(c),
                c.field(),
                type(c),
                c.required() || t.key().contains(c.name()),
                c.min(),
                c.max()));
      }
      int parent = parentIndex(tables, t);
      int[] route = new int[0];
      if (parent >= 0) {
        List<String> parentKey = tables.get(parent).key();
        route = new int[parentKey.size()];
        // The parser made sure the child writes every column of its parent's key.
        for (int k = 0; k < route.length; k++) {
          route[k] = names.indexOf(parentKey.get(k));
        }
      }
      targets.add(
          new FieldMapper.Target(
              i,
              t.name(),
              plans,
              t.key().stream().mapToInt(names::indexOf).toArray(),
              parent,
              route,
              repeats(mode(t))));
    }
    return new FieldMapper(targets, nullTokens, runId);
  }

  /**
   * Whether a column of the selected tables takes the whole item ({@code $record}): a pipeline with
   * declared tables builds the item's JSON only then.
   */
  public static boolean keepsRecord(JobSpec spec, Predicate<TableSpec> which) {
    return spec.tables().stream()
        .filter(which)
        .flatMap(t -> t.columns().stream())
        .map(ColumnSpec::value)
        .anyMatch("$record"::equals);
  }

  @Override
  public List<TableDef<TableRow>> tables(JobSpec spec) {
    return tableDefs(spec);
  }

  /** The spec's declared tables as the sink writes them, parents before children. */
  static List<TableDef<TableRow>> tableDefs(JobSpec spec) {
    List<TableDef<TableRow>> out = new ArrayList<>();
    for (TableSpec t : spec.tables()) {
      WriteMode mode = mode(t);
      List<Column<TableRow>> columns = new ArrayList<>();
      int written = 0;
      for (ColumnSpec c : t.columns()) {
        boolean key = t.key().contains(c.name());
        ColumnMerge merge = key ? ColumnMerge.KEY : ColumnMerge.LATEST;
        if (c.sqlDefault() != null) {
          columns.add(new Column<>(c.name(), type(c), merge, false, null, c.sqlDefault()));
          continue;
        }
        int i = written++;
        Column.Getter<TableRow> getter = r -> r.values()[i];
        columns.add(new Column<>(c.name(), type(c), merge, key || c.required(), getter, null));
      }
      List<IndexDef> indexes =
          t.indexes().stream().map(x -> new IndexDef(x.name(), x.on(), x.unique(), true)).toList();
      String schema = t.schema() != null ? t.schema() : spec.target().schema();
      out.add(
          new TableDef<>(
              schema,
              t.name(),
              null,
              t.key(),
              mode,
              columns,
              indexes,
              t.parent(),
              t.create(),
              t.trim() == null
                  ? null
                  : new TableDef.Trim(t.trim().ordinal(), t.trim().count(), t.trim().first())));
    }
    return out;
  }

  /** A CSV or JSONL record is one row per table: no items to take rows {@code each} of. */
  @Override
  public Set<String> items() {
    return Set.of();
  }

  /** Any field name goes: CSV headers and JSON keys are the spec's to name. */
  @Override
  public List<String> fields(String each) {
    return null;
  }

  @Override
  public String expectedInput(JobSpec spec) {
    Set<String> fields = new LinkedHashSet<>();
    for (TableSpec t : spec.tables()) {
      for (ColumnSpec c : t.columns()) {
        if (c.field() != null) {
          fields.add(c.field());
        }
      }
    }
    List<String> some = new ArrayList<>(fields);
    return "records with the fields the spec maps ("
        + String.join(", ", some.subList(0, Math.min(5, some.size())))
        + (some.size() > 5 ? ", …" : "")
        + ")";
  }

  private static int parentIndex(List<TableSpec> tables, TableSpec t) {
    if (t.parent() == null) {
      return -1;
    }
    for (int i = 0; i < tables.size(); i++) {
      if (tables.get(i).name().equals(t.parent())) {
        return i;
      }
    }
    throw new SpecException(
        "table '" + t.name() + "' names parent '" + t.parent() + "', which is not declared");
  }

  private static FieldMapper.Kind kind(ColumnSpec c) {
    if (c.value() == null) {
      return FieldMapper.Kind.FIELD;
    }
    return switch (c.value()) {
      case "$run" -> FieldMapper.Kind.RUN;
      case "$file" -> FieldMapper.Kind.FILE;
      case "$line" -> FieldMapper.Kind.LINE;
      case "$record" -> FieldMapper.Kind.RECORD;
      default ->
          throw new SpecException(
              "column '" + c.name() + "' has unknown value '" + c.value() + "'");
    };
  }

  private static SqlType type(ColumnSpec c) {
    return SqlType.forName(c.type())
        .orElseThrow(
            () ->
                new SpecException("column '" + c.name() + "' has unknown type '" + c.type() + "'"));
  }

  private static WriteMode mode(TableSpec t) {
    return WriteMode.forName(t.mode() == null ? "merge" : t.mode())
        .orElseThrow(
            () ->
                new SpecException("table '" + t.name() + "' has unknown mode '" + t.mode() + "'"));
  }

  private static Repeats repeats(WriteMode mode) {
    return switch (mode) {
      case MERGE -> Repeats.MERGE;
      case INSERT_IF_NEW -> Repeats.FIRST_WINS;
      case APPEND -> Repeats.NONE;
      case REPLACE -> Repeats.LATEST_WINS;
    };
  }
}
