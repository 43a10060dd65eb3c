package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.fault.FaultHarness;
import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task failure injected once some races are {@code complete} and others still loading: the run
 * recovers from its checkpoint and ends with the clean run's tables and counts, the races that were
 * complete before the failure keep their row versions (not one row of them written again), and the
 * status table ends as a clean run's.
 */
class LapsFailureITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final Path EVENT = Path.of("jobs", "samples", "laps", "liverc");

  static final AtomicBoolean INJECTED = new AtomicBoolean();
  static volatile String schema;
  static volatile List<String> completeAtFault;
  static volatile String versionsAtFault;

  /** Fails the task once, at the first record after two races were marked complete. */
  static final class FailAfterTwoComplete<R> implements MapFunction<R, R> {
    private transient long nextCheck;

    @Override
    public R map(R row) throws Exception {
      if (INJECTED.get() || System.nanoTime() < nextCheck) {
        return row;
      }
      nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      List<String> complete =
          TestPostgres.rows(
                  "SELECT race_id FROM "
                      + schema
                      + ".race_ingest_status WHERE status = 'complete' ORDER BY 1")
              .stream()
              .map(r -> r.get(0))
              .toList();
      if (complete.size() >= 2 && INJECTED.compareAndSet(false, true)) {
        completeAtFault = complete;
        versionsAtFault = versions(schema, complete);
        throw new IllegalStateException("injected fault after races " + complete + " completed");
      }
      return row;
    }
  }

  /** Row versions of every row (race, results, laps) of {@code races}. */
  static String versions(String s, List<String> races) throws Exception {
    String in = races.stream().map(r -> "'" + r + "'").collect(Collectors.joining(", "));
    return LapsTimingITCase.xmins(s, "race_id IN (" + in + ")")
        + "|"
        + TestPostgres.rows(
                "SELECT string_agg(race_id || ':' || xmin::text, ',' ORDER BY race_id) FROM "
                    + s
                    + ".races WHERE race_id IN ("
                    + in
                    + ")")
            .get(0)
            .get(0);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFailureBetweenRacesEndsAsACleanRunAndLeavesCompletedRacesUntouched() throws Exception {
    Map<String, String> o = FaultHarness.defaultOverrides();
    // One page at a time, slowly, with checkpoints between pages: some races complete, some not.
    o.put("parallelism", "1");
    o.put("max-records-per-second", "4");
    o.put("checkpoint-interval", "200ms");
    o.put("restart-attempts", "2");
    FaultHarness h =
        new FaultHarness(FaultHarness.LAPS_LIVERC, TestPostgres.database(), List.of(EVENT), o);
    String clean = TestPostgres.freshSchema("laps_fail_clean");
    RunResult reference = h.clean(clean);

    schema = TestPostgres.freshSchema("laps_fail");
    INJECTED.set(false);
    JobSources inject =
        new JobSources() {
          @Override
          public <T> DataStream<Decoded<T>> read(
              StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
            DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
            return items
                .map(new FailAfterTwoComplete<Decoded<T>>())
                .returns(items.getType())
                .name("Inject a fault");
          }
        };
    RunResult recovered = h.run(schema, Map.of()).withSources(inject).execute(FaultHarness.env());

    assertThat(INJECTED.get()).as("the fault was injected").isTrue();
    String context = "fault after races " + completeAtFault + " completed";
    assertThat(completeAtFault.size()).as(context).isLessThan(5);
    FaultHarness.assertSameCounts(reference, recovered, context);
    h.assertSameAs(clean, schema, context);
    assertThat(versions(schema, completeAtFault))
        .as("row versions of the races complete before the fault; %s", context)
        .isEqualTo(versionsAtFault);
    assertThat(
            TestPostgres.rows(
                "SELECT race_id, status, laps_written::text FROM "
                    + schema
                    + ".race_ingest_status ORDER BY 1"))
        .as(context)
        .isEqualTo(
            TestPostgres.rows(
                "SELECT race_id, status, laps_written::text FROM "
                    + clean
                    + ".race_ingest_status ORDER BY 1"));
    assertThat(recovered.summary())
        .containsEntry("races_complete", 5L)
        .containsEntry("races_failed", 1L);
  }
}
