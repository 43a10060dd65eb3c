package dev.pgingest.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml and flink-conf/config.yaml, checked by structure: no Docker engine runs here,
 * so this is what stands between a typo and a user's failed {@code docker compose up}.
 */
class DeploymentFilesTest {

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() throws Exception {
    return (Map<String, Object>)
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(Files.readString(Path.of("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services).containsKey(name);
    return (Map<String, Object>) services.get(name);
  }

  @Test
  void composeHasTheFourServicesWithHealthChecks() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services).containsOnlyKeys("postgres", "s3", "jobmanager", "taskmanager");
    for (String s : services.keySet()) {
      assertThat(service(s)).as(s).containsKey("healthcheck");
    }
    assertThat((String) service("postgres").get("image")).startsWith("postgres:18");
    assertThat((List<String>) service("postgres").get("ports")).contains("5432:5432");
    assertThat((List<String>) service("s3").get("ports")).contains("9000:9000");
  }

  @Test
  @SuppressWarnings("unchecked")
  void flinkServicesRunTheOfficialImageWithConfJarAndJobsMounted() throws Exception {
    for (String name : List.of("jobmanager", "taskmanager")) {
      Map<String, Object> s = service(name);
      assertThat((String) s.get("image")).as(name).matches("flink:2\\.3(\\.\\d+)?-java17");
      assertThat(s.get("command")).isEqualTo(name);
      assertThat((List<String>) s.get("volumes"))
          .contains(
              "./flink-conf:/opt/flink/conf",
              "./target:/opt/pgingest/target:ro",
              "./jobs:/opt/pgingest/jobs:ro",
              "flink-data:/flink-data");
      Map<String, Object> env = (Map<String, Object>) s.get("environment");
      assertThat((String) env.get("ENABLE_BUILT_IN_PLUGINS")).contains("flink-s3-fs-hadoop");
      assertThat((String) env.get("FLINK_PROPERTIES")).contains("s3.endpoint: http://s3:9000");
    }
    assertThat((List<String>) service("jobmanager").get("ports"))
        .contains("8081:8081", "9249:9249");
    assertThat((Map<String, Object>) service("taskmanager").get("depends_on"))
        .containsKey("jobmanager");
    assertThat((Map<String, Object>) service("jobmanager").get("depends_on"))
        .containsKeys("postgres", "s3");
    // The conf folder mounted over the image's must carry the logging file its entrypoint uses.
    assertThat(Path.of("flink-conf", "log4j-console.properties")).exists();
    // Mounted paths the walkthrough relies on exist in the repository.
    assertThat(Path.of("jobs", "ybrowse-variants.yaml")).exists();
  }

  @Test
  void composeKeepsSecretsInTheEnvironment() throws Exception {
    String text = Files.readString(Path.of("docker-compose.yml"));
    assertThat(text).contains("${PGPASSWORD:-").contains("${AWS_SECRET_ACCESS_KEY:-");
  }

  @Test
  void flinkConfigLoadsWithRocksDbCheckpointsRestartsAndMetrics() {
    Configuration conf = GlobalConfiguration.loadConfiguration("flink-conf");
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY))
        .isEqualTo("file:///flink-data/checkpoints");
    assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY))
        .isEqualTo("file:///flink-data/savepoints");
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS))
        .isEqualTo(10);
    assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(4);
    assertThat(conf.get(JobManagerOptions.TOTAL_PROCESS_MEMORY)).isNotNull();
    assertThat(conf.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY)).isNotNull();
    assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
    assertThat(conf.toMap())
        .containsEntry(
            "metrics.reporter.prom.factory.class",
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .containsEntry("metrics.reporter.prom.port", "9249-9250")
        .containsKeys("s3.endpoint", "s3.access-key", "s3.secret-key", "s3.path.style.access");
  }
}
