package dev.pgingest.graph;

import dev.pgingest.format.Decoded;
import dev.pgingest.format.Decoded.FileEnd;
import dev.pgingest.metrics.CountsAtEnd;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.metrics.ExactCounter;
import dev.pgingest.metrics.FileEndsAccumulator;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.unitstatus.UnitEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Maps decoded records to rows (any number per record); codec and mapping rejects go to a side
 * output, never a crash.
 */
public final class MapToRows<T, R extends UpsertRow<R>>
    extends ProcessFunction<Decoded<T>, RowOrReject<R>>
    implements CheckpointedFunction, CountsAtEnd {

  /** Accumulator and metric names. */
  public static final String READ = "read";

  public static final String BYTES = "bytesRead";

  /** Records mapped to rows: none at all means the input was not what the pipeline reads. */
  public static final String ACCEPTED = "accepted";

  /** Per-file totals ({@link FileEndsAccumulator}). */
  public static final String FILES = "files";

  /** Per-table accumulator of rows mapped: {@code rows.<table index>}. */
  public static final String ROWS = "rows";

  private final RowMapper<T, R> mapper;
  private final int tables;
  private transient ExactCounter[] tableRows;
  private transient List<R> pending;
  private final OutputTag<Reject> rejects;
  private final long maxRecordsPerSecond;
  private transient Throttle throttle;
  private transient ExactCounter read;
  private transient ExactCounter bytes;
  private transient ExactCounter accepted;
  private transient ListState<String> filesState;
  private transient Map<String, FileEnd> files;
  private transient FileEndsAccumulator filesAccumulator;
  private transient boolean markerSent;
  private transient Map<String, FileMetrics> perFile;

  /** Where unit events go, or null when the job keeps no progress. */
  private final OutputTag<UnitEvent> units;

  /** Per file: the units started in it (key → whether it failed), until the file's end. */
  private transient Map<String, Map<List<String>, Boolean>> started;

  private transient ListState<String> startedState;

  /**
   * One file's progress in the web UI ({@code file.<name>.records}, {@code .done}): with a folder
   * of divisions read several at once, it shows which are done and how far the others are.
   */
  private static final class FileMetrics {
    final org.apache.flink.metrics.Counter records;
    volatile int done;

    FileMetrics(org.apache.flink.metrics.MetricGroup group) {
      records = group.counter("records");
      group.gauge("done", () -> done);
    }
  }

  /**
   * @param maxRecordsPerSecond limit over all parallel subtasks, 0 for none
   */
  public MapToRows(
      RowMapper<T, R> mapper, int tables, OutputTag<Reject> rejects, long maxRecordsPerSecond) {
    this(mapper, tables, rejects, maxRecordsPerSecond, null);
  }

  /**
   * @param units where to tell the progress step about units (started, read, failed); null for a
   *     job without progress
   */
  public MapToRows(
      RowMapper<T, R> mapper,
      int tables,
      OutputTag<Reject> rejects,
      long maxRecordsPerSecond,
      OutputTag<UnitEvent> units) {
    this.mapper = mapper;
    this.tables = tables;
    this.rejects = rejects;
    this.maxRecordsPerSecond = maxRecordsPerSecond;
    this.units = units;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    read = new ExactCounter(READ);
    bytes = new ExactCounter(BYTES);
    accepted = new ExactCounter(ACCEPTED);
    read.initialize(context);
    bytes.initialize(context);
    accepted.initialize(context);
    tableRows = new ExactCounter[tables];
    for (int t = 0; t < tables; t++) {
      tableRows[t] = new ExactCounter(ROWS + "." + t);
      tableRows[t].initialize(context);
    }
    filesState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("file-ends", String.class));
    started = new HashMap<>();
    startedState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("started-units", String.class));
    for (String encoded : startedState.get()) {
      String[] f = encoded.split("\u0000", -1);
      started
          .computeIfAbsent(f[0], x -> new LinkedHashMap<>())
          .put(List.of(f).subList(2, f.length), f[1].equals("1"));
    }
    files = new HashMap<>();
    for (String encoded : filesState.get()) {
      int cut = encoded.indexOf('\u0000');
      files.put(encoded.substring(0, cut), FileEnd.decode(encoded.substring(cut + 1)));
    }
  }

  @Override
  public void open(OpenContext openContext) {
    read.open(getRuntimeContext());
    bytes.open(getRuntimeContext());
    accepted.open(getRuntimeContext());
    for (ExactCounter c : tableRows) {
      c.open(getRuntimeContext());
    }
    pending = new ArrayList<>(4);
    perFile = new HashMap<>();
    filesAccumulator = new FileEndsAccumulator();
    files.forEach((file, end) -> filesAccumulator.add(Map.entry(file, end)));
    getRuntimeContext().addAccumulator(FILES, filesAccumulator);
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    throttle =
        new Throttle(maxRecordsPerSecond <= 0 ? 0 : Math.max(1, maxRecordsPerSecond / parallelism));
  }

  @Override
  public void processElement(Decoded<T> in, Context ctx, Collector<RowOrReject<R>> out)
      throws InterruptedException {
    bytes.add(in.inputBytes());
    FileMetrics fm = perFile.computeIfAbsent(in.file(), this::fileMetrics);
    if (in.isFileEnd()) {
      fileRead(in.file(), ctx);
      fm.done = 1;
      files.put(in.file(), in.end());
      filesAccumulator.add(Map.entry(in.file(), in.end()));
      return;
    }
    throttle.acquire();
    read.add(1);
    fm.records.inc();
    if (in.isReject()) {
      ctx.output(rejects, new Reject(in.file(), in.line(), in.error(), in.raw()));
      return;
    }
    RowMapper.Unit unit = units == null ? null : mapper.unit(in.value(), in.file(), in.line());
    if (unit != null) {
      Map<List<String>, Boolean> inFile =
          started.computeIfAbsent(in.file(), f -> new LinkedHashMap<>());
      if (inFile.putIfAbsent(unit.key(), false) == null) {
        ctx.output(units, new UnitEvent(UnitEvent.Kind.STARTED, unit.key(), in.file(), null));
      }
    }
    if (mapper.checksFirst()) {
      boolean[] first = {true};
      try {
        mapper.map(
            in.value(),
            in.file(),
            in.line(),
            row -> {
              if (first[0]) {
                first[0] = false;
                accept(ctx);
              }
              emit(row, out);
            });
      } catch (IllegalArgumentException e) {
        if (!first[0]) {
          throw new IllegalStateException(
              "mapper threw after its first row of " + in.file() + ":" + in.line(), e);
        }
        ctx.output(
            rejects, new Reject(in.file(), in.line(), e.getMessage(), String.valueOf(in.value())));
        unitFailed(unit, in.file(), e.getMessage(), ctx);
      }
      return;
    }
    pending.clear();
    try {
      mapper.map(in.value(), in.file(), in.line(), pending::add);
    } catch (IllegalArgumentException e) {
      ctx.output(
          rejects, new Reject(in.file(), in.line(), e.getMessage(), String.valueOf(in.value())));
      unitFailed(unit, in.file(), e.getMessage(), ctx);
      return;
    }
    accept(ctx);
    for (R row : pending) {
      emit(row, out);
    }
  }

  /** A unit read whole from a rejected record failed; a part of a unit only loses its rows. */
  private void unitFailed(RowMapper.Unit unit, String file, String reason, Context ctx) {
    if (unit == null || !unit.whole()) {
      return;
    }
    started.get(file).put(unit.key(), true);
    ctx.output(units, new UnitEvent(UnitEvent.Kind.FAILED, unit.key(), file, reason));
  }

  /** Every unit of a file read to its end, except those that failed, has all its rows sent. */
  private void fileRead(String file, Context ctx) {
    Map<List<String>, Boolean> inFile = started.remove(file);
    if (inFile == null) {
      return;
    }
    inFile.forEach(
        (key, failed) -> {
          if (!failed) {
            ctx.output(units, new UnitEvent(UnitEvent.Kind.READ, key, file, null));
          }
        });
  }

  private FileMetrics fileMetrics(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    return new FileMetrics(getRuntimeContext().getMetricGroup().addGroup("file", name));
  }

  private void accept(Context ctx) {
    accepted.add(1);
    if (!markerSent) {
      markerSent = true;
      ctx.output(rejects, Reject.acceptedMarker());
    }
  }

  private void emit(R row, Collector<RowOrReject<R>> out) {
    tableRows[row.table()].add(1);
    out.collect(RowOrReject.row(row));
  }

  @Override
  public EndCounts countsAtEnd() {
    EndCounts end = EndCounts.of(Map.of());
    read.addTo(end.counts());
    bytes.addTo(end.counts());
    accepted.addTo(end.counts());
    for (ExactCounter c : tableRows) {
      c.addTo(end.counts());
    }
    files.forEach((file, e) -> end.files().put(file, e.encode()));
    return end;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    read.snapshot();
    bytes.snapshot();
    accepted.snapshot();
    for (ExactCounter c : tableRows) {
      c.snapshot();
    }
    List<String> encoded = new ArrayList<>(files.size());
    files.forEach((file, e) -> encoded.add(file + "\u0000" + e.encode()));
    filesState.update(encoded);
    List<String> open = new ArrayList<>();
    started.forEach(
        (file, inFile) ->
            inFile.forEach(
                (key, failed) ->
                    open.add(
                        file
                            + "\u0000"
                            + (failed ? "1" : "0")
                            + "\u0000"
                            + String.join("\u0000", key))));
    startedState.update(open);
  }
}
