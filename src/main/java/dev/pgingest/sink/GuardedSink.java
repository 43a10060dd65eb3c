package dev.pgingest.sink;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a sink so that closing its writer never throws, and measures its writes ({@link
 * SinkMetrics}).
 *
 * <p>The JDBC connector's writer flushes its pending record in {@code close()}, also after a lost
 * connection left it without a statement; the exception that follows is thrown inside Flink's
 * failure handling, which treats it as fatal and shuts the whole TaskManager down ("exception in
 * exception handler"). Nothing is lost by swallowing it: the sink writes each batch synchronously
 * (batch size 1), so a record is pending at close only after its write already failed the task, and
 * the restart replays it from the last checkpoint.
 *
 * <p>That synchronous write is also why timing {@code write()} measures one statement: with batch
 * size 1 the connector binds and executes each element before {@code write()} returns, and has no
 * background flush thread.
 */
public final class GuardedSink<IN> implements Sink<IN> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(GuardedSink.class);

  private final Sink<IN> delegate;
  private final SinkMetrics.RowCount<IN> rows;
  private final SinkMetrics.OpenConnections connections;

  /**
   * @param rows the rows one element writes
   * @param connections the connections the delegate holds: the same object the delegate was built
   *     with, so that after deserialization in a task both still share it
   */
  public GuardedSink(
      Sink<IN> delegate, SinkMetrics.RowCount<IN> rows, SinkMetrics.OpenConnections connections) {
    this.delegate = delegate;
    this.rows = rows;
    this.connections = connections;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
    SinkMetrics metrics = SinkMetrics.register(context.metricGroup(), connections);
    return new Writer<>(delegate.createWriter(context), rows, metrics);
  }

  /** Passes everything through, timing each write; {@link #close()} never throws. */
  static final class Writer<IN> implements SinkWriter<IN> {
    private final SinkWriter<IN> delegate;
    private final SinkMetrics.RowCount<IN> rows;
    private final SinkMetrics metrics;

    Writer(SinkWriter<IN> delegate, SinkMetrics.RowCount<IN> rows, SinkMetrics metrics) {
      this.delegate = delegate;
      this.rows = rows;
      this.metrics = metrics;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
      long start = System.nanoTime();
      delegate.write(element, context);
      // Only a statement that went through counts: a failed one fails the task and is replayed.
      metrics.written(rows.applyAsInt(element), System.nanoTime() - start);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
      delegate.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      delegate.flush(endOfInput);
    }

    @Override
    public void close() {
      try {
        delegate.close();
      } catch (Throwable t) {
        LOG.warn(
            "Closing the JDBC writer failed after an earlier error; its batch is replayed from the"
                + " last checkpoint: {}",
            String.valueOf(t.getMessage()).replaceAll("\\s+", " "));
      }
    }
  }
}
