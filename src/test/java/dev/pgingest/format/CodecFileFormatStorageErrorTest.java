package dev.pgingest.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.plugin.PluginManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors thrown by storage itself propagate, so Flink restarts the task instead of rejecting. */
class CodecFileFormatStorageErrorTest {

  private static final String SCHEME = "flaky";

  /** Bytes served before {@link #failure} is thrown; read by the file system on every open. */
  private static volatile long failAfter;

  private static volatile IOException failure;

  @TempDir static java.nio.file.Path dir;

  private static final CodecFileFormat<String> FORMAT =
      new CodecFileFormat<>(
          () -> (text, lineNumber, out) -> out.record(text, lineNumber),
          TypeInformation.of(new TypeHint<Decoded<String>>() {}));

  /** Local files whose streams throw {@link #failure} after {@link #failAfter} bytes. */
  private static final class FlakyFileSystem extends LocalFileSystem {
    @Override
    public FSDataInputStream open(Path path) throws IOException {
      FSDataInputStream local = super.open(new Path(path.toUri().getPath()));
      return new FSDataInputStream() {
        private long served;

        @Override
        public int read() throws IOException {
          if (served >= failAfter) {
            throw failure;
          }
          served++;
          return local.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (served >= failAfter) {
            throw failure;
          }
          int n = local.read(b, off, (int) Math.min(len, failAfter - served));
          served += Math.max(n, 0);
          return n;
        }

        @Override
        public void seek(long desired) {
          throw new UnsupportedOperationException();
        }

        @Override
        public long getPos() {
          return served;
        }

        @Override
        public void close() throws IOException {
          local.close();
        }
      };
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
      return open(path);
    }
  }

  /** Registers the {@code flaky} scheme the way Flink loads file system plugins. */
  private static final class FlakyPlugins implements PluginManager {
    @Override
    @SuppressWarnings("unchecked")
    public <P> Iterator<P> load(Class<P> service) {
      if (service != FileSystemFactory.class) {
        return Collections.emptyIterator();
      }
      FileSystemFactory factory =
          new FileSystemFactory() {
            @Override
            public String getScheme() {
              return SCHEME;
            }

            @Override
            public FileSystem create(URI uri) {
              return new FlakyFileSystem();
            }
          };
      return (Iterator<P>) List.of(factory).iterator();
    }
  }

  @BeforeAll
  static void registerScheme() {
    FileSystem.initialize(new Configuration(), new FlakyPlugins());
  }

  @AfterAll
  static void unregisterScheme() {
    FileSystem.initialize(new Configuration(), null);
  }

  private static byte[] text() {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      s.append("row ").append(i).append(' ').append(Integer.toHexString(i * 7919)).append('\n');
    }
    return s.toString().getBytes(UTF_8);
  }

  private static FileSourceSplit flakySplit(String name, byte[] bytes) throws IOException {
    java.nio.file.Path file = dir.resolve(name);
    Files.write(file, bytes);
    Path flaky = new Path(SCHEME + "://" + file.toAbsolutePath());
    return new FileSourceSplit("0", flaky, 0, bytes.length, 0, bytes.length);
  }

  /** Every item of the split, to the file end. */
  private static List<Decoded<String>> readAll(FileSourceSplit split) throws IOException {
    List<Decoded<String>> items = new ArrayList<>();
    try (BulkFormat.Reader<Decoded<String>> reader =
        FORMAT.createReader(new Configuration(), split)) {
      for (BulkFormat.RecordIterator<Decoded<String>> batch = reader.readBatch();
          batch != null;
          batch = reader.readBatch()) {
        for (var rp = batch.next(); rp != null; rp = batch.next()) {
          items.add(rp.getRecord());
        }
      }
    }
    return items;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void networkErrorMidFilePropagates() throws IOException {
    FileSourceSplit split = flakySplit("plain.txt", text());
    failAfter = 100_000;
    failure = new SocketException("Connection reset");

    assertThatThrownBy(() -> readAll(split)).isSameAs(failure);
  }

  @Test
  void networkErrorUnderTheGzipLayerPropagates() throws IOException {
    FileSourceSplit split = flakySplit("rows.txt.gz", gzip(text()));
    failAfter = 30_000;
    failure = new SocketException("Connection reset");

    assertThatThrownBy(() -> readAll(split)).isSameAs(failure);
  }

  @Test
  void networkErrorWhileReadingTheGzipHeaderPropagates() throws IOException {
    FileSourceSplit split = flakySplit("header.txt.gz", gzip(text()));
    failAfter = 0;
    failure = new SocketException("Connection reset");

    assertThatThrownBy(() -> FORMAT.createReader(new Configuration(), split)).isSameAs(failure);
  }

  @Test
  void endOfStreamFromStorageIsNotMistakenForTruncatedGzip() throws IOException {
    // Storage may report a connection cut short as EOFException; only the gzip layer's is damage.
    FileSourceSplit split = flakySplit("eof.txt.gz", gzip(text()));
    failAfter = 30_000;
    failure = new EOFException("Premature end of Content-Length delimited message body");

    assertThatThrownBy(() -> readAll(split)).isSameAs(failure);
  }

  @Test
  void sameFileReadsCleanlyWhenStorageDoesNotFail() throws IOException {
    // Guards the tests above: the flaky scheme itself serves the file whole.
    FileSourceSplit split = flakySplit("clean.txt.gz", gzip(text()));
    failAfter = Long.MAX_VALUE;
    failure = null;

    List<Decoded<String>> items = readAll(split);

    assertThat(items).hasSize(20_001);
    assertThat(items.subList(0, 20_000)).noneMatch(d -> d.isFileEnd() || d.isReject());
    Decoded<String> last = items.get(20_000);
    assertThat(last.isFileEnd()).isTrue();
    assertThat(last.end().fault()).isNull();
    assertThat(last.end().storedBytes()).isEqualTo(split.fileSize());
  }
}
