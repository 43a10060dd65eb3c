package dev.pgingest.sink;

import java.io.IOException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a sink so that closing its writer never throws.
 *
 * <p>The JDBC connector's writer flushes its pending record in {@code close()}, also after a lost
 * connection left it without a statement; the exception that follows is thrown inside Flink's
 * failure handling, which treats it as fatal and shuts the whole TaskManager down ("exception in
 * exception handler"). Nothing is lost by swallowing it: the sink writes each batch synchronously
 * (batch size 1), so a record is pending at close only after its write already failed the task,
 * and the restart replays it from the last checkpoint.
 */
public final class GuardedSink<IN> implements Sink<IN> {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedSink.class);

  private final Sink<IN> delegate;

  public GuardedSink(Sink<IN> delegate) {
    this.delegate = delegate;
  }

  @Override
  public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
    return new Writer<>(delegate.createWriter(context));
  }

  /** Passes everything through; only {@link #close()} differs. */
  private static final class Writer<IN> implements SinkWriter<IN> {
    private final SinkWriter<IN> delegate;

    Writer(SinkWriter<IN> delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(IN element, Context context) throws IOException, InterruptedException {
      delegate.write(element, context);
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
