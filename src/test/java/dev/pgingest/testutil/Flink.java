package dev.pgingest.testutil;

import dev.pgingest.graph.IngestGraph;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster every ITCase runs on: one TaskManager, two slots, parallelism 2 as in the spec.
 */
public final class Flink {
  private Flink() {}

  public static MiniClusterExtension miniCluster() {
    Configuration conf = new Configuration();
    IngestGraph.readerCloseTimeout(conf);
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(conf)
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());
  }
}
