package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** The writer wrapper counts the statements that went through and never throws from close. */
class GuardedSinkTest {

  @Test
  void countsStatementsAndTheirRowsButNotAFailedOne() throws Exception {
    SinkMetrics metrics = SinkMetrics.register(new UnregisteredMetricsGroup(), () -> 1);
    FakeWriter fake = new FakeWriter();
    SinkWriter<WriteBatch<String>> w = new GuardedSink.Writer<>(fake, WriteBatch::size, metrics);

    w.write(new WriteBatch<>(List.of("a", "b", "c"), List.of()), null);
    w.write(new WriteBatch<>(List.of("d"), List.of(new Reject("f", 7, "bad", "x"))), null);
    fake.fail = true;
    assertThatThrownBy(() -> w.write(new WriteBatch<>(List.of("e"), List.of()), null))
        .isInstanceOf(IOException.class);

    assertThat(metrics.statements.getCount()).isEqualTo(2);
    assertThat(metrics.rowsPerStatement.getCount()).isEqualTo(2);
    assertThat(metrics.rowsPerStatement.getStatistics().getMax()).isEqualTo(3);
    assertThat(metrics.rowsPerStatement.getStatistics().getMin()).isEqualTo(2);
    assertThat(metrics.latencyMs.getCount()).isEqualTo(2);
    assertThat(metrics.latencyMs.getStatistics().getMin()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void closeAfterAFailureDoesNotThrow() {
    FakeWriter fake = new FakeWriter();
    fake.fail = true;
    SinkWriter<WriteBatch<String>> w =
        new GuardedSink.Writer<>(
            fake, WriteBatch::size, SinkMetrics.register(new UnregisteredMetricsGroup(), () -> 0));
    assertThatCode(w::close).doesNotThrowAnyException();
  }

  /** A writer that succeeds or throws as told, like the JDBC writer after a lost connection. */
  private static final class FakeWriter implements SinkWriter<WriteBatch<String>> {
    boolean fail;

    @Override
    public void write(WriteBatch<String> element, Context context) throws IOException {
      if (fail) {
        throw new IOException("connection lost");
      }
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public void close() {
      if (fail) {
        throw new IllegalStateException("no open statement");
      }
    }
  }
}
