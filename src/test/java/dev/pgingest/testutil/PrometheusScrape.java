package dev.pgingest.testutil;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes a runner's Prometheus endpoint until stopped and keeps, per series of one metric, the
 * highest value seen: a task's counters leave the endpoint when the task ends, so the sum of the
 * highest values is what all of its attempts had counted by their last scrape (at most one scrape
 * interval short of their end; never more than they counted).
 */
public final class PrometheusScrape implements AutoCloseable {
  private final URI endpoint;
  private final String metric;
  private final String labelFilter;
  private final Map<String, Double> highest = new ConcurrentHashMap<>();
  private final AtomicInteger scrapes = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stop;

  /**
   * @param metric the metric's name, e.g. {@code flink_taskmanager_job_task_operator_numRecordsOut}
   * @param labelFilter text a series' labels must contain, e.g. {@code operator_name="Source}
   */
  public PrometheusScrape(int port, String metric, String labelFilter) {
    this.endpoint = URI.create("http://127.0.0.1:" + port + "/metrics");
    this.metric = metric;
    this.labelFilter = labelFilter;
    this.thread = new Thread(this::loop, "prometheus-scrape-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest req = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build();
    while (!stop) {
      try {
        String body = http.send(req, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
          if (line.startsWith(metric + "{") && line.contains(labelFilter)) {
            int end = line.lastIndexOf('}');
            double v = Double.parseDouble(line.substring(end + 1).trim());
            highest.merge(line.substring(0, end + 1), v, Math::max);
          }
        }
        scrapes.incrementAndGet();
      } catch (Exception notServingYet) {
        // The runner starts its cluster, and so the endpoint, a while after it starts.
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The sum over series of the highest value each showed. */
  public long total() {
    return (long) highest.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  /** Series seen so far. */
  public int series() {
    return highest.size();
  }

  /** Successful scrapes so far. */
  public int scrapes() {
    return scrapes.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(5000);
  }
}
