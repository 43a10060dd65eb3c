package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.cli.ClusterStatus;
import dev.pgingest.cli.LocalCluster;
import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink metrics as Prometheus and the web UI's REST API serve them, from a real job on the local
 * runner's cluster: the job is held open after its last row (a bounded job's task metrics vanish
 * when it ends) until the scrape is taken.
 */
class SinkMetricsITCase {
  private static final int ROWS = 3000;
  private static final int BATCH_ROWS = 100;
  private static final int SINK_PARALLELISM = 2;
  private static final String PREFIX = "flink_taskmanager_job_task_operator_";
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(.*)\\} (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** Released by the test once it has what it needs from the running job. */
  static volatile CountDownLatch release = new CountDownLatch(0);

  private static final String SPEC =
      """
      name: sink-metrics
      sources:
        - name: items
          format: csv
          paths: [items.csv]
      tables:
        - name: items
          key: [id]
          columns:
            - { name: id, type: bigint, field: id }
            - { name: label, type: text, field: label }
      options:
        parallelism: 2
        sink-parallelism: %d
        batch-rows: %d
        flush-interval: 50ms
        checkpoint-interval: 1s
        restart-attempts: 0
        # The JDBC connector's writes are measured here: the job is held open after its last
        # row, where the COPY path would not merge its staged rows until a checkpoint passes.
        write-path: upsert
      """
          .formatted(SINK_PARALLELISM, BATCH_ROWS);

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void sinkMetricsReachPrometheusAndTheWebUi(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("id,label\n");
    for (int i = 1; i <= ROWS; i++) {
      csv.append(i).append(",item ").append(i).append('\n');
    }
    Files.writeString(dir.resolve("items.csv"), csv);
    String schema = TestPostgres.freshSchema("sink_metrics");
    JobSpec spec =
        JobSpecParser.parse(SPEC, "sink-metrics.yaml", dir, Map.of("target.schema", schema));
    int port = freePort();

    try (LocalCluster cluster = LocalCluster.start(2, dir.resolve("home"), String.valueOf(port))) {
      assertThat(cluster.prometheusPort()).contains(port);
      release = new CountDownLatch(1);
      CompletableFuture<RunResult> run =
          CompletableFuture.supplyAsync(
              () ->
                  new IngestRun(spec, TestPostgres.database())
                      .withSources(HOLD)
                      .execute(cluster.environment()));
      try {
        List<Sample> sink = scrapeOnceAllRowsAreWritten(port, schema + ".items", run);

        Map<String, List<Sample>> byName = new HashMap<>();
        for (Sample s : sink) {
          byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        assertThat(byName)
            .containsKeys(
                PREFIX + "statements",
                PREFIX + "statementsPerSecond",
                PREFIX + "rowsPerStatement",
                PREFIX + "rowsPerStatement_count",
                PREFIX + "batchWriteLatencyMs",
                PREFIX + "batchWriteLatencyMs_count",
                PREFIX + "connectionsInUse");
        assertThat(sink)
            .allSatisfy(s -> assertThat(s.labels().get("operator_name")).startsWith("Upsert_into"));

        double statements = 0;
        double connections = 0;
        for (int subtask = 0; subtask < SINK_PARALLELISM; subtask++) {
          String i = String.valueOf(subtask);
          double st = only(byName.get(PREFIX + "statements"), i);
          assertThat(st).as("statements of subtask %s", i).isPositive();
          assertThat(only(byName.get(PREFIX + "rowsPerStatement_count"), i)).isEqualTo(st);
          assertThat(only(byName.get(PREFIX + "batchWriteLatencyMs_count"), i)).isEqualTo(st);
          double conn = only(byName.get(PREFIX + "connectionsInUse"), i);
          assertThat(conn).as("connections of subtask %s", i).isBetween(0.0, 1.0);
          statements += st;
          connections += conn;
        }
        assertThat(statements).isGreaterThanOrEqualTo(ROWS / BATCH_ROWS);
        assertThat(connections).isLessThanOrEqualTo(SINK_PARALLELISM).isPositive();
        assertThat(byName.get(PREFIX + "rowsPerStatement"))
            .allSatisfy(s -> assertThat(s.value()).isBetween(1.0, (double) BATCH_ROWS));
        assertThat(byName.get(PREFIX + "batchWriteLatencyMs"))
            .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
        assertThat(byName.get(PREFIX + "statementsPerSecond"))
            .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));

        // The web UI's view (operator → Metrics) is Flink's REST API: a histogram's min, max and
        // mean, no count.
        Map<String, Double> ui = webUiMetrics(cluster.webUrl());
        double rows = 0;
        for (int subtask = 0; subtask < SINK_PARALLELISM; subtask++) {
          String p = subtask + ".";
          assertThat(ui.get(p + "statements"))
              .isEqualTo(only(byName.get(PREFIX + "statements"), "" + subtask));
          assertThat(ui.get(p + "rowsPerStatement_max")).isBetween(1.0, (double) BATCH_ROWS);
          assertThat(ui.get(p + "batchWriteLatencyMs_min")).isGreaterThanOrEqualTo(0);
          assertThat(ui.get(p + "connectionsInUse")).isBetween(0.0, 1.0);
          // The window holds every statement of this small job, so the mean covers them all.
          rows += ui.get(p + "rowsPerStatement_mean") * ui.get(p + "statements");
        }
        assertThat(Math.round(rows)).as("rows over all statements").isEqualTo(ROWS);

        // A second cluster finds the port taken: it runs on, only without the reporter.
        try (LocalCluster second =
            LocalCluster.start(1, dir.resolve("second"), String.valueOf(port))) {
          assertThat(second.prometheusServing()).isFalse();
          assertThat(second.prometheusPort()).isEmpty();
        }
      } finally {
        release.countDown();
      }
      RunResult result = run.get(2, TimeUnit.MINUTES);
      assertThat(result.tables().get("items").inserted()).isEqualTo(ROWS);
    }
  }

  /**
   * Scrapes until the table holds every row and two scrapes in a row agree, so no write is
   * half-counted; returns the sink metrics' samples.
   */
  private List<Sample> scrapeOnceAllRowsAreWritten(
      int port, String table, CompletableFuture<RunResult> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<Sample> last = List.of();
    while (System.nanoTime() < deadline) {
      if (run.isDone()) {
        run.join();
        throw new AssertionError("the job ended before the scrape");
      }
      List<Sample> now = sinkSamples(scrape(port));
      if (!now.isEmpty() && counts(now).equals(counts(last)) && count(table) == ROWS) {
        return now;
      }
      last = now;
      Thread.sleep(200);
    }
    throw new AssertionError("the sink metrics did not settle on all rows within 120 s: " + last);
  }

  /** The samples that stay put while nothing is written (a rate moves on regardless). */
  private static List<Sample> counts(List<Sample> samples) {
    return samples.stream().filter(s -> !s.name().endsWith("PerSecond")).toList();
  }

  private static long count(String table) {
    try {
      return TestPostgres.scalar("SELECT count(*) FROM " + table);
    } catch (SQLException notYet) {
      return 0;
    }
  }

  private String scrape(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** One line of the Prometheus text format. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** The samples of the sink metrics, {@link SinkMetrics}' names under the operator prefix. */
  private static List<Sample> sinkSamples(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches() || !m.group(1).startsWith(PREFIX)) {
        continue;
      }
      String metric = m.group(1).substring(PREFIX.length()).replaceFirst("_count$", "");
      if (!List.of(
              SinkMetrics.STATEMENTS,
              SinkMetrics.STATEMENTS_PER_SECOND,
              SinkMetrics.ROWS_PER_STATEMENT,
              SinkMetrics.BATCH_WRITE_LATENCY_MS,
              SinkMetrics.CONNECTIONS_IN_USE)
          .contains(metric)) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return out;
  }

  /** The value of subtask {@code subtask}'s only sample among {@code samples}. */
  private static double only(List<Sample> samples, String subtask) {
    List<Sample> mine =
        samples.stream().filter(s -> subtask.equals(s.labels().get("subtask_index"))).toList();
    assertThat(mine).as("samples of subtask " + subtask).hasSize(1);
    return mine.get(0).value();
  }

  /** The sink vertex's metrics as the web UI reads them, by subtask-prefixed short name. */
  private static Map<String, Double> webUiMetrics(String webUrl) throws Exception {
    ClusterStatus rest = new ClusterStatus(webUrl);
    String job = rest.get("/jobs/overview").path("jobs").get(0).path("jid").asText();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
        String base = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
        List<String> ids = new ArrayList<>();
        for (JsonNode m : rest.get(base)) {
          String id = m.path("id").asText();
          if (id.matches(
              "\\d+\\..*\\.(statements|rowsPerStatement_(max|mean)|batchWriteLatencyMs_min|connectionsInUse)")) {
            ids.add(id);
          }
        }
        if (ids.size() >= SINK_PARALLELISM * 5) {
          Map<String, Double> values = new HashMap<>();
          String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
          for (JsonNode m : rest.get(base + "?get=" + query)) {
            String id = m.path("id").asText();
            values.put(
                id.substring(0, id.indexOf('.') + 1) + id.substring(id.lastIndexOf('.') + 1),
                m.path("value").asDouble());
          }
          return values;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the web UI lists no sink metrics within 60 s");
      }
      // Flink's web backend fetches metrics from the TaskManagers every few seconds.
      Thread.sleep(500);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Passes records on and holds the job open after the last one until the test releases it. */
  static final class Hold<R> extends AbstractStreamOperator<R>
      implements OneInputStreamOperator<R, R> {
    @Override
    public void processElement(StreamRecord<R> element) {
      output.collect(element);
    }

    @Override
    public void finish() throws Exception {
      // Finishing here comes before end of input reaches the sink, so its metrics stay up.
      release.await(2, TimeUnit.MINUTES);
      super.finish();
    }
  }

  /** The files, held open after their last record. */
  private static final JobSources HOLD =
      new JobSources() {
        @Override
        public <T> DataStream<Decoded<T>> read(
            StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
          DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
          return items.transform("Hold at end of input", items.getType(), new Hold<Decoded<T>>());
        }
      };
}
