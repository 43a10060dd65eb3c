package dev.pgingest.cli;

import dev.pgingest.graph.IngestGraph;
import dev.pgingest.run.Checkpoints;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.metrics.prometheus.PrometheusReporter;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with the web UI on 127.0.0.1 (port 8081, or the next free one)
 * and Flink's Prometheus reporter (9249, or the next free one up to 9259), used by {@code pgingest
 * run}; jobs reach it through its REST endpoint like on a real cluster.
 */
public final class LocalCluster implements AutoCloseable {
  /** Where the Prometheus reporter serves unless told otherwise, as on the standalone cluster. */
  public static final String DEFAULT_PROMETHEUS_PORTS = "9249-9259";

  private final MiniCluster cluster;
  private final URI restAddress;
  private final Configuration conf;
  private final Path tmp;
  private final Optional<PrometheusReporter> prometheus;

  private LocalCluster(
      MiniCluster cluster,
      URI restAddress,
      Configuration conf,
      Path tmp,
      Optional<PrometheusReporter> prometheus) {
    this.cluster = cluster;
    this.restAddress = restAddress;
    this.conf = conf;
    this.tmp = tmp;
    this.prometheus = prometheus;
  }

  /** Starts a cluster with the Prometheus reporter on {@link #DEFAULT_PROMETHEUS_PORTS}. */
  public static LocalCluster start(int slots, Path home) throws Exception {
    return start(slots, home, DEFAULT_PROMETHEUS_PORTS);
  }

  /**
   * Starts a cluster with {@code slots} task slots; checkpoints go below {@code home}.
   *
   * @param prometheusPorts a port or range ({@code 9249-9259}) for the Prometheus reporter, which
   *     takes the first free one; null for no reporter
   */
  public static LocalCluster start(int slots, Path home, String prometheusPorts) throws Exception {
    return start(slots, home, prometheusPorts, false);
  }

  /**
   * As {@link #start(int, Path, String)}; {@code rocksdb} gives the task manager the managed memory
   * RocksDB keeps its memtables and block cache in.
   */
  public static LocalCluster start(int slots, Path home, String prometheusPorts, boolean rocksdb)
      throws Exception {
    // Flink's working folders and its unpacked RPC jar go below the home, one folder per
    // process, instead of the system temp folder; a killed runner's folder is removed by the
    // next one.
    Path tmpRoot = home.resolve("tmp");
    removeStale(tmpRoot);
    Path tmp = tmpRoot.resolve(String.valueOf(ProcessHandle.current().pid()));
    Files.createDirectories(tmp);
    Configuration conf = new Configuration();
    conf.set(CoreOptions.TMP_DIRS, tmp.toString());
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "8081-8099");
    conf.set(JobManagerOptions.ADDRESS, "127.0.0.1");
    conf.set(TaskManagerOptions.HOST, "127.0.0.1");
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    IngestGraph.readerCloseTimeout(conf);
    // Accumulators travel with heartbeats: once a second keeps the progress line live.
    conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    // The heap backend uses none; RocksDB with too little flushes tiny files and compacts them
    // over and over.
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(rocksdb ? "256m" : "64m"));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY, home.resolve("checkpoints").toUri().toString());
    if (prometheusPorts != null) {
      // A range, so several runners (or a standalone cluster) on one machine each find a port; when
      // none is free Flink logs it and runs without the reporter.
      conf.setString(
          "metrics.reporter.prom.factory.class", PrometheusReporterFactory.class.getName());
      conf.setString("metrics.reporter.prom.port", prometheusPorts);
    }
    MetricRegistryImpl[] registry = new MetricRegistryImpl[1];
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build()) {
          // The registry holds the reporters; the MiniCluster does not otherwise show it.
          @Override
          protected MetricRegistryImpl createMetricRegistry(
              Configuration config, long maxFrameSize) {
            registry[0] = super.createMetricRegistry(config, maxFrameSize);
            return registry[0];
          }
        };
    cluster.start();
    URI rest = cluster.getRestAddress().get();
    Optional<PrometheusReporter> prometheus = Optional.empty();
    if (registry[0] != null) {
      for (MetricReporter r : registry[0].getReporters()) {
        if (r instanceof PrometheusReporter p) {
          prometheus = Optional.of(p);
        }
      }
    }
    return new LocalCluster(cluster, rest, conf, tmp, prometheus);
  }

  /** Removes the temp folders of runners that are no longer alive. */
  private static void removeStale(Path tmpRoot) throws IOException {
    if (!Files.isDirectory(tmpRoot)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(tmpRoot)) {
      for (Path d : dirs.toList()) {
        String name = d.getFileName().toString();
        boolean alive =
            name.matches("\\d+")
                && ProcessHandle.of(Long.parseLong(name)).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          Checkpoints.delete(d);
        }
      }
    }
  }

  /** Asks for a checkpoint of a running job now. */
  public void triggerCheckpoint(JobID job) {
    cluster.triggerCheckpoint(job);
  }

  /** When the job's newest task failure happened, in epoch millis; 0 when none or unknown. */
  public long lastFailure(JobID job) {
    try {
      long newest = 0;
      for (var entry :
          cluster.getExecutionGraphInfo(job).get(2, TimeUnit.SECONDS).getExceptionHistory()) {
        newest = Math.max(newest, entry.getTimestamp());
      }
      return newest;
    } catch (Exception e) {
      return 0;
    }
  }

  /** The web UI's URL. */
  public String webUrl() {
    return "http://" + restAddress.getHost() + ":" + restAddress.getPort() + "/";
  }

  /** Whether the Prometheus reporter is serving: false when it is off or found no free port. */
  public boolean prometheusServing() {
    return prometheus.isPresent();
  }

  /**
   * The port the Prometheus reporter serves on; empty when it is not serving, or when this Flink
   * version no longer tells (the reporter keeps its port to itself but for tests, so it is asked
   * reflectively and may stop answering in a later version).
   */
  public Optional<Integer> prometheusPort() {
    if (prometheus.isEmpty()) {
      return Optional.empty();
    }
    try {
      Method getPort = PrometheusReporter.class.getDeclaredMethod("getPort");
      getPort.setAccessible(true);
      return Optional.of((Integer) getPort.invoke(prometheus.get()));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** An environment that submits to this cluster through its REST endpoint. */
  public StreamExecutionEnvironment environment() {
    return StreamExecutionEnvironment.createRemoteEnvironment(
        restAddress.getHost(), restAddress.getPort(), new Configuration(conf));
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      Checkpoints.delete(tmp);
    }
  }
}
