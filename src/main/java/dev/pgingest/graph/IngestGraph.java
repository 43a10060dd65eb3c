package dev.pgingest.graph;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.dedup.RouteKey;
import dev.pgingest.format.CodecFileFormat;
import dev.pgingest.format.Decoded;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.CopySink;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.GuardedSink;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.UpsertStatement;
import dev.pgingest.sink.Write;
import dev.pgingest.sink.WriteBatch;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.store.ObjectStore;
import dev.pgingest.store.Uploads;
import dev.pgingest.progress.ProgressOperator;
import dev.pgingest.progress.ProgressTable;
import dev.pgingest.progress.UnitEvent;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Builds the one job graph every pipeline shares: read each source → map to rows for any of the
 * tables (rejects aside) → keyed dedup → batch by key → one JDBC statement per batch for all
 * tables. The same method serves the local runner, the cluster job jar and tests.
 *
 * <p>Operator uids are stable across versions: savepoints map state to operators by them.
 */
public final class IngestGraph {

  /** Operator uids, fixed for savepoint compatibility. */
  public static final String UID_SOURCE = "source";

  public static final String UID_PARSE = "parse";
  public static final String UID_UPLOAD = "upload";
  public static final String UID_BUDGET = "reject-budget";
  public static final String UID_DEDUP = "dedup";
  public static final String UID_BATCH = "batch";
  public static final String UID_SINK = "sink";
  public static final String UID_PROGRESS = "progress";

  private IngestGraph() {}

  /** A test's chance to put an operator between mapping and dedup (failure injection). */
  @FunctionalInterface
  public interface RowsHook {
    <R> DataStream<R> apply(DataStream<R> rows);

    RowsHook NONE =
        new RowsHook() {
          @Override
          public <R> DataStream<R> apply(DataStream<R> rows) {
            return rows;
          }
        };
  }

  /** Applies the spec's checkpointing, restart strategy and parallelism to {@code env}. */
  public static void configure(StreamExecutionEnvironment env, Options o) {
    Configuration conf = new Configuration();
    restartStrategy(conf, o);
    // A cancelled or failed run keeps its checkpoints, so a later run can resume from them.
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    stateBackend(conf, o.stateBackend());
    readerCloseTimeout(conf);
    env.configure(conf, IngestGraph.class.getClassLoader());
    env.enableCheckpointing(o.checkpointInterval().toMillis());
    env.setParallelism(o.parallelism());
    // Rows are immutable records, so chained operators may share them instead of copying.
    env.getConfig().enableObjectReuse();
  }

  /**
   * How long a finished file reader may take to close, in milliseconds (Flink's default: 30 s).
   *
   * <p>Why: Flink 2.3's split fetcher can drop the empty batch it hands over at shutdown when its
   * queue is full (FLINK-40660); it then waits for that batch forever, and the reader's close
   * waits out this timeout while the job cannot checkpoint ("task is closing"). Every record was
   * emitted and processed by then, so half a second loses nothing; a run of 2,000 race pages
   * ended in 16 s or, hit by this, in 46 s.
   */
  public static final long READER_CLOSE_TIMEOUT_MS = 500;

  /** Sets {@link #READER_CLOSE_TIMEOUT_MS} on a cluster's or a job's configuration. */
  public static void readerCloseTimeout(Configuration conf) {
    conf.set(SourceReaderOptions.SOURCE_READER_CLOSE_TIMEOUT, READER_CLOSE_TIMEOUT_MS);
  }

  /**
   * The dedup state's backend as the spec chose it; {@code auto} leaves the cluster's own config
   * (the local runner resolves it first, {@code cli/Main}).
   */
  static void stateBackend(Configuration conf, Options.StateBackend backend) {
    switch (backend) {
      case HEAP -> conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
      case ROCKSDB -> {
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        // Each checkpoint uploads the files written since the last one, not every key again.
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      }
      case AUTO -> {}
    }
  }

  /**
   * Exponential backoff: a lost database fails the sink's tasks at every restart until it is back,
   * so the delays grow (1s, 2s, 4s … up to the max) to wait out an outage of minutes rather than
   * spend all attempts within seconds. A stretch without failures resets the backoff.
   */
  public static void restartStrategy(Configuration conf, Options o) {
    if (o.restartAttempts() == 0) {
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      return;
    }
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, o.restartDelay());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        o.restartMaxDelay().compareTo(o.restartDelay()) < 0 ? o.restartDelay() : o.restartMaxDelay());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, o.restartAttempts());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMinutes(5));
  }

  /** Defines the job on {@code env}, every table written by upserts. */
  public static <T, R extends UpsertRow<R>> void define(
      StreamExecutionEnvironment env,
      JobSpec spec,
      PipelineDef<T, R> pipeline,
      long runId,
      Database db,
      RowsHook hook) {
    define(env, spec, pipeline, runId, db, hook, new boolean[pipeline.tables(spec).size()]);
  }

  /**
   * Defines the job on {@code env}; {@link #configure} is the caller's to call. {@code copied}
   * tells for each table whether it takes the COPY path ({@link dev.pgingest.sink.WritePaths}).
   */
  public static <T, R extends UpsertRow<R>> void define(
      StreamExecutionEnvironment env,
      JobSpec spec,
      PipelineDef<T, R> pipeline,
      long runId,
      Database db,
      RowsHook hook,
      boolean[] copied) {
    DataStream<Write<R>> deduped =
        rows(
            spec,
            pipeline,
            runId,
            hook,
            src -> readFiles(env, spec, pipeline, src),
            units -> progress(units, spec, pipeline.tables(spec), runId, db));
    write(deduped, spec, pipeline.tables(spec), runId, db, copied);
  }

  /** The status table's keeper, at parallelism 1 on one connection of its own. */
  private static <R extends UpsertRow<R>> void progress(
      DataStream<UnitEvent> units, JobSpec spec, List<TableDef<R>> tables, long runId, Database db) {
    ProgressTable table = ProgressTable.of(spec, tables);
    units
        .transform(
            "Progress of " + spec.progress().unit() + " → " + spec.progress().table(),
            Types.VOID,
            new ProgressOperator(table, db.sinkProvider(), runId))
        .uid(UID_PROGRESS)
        .setParallelism(1);
  }

  /** Reads one source's files, one codec per file. */
  public static <T, R extends UpsertRow<R>> DataStream<Decoded<T>> readFiles(
      StreamExecutionEnvironment env, JobSpec spec, PipelineDef<T, R> pipeline, SourceSpec src) {
    Path[] paths = src.paths().stream().map(Path::new).toArray(Path[]::new);
    FileSource<Decoded<T>> source =
        FileSource.forBulkFileFormat(
                CodecFileFormat.perFile(pipeline.codec(spec, src), pipeline.decodedType()), paths)
            .build();
    boolean single = spec.sources().size() == 1;
    return env.fromSource(
            new ReadersFinishTogether<>(source),
            WatermarkStrategy.noWatermarks(),
            "Read " + (single ? "" : src.name() + ": ") + src.format() + " files")
        .uid(UID_SOURCE + uidSuffix(spec, src));
  }

  /**
   * The graph up to the writer: each source's decoded items (from {@code reader}) mapped to rows,
   * rejects counted against the budget and joined in, then deduplicated by key. Tests give their
   * own reader and collect the result, so mapping and dedup are checked without files or a
   * database.
   */
  public static <T, R extends UpsertRow<R>> DataStream<Write<R>> rows(
      JobSpec spec,
      PipelineDef<T, R> pipeline,
      long runId,
      RowsHook hook,
      Function<SourceSpec, DataStream<Decoded<T>>> reader) {
    return rows(spec, pipeline, runId, hook, reader, units -> {});
  }

  /**
   * As {@link #rows(JobSpec, PipelineDef, long, RowsHook, Function)}; a job with progress hands
   * its unit events (started, read, failed) to {@code progress}.
   */
  public static <T, R extends UpsertRow<R>> DataStream<Write<R>> rows(
      JobSpec spec,
      PipelineDef<T, R> pipeline,
      long runId,
      RowsHook hook,
      Function<SourceSpec, DataStream<Decoded<T>>> reader,
      java.util.function.Consumer<DataStream<UnitEvent>> progress) {
    Options o = spec.options();
    List<TableDef<R>> tables = pipeline.tables(spec);
    OutputTag<Reject> rejectTag = new OutputTag<>("rejects", TypeInformation.of(Reject.class));
    OutputTag<UnitEvent> unitTag =
        spec.progress() == null ? null : new OutputTag<>("units", TypeInformation.of(UnitEvent.class));
    DataStream<UnitEvent> unitEvents = null;
    TypeInformation<Write<R>> writeType = writeType(pipeline.rowType());
    String tableNames = tables.stream().map(TableDef::table).collect(Collectors.joining(", "));

    DataStream<Write<R>> rows = null;
    DataStream<Reject> rejected = null;
    for (SourceSpec src : spec.sources()) {
      if (src.paths().isEmpty()) {
        continue;
      }
      String label = spec.sources().size() == 1 ? "" : src.name() + " ";
      DataStream<Decoded<T>> items = reader.apply(src);
      if (pipeline.storesObjects()) {
        // Sources share the job's limit, so the whole job never has more uploads in flight.
        int max = Math.max(1, o.maxConcurrentUploads() / spec.sources().size());
        items =
            Uploads.attach(
                items,
                new DecodedBlobs<>(pipeline.blobs(spec), pipeline.codec(spec, src)),
                new ObjectStore(spec.target().objects()),
                max,
                pipeline.decodedType(),
                UID_UPLOAD + uidSuffix(spec, src),
                "Store " + label + "objects (at most " + max + " at once)");
      }
      SingleOutputStreamOperator<Write<R>> parsed =
          items
              .process(
                  new ToRows<>(
                      pipeline.mapper(spec, src, runId),
                      tables.size(),
                      rejectTag,
                      o.maxRecordsPerSecond() / spec.sources().size(),
                      unitTag),
                  writeType)
              .uid(UID_PARSE + uidSuffix(spec, src))
              .name("Parse " + label + "and map to " + tableNames + " rows");
      rows = rows == null ? parsed : rows.union(parsed);
      DataStream<Reject> r = parsed.getSideOutput(rejectTag);
      rejected = rejected == null ? r : rejected.union(r);
      if (unitTag != null) {
        DataStream<UnitEvent> u = parsed.getSideOutput(unitTag);
        unitEvents = unitEvents == null ? u : unitEvents.union(u);
      }
    }
    if (unitEvents != null) {
      progress.accept(unitEvents);
    }
    if (rows == null) {
      throw new IllegalArgumentException("no source of job " + spec.name() + " has files to read");
    }

    DataStream<Write<R>> rejects =
        rejected
            .process(new RejectBudget<R>(o.maxRejects(), pipeline.expectedInput(spec)), writeType)
            .uid(UID_BUDGET)
            .name("Reject budget (max " + o.maxRejects() + ")")
            .setParallelism(1);

    // Rejects join the rows before the key shuffle, so the batcher has one input.
    return hook.apply(rows)
        .union(rejects)
        .keyBy(IngestGraph::writeKey, RouteKey.TYPE)
        .process(new DedupFunction<R>(tables.size()), writeType)
        .uid(UID_DEDUP)
        .name("Dedup by key");
  }

  /** One source keeps the uids it always had, so older savepoints still map onto the job. */
  private static String uidSuffix(JobSpec spec, SourceSpec src) {
    return spec.sources().size() == 1 ? "" : "-" + src.name();
  }

  /** Batches the deduplicated rows and writes them, all tables through one JDBC sink. */
  public static <R extends UpsertRow<R>> void write(
      DataStream<Write<R>> deduped, JobSpec spec, List<TableDef<R>> tables, long runId, Database db) {
    write(deduped, spec, tables, runId, db, new boolean[tables.size()]);
  }

  /**
   * Batches the deduplicated rows and writes them, all tables through one sink: the JDBC
   * connector's, or when some table takes the COPY path ({@code copied}), the {@link CopySink}.
   */
  public static <R extends UpsertRow<R>> void write(
      DataStream<Write<R>> deduped,
      JobSpec spec,
      List<TableDef<R>> tables,
      long runId,
      Database db,
      boolean[] copied) {
    Options o = spec.options();
    // Same parallelism: the key partitioning carries over, so no second shuffle is needed.
    DataStream<Write<R>> toBatch =
        o.parallelism() == o.sinkParallelism()
            ? deduped
            : deduped.keyBy(IngestGraph::writeKey, RouteKey.TYPE);

    boolean anyCopied = false;
    for (boolean c : copied) {
      anyCopied |= c;
    }
    @SuppressWarnings("unchecked")
    TypeInformation<WriteBatch<R>> batchType =
        (TypeInformation<WriteBatch<R>>) (TypeInformation<?>) Types.GENERIC(WriteBatch.class);
    SingleOutputStreamOperator<WriteBatch<R>> batches =
        toBatch
            .transform(
                "Batch by key (" + o.batchRows() + " rows)",
                batchType,
                new BatchOperator<R>(o.batchRows(), o.flushInterval().toMillis(), runId))
            .uid(UID_BATCH)
            .setParallelism(o.sinkParallelism());
    if (!anyCopied) {
      // The JDBC connector's upserts wait on PostgreSQL for each batch; in a task of its own
      // that wait does not stop dedup from preparing the next one. On the COPY path PostgreSQL's
      // share per batch is small and the JVM's CPU is what runs short, so there dedup, batcher
      // and writer share a task and rows are not serialized once more (bench/README.md).
      batches.startNewChain();
    }

    // One sink for all tables: the job holds sink-parallelism connections, not that per table,
    // and a batch writes parents and children in one statement.
    var connections = db.sinkProvider();
    Sink<WriteBatch<R>> sink =
        anyCopied
            ? new CopySink<>(
                tables,
                copied,
                spec.target().schema(),
                spec.target().rejectsTable(),
                runId,
                spec.name(),
                connections,
                o.batchRows())
            : new GuardedSink<>(JdbcSink.<WriteBatch<R>>builder()
            .withQueryStatement(
                new UpsertStatement<>(
                    tables, spec.target().schema(), spec.target().rejectsTable(), runId, spec.name()))
            .withExecutionOptions(
                JdbcExecutionOptions.builder()
                    // One element is already a whole batch of rows in one statement.
                    .withBatchSize(1)
                    .withBatchIntervalMs(0)
                    // The retry is where rows the database refuses are split out of a batch.
                    .withMaxRetries(Math.max(1, o.retries()))
                    .build())
            .buildAtLeastOnce(connections), WriteBatch::size, connections);
    batches
        .sinkTo(sink)
        .uid(UID_SINK)
        .name(
            (anyCopied ? "COPY and merge into " : tables.size() == 1 ? "Upsert into " : "Write to ")
                + tables.stream().map(TableDef::displayName).collect(Collectors.joining(", ")))
        .setParallelism(o.sinkParallelism());
  }

  /**
   * {@code Write<R>} as a POJO of the pipeline's row type: a type hint cannot resolve R here, and
   * the Kryo fallback it would get writes class names with every record.
   */
  @SuppressWarnings("unchecked")
  static <R> TypeInformation<Write<R>> writeType(TypeInformation<R> rowType) {
    Map<String, TypeInformation<?>> fields = new HashMap<>();
    fields.put("row", rowType);
    fields.put("reject", TypeInformation.of(Reject.class));
    return (TypeInformation<Write<R>>) (TypeInformation<?>) Types.POJO(Write.class, fields);
  }

  /** The shuffle key: a row's route, or a reject's place (which no row key can equal). */
  public static <R extends UpsertRow<R>> RouteKey writeKey(Write<R> w) {
    return RouteKey.of(
        w.row() != null ? w.row().route() : "r\u001f" + w.reject().file() + ":" + w.reject().line());
  }

  /** Job names as the web UI shows them. */
  public static String jobName(JobSpec spec, long runId) {
    return "pgingest " + spec.name() + " (run " + runId + ")";
  }
}
