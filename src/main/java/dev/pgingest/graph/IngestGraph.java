package dev.pgingest.graph;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.dedup.RouteKey;
import dev.pgingest.format.CodecFileFormat;
import dev.pgingest.format.Decoded;
import dev.pgingest.metrics.EndCounts;
import dev.pgingest.metrics.EndReporting;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.sink.WriteBatch;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.Options;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.store.ObjectStore;
import dev.pgingest.store.StoreObjects;
import dev.pgingest.unitstatus.UnitEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Builds the one job graph every pipeline shares, through one entry, {@link #define}: read each
 * source → map to rows for any of the tables (rejects aside) → keyed dedup → batch by key → the
 * sinks the caller gives (PostgreSQL in a run, a collecting sink in a test). The local runner, the
 * cluster job jar and tests all define their jobs through it.
 *
 * <p>Operator uids are stable across versions: savepoints map state to operators by them.
 */
public final class IngestGraph {

  /** Operator uids, fixed for savepoint compatibility. */
  public static final String UID_SOURCE = "source";

  public static final String UID_PARSE = "parse";
  // The store step's uid keeps its first name, "upload", for the savepoints that carry it.
  public static final String UID_UPLOAD = "upload";
  public static final String UID_BUDGET = "reject-budget";
  public static final String UID_DEDUP = "dedup";
  public static final String UID_BATCH = "batch";
  public static final String UID_SINK = "sink";
  public static final String UID_PROGRESS = "progress";

  private IngestGraph() {}

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
   * queue is full (FLINK-40660); it then waits for that batch forever, and the reader's close waits
   * out this timeout while the job cannot checkpoint ("task is closing"). Every record was emitted
   * and processed by then, so half a second loses nothing; a run of 2,000 small files ended in 16 s
   * or, hit by this, in 46 s.
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
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
        o.restartDelay());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
        o.restartMaxDelay().compareTo(o.restartDelay()) < 0
            ? o.restartDelay()
            : o.restartMaxDelay());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, o.restartAttempts());
    conf.set(
        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
        Duration.ofMinutes(5));
  }

  /**
   * Defines the job on {@code env}, the one entry for runs and tests alike: each source's items
   * from {@code sources} (objects stored first where the pipeline stores them) → parse and map to
   * rows, rejects counted against the budget → dedup by key → batch by key → {@code sinks}, which
   * also takes the units of progress of a job with a status table. {@link #configure} is the
   * caller's to call.
   *
   * @return every counting operator's {@link EndCounts}, one per subtask, and one empty end from
   *     each batcher and status keeper subtask: this stream ends only once every write was flushed
   */
  public static <T, R extends UpsertRow<R>> DataStream<EndCounts> define(
      StreamExecutionEnvironment env,
      ResolvedJob<T, R> job,
      JobSources sources,
      JobSinks<R> sinks) {
    JobSpec spec = job.spec();
    PipelineDef<T, R> pipeline = job.pipeline();
    Options o = spec.options();
    List<TableDef<R>> tables = job.tables();
    OutputTag<Reject> rejectTag = new OutputTag<>("rejects", TypeInformation.of(Reject.class));
    OutputTag<UnitEvent> unitTag =
        spec.progress() == null
            ? null
            : new OutputTag<>("units", TypeInformation.of(UnitEvent.class));
    DataStream<UnitEvent> unitEvents = null;
    TypeInformation<RowOrReject<R>> writeType = writeType(pipeline.rowType());
    String tableNames = tables.stream().map(TableDef::table).collect(Collectors.joining(", "));

    DataStream<RowOrReject<R>> rows = null;
    DataStream<Reject> rejected = null;
    List<DataStream<EndCounts>> ends = new ArrayList<>();
    for (SourceSpec src : spec.sources()) {
      if (src.paths().isEmpty()) {
        continue;
      }
      String label = spec.sources().size() == 1 ? "" : src.name() + " ";
      DataStream<Decoded<T>> items = sources.read(env, job, src);
      if (job.storesObjects()) {
        // Sources share the job's limit, so the whole job never stores more objects at once.
        int max = Math.max(1, o.maxConcurrentUploads() / spec.sources().size());
        SingleOutputStreamOperator<Decoded<T>> stored =
            StoreObjects.attach(
                items,
                new DecodedObjects<>(job.objects(), pipeline.codec(spec, src)),
                new ObjectStore(spec.target().objects()),
                max,
                pipeline.decodedType(),
                UID_UPLOAD + uidSuffix(spec, src),
                "Store " + label + "objects (at most " + max + " at once)");
        ends.add(stored.getSideOutput(EndCounts.TAG));
        items = stored;
      }
      SingleOutputStreamOperator<RowOrReject<R>> parsed =
          items
              .transform(
                  "Parse " + label + "and map to " + tableNames + " rows",
                  writeType,
                  EndReporting.process(
                      new MapToRows<>(
                          pipeline.mapper(spec, src, job.runId()),
                          tables.size(),
                          rejectTag,
                          o.maxRecordsPerSecond() / spec.sources().size(),
                          unitTag)))
              .uid(UID_PARSE + uidSuffix(spec, src));
      ends.add(parsed.getSideOutput(EndCounts.TAG));
      rows = rows == null ? parsed : rows.union(parsed);
      DataStream<Reject> r = parsed.getSideOutput(rejectTag);
      rejected = rejected == null ? r : rejected.union(r);
      if (unitTag != null) {
        DataStream<UnitEvent> u = parsed.getSideOutput(unitTag);
        unitEvents = unitEvents == null ? u : unitEvents.union(u);
      }
    }
    if (unitEvents != null) {
      ends.add(sinks.units(unitEvents, job));
    }
    if (rows == null) {
      throw new IllegalArgumentException("no source of job " + spec.name() + " has files to read");
    }

    SingleOutputStreamOperator<RowOrReject<R>> rejects =
        rejected
            .transform(
                "Reject budget (max " + o.maxRejects() + ")",
                writeType,
                EndReporting.process(new RejectBudget<R>(o.maxRejects(), job.expectedInput())))
            .uid(UID_BUDGET)
            .setParallelism(1);
    ends.add(rejects.getSideOutput(EndCounts.TAG));

    // A trimmed child and its parent: one version of a parent's rows at a time.
    boolean[] versioned = TableDef.versioned(tables);
    // Rejects join the rows before the key shuffle, so the batcher has one input.
    SingleOutputStreamOperator<RowOrReject<R>> deduped =
        rows.union(rejects)
            .keyBy(IngestGraph::writeKey, RouteKey.TYPE)
            .transform(
                "Dedup by key",
                writeType,
                EndReporting.keyedProcess(new DedupFunction<R>(tables.size(), versioned)))
            .uid(UID_DEDUP);
    ends.add(deduped.getSideOutput(EndCounts.TAG));

    // Same parallelism: the key partitioning carries over, so no second shuffle is needed.
    DataStream<RowOrReject<R>> toBatch =
        o.parallelism() == o.sinkParallelism()
            ? deduped
            : deduped.keyBy(IngestGraph::writeKey, RouteKey.TYPE);
    @SuppressWarnings("unchecked")
    TypeInformation<WriteBatch<R>> batchType =
        (TypeInformation<WriteBatch<R>>) (TypeInformation<?>) Types.GENERIC(WriteBatch.class);
    SingleOutputStreamOperator<WriteBatch<R>> batches =
        toBatch
            .transform(
                "Batch by key (" + o.batchRows() + " rows)",
                batchType,
                new BatchOperator<R>(
                    o.batchRows(), o.flushInterval().toMillis(), job.runId(), versioned))
            .uid(UID_BATCH)
            .setParallelism(o.sinkParallelism());
    sinks.rows(batches, job);
    ends.add(batches.getSideOutput(EndCounts.TAG));
    DataStream<EndCounts> all = ends.get(0);
    for (DataStream<EndCounts> e : ends.subList(1, ends.size())) {
      all = all.union(e);
    }
    return all;
  }

  /** Reads one source's files, one codec per file ({@link JobSources#FILES}). */
  static <T> DataStream<Decoded<T>> readFiles(
      StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec src) {
    JobSpec spec = job.spec();
    PipelineDef<T, ?> pipeline = job.pipeline();
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

  /** One source keeps the uids it always had, so older savepoints still map onto the job. */
  private static String uidSuffix(JobSpec spec, SourceSpec src) {
    return spec.sources().size() == 1 ? "" : "-" + src.name();
  }

  /**
   * {@code RowOrReject<R>} as a POJO of the pipeline's row type: a type hint cannot resolve R here,
   * and the Kryo fallback it would get writes class names with every record.
   */
  @SuppressWarnings("unchecked")
  static <R> TypeInformation<RowOrReject<R>> writeType(TypeInformation<R> rowType) {
    Map<String, TypeInformation<?>> fields = new HashMap<>();
    fields.put("row", rowType);
    fields.put("reject", TypeInformation.of(Reject.class));
    return (TypeInformation<RowOrReject<R>>)
        (TypeInformation<?>) Types.POJO(RowOrReject.class, fields);
  }

  /** The shuffle key: a row's route, or a reject's place (which no row key can equal). */
  public static <R extends UpsertRow<R>> RouteKey writeKey(RowOrReject<R> w) {
    return RouteKey.of(
        w.row() != null
            ? w.row().route()
            : "r\u001f" + w.reject().file() + ":" + w.reject().line());
  }

  /** Job names as the web UI shows them. */
  public static String jobName(JobSpec spec, long runId) {
    return "pgingest " + spec.name() + " (run " + runId + ")";
  }
}
