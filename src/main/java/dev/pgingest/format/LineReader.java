package dev.pgingest.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ({@code \n} or {@code \r\n}) and decodes each as strict UTF-8.
 *
 * <p>Works on bytes rather than a {@code BufferedReader} so that one bad byte rejects one line
 * instead of failing the whole file, and so ASCII lines (nearly all of them in bioinformatics
 * dumps) skip the charset decoder. A line longer than the limit is a bad line whose excess bytes
 * are counted but not kept, so memory stays bounded whatever the input. A UTF-8 byte order mark at
 * the start of the stream is dropped: editors on Windows write one, and it would otherwise stick to
 * the first value.
 */
public final class LineReader {

  /** What {@link #next()} found: a line, a bad one (invalid UTF-8, a NUL, too long), or the end. */
  public enum Kind {
    LINE,
    BAD,
    EOF
  }

  /** Longest line accepted by default, in bytes without its terminator. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  /** How much of the start of the stream {@link #binaryContent()} looks at. */
  public static final int SNIFF_BYTES = 8 << 10;

  /** Bytes of an over-long line kept for {@link #rawLossy()}: enough to recognise the line. */
  public static final int RAW_KEEP = 4 << 10;

  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private int lineLen;
  private long lineBytes;
  private boolean lastCr;
  private boolean tooLong;
  private long lineNumber;
  private String text;
  private String error;
  private IOException deferred;

  public LineReader(InputStream in) {
    this(in, DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * @param maxLineBytes longest line accepted, in bytes without its terminator
   */
  public LineReader(InputStream in, int maxLineBytes) {
    if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("line limit out of range: " + maxLineBytes);
    }
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Before the first line: reads the first {@value #SNIFF_BYTES} bytes and says why they are not
   * text, or returns {@code null} if they look like text or the stream failed before that much (the
   * failure is then thrown by {@link #next()} once the lines before it are out).
   *
   * <p>Text here is mostly printable UTF-8: a block where more than a tenth of the bytes are NUL,
   * other control characters (tab, CR, LF and form feed are fine) or invalid UTF-8 is binary. A
   * single stray NUL or bad byte is not enough, so that it stays a reject of its own line.
   */
  public String binaryContent() throws IOException {
    if (lineNumber > 0 || pos > 0) {
      throw new IllegalStateException("binaryContent() is for the start of the stream");
    }
    boolean ended = false;
    try {
      while (limit < SNIFF_BYTES) {
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
          ended = true;
          break;
        }
        limit += n;
      }
    } catch (IOException e) {
      // The lines before the failure are still good: next() hands them out, then throws.
      deferred = e;
      return null;
    }
    int n = Math.min(limit, SNIFF_BYTES);
    int control = 0;
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      int b = buf[i] & 0xFF;
      if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F) {
        control++;
      } else if (b >= 0x80) {
        ascii = false;
      }
    }
    int invalid = ascii ? 0 : invalidUtf8Bytes(n, ended);
    int suspicious = control + invalid;
    if (suspicious < 2 || suspicious * 10L <= n) {
      return null;
    }
    String where = n == SNIFF_BYTES ? "the first 8 KiB" : "all " + n + " bytes";
    return "not a text file: binary content in "
        + where
        + " ("
        + control
        + " of "
        + n
        + " bytes are NUL or other control characters, "
        + invalid
        + " are not valid UTF-8)";
  }

  /** Bytes of {@code buf[0, n)} in malformed UTF-8 sequences; a sequence cut at n is fine. */
  private int invalidUtf8Bytes(int n, boolean wholeStream) {
    ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
    CharBuffer chars = CharBuffer.allocate(n);
    CharsetDecoder d = utf8.reset();
    int invalid = 0;
    while (true) {
      CoderResult r = d.decode(bytes, chars, wholeStream);
      if (r.isError()) {
        invalid += r.length();
        bytes.position(bytes.position() + r.length());
      } else {
        return invalid;
      }
    }
  }

  /** Reads the next line; then {@link #text()}, {@link #error()} and {@link #lineNumber()} tell. */
  public Kind next() throws IOException {
    lineLen = 0;
    lineBytes = 0;
    lastCr = false;
    boolean sawAny = false;
    while (true) {
      if (pos == limit) {
        if (deferred != null) {
          throw deferred;
        }
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (!sawAny) {
            return Kind.EOF;
          }
          break;
        }
      }
      sawAny = true;
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      append(start, pos - start);
      if (pos < limit) {
        pos++;
        break;
      }
    }
    lineNumber++;
    if (lineNumber == 1) {
      dropByteOrderMark();
    }
    long len = lastCr ? lineBytes - 1 : lineBytes;
    tooLong = len > maxLineBytes;
    if (tooLong) {
      text = null;
      error = "line is " + len + " bytes long; the limit is " + maxLineBytes;
      return Kind.BAD;
    }
    return decode((int) len);
  }

  private void append(int start, int n) {
    if (n == 0) {
      return;
    }
    lineBytes += n;
    lastCr = buf[start + n - 1] == '\r';
    // One byte of headroom holds the CR of a CRLF line of exactly the limit.
    int keep = Math.min(n, maxLineBytes + 1 - lineLen);
    if (keep <= 0) {
      return;
    }
    if (lineLen + keep > line.length) {
      int grown = (int) Math.min(Math.max(line.length * 2L, lineLen + keep), maxLineBytes + 1L);
      line = Arrays.copyOf(line, grown);
    }
    System.arraycopy(buf, start, line, lineLen, keep);
    lineLen += keep;
  }

  private void dropByteOrderMark() {
    boolean bom =
        lineLen >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF;
    if (bom) {
      System.arraycopy(line, 3, line, 0, lineLen - 3);
      lineLen -= 3;
      lineBytes -= 3;
    }
  }

  private Kind decode(int len) {
    boolean ascii = true;
    for (int i = 0; i < len; i++) {
      byte b = line[i];
      if (b == 0) {
        text = null;
        error = "NUL byte at column " + (i + 1) + " (PostgreSQL text cannot store it)";
        return Kind.BAD;
      }
      if (b < 0) {
        ascii = false;
      }
    }
    if (ascii) {
      text = new String(line, 0, len, StandardCharsets.ISO_8859_1);
      error = null;
      return Kind.LINE;
    }
    try {
      CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(line, 0, len));
      text = chars.toString();
      error = null;
      return Kind.LINE;
    } catch (CharacterCodingException e) {
      text = null;
      error = "invalid UTF-8 at byte " + (firstBadByte(len) + 1);
      return Kind.BAD;
    }
  }

  private int firstBadByte(int len) {
    ByteBuffer in = ByteBuffer.wrap(line, 0, len);
    CoderResult r = utf8.reset().decode(in, CharBuffer.allocate(len), true);
    return r.isError() ? in.position() : len - 1;
  }

  /** The decoded line of a {@link Kind#LINE}. */
  public String text() {
    return text;
  }

  /** Why a {@link Kind#BAD} line is bad. */
  public String error() {
    return error;
  }

  /**
   * The raw bytes of the last line shown lossily, for the rejects table; of a line over the limit
   * only the first {@value #RAW_KEEP} bytes and an ellipsis.
   */
  public String rawLossy() {
    if (tooLong) {
      return new String(line, 0, Math.min(lineLen, RAW_KEEP), StandardCharsets.UTF_8)
              .replace('\0', '\uFFFD')
          + "…";
    }
    int len = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
    return new String(line, 0, len, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
  }

  /** 1-based number of the last line read. */
  public long lineNumber() {
    return lineNumber;
  }
}
