package dev.pgingest.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;
import org.jclouds.io.Payload;

/**
 * The test server's blob store as seen from inside s3proxy: counts uploads running at once (whole
 * PUTs and multipart parts), records which keys were written and how, and on request delays each
 * request or answers it with HTTP 503 (SlowDown) or 403 first.
 *
 * <p>Only keys below the watched prefix are observed: s3proxy also stores a stub blob named by the
 * upload id when a multipart upload starts, and refusing those would refuse every retry.
 *
 * <p>s3proxy turns a jclouds {@link HttpResponseException} into a reply with its status code, so
 * the 503 reaches S3A exactly as a throttling S3 would send it, minus the XML body.
 */
public final class ObservedBlobStore extends ForwardingBlobStore {
  private final String watched;

  private final long latencyMillis;
  private final int slowDownsPerRequest;
  private final String refusedKey;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final AtomicInteger slowDowns = new AtomicInteger();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final List<String> putKeys = new CopyOnWriteArrayList<>();
  private final Set<String> multipartKeys = ConcurrentHashMap.newKeySet();

  /**
   * @param watched the key prefix whose requests are observed, delayed and refused
   * @param latencyMillis pause before each upload and metadata request
   * @param slowDownsPerRequest how many times each distinct request (a key's PUT or HEAD, a part)
   *     is answered 503 before it is served
   * @param refusedKey a key whose uploads are always answered 403, or null
   */
  public ObservedBlobStore(
      BlobStore delegate,
      String watched,
      long latencyMillis,
      int slowDownsPerRequest,
      String refusedKey) {
    super(delegate);
    this.watched = watched;
    this.latencyMillis = latencyMillis;
    this.slowDownsPerRequest = slowDownsPerRequest;
    this.refusedKey = refusedKey;
  }

  public static ObservedBlobStore plain(BlobStore delegate, String watched) {
    return new ObservedBlobStore(delegate, watched, 0, 0, null);
  }

  @Override
  public String putBlob(String container, org.jclouds.blobstore.domain.Blob blob) {
    return putBlob(container, blob, PutOptions.NONE);
  }

  @Override
  public String putBlob(
      String container, org.jclouds.blobstore.domain.Blob blob, PutOptions options) {
    String key = blob.getMetadata().getName();
    if (!key.startsWith(watched)) {
      return super.putBlob(container, blob, options);
    }
    return upload(
        "PUT " + key,
        key,
        blob.getPayload(),
        () -> {
          String etag = super.putBlob(container, blob, options);
          putKeys.add(key);
          return etag;
        });
  }

  @Override
  public MultipartPart uploadMultipartPart(MultipartUpload mpu, int part, Payload payload) {
    String key = mpu.blobName();
    return upload(
        "PART " + key + "#" + part,
        key,
        payload,
        () -> {
          MultipartPart p = super.uploadMultipartPart(mpu, part, payload);
          multipartKeys.add(key);
          if (part == 1) {
            putKeys.add(key);
          }
          return p;
        });
  }

  @Override
  public BlobMetadata blobMetadata(String container, String name) {
    if (!name.startsWith(watched)) {
      return super.blobMetadata(container, name);
    }
    pause();
    slowDown("HEAD " + name, null);
    return super.blobMetadata(container, name);
  }

  private <R> R upload(String request, String key, Payload payload, Supplier<R> call) {
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      pause();
      if (key.equals(refusedKey)) {
        drain(payload);
        throw status(403, "Access Denied");
      }
      slowDown(request, payload);
      return call.get();
    } finally {
      running.decrementAndGet();
    }
  }

  private void slowDown(String request, Payload payload) {
    if (attempts.computeIfAbsent(request, r -> new AtomicInteger()).incrementAndGet()
        <= slowDownsPerRequest) {
      slowDowns.incrementAndGet();
      drain(payload);
      throw status(503, "Slow Down");
    }
  }

  private void pause() {
    if (latencyMillis > 0) {
      try {
        Thread.sleep(latencyMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Reads the request body first, as S3 does, so the client gets the error, not a reset. */
  private static void drain(Payload payload) {
    if (payload == null) {
      return;
    }
    try (InputStream in = payload.openStream()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client went away; the error reply no longer matters.
    }
  }

  private static HttpResponseException status(int code, String message) {
    return new HttpResponseException(
        message, null, HttpResponse.builder().statusCode(code).message(message).build());
  }

  public int maxConcurrentUploads() {
    return maxRunning.get();
  }

  public int slowDowns() {
    return slowDowns.get();
  }

  /**
   * Keys written (below {@link #watched}, without it), once per PUT or multipart upload (at its
   * first part), in order of arrival.
   */
  public List<String> putKeys() {
    return putKeys.stream().map(k -> k.substring(watched.length())).toList();
  }

  /** Keys written as multipart uploads, without {@link #watched}. */
  public Set<String> multipartKeys() {
    return multipartKeys.stream()
        .map(k -> k.substring(watched.length()))
        .collect(Collectors.toSet());
  }
}
