package dev.pgingest.sink;

import java.io.File;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Where a task finds the database password, never in the job itself: the local runner's own (the
 * tasks of its MiniCluster run in its JVM), else {@code PGPASSWORD} in the TaskManager's
 * environment, else {@code pgingest.jdbc.password} in the TaskManager's Flink configuration ({@code
 * $FLINK_CONF_DIR}, else {@code $FLINK_HOME/conf}; e.g. a mounted secret); with none of them pgjdbc
 * still reads {@code PGPASSFILE} / {@code ~/.pgpass}.
 */
public final class Credentials {
  /** Flink configuration key a TaskManager may carry the password under. */
  public static final ConfigOption<String> PASSWORD =
      ConfigOptions.key("pgingest.jdbc.password").stringType().noDefaultValue();

  private static volatile String local;

  private Credentials() {}

  /** The password of the runner in this JVM, for the tasks of its embedded cluster. */
  public static void useInThisJvm(String password) {
    local = password;
  }

  /** The password for a task's connection, or null to leave it to pgjdbc. */
  public static String password() {
    if (local != null) {
      return local;
    }
    String env = System.getenv("PGPASSWORD");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    String confDir = System.getenv("FLINK_CONF_DIR");
    if (confDir == null || confDir.isBlank()) {
      String flinkHome = System.getenv("FLINK_HOME");
      confDir = flinkHome == null || flinkHome.isBlank() ? null : flinkHome + "/conf";
    }
    if (confDir != null && new File(confDir).isDirectory()) {
      Configuration conf = GlobalConfiguration.loadConfiguration(confDir);
      return conf.getOptional(PASSWORD).orElse(null);
    }
    return null;
  }
}
