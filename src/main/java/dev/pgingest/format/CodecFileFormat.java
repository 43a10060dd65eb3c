package dev.pgingest.format;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Thin Flink adapter that reads one whole file per split through a {@link LineCodec}.
 *
 * <p>A {@code BulkFormat} rather than a {@code StreamFormat} because only the split knows the
 * file's path, and every record and reject must carry it. Files are not split (gzip cannot be, and
 * multi-line records need their start), {@code .gz} is decompressed, and the checkpointed position
 * is the count of items already emitted: a restored reader re-reads the file and skips that many,
 * which keeps line numbers exact at the cost of re-scanning on recovery.
 *
 * <p>Every file ends with a {@linkplain Decoded#isFileEnd() file end} item carrying its totals, so
 * the runner can keep a ledger of files. The file end counts as an item like any other, and since a
 * restored reader re-reads from the start, its digest always covers the whole file.
 */
public final class CodecFileFormat<T> implements BulkFormat<Decoded<T>, FileSourceSplit> {

  private static final int BATCH = 1024;

  /** Most stored bytes one call skips past after a fault, so a huge file does not block it. */
  private static final long DRAIN_PER_BATCH = 64L << 20;

  private final CodecFactory<T> codecs;
  private final TypeInformation<Decoded<T>> type;

  /** One codec for every file. */
  public CodecFileFormat(
      SerializableSupplier<LineCodec<T>> codecs, TypeInformation<Decoded<T>> type) {
    this((CodecFactory<T>) path -> codecs.get(), type);
  }

  private CodecFileFormat(CodecFactory<T> codecs, TypeInformation<Decoded<T>> type) {
    this.codecs = codecs;
    this.type = type;
  }

  /** A codec per file, chosen by the factory (e.g. by the file's name). */
  public static <T> CodecFileFormat<T> perFile(
      CodecFactory<T> codecs, TypeInformation<Decoded<T>> type) {
    return new CodecFileFormat<>(codecs, type);
  }

  @Override
  public Reader<Decoded<T>> createReader(Configuration config, FileSourceSplit split)
      throws IOException {
    return new CodecReader<>(
        split.path(), split.fileSize(), codecs.forFile(displayName(split.path())), 0);
  }

  @Override
  public Reader<Decoded<T>> restoreReader(Configuration config, FileSourceSplit split)
      throws IOException {
    long skip =
        split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
    return new CodecReader<>(
        split.path(), split.fileSize(), codecs.forFile(displayName(split.path())), skip);
  }

  /**
   * {@code Decoded<T>} as a POJO whose value has the type {@code value}, for values Flink's own
   * type analysis would hand to Kryo.
   */
  @SuppressWarnings("unchecked")
  public static <T> TypeInformation<Decoded<T>> decodedType(TypeInformation<T> value) {
    Map<String, TypeInformation<?>> fields = new HashMap<>();
    fields.put("file", Types.STRING);
    fields.put("line", Types.LONG);
    fields.put("value", value);
    fields.put("error", Types.STRING);
    fields.put("raw", Types.STRING);
    fields.put("inputBytes", Types.LONG);
    fields.put("end", TypeInformation.of(Decoded.FileEnd.class));
    return (TypeInformation<Decoded<T>>) (TypeInformation<?>) Types.POJO(Decoded.class, fields);
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

  /**
   * Reads one file, emitting batches of decoded items and, last, the file's end with its totals.
   *
   * <p>Damage that will be there again on every retry (a truncated or corrupt gzip stream, a file
   * named .gz that is not gzip, binary content, a file that vanished) ends the file with one reject
   * and its file end, so the job goes on with the other files. Any other I/O error, such as a
   * network error reading object storage, propagates so that Flink restarts the task.
   */
  private static final class CodecReader<T> implements Reader<Decoded<T>>, DecodeSink<T> {

    /** What the reader does next; a fault jumps from anywhere to DRAIN or END. */
    private enum Phase {
      SNIFF,
      LINES,
      DRAIN,
      END,
      DONE
    }

    private final String file;
    private final long fileSize;
    private final LineCodec<T> codec;
    private StoredStream stored;
    private InputStream decompressed;
    private LineReader lines;
    private Phase phase = Phase.SNIFF;
    private String fault;
    private long toSkip;
    private long produced;
    private long emitted;
    private long bytesReported;
    private List<Decoded<T>> batch = new ArrayList<>(BATCH);

    CodecReader(Path path, long fileSize, LineCodec<T> codec, long skip) throws IOException {
      this.file = displayName(path);
      this.fileSize = fileSize;
      this.codec = codec;
      this.toSkip = skip;
      this.emitted = skip;
      try {
        stored = new StoredStream(path.getFileSystem().open(path));
        // The gzip constructor reads the header, so a file that is not gzip fails right here.
        decompressed = file.endsWith(".gz") ? new GZIPInputStream(stored, 1 << 16) : stored;
        lines = new LineReader(decompressed);
      } catch (IOException e) {
        try {
          fail(e);
        } catch (IOException notOurs) {
          closeQuietly(notOurs);
          throw notOurs;
        }
      }
    }

    /** Releases what the constructor opened when it cannot hand back a reader to close it. */
    private void closeQuietly(IOException cause) {
      try {
        close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }

    @Override
    public RecordIterator<Decoded<T>> readBatch() throws IOException {
      long startCount = emitted;
      long drainUntil = stored == null ? 0 : stored.count + DRAIN_PER_BATCH;
      while (batch.size() < BATCH && phase != Phase.DONE) {
        try {
          switch (phase) {
            case SNIFF -> sniff();
            case LINES -> nextLine();
            case DRAIN -> {
              if (stored.skipToEnd(drainUntil)) {
                phase = Phase.END;
              }
            }
            case END -> end();
            case DONE -> {}
          }
        } catch (IOException e) {
          fail(e);
        }
        if (phase == Phase.DRAIN && stored.count >= drainUntil) {
          // Hand back control between chunks of a long drain; the next call goes on.
          break;
        }
      }
      if (batch.isEmpty() && phase == Phase.DONE) {
        return null;
      }
      List<Decoded<T>> out = batch;
      batch = new ArrayList<>(BATCH);
      return new IteratorResultIterator<>(
          out.iterator(), CheckpointedPosition.NO_OFFSET, startCount);
    }

    private void sniff() throws IOException {
      String binary = lines.binaryContent();
      if (binary == null) {
        phase = Phase.LINES;
        return;
      }
      reject(1, binary, null);
      fault = binary;
      phase = Phase.DRAIN;
    }

    private void nextLine() throws IOException {
      switch (lines.next()) {
        case LINE -> codec.line(lines.text(), lines.lineNumber(), this);
        case BAD -> reject(lines.lineNumber(), lines.error(), lines.rawLossy());
        case EOF -> {
          codec.end(lines.lineNumber(), this);
          phase = Phase.DRAIN;
        }
      }
    }

    private void end() {
      long line = lines == null ? 0 : lines.lineNumber();
      Decoded.FileEnd totals =
          new Decoded.FileEnd(
              produced,
              stored == null ? StoredStream.EMPTY_SHA256 : stored.sha256(),
              stored == null ? 0 : stored.count,
              fault);
      add(Decoded.fileEnd(file, line, totals, bytesDelta()));
      phase = Phase.DONE;
    }

    /**
     * Turns a deterministic fault into the file's one fault reject and skips to its end; throws
     * anything a retry might not meet again.
     *
     * <p>A record a multi-line codec still holds is dropped rather than handed to {@code end}: it
     * may be missing lines, and the fault reject names the line where reading stopped.
     */
    private void fail(IOException e) throws IOException {
      boolean fromStorage = stored == null || e == stored.failure;
      boolean vanished = fromStorage && e instanceof FileNotFoundException;
      boolean gzipDamage = !fromStorage && (e instanceof ZipException || e instanceof EOFException);
      if (!vanished && !gzipDamage) {
        throw e;
      }
      if (fault != null) {
        // Already ending the file: the drain after a fault stops where storage stops.
        phase = Phase.END;
        return;
      }
      long complete = lines == null ? 0 : lines.lineNumber();
      fault = vanished ? vanishedReason(e, complete) : gzipReason(e, complete);
      reject(complete + 1, fault, null);
      phase = vanished ? Phase.END : Phase.DRAIN;
    }

    private String vanishedReason(IOException e, long complete) {
      if (stored == null) {
        return "file not found: it was listed but could not be opened (" + e.getMessage() + ")";
      }
      return broken("file vanished", complete, e.getMessage());
    }

    private String gzipReason(IOException e, long complete) {
      if (lines == null) {
        if (e instanceof EOFException) {
          return stored.count == 0
              ? "not a gzip file although named .gz: the file is empty"
              : "gzip data ends unexpectedly in the gzip header (" + storedAt() + ")";
        }
        return "Not in GZIP format".equals(e.getMessage())
            ? "not a gzip file although named .gz: no gzip header at byte 0"
            : "not a readable gzip file: " + e.getMessage() + " in the gzip header";
      }
      return e instanceof EOFException
          ? broken("gzip data ends unexpectedly", complete, null)
          : broken("gzip data is corrupt", complete, e.getMessage());
    }

    /** "what after line N (byte X of Y as stored[: detail]); the lines before it were read". */
    private String broken(String what, long complete, String detail) {
      return what
          + " "
          + after(complete)
          + " ("
          + storedAt()
          + (detail == null ? "" : ": " + detail)
          + ")"
          + linesBefore(complete);
    }

    private static String after(long complete) {
      return complete == 0 ? "within line 1" : "after line " + complete;
    }

    private static String linesBefore(long complete) {
      return complete == 0 ? "" : "; the lines before it were read";
    }

    private String storedAt() {
      return "byte " + stored.count + (fileSize >= 0 ? " of " + fileSize : "") + " as stored";
    }

    @Override
    public void record(T value, long lineNumber) {
      add(Decoded.value(file, lineNumber, value, bytesDelta()));
    }

    @Override
    public void reject(long lineNumber, String reason, String raw) {
      add(Decoded.reject(file, lineNumber, reason, raw, bytesDelta()));
    }

    @Override
    public boolean keeps(long lineNumber) {
      // Items leave in order, so the next record is dropped exactly while items remain to skip.
      return toSkip == 0;
    }

    private long bytesDelta() {
      long now = stored == null ? 0 : stored.count;
      long delta = now - bytesReported;
      bytesReported = now;
      return delta;
    }

    private void add(Decoded<T> item) {
      if (!item.isFileEnd()) {
        produced++;
      }
      if (toSkip > 0) {
        toSkip--;
        return;
      }
      batch.add(item);
      emitted++;
    }

    @Override
    public void close() throws IOException {
      // Closing the gzip stream also frees its inflater's native memory, then closes the file.
      if (decompressed != null) {
        decompressed.close();
      } else if (stored != null) {
        stored.close();
      }
    }
  }

  /**
   * The file as read from storage: counts and digests the bytes, before decompression, and
   * remembers the exception storage threw, to tell it apart from damage the gzip layer found.
   */
  static final class StoredStream extends FilterInputStream {

    /** SHA-256 of no bytes, for a file that could not be opened at all. */
    static final String EMPTY_SHA256 =
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final MessageDigest sha256;
    private final byte[] scratch = new byte[1 << 16];
    long count;
    IOException failure;

    StoredStream(InputStream in) {
      super(in);
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide SHA-256, so this cannot happen.
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      int b;
      try {
        b = super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (b >= 0) {
        count++;
        sha256.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (n > 0) {
        count += n;
        sha256.update(b, off, n);
      }
      return n;
    }

    @Override
    public boolean markSupported() {
      // A reset would count and digest the same bytes twice.
      return false;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must still be counted and digested: read them instead.
      long done = 0;
      while (done < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    /**
     * Reads on, without decoding, to the end of the file or until {@code until} bytes are read, so
     * the digest and the byte count cover the whole file; true once at the end.
     */
    boolean skipToEnd(long until) throws IOException {
      while (count < until) {
        if (read(scratch, 0, (int) Math.min(scratch.length, until - count)) < 0) {
          return true;
        }
      }
      return false;
    }

    /** Lowercase hex digest of the bytes read so far; call once, at the end. */
    String sha256() {
      return HexFormat.of().formatHex(sha256.digest());
    }
  }
}
