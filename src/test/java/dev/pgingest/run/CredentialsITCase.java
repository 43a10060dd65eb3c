package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgingest.graph.DatabaseSinks;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.sink.Credentials;
import dev.pgingest.sink.Database;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.PasswordPostgres;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password given in the JDBC URL never travels in the job (the JobManager stores the job graph;
 * the REST API shows its plan and configuration) and never lands in {@code ingest_runs}: tasks look
 * it up where they run. The server asks for it: role {@value PasswordPostgres#USER} logs in with
 * SCRAM-SHA-256, so a run loads only when both the client and its tasks have the right password.
 */
class CredentialsITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final String SECRET = "pw-marker-7f3a9c";

  /** What PostgreSQL answers a wrong password (lc_messages is C on the embedded server). */
  private static final String AUTH_FAILED =
      "password authentication failed for user \"" + PasswordPostgres.USER + "\"";

  @TempDir static Path dir;
  private static PasswordPostgres pg;

  @BeforeAll
  static void server() throws Exception {
    pg = PasswordPostgres.start(dir.resolve("pgdata"), SECRET);
  }

  @AfterAll
  static void stop() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

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
    // Not the environment's: this server wants the role's own password, from the URL.
    Database db = new Database(pg.url() + "&password=" + SECRET, null, null);
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
    assertThat(pg.rows("SELECT count(*) FROM " + schema + ".variant").get(0).get(0))
        .as("rows the run wrote as %s", PasswordPostgres.USER)
        .isEqualTo(String.valueOf(r.tables().get("variant").inserted()));

    assertThat(pg.rows("SELECT * FROM " + schema + ".ingest_runs").toString())
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

  @Test
  void aWrongPasswordStopsTheRunBeforeItStartsWithOneSentence() {
    String wrong = "not-" + SECRET;
    Database db = new Database(pg.url() + "&password=" + wrong, null, null);
    Credentials.useInThisJvm(db.password());
    RunFailure e = failure(db, TestPostgres.freshSchema("creds_wrong"));
    assertThat(e.getMessage())
        .startsWith("Cannot connect to PostgreSQL at " + pg.url() + ": ")
        .contains(AUTH_FAILED)
        .endsWith(".")
        .doesNotContain(wrong)
        .doesNotContain("\n");
  }

  @Test
  void noPasswordStopsTheRunBeforeItStartsWithOneSentence() {
    Database db = pg.database(null);
    RunFailure e = failure(db, TestPostgres.freshSchema("creds_none"));
    assertThat(e.getMessage())
        .startsWith("Cannot connect to PostgreSQL at " + pg.url() + ": ")
        .contains("no password was provided")
        .endsWith(".")
        .doesNotContain("\n");
  }

  /**
   * The client has the password, the tasks a wrong one (a TaskManager's stale secret): the sink's
   * connections are refused and the run fails with the server's reason, not silently empty.
   */
  @Test
  void tasksWithAWrongPasswordFailTheRunWithTheServersReason() throws Exception {
    String schema = TestPostgres.freshSchema("creds_tasks");
    Database db = pg.database(SECRET);
    String stale = "stale-" + SECRET;
    Credentials.useInThisJvm(stale);
    RunFailure e = failure(db, schema);
    assertThat(e.getMessage())
        .startsWith("The Flink job failed: ")
        .contains(AUTH_FAILED)
        .endsWith(".")
        .doesNotContain(stale)
        .doesNotContain("\n");
    assertThat(pg.rows("SELECT count(*) FROM " + schema + ".variant").get(0).get(0))
        .as("rows written by tasks that could not log in")
        .isEqualTo("0");
  }

  private static RunFailure failure(Database db, String schema) {
    RunFailure e =
        catchThrowableOfType(
            RunFailure.class,
            () ->
                new IngestRun(spec(schema), db)
                    .execute(StreamExecutionEnvironment.getExecutionEnvironment()));
    assertThat(e).as("the run fails").isNotNull();
    System.out.println("[credentials] " + e.getMessage());
    return e;
  }
}
