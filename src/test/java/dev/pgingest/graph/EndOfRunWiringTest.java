package dev.pgingest.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.metrics.EndCounts;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.testutil.Specs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the run's finisher relies on: the batcher's end reaches it from the task that also holds the
 * writer (Flink sends end-of-data once a task's whole chain finished, writer included), on both
 * write paths. Built only, not run: the job graph is the fact under test.
 */
class EndOfRunWiringTest {

  @ParameterizedTest(name = "{0} path")
  @ValueSource(booleans = {false, true})
  void theBatcherAndItsWriterShareATask(boolean copy) {
    var spec =
        Specs.shipped(
            "profiles",
            List.of(Path.of("jobs", "samples", "profiles")),
            Map.of("parallelism", "2"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    IngestGraph.configure(env, spec.options());
    ResolvedJob<?, ?> job = ResolvedJob.of(spec);
    boolean[] copied = new boolean[job.tables().size()];
    Arrays.fill(copied, copy);
    define(env, job, copied).sinkTo(new DiscardingSink<>()).name("ends").setParallelism(1);

    JobGraph graph = env.getStreamGraph().getJobGraph();
    List<String> names = new ArrayList<>();
    for (JobVertex v : graph.getVertices()) {
      names.add(v.getName());
    }
    assertThat(names)
        .as("job vertices")
        .anySatisfy(
            n -> {
              assertThat(n).contains("Batch by key");
              assertThat(n).containsAnyOf("Write to", "COPY and merge into", "Upsert into");
            });
  }

  private static <T, R extends UpsertRow<R>> DataStream<EndCounts> define(
      StreamExecutionEnvironment env, ResolvedJob<T, R> job, boolean[] copied) {
    return IngestGraph.define(
        env,
        job.forRun(1, job.spec().sources(), copied),
        JobSources.FILES,
        new DatabaseSinks<R>(new Database("jdbc:postgresql://h/db", null, null)));
  }
}
