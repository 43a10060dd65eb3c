package dev.pgingest.cli;

import dev.pgingest.run.Checkpoints;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.apache.flink.configuration.CoreOptions;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with the web UI on 127.0.0.1 (port 8081, or the next free one),
 * used by {@code pgingest run}; jobs reach it through its REST endpoint like on a real cluster.
 */
public final class LocalCluster implements AutoCloseable {
  private final MiniCluster cluster;
  private final URI restAddress;
  private final Configuration conf;
  private final Path tmp;

  private LocalCluster(MiniCluster cluster, URI restAddress, Configuration conf, Path tmp) {
    this.cluster = cluster;
    this.restAddress = restAddress;
    this.conf = conf;
    this.tmp = tmp;
  }

  /** Starts a cluster with {@code slots} task slots; checkpoints go below {@code home}. */
  public static LocalCluster start(int slots, Path home) throws Exception {
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
    // Accumulators travel with heartbeats: once a second keeps the progress line live.
    conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
    conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
    conf.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        home.resolve("checkpoints").toUri().toString());
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    URI rest = cluster.getRestAddress().get();
    return new LocalCluster(cluster, rest, conf, tmp);
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

  /** The web UI's URL. */
  public String webUrl() {
    return "http://" + restAddress.getHost() + ":" + restAddress.getPort() + "/";
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
