package dev.pgingest.sink;

import java.io.Serializable;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * One sink subtask's metrics, registered in its writer's metric group: the web UI lists them under
 * the sink operator, the Prometheus reporter as {@code flink_taskmanager_job_task_operator_<name>}.
 */
public final class SinkMetrics {
  public static final String STATEMENTS = "statements";
  public static final String STATEMENTS_PER_SECOND = "statementsPerSecond";
  public static final String ROWS_PER_STATEMENT = "rowsPerStatement";
  public static final String BATCH_WRITE_LATENCY_MS = "batchWriteLatencyMs";
  public static final String CONNECTIONS_IN_USE = "connectionsInUse";

  /** How many recent statements the histograms describe: recent behaviour, bounded memory. */
  static final int WINDOW = 1000;

  /** The rows one sink element writes (a {@link WriteBatch}'s rows and rejects). */
  @FunctionalInterface
  public interface RowCount<IN> extends ToIntFunction<IN>, Serializable {}

  /** The database connections a sink subtask holds open right now. */
  @FunctionalInterface
  public interface OpenConnections extends Serializable {
    int openConnections();
  }

  final Counter statements;
  final Histogram rowsPerStatement;
  final Histogram latencyMs;

  private SinkMetrics(Counter statements, Histogram rowsPerStatement, Histogram latencyMs) {
    this.statements = statements;
    this.rowsPerStatement = rowsPerStatement;
    this.latencyMs = latencyMs;
  }

  /** Registers the metrics in {@code group}; the gauge reads {@code connections} when polled. */
  public static SinkMetrics register(MetricGroup group, OpenConnections connections) {
    Counter statements = group.counter(STATEMENTS);
    group.meter(STATEMENTS_PER_SECOND, new MeterView(statements));
    Histogram rows =
        group.histogram(ROWS_PER_STATEMENT, new DescriptiveStatisticsHistogram(WINDOW));
    Histogram latency =
        group.histogram(BATCH_WRITE_LATENCY_MS, new DescriptiveStatisticsHistogram(WINDOW));
    group.gauge(CONNECTIONS_IN_USE, (Gauge<Integer>) connections::openConnections);
    return new SinkMetrics(statements, rows, latency);
  }

  /** One statement of {@code rows} rows written in {@code nanos}. */
  public void written(int rows, long nanos) {
    statements.inc();
    rowsPerStatement.update(rows);
    latencyMs.update(TimeUnit.NANOSECONDS.toMillis(nanos));
  }
}
