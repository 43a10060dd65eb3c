package dev.pgingest.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;

/**
 * Makes {@code s3://} inputs readable in this JVM: loads Flink's S3 filesystem as a plugin (its own
 * class loader, so its Hadoop and Jackson stay out of ours) and configures it.
 *
 * <p>Settings come from {@code $FLINK_CONF_DIR/config.yaml} when set, then from the environment:
 * {@code S3_ENDPOINT}, {@code S3_PATH_STYLE_ACCESS}, {@code AWS_ACCESS_KEY_ID}, {@code
 * AWS_SECRET_ACCESS_KEY} — never from code or command lines, which end up in logs.
 */
public final class FileSystems {
  static final String PLUGIN = "s3-fs-hadoop";
  static final String JAR = "flink-s3-fs-hadoop-2.3.0.jar";
  private static final String RESOURCE = "/pgingest-plugins/" + PLUGIN + "/" + JAR;

  private FileSystems() {}

  /** Flink configuration from {@code FLINK_CONF_DIR} and the S3 environment variables. */
  public static Configuration configFromEnvironment(Map<String, String> env) {
    String dir = env.get("FLINK_CONF_DIR");
    Configuration conf =
        dir != null && !dir.isBlank()
            ? GlobalConfiguration.loadConfiguration(dir)
            : new Configuration();
    copy(env, "S3_ENDPOINT", conf, "s3.endpoint");
    copy(env, "S3_PATH_STYLE_ACCESS", conf, "s3.path.style.access");
    copy(env, "AWS_ACCESS_KEY_ID", conf, "s3.access-key");
    copy(env, "AWS_SECRET_ACCESS_KEY", conf, "s3.secret-key");
    copy(env, "AWS_REGION", conf, "s3.endpoint.region");
    if (conf.containsKey("s3.access-key") && !conf.containsKey("s3.aws.credentials.provider")) {
      // With explicit keys, never fall through to the EC2 metadata endpoint.
      conf.setString(
          "s3.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
    if (conf.containsKey("s3.endpoint") && !conf.containsKey("s3.endpoint.region")) {
      // A custom endpoint has no AWS region to discover; probing for one costs retries.
      conf.setString("s3.endpoint.region", "us-east-1");
    }
    uploadDefaults(conf);
    return conf;
  }

  /**
   * S3A settings for writing objects (the plugin maps {@code s3.*} to {@code fs.s3a.*}), each only
   * where the configuration says nothing of its own.
   */
  private static void uploadDefaults(Configuration conf) {
    // Objects beyond 8 MiB go as multipart uploads from S3A's disk buffer; 8 MiB parts keep a
    // failed part cheap to resend and allow objects up to 80 GB (10,000 parts).
    setDefault(conf, "multipart.size", "8M");
    setDefault(conf, "multipart.threshold", "8M");
    // One part in flight per object, so a job's limit on concurrent uploads is also its limit
    // on requests the server sees.
    setDefault(conf, "fast.upload.active.blocks", "1");
    // Throttling (503 SlowDown): back off from 500 ms as AWS advises, not S3A 3.3's 100 ms.
    setDefault(conf, "retry.throttle.interval", "500ms");
    setDefault(conf, "retry.throttle.limit", "20");
    // Connection errors and other retryable failures: S3A's defaults, stated.
    setDefault(conf, "retry.interval", "500ms");
    setDefault(conf, "retry.limit", "7");
    // The AWS SDK retries below S3A's retries; 20 SDK attempts per S3A attempt (the 3.3
    // default) multiply into hours against a server that keeps refusing. Hadoop 3.4 uses 5.
    setDefault(conf, "attempts.maximum", "5");
    // Content-keyed objects need no directory markers: keeping them spares the bulk DELETE of
    // parent markers that S3A 3.3 otherwise sends after every PUT (one request per object saved,
    // and some S3-compatible servers answer it slowly).
    setDefault(conf, "directory.marker.retention", "keep");
  }

  private static void setDefault(Configuration conf, String s3aKey, String value) {
    for (String prefix : new String[] {"s3.", "s3a.", "fs.s3a."}) {
      if (conf.containsKey(prefix + s3aKey)) {
        return;
      }
    }
    conf.setString("s3." + s3aKey, value);
  }

  private static void copy(Map<String, String> env, String var, Configuration conf, String key) {
    String v = env.get(var);
    if (v != null && !v.isBlank()) {
      conf.setString(key, v);
    }
  }

  /**
   * Initializes Flink's file systems with the S3 plugin, unpacking it below {@code home} when it is
   * inside the runner jar.
   */
  public static void initialize(Path home, Configuration conf) throws IOException {
    System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
    Path root = pluginsRoot(home);
    PluginManager plugins =
        new DefaultPluginManager(
            new DirectoryBasedPluginFinder(root).findPlugins(),
            CoreOptions.getPluginParentFirstLoaderPatterns(conf));
    FileSystem.initialize(conf, plugins);
  }

  private static Path pluginsRoot(Path home) throws IOException {
    URL url = FileSystems.class.getResource(RESOURCE);
    if (url == null) {
      throw new IOException("the S3 plugin " + RESOURCE + " is missing from the classpath");
    }
    if (url.getProtocol().equals("file")) {
      try {
        return Path.of(url.toURI()).getParent().getParent();
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }
    Path root = home.resolve("plugins");
    Path target = root.resolve(PLUGIN).resolve(JAR);
    if (!Files.exists(target)) {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), JAR, ".part");
      try (InputStream in = url.openStream()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    return root;
  }
}
