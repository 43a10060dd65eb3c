package dev.pgingest.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of {@link CodecFileFormat} on damaged, binary, odd and missing files; file ends. */
class CodecFileFormatFaultTest {

  /** Decodes each line as itself; lines starting with "bad" are rejects, to mix both kinds. */
  private static final class TextCodec implements LineCodec<String> {
    @Override
    public void line(String text, long lineNumber, DecodeSink<String> out) {
      if (text.startsWith("bad")) {
        out.reject(lineNumber, "test reject", text);
      } else {
        out.record(text, lineNumber);
      }
    }
  }

  private static final TypeInformation<Decoded<String>> TYPE =
      TypeInformation.of(new TypeHint<Decoded<String>>() {});

  private static final CodecFileFormat<String> FORMAT = new CodecFileFormat<>(TextCodec::new, TYPE);

  @TempDir Path dir;

  /** One item as the reader emitted it, with the position Flink would checkpoint after it. */
  private record Item(Decoded<String> decoded, long skipCount) {}

  /**
   * Lines "row N <40 hex digits>", pseudo-random so gzip cannot shrink them much: a truncation at
   * half the compressed size then lands well inside the data.
   */
  private static List<String> rows(int n) {
    Random random = new Random(42);
    List<String> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      byte[] noise = new byte[20];
      random.nextBytes(noise);
      rows.add("row " + i + " " + HexFormat.of().formatHex(noise));
    }
    return rows;
  }

  private static byte[] text(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(UTF_8);
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FileSourceSplit split(Path file, long size) {
    return new FileSourceSplit(
        "0", new org.apache.flink.core.fs.Path(file.toUri()), 0, size, 0, size);
  }

  private static List<Item> drain(BulkFormat.Reader<Decoded<String>> reader) throws IOException {
    List<Item> items = new ArrayList<>();
    try (reader) {
      for (BulkFormat.RecordIterator<Decoded<String>> batch = reader.readBatch();
          batch != null;
          batch = reader.readBatch()) {
        for (RecordAndPosition<Decoded<String>> rp = batch.next(); rp != null; rp = batch.next()) {
          items.add(new Item(rp.getRecord(), rp.getRecordSkipCount()));
        }
        batch.releaseBatch();
      }
    }
    return items;
  }

  private static List<Decoded<String>> readAll(Path file) throws IOException {
    return decoded(drain(FORMAT.createReader(new Configuration(), split(file, Files.size(file)))));
  }

  private static List<Decoded<String>> restoreAt(Path file, long skipCount) throws IOException {
    FileSourceSplit restored =
        split(file, Files.size(file))
            .updateWithCheckpointedPosition(
                new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, skipCount));
    return decoded(drain(FORMAT.restoreReader(new Configuration(), restored)));
  }

  private static List<Decoded<String>> decoded(List<Item> items) {
    return items.stream().map(Item::decoded).toList();
  }

  private static Decoded<String> last(List<Decoded<String>> items) {
    return items.get(items.size() - 1);
  }

  /** Checks what every file's items have in common whatever happened to it. */
  private static void assertEndsWithItsFileEnd(List<Decoded<String>> items, byte[] stored) {
    assertThat(items.subList(0, items.size() - 1)).noneMatch(Decoded::isFileEnd);
    Decoded<String> end = last(items);
    assertThat(end.isFileEnd()).isTrue();
    assertThat(end.isReject()).isFalse();
    assertThat(end.value()).isNull();
    assertThat(end.end().items()).isEqualTo(items.size() - 1);
    assertThat(end.end().sha256()).isEqualTo(sha256(stored));
    assertThat(end.end().storedBytes()).isEqualTo(stored.length);
    assertThat(items.stream().mapToLong(Decoded::inputBytes).sum()).isEqualTo(stored.length);
  }

  @Test
  void truncatedGzipYieldsTheLinesBeforeTheDamageThenOneRejectThenItsEnd() throws IOException {
    List<String> rows = rows(20_000);
    byte[] whole = gzip(text(rows));
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);
    Path file = write("rows.txt.gz", cut);

    List<Decoded<String>> items = readAll(file);

    assertEndsWithItsFileEnd(items, cut);
    int good = items.size() - 2;
    assertThat(good).isBetween(1_000, rows.size() - 1_000);
    // Exactly the complete lines before the damage, in order: the cut line is not among them.
    assertThat(items.subList(0, good))
        .extracting(Decoded::value)
        .containsExactlyElementsOf(rows.subList(0, good));
    for (int i = 0; i < good; i++) {
      assertThat(items.get(i).line()).isEqualTo(i + 1);
    }
    Decoded<String> reject = items.get(good);
    assertThat(reject.isReject()).isTrue();
    assertThat(reject.file()).isEqualTo(file.toString());
    assertThat(reject.line()).isEqualTo(good + 1);
    assertThat(reject.error())
        .isEqualTo(
            "gzip data ends unexpectedly after line "
                + good
                + " (byte "
                + cut.length
                + " of "
                + cut.length
                + " as stored); the lines before it were read");
    assertThat(last(items).end().fault()).isEqualTo(reject.error());
  }

  @Test
  void gzipTruncatedInsideItsFirstBlockStillYieldsTheLinesBeforeTheDamage() throws IOException {
    // About 4 KiB of text: the damage is met while the first 8 KiB are sniffed for binary content.
    List<String> rows = rows(80);
    byte[] whole = gzip(text(rows));
    byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
    Path file = write("short.txt.gz", cut);

    List<Decoded<String>> items = readAll(file);

    assertEndsWithItsFileEnd(items, cut);
    int good = items.size() - 2;
    assertThat(good).isBetween(10, rows.size() - 10);
    assertThat(items.subList(0, good))
        .extracting(Decoded::value)
        .containsExactlyElementsOf(rows.subList(0, good));
    assertThat(items.get(good).line()).isEqualTo(good + 1);
    assertThat(items.get(good).error())
        .startsWith("gzip data ends unexpectedly after line " + good);
  }

  @Test
  void corruptGzipIsOneRejectAndTheDigestStillCoversTheWholeFile() throws IOException {
    byte[] whole = gzip(text(rows(20_000)));
    byte[] corrupt = whole.clone();
    for (int i = corrupt.length / 2; i < corrupt.length / 2 + 64; i++) {
      corrupt[i] = (byte) ~corrupt[i];
    }
    Path file = write("corrupt.txt.gz", corrupt);

    List<Decoded<String>> items = readAll(file);

    // Digest and byte count of the whole file although decompression stopped halfway.
    assertEndsWithItsFileEnd(items, corrupt);
    Decoded<String> reject = items.get(items.size() - 2);
    assertThat(reject.error()).startsWith("gzip data is corrupt after line " + (reject.line() - 1));
    assertThat(reject.error()).endsWith("; the lines before it were read");
    assertThat(reject.line()).isGreaterThan(1_000);
    assertThat(last(items).end().fault()).isEqualTo(reject.error());
    assertThat(items.stream().filter(Decoded::isReject)).hasSize(1);
  }

  @Test
  void plainTextNamedGzIsOneRejectAtLineOne() throws IOException {
    byte[] plain = text(rows(100));
    Path file = write("not-really.txt.gz", plain);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(2);
    assertEndsWithItsFileEnd(items, plain);
    assertThat(items.get(0).isReject()).isTrue();
    assertThat(items.get(0).line()).isEqualTo(1);
    assertThat(items.get(0).error())
        .isEqualTo("not a gzip file although named .gz: no gzip header at byte 0");
    assertThat(items.get(1).end().fault()).isEqualTo(items.get(0).error());
  }

  @Test
  void emptyFileNamedGzIsOneReject() throws IOException {
    Path file = write("empty.txt.gz", new byte[0]);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(2);
    assertEndsWithItsFileEnd(items, new byte[0]);
    assertThat(items.get(0).error())
        .isEqualTo("not a gzip file although named .gz: the file is empty");
  }

  @Test
  void binaryFileIsOneRejectAtLineOneAndNothingElse() throws IOException {
    byte[] noise = new byte[100_000];
    new Random(7).nextBytes(noise);
    Path file = write("image.txt", noise);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(2);
    assertEndsWithItsFileEnd(items, noise);
    Decoded<String> reject = items.get(0);
    assertThat(reject.isReject()).isTrue();
    assertThat(reject.line()).isEqualTo(1);
    assertThat(reject.error()).startsWith("not a text file: binary content in the first 8 KiB (");
    assertThat(items.get(1).end().fault()).isEqualTo(reject.error());
  }

  @Test
  void gzippedBinaryIsSniffedAfterDecompression() throws IOException {
    // Mostly NUL, like a sparse binary format: compresses well, nothing like text inside.
    byte[] zeros = new byte[50_000];
    zeros[100] = 'a';
    byte[] stored = gzip(zeros);
    Path file = write("zeros.dat.gz", stored);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(2);
    assertEndsWithItsFileEnd(items, stored);
    assertThat(items.get(0).error())
        .isEqualTo(
            "not a text file: binary content in the first 8 KiB (8191 of 8192 bytes are NUL or"
                + " other control characters, 0 are not valid UTF-8)");
  }

  @Test
  void deletedFileIsOneRejectNotAFailedJob() throws IOException {
    Path file = write("gone.txt", text(rows(10)));
    FileSourceSplit split = split(file, Files.size(file));
    Files.delete(file);

    List<Decoded<String>> items = decoded(drain(FORMAT.createReader(new Configuration(), split)));

    assertThat(items).hasSize(2);
    assertEndsWithItsFileEnd(items, new byte[0]);
    assertThat(items.get(0).isReject()).isTrue();
    assertThat(items.get(0).line()).isEqualTo(1);
    assertThat(items.get(0).error())
        .startsWith("file not found: it was listed but could not be opened (");
    assertThat(items.get(1).end().fault()).isEqualTo(items.get(0).error());
  }

  @Test
  void tenMegabyteLineIsOneRejectBetweenTwoGoodLines() throws IOException {
    int longLength = 10 << 20;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("first\n".getBytes(UTF_8));
    byte[] longLine = new byte[longLength];
    Arrays.fill(longLine, (byte) 'x');
    out.writeBytes(longLine);
    out.writeBytes("\r\nlast\n".getBytes(UTF_8));
    byte[] bytes = out.toByteArray();
    Path file = write("long.txt", bytes);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(4);
    assertEndsWithItsFileEnd(items, bytes);
    assertThat(items.get(0).value()).isEqualTo("first");
    Decoded<String> reject = items.get(1);
    assertThat(reject.line()).isEqualTo(2);
    assertThat(reject.error()).isEqualTo("line is 10485760 bytes long; the limit is 1048576");
    assertThat(reject.raw()).hasSize(LineReader.RAW_KEEP + 1).startsWith("xxxx").endsWith("…");
    assertThat(items.get(2).value()).isEqualTo("last");
    assertThat(items.get(2).line()).isEqualTo(3);
    assertThat(last(items).end().fault()).isNull();
  }

  @Test
  void emptyFileIsJustItsEnd() throws IOException {
    Path file = write("empty.txt", new byte[0]);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(1);
    assertEndsWithItsFileEnd(items, new byte[0]);
    assertThat(items.get(0).line()).isZero();
    assertThat(items.get(0).end())
        .isEqualTo(
            new Decoded.FileEnd(
                0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0, null));
  }

  @Test
  void byteOrderMarkIsDroppedAndCrLfEndsLines() throws IOException {
    byte[] bytes = "\uFEFFfirst\r\nsecond\r\n".getBytes(UTF_8);
    Path file = write("bom.txt", bytes);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(3);
    assertEndsWithItsFileEnd(items, bytes);
    assertThat(items.subList(0, 2)).extracting(Decoded::value).containsExactly("first", "second");
  }

  @Test
  void nulByteInOneValueRejectsOnlyThatLine() throws IOException {
    byte[] bytes = "one\ntwo\nthr\0ee\nfour\nbad five\n".getBytes(UTF_8);
    Path file = write("nul.txt", bytes);

    List<Decoded<String>> items = readAll(file);

    assertThat(items).hasSize(6);
    assertEndsWithItsFileEnd(items, bytes);
    assertThat(items.subList(0, 5))
        .extracting(Decoded::line, Decoded::value)
        .containsExactly(
            tuple(1L, "one"),
            tuple(2L, "two"),
            tuple(3L, null),
            tuple(4L, "four"),
            tuple(5L, null));
    assertThat(items.get(2).error()).startsWith("NUL byte at column 4");
    assertThat(items.get(4).error()).isEqualTo("test reject");
    // Per-line rejects are not a fault of the file.
    assertThat(last(items).end().fault()).isNull();
  }

  @Test
  void fileEndDigestIsTheFilesSha256AndSurvivesARestore() throws IOException {
    List<String> rows = rows(5_000);
    rows.set(1_234, "bad row");
    byte[] plainBytes = text(rows);
    byte[] gzBytes = gzip(plainBytes);
    Path plain = write("rows.txt", plainBytes);
    Path gz = write("rows.txt.gz", gzBytes);

    for (Path file : List.of(plain, gz)) {
      byte[] stored = Files.readAllBytes(file);
      List<Decoded<String>> all = readAll(file);
      assertEndsWithItsFileEnd(all, stored);
      assertThat(last(all).end().fault()).isNull();
      assertThat(last(all).end().items()).isEqualTo(rows.size());

      for (int k : List.of(1, 1_234, 1_235, 2_048, rows.size() - 1, rows.size())) {
        List<Decoded<String>> rest = restoreAt(file, k);

        // Including the file end: the restored reader re-reads from the start, so its digest,
        // item count and byte deltas are those of an uninterrupted read.
        assertThat(rest).as("%s after item %d", file, k).isEqualTo(all.subList(k, all.size()));
      }
      assertThat(restoreAt(file, all.size())).isEmpty();
    }
  }

  @Test
  void restoreOfATruncatedGzipYieldsTheSameRejectAndFileEnd() throws IOException {
    byte[] whole = gzip(text(rows(20_000)));
    Path file = write("cut.txt.gz", Arrays.copyOf(whole, whole.length / 2));
    List<Decoded<String>> all = readAll(file);
    int n = all.size();

    for (int k : List.of(1, n - 3, n - 2, n - 1)) {
      assertThat(restoreAt(file, k)).as("after item %d", k).isEqualTo(all.subList(k, n));
    }
  }

  @Test
  void positionsCountTheRejectAndTheFileEndLikeAnyItem() throws IOException {
    byte[] whole = gzip(text(rows(3_000)));
    Path file = write("cut.txt.gz", Arrays.copyOf(whole, whole.length / 2));

    List<Item> items =
        drain(FORMAT.createReader(new Configuration(), split(file, Files.size(file))));

    for (int i = 0; i < items.size(); i++) {
      assertThat(items.get(i).skipCount()).isEqualTo(i + 1);
    }
  }

  @Test
  void fileEndItemSurvivesFlinkSerializationWithoutKryo() throws IOException {
    Decoded<String> end =
        Decoded.fileEnd("a.txt", 12, new Decoded.FileEnd(13, "ab12", 456, "gzip broke"), 7);
    TypeSerializer<Decoded<String>> serializer = TYPE.createSerializer(new SerializerConfigImpl());
    DataOutputSerializer out = new DataOutputSerializer(64);

    serializer.serialize(end, out);
    Decoded<String> back =
        serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));

    assertThat(TYPE).isNotInstanceOf(GenericTypeInfo.class);
    assertThat(back).isEqualTo(end);
    assertThat(back.isFileEnd()).isTrue();
    assertThat(back.isReject()).isFalse();
  }
}
