package dev.pgingest.testutil;

import dev.pgingest.run.FileSystems;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3-compatible server (s3proxy over a temp folder) on 127.0.0.1, and Flink's S3 plugin
 * pointed at it exactly as the runner configures it from the environment.
 */
public final class TestS3 implements AutoCloseable {
  public static final String ACCESS = "pgingest-test";
  public static final String SECRET = "pgingest-test-secret";

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final URI endpoint;

  private TestS3(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
    this.proxy = proxy;
    this.context = context;
    this.endpoint = endpoint;
  }

  /** Starts the server with one bucket and initializes Flink's file systems against it. */
  public static TestS3 start(Path dir, String bucket) throws Exception {
    return start(dir, bucket, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, String)}, with the server working through {@code wrap} of its blob
   * store: a forwarding store that observes requests or injects latency and errors.
   */
  public static TestS3 start(Path dir, String bucket, UnaryOperator<BlobStore> wrap)
      throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem").overrides(props).buildView(BlobStoreContext.class);
    context.getBlobStore().createContainerInLocation(null, bucket);
    BlobStore store = wrap.apply(context.getBlobStore());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .build();
    proxy.start();
    for (int i = 0; i < 100 && !proxy.getState().equals("STARTED"); i++) {
      Thread.sleep(50);
    }
    Configuration conf =
        FileSystems.configFromEnvironment(
            Map.of(
                "S3_ENDPOINT",
                endpoint.toString(),
                "S3_PATH_STYLE_ACCESS",
                "true",
                "AWS_ACCESS_KEY_ID",
                ACCESS,
                "AWS_SECRET_ACCESS_KEY",
                SECRET));
    FileSystems.initialize(Files.createTempDirectory("pgingest-home"), conf);
    return new TestS3(proxy, context, endpoint);
  }

  /**
   * Uploads a local file through the S3 API with jclouds' S3 client, so the server stores ETags as
   * for any upload (copying into its folder would not).
   */
  public void upload(Path local, String bucket, String key) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.s3.virtual-host-buckets", "false");
    try (BlobStoreContext client =
        ContextBuilder.newBuilder("s3")
            .endpoint(endpoint.toString())
            .credentials(ACCESS, SECRET)
            .overrides(props)
            .buildView(BlobStoreContext.class)) {
      BlobStore s3 = client.getBlobStore();
      s3.putBlob(bucket, s3.blobBuilder(key).payload(local.toFile()).build());
    }
  }

  /** The server's storage itself, bypassing the S3 API and any wrapper: to seed and to check. */
  public BlobStore storage() {
    return context.getBlobStore();
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
