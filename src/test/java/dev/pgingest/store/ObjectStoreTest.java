package dev.pgingest.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.core.fs.FileSystemKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local {@code file://} store: content, the length check and temp-then-rename. */
class ObjectStoreTest {
  @TempDir Path dir;

  private ObjectStore store() {
    return new ObjectStore(dir.resolve("store").toUri().toString());
  }

  private Path spool(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  private StoredObject object(String key, String head, Path spool) throws Exception {
    byte[] h = head.getBytes(UTF_8);
    return new StoredObject(key, h, spool.toString(), h.length + Files.size(spool));
  }

  @Test
  void storesTheHeadThenTheSpoolUnderTheKey() throws Exception {
    ObjectStore store = store();
    StoredObject b = object("sequences/abc.fasta", ">abc\n", spool("abc.spool", "ACGT\nTTGA\n"));
    assertThat(store.exists(b)).isFalse();

    store.put(b);

    Path stored = dir.resolve("store/sequences/abc.fasta");
    assertThat(Files.readString(stored)).isEqualTo(">abc\nACGT\nTTGA\n");
    assertThat(store.exists(b)).isTrue();
    assertThat(dir.resolve("abc.spool")).exists();
    try (Stream<Path> files = Files.list(stored.getParent())) {
      assertThat(files).containsExactly(stored);
    }
  }

  @Test
  void storesHeadOnlyAndSpoolOnlyObjects() throws Exception {
    ObjectStore store = store();
    store.put(StoredObject.of("h", "just the head".getBytes(UTF_8)));
    store.put(object("s", "", spool("s.spool", "just the spool")));

    assertThat(Files.readString(dir.resolve("store/h"))).isEqualTo("just the head");
    assertThat(Files.readString(dir.resolve("store/s"))).isEqualTo("just the spool");
  }

  @Test
  void anObjectOfAnotherLengthIsNotOursAndIsOverwritten() throws Exception {
    ObjectStore store = store();
    StoredObject b = object("k/obj", ">k\n", spool("k.spool", "ACGTACGT"));
    Path stored = dir.resolve("store/k/obj");
    Files.createDirectories(stored.getParent());
    Files.writeString(stored, ">k\nACG");

    assertThat(store.exists(b)).isFalse();
    store.put(b);

    assertThat(Files.readString(stored)).isEqualTo(">k\nACGTACGT");
    assertThat(store.exists(b)).isTrue();
  }

  @Test
  void aSpoolOfTheWrongSizeIsRefusedAndLeavesNothing() throws Exception {
    ObjectStore store = store();
    Path spool = spool("short.spool", "ACGT");
    StoredObject b = new StoredObject("k/short", new byte[0], spool.toString(), 10);

    assertThatThrownBy(() -> store.put(b))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("short.spool has 4 bytes where blob k/short expects 10");
    assertThat(dir.resolve("store/k/short")).doesNotExist();
    if (Files.exists(dir.resolve("store/k"))) {
      try (Stream<Path> files = Files.list(dir.resolve("store/k"))) {
        assertThat(files).isEmpty();
      }
    }
  }

  @Test
  void aMissingSpoolFailsThePut() throws Exception {
    ObjectStore store = store();
    StoredObject b =
        new StoredObject("k/gone", new byte[0], dir.resolve("gone.spool").toString(), 3);

    assertThatThrownBy(() -> store.put(b)).hasMessageContaining("gone.spool");
    assertThat(dir.resolve("store/k/gone")).doesNotExist();
  }

  @Test
  void urisJoinTheBaseAndTheKey() {
    assertThat(new ObjectStore("s3://bucket/prefix/").uri("sequences/a.fasta.gz"))
        .isEqualTo("s3://bucket/prefix/sequences/a.fasta.gz");
    assertThat(new ObjectStore("s3://bucket").uri("a")).isEqualTo("s3://bucket/a");
    assertThat(new ObjectStore("file:///data/objects").uri("a/b"))
        .isEqualTo("file:///data/objects/a/b");
    assertThatThrownBy(() -> new ObjectStore("s3://b").uri("a/../../etc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ObjectStore("relative/dir"))
        .hasMessageContaining("needs a scheme");
  }

  @Test
  void objectStoresAreToldByScheme() {
    assertThat(ObjectStore.kind(URI.create("s3://b/k"))).isEqualTo(FileSystemKind.OBJECT_STORE);
    assertThat(ObjectStore.kind(URI.create("gs://b/k"))).isEqualTo(FileSystemKind.OBJECT_STORE);
    assertThat(ObjectStore.kind(URI.create("file:///k"))).isEqualTo(FileSystemKind.FILE_SYSTEM);
    assertThat(ObjectStore.kind(URI.create("hdfs://nn/k"))).isEqualTo(FileSystemKind.FILE_SYSTEM);
  }
}
