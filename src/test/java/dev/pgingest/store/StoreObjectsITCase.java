package dev.pgingest.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.ObservedBlobStore;
import dev.pgingest.testutil.TestS3;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store step through a real S3-compatible server (s3proxy) on the MiniCluster at parallelism 2,
 * judged by what the server stored and saw: bytes, keys written, uploads running at once.
 */
class StoreObjectsITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final String BUCKET = "objects";
  private static final String WATCHED = "store/";
  private static final String BASE = "s3://" + BUCKET + "/store";
  // Over the 8 MiB multipart threshold (two parts), small enough to keep the test quick.
  private static final int BIG = 9 * 1024 * 1024 + 12345;
  private static final int SMALL = 3000;

  @TempDir Path dir;

  /** A record that needs one object (or none, when {@code key} is null). */
  public record Item(String name, String key, String head, String spool, long size) {}

  /** The item's object is its head and a spool file of seeded random bytes. */
  static final class ItemObjects implements ObjectSource<Item> {
    @Override
    public List<StoredObject> objects(Item item) {
      return item.key() == null
          ? List.of()
          : List.of(
              new StoredObject(item.key(), item.head().getBytes(UTF_8), item.spool(), item.size()));
    }

    @Override
    public Item recover(Item item) throws IOException {
      byte[] head = item.head().getBytes(UTF_8);
      Files.write(Path.of(item.spool()), spoolBytes(item.name(), (int) item.size() - head.length));
      return item;
    }
  }

  static byte[] spoolBytes(String name, int length) {
    byte[] b = new byte[length];
    new Random(name.hashCode()).nextBytes(b);
    return b;
  }

  /** Builds items and their spool files, and what each key must hold. */
  private final class Fixture {
    final List<Item> items = new ArrayList<>();
    final Map<String, byte[]> expected = new LinkedHashMap<>();

    Item add(String name, int spoolLength, boolean writeSpool) throws Exception {
      byte[] head = (">" + name + "\n").getBytes(UTF_8);
      byte[] spool = spoolBytes(name, spoolLength);
      byte[] content = concat(head, spool);
      String key = "sequences/" + sha256(content) + ".bin";
      Path file = dir.resolve(name + ".spool");
      if (writeSpool) {
        Files.write(file, spool);
      }
      Item item = new Item(name, key, ">" + name + "\n", file.toString(), content.length);
      items.add(item);
      expected.put(key, content);
      return item;
    }

    void addWithout(String name) {
      items.add(new Item(name, null, null, null, 0));
    }

    Item again(Item item) {
      Item copy =
          new Item(item.name() + "-again", item.key(), item.head(), item.spool(), item.size());
      items.add(copy);
      return copy;
    }

    Set<String> keys(String prefix) {
      Set<String> keys = new LinkedHashSet<>();
      for (Item i : items) {
        if (i.key() != null && i.name().startsWith(prefix)) {
          keys.add(i.key());
        }
      }
      return keys;
    }

    long references() {
      return items.stream().filter(i -> i.key() != null).count();
    }
  }

  private record Run(List<Item> out, JobExecutionResult result) {
    long count(String name) {
      return result.<Long>getAccumulatorResult(name);
    }
  }

  private static Run run(List<Item> items, int maxConcurrent) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    TypeInformation<Item> type = TypeInformation.of(Item.class);
    // A map at the job's parallelism, as a reader would be, so the store step runs at 2.
    DataStream<Item> in =
        env.fromData(type, items.toArray(Item[]::new)).rebalance().map(i -> i).returns(type);
    DataStream<Item> out =
        StoreObjects.attach(
            in,
            new ItemObjects(),
            new ObjectStore(BASE),
            maxConcurrent,
            type,
            "store-objects",
            "Store objects (at most " + maxConcurrent + " at once)");
    List<Item> collected = new ArrayList<>();
    try (CloseableIterator<Item> it = out.collectAsync()) {
      JobExecutionResult result = env.execute("store objects");
      it.forEachRemaining(collected::add);
      return new Run(collected, result);
    }
  }

  private static void assertStored(TestS3 s3, Map<String, byte[]> expected) throws Exception {
    for (Map.Entry<String, byte[]> e : expected.entrySet()) {
      var blob = s3.storage().getBlob(BUCKET, "store/" + e.getKey());
      assertThat(blob).as(e.getKey()).isNotNull();
      try (InputStream in = blob.getPayload().openStream()) {
        byte[] stored = in.readAllBytes();
        assertThat(stored.length).as(e.getKey()).isEqualTo(e.getValue().length);
        assertThat(sha256(stored)).as(e.getKey()).isEqualTo(sha256(e.getValue()));
      }
    }
  }

  private static void seed(TestS3 s3, String key, byte[] content) {
    var storage = s3.storage();
    storage.putBlob(BUCKET, storage.blobBuilder("store/" + key).payload(content).build());
  }

  @Test
  void storesEveryObjectOnceWithItsBytesAndPassesEveryItemOn() throws Exception {
    Fixture f = new Fixture();
    for (int i = 1; i <= 3; i++) {
      f.add("big" + i, BIG, true);
    }
    Item first = null;
    for (int i = 1; i <= 6; i++) {
      Item small = f.add("small" + i, SMALL, true);
      first = first == null ? small : first;
    }
    f.again(first);
    f.addWithout("none1");
    f.addWithout("none2");
    Item seeded1 = f.add("seeded1", SMALL, true);
    Item seeded2 = f.add("seeded2", SMALL, false);
    Item partial = f.add("partial", SMALL, true);
    f.add("lost", SMALL, false);
    ObservedBlobStore[] server = new ObservedBlobStore[1];

    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"), BUCKET, b -> server[0] = ObservedBlobStore.plain(b, WATCHED))) {
      seed(s3, seeded1.key(), f.expected.get(seeded1.key()));
      seed(s3, seeded2.key(), f.expected.get(seeded2.key()));
      seed(s3, partial.key(), new byte[] {1, 2, 3});

      Run run = run(f.items, 4);

      assertThat(run.out()).containsExactlyInAnyOrderElementsOf(f.items);
      assertStored(s3, f.expected);
      ObservedBlobStore seen = server[0];
      assertThat(seen.putKeys())
          .doesNotContain(seeded1.key(), seeded2.key())
          .contains(partial.key());
      assertThat(seen.multipartKeys())
          .containsExactlyInAnyOrderElementsOf(f.keys("big"))
          .hasSize(3);
      assertThat(seen.maxConcurrentUploads()).isBetween(1, 4);
      // Two items share a key: it is written once, whichever subtask each is in and however close
      // together, and the other item counts it as already stored, as if it had come later.
      long uploaded = run.count(StoreObjects.OBJECTS_UPLOADED);
      long already = run.count(StoreObjects.OBJECTS_ALREADY_STORED);
      assertThat(uploaded + already).isEqualTo(f.references());
      assertThat(already).isEqualTo(3);
      assertThat(seen.putKeys()).doesNotHaveDuplicates();
      assertThat(uploaded).isEqualTo(seen.putKeys().size());
      long newBytes =
          f.expected.entrySet().stream()
              .filter(e -> !e.getKey().equals(seeded1.key()) && !e.getKey().equals(seeded2.key()))
              .mapToLong(e -> e.getValue().length)
              .sum();
      assertThat(run.count(StoreObjects.BYTES_UPLOADED)).isBetween(newBytes, newBytes + SMALL + 10);
      assertThat(dir.resolve("big1.spool")).exists();
    }
  }

  @Test
  void aServerAnsweringSlowDownStillEndsWithEveryObjectStored() throws Exception {
    Fixture f = new Fixture();
    f.add("big", BIG, true);
    for (int i = 1; i <= 8; i++) {
      f.add("small" + i, SMALL, true);
    }
    ObservedBlobStore[] server = new ObservedBlobStore[1];

    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"),
            BUCKET,
            b -> server[0] = new ObservedBlobStore(b, WATCHED, 0, 2, null))) {
      Run run = run(f.items, 4);

      assertThat(run.out()).containsExactlyInAnyOrderElementsOf(f.items);
      assertStored(s3, f.expected);
      ObservedBlobStore seen = server[0];
      // Every PUT, part and HEAD was refused twice before being served.
      assertThat(seen.slowDowns()).isGreaterThanOrEqualTo(2 * (8 + 3));
      assertThat(seen.multipartKeys()).containsExactlyElementsOf(f.keys("big"));
      assertThat(seen.maxConcurrentUploads()).isBetween(1, 4);
      assertThat(run.count(StoreObjects.OBJECTS_UPLOADED)).isEqualTo(9);
      assertThat(run.count(StoreObjects.OBJECTS_ALREADY_STORED)).isZero();
    }
  }

  @Test
  void aSlowServerSeesNoMoreUploadsAtOnceThanTheLimit() throws Exception {
    Fixture f = new Fixture();
    f.add("big", BIG, true);
    for (int i = 1; i <= 10; i++) {
      f.add("small" + i, SMALL, true);
    }
    ObservedBlobStore[] server = new ObservedBlobStore[1];

    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"),
            BUCKET,
            b -> server[0] = new ObservedBlobStore(b, WATCHED, 200, 0, null))) {
      Run run = run(f.items, 3);

      assertThat(run.out()).containsExactlyInAnyOrderElementsOf(f.items);
      assertStored(s3, f.expected);
      assertThat(server[0].maxConcurrentUploads()).isBetween(1, 3);
      assertThat(server[0].multipartKeys()).containsExactlyElementsOf(f.keys("big"));
      assertThat(run.count(StoreObjects.OBJECTS_UPLOADED)).isEqualTo(11);
    }
  }

  @Test
  void aRefusedUploadFailsTheJobNamingTheObject() throws Exception {
    Fixture f = new Fixture();
    f.add("small1", SMALL, true);
    Item refused = f.add("refused", SMALL, true);

    try (TestS3 s3 =
        TestS3.start(
            dir.resolve("s3"),
            BUCKET,
            b -> new ObservedBlobStore(b, WATCHED, 0, 0, "store/" + refused.key()))) {
      assertThatThrownBy(() -> run(f.items, 2))
          .satisfies(
              e ->
                  assertThat(
                          ExceptionUtils.findThrowableWithMessage(
                              e, "Could not store " + BASE + "/" + refused.key() + ": "))
                      .isPresent());
      assertThat(s3.storage().blobExists(BUCKET, "store/" + refused.key())).isFalse();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
