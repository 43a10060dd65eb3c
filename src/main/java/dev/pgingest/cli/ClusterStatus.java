package dev.pgingest.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a job's state and pgingest's operator counters from Flink's REST API ({@code
 * jobs/status.sh}); the counters are the ones the web UI shows under each operator.
 */
public final class ClusterStatus {
  /** The counters pgingest's operators register. */
  public static final List<String> COUNTERS = List.of("read", "rejected", "duplicates", "written");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final String rest;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ClusterStatus(String restUrl) {
    this.rest = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ClusterStatus REST_URL [JOB_ID]");
      System.exit(2);
    }
    ClusterStatus status = new ClusterStatus(args[0]);
    List<String> jobs = new ArrayList<>();
    if (args.length > 1) {
      jobs.add(args[1]);
    } else {
      for (JsonNode j : status.get("/jobs/overview").path("jobs")) {
        jobs.add(j.path("jid").asText());
      }
    }
    for (String job : jobs) {
      JsonNode detail = status.get("/jobs/" + job);
      System.out.println(
          job + "  " + detail.path("state").asText() + "  " + detail.path("name").asText());
      StringBuilder line = new StringBuilder(" ");
      status.counters(job).forEach((k, v) -> line.append(' ').append(k).append(' ').append(v));
      System.out.println(line);
    }
  }

  /** The job's state, e.g. {@code RUNNING} or {@code FINISHED}. */
  public String state(String job) throws IOException, InterruptedException {
    return get("/jobs/" + job).path("state").asText();
  }

  /**
   * pgingest's counters summed over operators and subtasks; empty for a job that no longer runs,
   * since Flink only serves metrics of running tasks.
   */
  public Map<String, Long> counters(String job) throws IOException, InterruptedException {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (String c : COUNTERS) {
      totals.put(c, 0L);
    }
    for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
      String base = "/jobs/" + job + "/vertices/" + vertex.path("id").asText() + "/metrics";
      List<String> ids = new ArrayList<>();
      for (JsonNode m : get(base)) {
        String id = m.path("id").asText();
        String name = id.substring(id.lastIndexOf('.') + 1);
        if (totals.containsKey(name)) {
          ids.add(id);
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      String query = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
      for (JsonNode m : get(base + "?get=" + query)) {
        String id = m.path("id").asText();
        String name = id.substring(id.lastIndexOf('.') + 1);
        totals.merge(name, (long) Double.parseDouble(m.path("value").asText("0")), Long::sum);
      }
    }
    return totals;
  }

  /** GET a REST path as JSON. */
  public JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
