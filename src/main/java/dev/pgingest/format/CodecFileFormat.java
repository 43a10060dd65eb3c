package dev.pgingest.format;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Thin Flink adapter that reads one whole file per split through a {@link LineCodec}.
 *
 * <p>A {@code BulkFormat} rather than a {@code StreamFormat} because only the split knows the
 * file's path, and every record and reject must carry it. Files are not split (gzip cannot be,
 * and multi-line records need their start), {@code .gz} is decompressed, and the checkpointed
 * position is the count of items already emitted: a restored reader re-reads the file and skips
 * that many, which keeps line numbers exact at the cost of re-scanning on recovery.
 */
public final class CodecFileFormat<T> implements BulkFormat<Decoded<T>, FileSourceSplit> {

  private static final int BATCH = 1024;

  private final SerializableSupplier<LineCodec<T>> codecs;
  private final TypeInformation<Decoded<T>> type;

  public CodecFileFormat(
      SerializableSupplier<LineCodec<T>> codecs, TypeInformation<Decoded<T>> type) {
    this.codecs = codecs;
    this.type = type;
  }

  @Override
  public Reader<Decoded<T>> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new CodecReader<>(split.path(), codecs.get(), 0);
  }

  @Override
  public Reader<Decoded<T>> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new CodecReader<>(split.path(), codecs.get(), skip);
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<Decoded<T>> getProducedType() {
    return type;
  }

  /** Local files as plain paths (what users typed), others as URIs ({@code s3://bucket/key}). */
  static String displayName(Path path) {
    String scheme = path.toUri().getScheme();
    return scheme == null || scheme.equals("file") ? path.toUri().getPath() : path.toString();
  }

  /** Opens a file for reading, decompressing by file name; counts the bytes as stored. */
  static CountingStream open(Path path) throws IOException {
    FSDataInputStream raw = path.getFileSystem().open(path);
    return new CountingStream(raw);
  }

  /** Reads one file, emitting batches of decoded items. */
  private static final class CodecReader<T> implements Reader<Decoded<T>>, DecodeSink<T> {
    private final String file;
    private final LineCodec<T> codec;
    private final CountingStream counted;
    private final LineReader lines;
    private long toSkip;
    private long emitted;
    private long bytesReported;
    private boolean ended;
    private List<Decoded<T>> batch = new ArrayList<>(BATCH);

    CodecReader(Path path, LineCodec<T> codec, long skip) throws IOException {
      this.file = displayName(path);
      this.codec = codec;
      this.counted = open(path);
      InputStream in =
          file.endsWith(".gz") ? new GZIPInputStream(counted, 1 << 16) : counted;
      this.lines = new LineReader(in);
      this.toSkip = skip;
      this.emitted = skip;
    }

    @Override
    public RecordIterator<Decoded<T>> readBatch() throws IOException {
      if (ended) {
        return null;
      }
      long startCount = emitted;
      batch = new ArrayList<>(BATCH);
      while (batch.size() < BATCH && !ended) {
        switch (lines.next()) {
          case LINE -> codec.line(lines.text(), lines.lineNumber(), this);
          case BAD -> reject(lines.lineNumber(), lines.error(), lines.rawLossy());
          case EOF -> {
            codec.end(lines.lineNumber(), this);
            ended = true;
          }
        }
      }
      if (batch.isEmpty()) {
        return null;
      }
      return new IteratorResultIterator<>(
          batch.iterator(), CheckpointedPosition.NO_OFFSET, startCount);
    }

    @Override
    public void record(T value, long lineNumber) {
      add(new Decoded<>(file, lineNumber, value, null, null, bytesDelta()));
    }

    @Override
    public void reject(long lineNumber, String reason, String raw) {
      add(new Decoded<>(file, lineNumber, null, reason, raw, bytesDelta()));
    }

    private long bytesDelta() {
      long now = counted.count;
      long delta = now - bytesReported;
      bytesReported = now;
      return delta;
    }

    private void add(Decoded<T> item) {
      if (toSkip > 0) {
        toSkip--;
        return;
      }
      batch.add(item);
      emitted++;
    }

    @Override
    public void close() throws IOException {
      counted.close();
    }
  }

  /** Counts bytes as read from storage, before decompression. */
  static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
