package dev.pgingest.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
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
    assertThat((List<String>) service("postgres").get("ports"))
        .contains("${PGINGEST_BIND:-127.0.0.1}:5432:5432");
    assertThat((List<String>) service("s3").get("ports"))
        .contains("${PGINGEST_BIND:-127.0.0.1}:9000:9000");
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
              "./flink-conf:/opt/pgingest/flink-conf:ro",
              "./target:/opt/pgingest/target:ro",
              "./jobs:/opt/pgingest/jobs:ro",
              "flink-data:/flink-data");
      Map<String, Object> env = (Map<String, Object>) s.get("environment");
      assertThat((String) env.get("ENABLE_BUILT_IN_PLUGINS")).contains("flink-s3-fs-hadoop");
      assertThat((String) env.get("FLINK_PROPERTIES")).contains("s3.endpoint: http://s3:9000");
    }
    assertThat((List<String>) service("jobmanager").get("ports"))
        .contains("${PGINGEST_BIND:-127.0.0.1}:8081:8081", "${PGINGEST_BIND:-127.0.0.1}:9249:9249");
    assertThat((Map<String, Object>) service("taskmanager").get("depends_on"))
        .containsKey("jobmanager");
    assertThat((Map<String, Object>) service("jobmanager").get("depends_on"))
        .containsKeys("postgres", "s3");
    // The conf folder mounted over the image's must carry the logging file its entrypoint uses.
    assertThat(Path.of("flink-conf", "log4j-console.properties")).exists();
    // Mounted paths the walkthrough relies on exist in the repository.
    assertThat(Path.of("jobs", "ybrowse-variants.yaml")).exists();
  }

  /**
   * The official image's docker-entrypoint.sh rewrites $FLINK_HOME/conf/config.yaml at every start
   * (Flink 2's config-parser-utils.sh merges FLINK_PROPERTIES, the S3 keys among them, into it). A
   * repository folder mounted there read-write would receive the keys on the host.
   */
  @Test
  @SuppressWarnings("unchecked")
  void composeMountsNoRepositoryFolderWritableAndCopiesTheConfInstead() throws Exception {
    for (String name : List.of("jobmanager", "taskmanager")) {
      Map<String, Object> s = service(name);
      List<String> volumes = (List<String>) s.get("volumes");
      for (String v : volumes) {
        String[] parts = v.split(":");
        if (parts[0].startsWith(".") || parts[0].startsWith("/")) {
          assertThat(parts)
              .as(
                  "%s mounts %s writable: a host folder must end with :ro, or the entrypoint's"
                      + " rewrite of the conf (with FLINK_PROPERTIES' S3 keys) lands on the host",
                  name, v)
              .hasSize(3);
          assertThat(parts[2]).as("%s: %s", name, v).isEqualTo("ro");
        }
        assertThat(parts[1])
            .as("%s: nothing is mounted over the image's conf folder, which it rewrites", name)
            .doesNotStartWith("/opt/flink/conf");
      }
      assertThat(String.join(" ", (List<String>) s.get("entrypoint")))
          .as(
              "%s: copies the read-only conf into the image's conf/, then runs the entrypoint",
              name)
          .contains("cp /opt/pgingest/flink-conf/* /opt/flink/conf/")
          .contains("exec /docker-entrypoint.sh \"$$@\"");
      assertThat(s.get("command")).isEqualTo(name);
    }
  }

  @Test
  void composeKeepsSecretsInTheEnvironment() throws Exception {
    String text = Files.readString(Path.of("docker-compose.yml"));
    assertThat(text)
        .contains("${PGPASSWORD:?set PGPASSWORD ")
        .contains("${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID ")
        .contains("${AWS_SECRET_ACCESS_KEY:?set AWS_SECRET_ACCESS_KEY ");
  }

  /** A variable reference in Compose's interpolation syntax: name, then its modifier if any. */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([^}]*)}");

  private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|KEY");

  /** Every string scalar of a parsed YAML tree (map values and list items), with its path. */
  private static void strings(String path, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> strings(path + "." + k, v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        strings(path + "[" + i + "]", list.get(i), out);
      }
    } else if (node instanceof String s) {
      out.put(path, s);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void composePublishesEveryPortOnLoopbackOnlyByDefault() throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    int checked = 0;
    for (Map.Entry<String, Object> e : services.entrySet()) {
      Object ports = ((Map<String, Object>) e.getValue()).get("ports");
      if (ports == null) {
        continue;
      }
      for (Object port : (List<Object>) ports) {
        assertThat(port)
            .as(
                "service %s publishes %s: ports must be short-syntax strings bound to 127.0.0.1",
                e.getKey(), port)
            .isInstanceOf(String.class);
        assertThat((String) port)
            .as(
                "service %s publishes port %s on every interface of the host; bind it to"
                    + " \"${PGINGEST_BIND:-127.0.0.1}:HOST:CONTAINER\" (or \"127.0.0.1:...\")",
                e.getKey(), port)
            .matches("(\\$\\{PGINGEST_BIND:-127\\.0\\.0\\.1}|127\\.0\\.0\\.1):\\d+:\\d+");
        checked++;
      }
    }
    assertThat(checked).as("published ports found in docker-compose.yml").isGreaterThanOrEqualTo(6);
  }

  @Test
  void composeHasNoDefaultForAnyPasswordSecretOrKey() throws Exception {
    Map<String, String> values = new LinkedHashMap<>();
    strings("", compose(), values);
    int secrets = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      Matcher m = VARIABLE.matcher(e.getValue());
      while (m.find()) {
        String name = m.group(1);
        if (!SECRET_NAME.matcher(name).find()) {
          continue;
        }
        secrets++;
        assertThat(m.group(2))
            .as(
                "%s uses ${%s%s%s}: a secret must not fall back to a default (or be empty) when"
                    + " unset; use ${%s:?set %s to ...} so docker compose refuses to start",
                e.getKey(), name, m.group(2) == null ? "" : m.group(2), m.group(3), name, name)
            .isEqualTo(":?");
        assertThat(m.group(3).strip())
            .as("%s: the :? message for %s must say which variable to set", e.getKey(), name)
            .contains("set " + name);
      }
      assertThat(e.getValue())
          .as("%s: a bare $SECRET reference cannot refuse to start; use ${NAME:?...}", e.getKey())
          .doesNotContainPattern("\\$[A-Za-z_]*(PASSWORD|SECRET|KEY)");
    }
    assertThat(secrets)
        .as("secret references found in docker-compose.yml")
        .isGreaterThanOrEqualTo(6);
  }

  @Test
  void flinkConfigTurnsOffJarUploadAndCancelFromTheWebUi() {
    Configuration conf = GlobalConfiguration.loadConfiguration("flink-conf");
    assertThat(conf.get(WebOptions.SUBMIT_ENABLE))
        .as(
            "flink-conf/config.yaml: web.submit.enable must be false, else anyone reaching the"
                + " web UI can upload and run a jar")
        .isFalse();
    assertThat(conf.get(WebOptions.CANCEL_ENABLE))
        .as("flink-conf/config.yaml: web.cancel.enable must be false (no cancel from the web UI)")
        .isFalse();
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
