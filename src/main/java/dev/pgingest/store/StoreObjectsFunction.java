package dev.pgingest.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Stores the objects each item needs, then passes the item on: objects already stored (same key,
 * same length) are left alone, the others are written through {@link ObjectStore#put}.
 *
 * <p>The work runs on a pool of as many threads as the operator's capacity, never on the task
 * thread. Each object's check and write are retried with exponential backoff: S3A already retries
 * throttling (HTTP 503 SlowDown) and connection errors itself, this covers what outlasts that.
 * Retrying here rather than through {@code AsyncDataStream.orderedWaitWithRetry} keeps an item's
 * earlier objects from being checked again and its counts whole. Spool files are left in place.
 *
 * <p><b>One upload per key, counted once.</b> Items often share an object (records with the same
 * content), and several of them may be in flight at once, in one subtask or in several. Each key is
 * claimed in {@link #IN_FLIGHT}, shared by every subtask in the JVM, before it is checked: the item
 * holding the claim checks and writes the object; an item that finds its key claimed waits for that
 * claim and, once the object is stored, counts it as already stored, as it would have found it one
 * item later. An item that waited for a failed claim claims the key itself and tries again. Items
 * claim their keys in key order, so two items never wait for each other. So in a job whose subtasks
 * share a JVM (the local runner, a MiniCluster, a cluster of one TaskManager) every object is
 * written once and {@code objectsUploaded + objectsAlreadyStored} splits exactly as a run storing
 * one item at a time reports. Subtasks in different TaskManager processes share no claims: there
 * two items with the same new object at the same moment may both write it (the same bytes under the
 * same key, harmlessly) and count it twice; a conditional put would close that gap, but Flink's
 * file systems do not offer one.
 */
public final class StoreObjectsFunction<T> extends RichAsyncFunction<T, ObjectsStored<T>> {
  private static final long serialVersionUID = 1L;

  /** Attempts per object check or write before the item fails. */
  public static final int ATTEMPTS = 5;

  /** The first pause between attempts; each next one doubles, up to {@link #MAX_BACKOFF}. */
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ObjectSource<T> source;
  private final ObjectStore store;
  private final int threads;
  private final int attempts;
  private final long firstBackoffMillis;
  private transient ExecutorService pool;
  private transient AtomicInteger inFlight;

  /**
   * Keys being checked or written, by their URI, across the subtasks in this JVM: a claim completes
   * normally once its object is stored, exceptionally when checking or writing it failed.
   */
  private static final ConcurrentHashMap<String, CompletableFuture<Void>> IN_FLIGHT =
      new ConcurrentHashMap<>();

  /** A key this item claimed: released, stored or not, when the item is done with it. */
  private static final class Claim {
    final String uri;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    boolean stored;

    Claim(String uri) {
      this.uri = uri;
    }

    void release() {
      IN_FLIGHT.remove(uri, done);
      if (stored) {
        done.complete(null);
      } else {
        done.completeExceptionally(new IOException("not stored: " + uri));
      }
    }
  }

  /**
   * Claims {@code b}'s key, waiting while another item holds it: null when that item stored the
   * object (this item finds it stored), else this item's claim.
   */
  private Claim claim(StoredObject b) throws InterruptedException {
    String uri = store.uri(b.key());
    while (true) {
      Claim mine = new Claim(uri);
      CompletableFuture<Void> theirs = IN_FLIGHT.putIfAbsent(uri, mine.done);
      if (theirs == null) {
        return mine;
      }
      try {
        theirs.get();
        return null;
      } catch (ExecutionException e) {
        // The other item could not store it: this one claims the key and tries itself.
      }
    }
  }

  /** Stores objects for one subtask on {@code threads} threads (the operator's capacity). */
  public StoreObjectsFunction(ObjectSource<T> source, ObjectStore store, int threads) {
    this(source, store, threads, ATTEMPTS, FIRST_BACKOFF);
  }

  StoreObjectsFunction(
      ObjectSource<T> source, ObjectStore store, int threads, int attempts, Duration firstBackoff) {
    if (threads < 1 || attempts < 1) {
      throw new IllegalArgumentException("threads and attempts must be at least 1");
    }
    this.source = source;
    this.store = store;
    this.threads = threads;
    this.attempts = attempts;
    this.firstBackoffMillis = firstBackoff.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    inFlight = new AtomicInteger();
    getRuntimeContext()
        .getMetricGroup()
        .gauge(StoreObjects.UPLOADS_IN_FLIGHT, (Gauge<Integer>) inFlight::get);
    String prefix = "upload-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + "-";
    AtomicInteger n = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, prefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void asyncInvoke(T item, ResultFuture<ObjectsStored<T>> result) {
    try {
      pool.execute(
          () -> {
            ObjectsStored<T> done;
            try {
              done = store(item);
            } catch (Throwable e) {
              whenOpen(() -> result.completeExceptionally(e));
              return;
            }
            whenOpen(() -> result.complete(List.of(done)));
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
  }

  /** Hands a result to the operator unless it has closed (the job failed or was cancelled). */
  private static void whenOpen(Runnable handOver) {
    try {
      handOver.run();
    } catch (RejectedExecutionException e) {
      // Nobody waits for this item any more; a restart runs it again.
    }
  }

  /** Stores every object of {@code item}; the item returned is the recovered one if need be. */
  ObjectsStored<T> store(T item) throws IOException, InterruptedException {
    T current = item;
    List<Claim> claims = new ArrayList<>();
    try {
      List<StoredObject> missing = new ArrayList<>();
      List<Claim> missingClaims = new ArrayList<>();
      long already = 0;
      // In key order, so that items claiming several keys never wait for each other.
      for (StoredObject b : new TreeMap<>(distinct(source.objects(current))).values()) {
        Claim claim = claim(b);
        if (claim == null) {
          already++;
          continue;
        }
        claims.add(claim);
        if (retrying("check", b, () -> store.exists(b))) {
          claim.stored = true;
          already++;
        } else {
          missing.add(b);
          missingClaims.add(claim);
        }
      }
      if (missing.stream().anyMatch(StoreObjectsFunction::spoolMissing)) {
        current = source.recover(current);
        Map<String, StoredObject> recovered = distinct(source.objects(current));
        List<StoredObject> again = new ArrayList<>();
        for (StoredObject b : missing) {
          StoredObject r = recovered.get(b.key());
          if (r == null || spoolMissing(r)) {
            throw new SpoolException(
                "The spool file "
                    + b.spool()
                    + " for "
                    + store.uri(b.key())
                    + " is missing and recovering the item did not recreate it.");
          }
          again.add(r);
        }
        missing = again;
      }
      long bytes = 0;
      for (int i = 0; i < missing.size(); i++) {
        StoredObject b = missing.get(i);
        inFlight.incrementAndGet();
        try {
          retrying(
              "store",
              b,
              () -> {
                store.put(b);
                return null;
              });
        } finally {
          inFlight.decrementAndGet();
        }
        missingClaims.get(i).stored = true;
        bytes += b.size();
      }
      return new ObjectsStored<>(current, missing.size(), already, bytes);
    } finally {
      claims.forEach(Claim::release);
    }
  }

  private static Map<String, StoredObject> distinct(List<StoredObject> objects) {
    Map<String, StoredObject> byKey = new LinkedHashMap<>();
    for (StoredObject b : objects) {
      byKey.putIfAbsent(b.key(), b);
    }
    return byKey;
  }

  private static boolean spoolMissing(StoredObject b) {
    return b.spool() != null && !Files.isRegularFile(Path.of(b.spool()));
  }

  private interface Call<R> {
    R run() throws IOException;
  }

  private <R> R retrying(String what, StoredObject b, Call<R> call)
      throws IOException, InterruptedException {
    long backoff = firstBackoffMillis;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (IOException e) {
        if (attempt >= attempts || !retryable(e)) {
          throw new IOException(
              "Could not "
                  + what
                  + " "
                  + store.uri(b.key())
                  + (attempt > 1 ? " after " + attempt + " attempts" : "")
                  + ": "
                  + firstLine(e),
              e);
        }
      }
      Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
    }
  }

  /** Transient: throttling, connection and server errors; not bad spools, refusals or cancels. */
  static boolean retryable(IOException e) {
    if (e instanceof SpoolException
        || e instanceof FileNotFoundException
        || e instanceof NoSuchFileException
        || e instanceof AccessDeniedException) {
      return false;
    }
    return !(e instanceof InterruptedIOException && Thread.currentThread().isInterrupted());
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @Override
  public void timeout(T item, ResultFuture<ObjectsStored<T>> result) throws Exception {
    List<String> keys = new ArrayList<>(distinct(source.objects(item)).keySet());
    result.completeExceptionally(
        new TimeoutException(
            "Storing the objects " + keys + " in " + store + " took longer than the timeout."));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
