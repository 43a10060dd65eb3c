package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.DatabaseSinks;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.sink.Credentials;
import dev.pgingest.sink.Database;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A password given in the JDBC URL never travels in the job (the JobManager stores the job graph;
 * the REST API shows its plan and configuration) and never lands in {@code ingest_runs}: tasks look
 * it up where they run.
 */
class CredentialsITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final String SECRET = "pw-marker-7f3a9c";

  @AfterEach
  void forget() {
    Credentials.useInThisJvm(null);
  }

  private static JobSpec spec(String schema) {
    return Specs.shipped(
        "ybrowse-variants",
        List.of(Specs.fixture("workload/ybrowse/edge_cases.gff3")),
        Map.of(
            "target.schema", schema,
            "checkpoint-interval", "500ms",
            "restart-attempts", "0",
            "max-reject-ratio", "1"));
  }

  @Test
  void passwordInTheUrlStaysOutOfTheJobGraphRestApiAndRunRecords(
      @InjectClusterClient ClusterClient<?> client) throws Exception {
    String schema = TestPostgres.freshSchema("creds");
    // The test server trusts local connections, so any password is accepted and simply unused.
    Database db = Database.fromEnvironment(TestPostgres.url() + "&password=" + SECRET);
    assertThat(db.url()).doesNotContain(SECRET);
    assertThat(db.password()).isEqualTo(SECRET);
    assertThat(db.toString()).doesNotContain(SECRET);

    StreamExecutionEnvironment graphEnv = StreamExecutionEnvironment.getExecutionEnvironment();
    IngestGraph.configure(graphEnv, spec(schema).options());
    IngestGraph.define(
        graphEnv,
        ResolvedJob.of(spec(schema)).forRun(1),
        JobSources.FILES,
        new DatabaseSinks<>(db));
    JobGraph graph = graphEnv.getStreamGraph().getJobGraph();
    byte[] serialized = InstantiationUtil.serializeObject(graph);
    assertThat(new String(serialized, StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);

    Credentials.useInThisJvm(db.password());
    RunResult r =
        new IngestRun(spec(schema), db)
            .execute(StreamExecutionEnvironment.getExecutionEnvironment());
    assertThat(r.tables().get("variant").inserted()).isPositive();

    assertThat(TestPostgres.rows("SELECT * FROM " + schema + ".ingest_runs").toString())
        .doesNotContain(SECRET);
    URI rest = URI.create(client.getWebInterfaceURL());
    HttpClient http = HttpClient.newHttpClient();
    for (String path :
        List.of(
            "/jobs/" + r.jobId(),
            "/jobs/" + r.jobId() + "/config",
            "/jobs/" + r.jobId() + "/plan",
            "/jobmanager/config")) {
      String body =
          http.send(
                  HttpRequest.newBuilder(rest.resolve(path)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).as(path).isNotEmpty().doesNotContain(SECRET);
    }
  }
}
