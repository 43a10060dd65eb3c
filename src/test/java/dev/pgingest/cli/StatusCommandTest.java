package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sentence {@code pgingest status} records for a failed Flink job, from its stack trace. */
class StatusCommandTest {

  @Test
  void theRunsOwnSentenceWinsWhereverItIsInTheChain() {
    String trace =
        """
        org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy
        \tat org.apache.flink.runtime.executiongraph.failover.Handler.handle(Handler.java:1)
        Caused by: org.apache.flink.util.FlinkRuntimeException: suppressed
        \tat x.y(Z.java:2)
        Caused by: dev.pgingest.graph.RejectBudgetExceeded: Error budget exceeded: 1 of 198 records rejected (max-rejects 0).
        \tat dev.pgingest.graph.RejectBudget.processElement(RejectBudget.java:3)
        """;
    assertThat(StatusCommand.failureSentence(trace))
        .isEqualTo("Error budget exceeded: 1 of 198 records rejected (max-rejects 0).");
  }

  @Test
  void otherwiseTheRootCauseIsSaidInOneSentence() {
    String trace =
        """
        org.apache.flink.runtime.JobException: Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy
        \tat a.b(C.java:1)
        Caused by: java.io.IOException: wrapped
        Caused by: org.postgresql.util.PSQLException: Connection to db:5432 refused.
        \tat d.e(F.java:2)
        """;
    assertThat(StatusCommand.failureSentence(trace))
        .isEqualTo("The Flink job failed: Connection to db:5432 refused.");
    assertThat(StatusCommand.failureSentence(""))
        .isEqualTo("The Flink job failed (see its exceptions in the web UI).");
  }
}
