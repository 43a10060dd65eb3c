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
 * dumps) skip the charset decoder.
 */
public final class LineReader {

  /** What {@link #next()} found: a line, or a line that is not valid UTF-8 / holds a NUL. */
  public enum Kind {
    LINE,
    BAD,
    EOF
  }

  private final InputStream in;
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
  private long lineNumber;
  private String text;
  private String error;

  public LineReader(InputStream in) {
    this.in = in;
  }

  /** Reads the next line; then {@link #text()}, {@link #error()} and {@link #lineNumber()} tell. */
  public Kind next() throws IOException {
    lineLen = 0;
    boolean sawAny = false;
    while (true) {
      if (pos == limit) {
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
    int len = lineLen;
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    return decode(len);
  }

  private void append(int start, int n) {
    if (lineLen + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
    }
    System.arraycopy(buf, start, line, lineLen, n);
    lineLen += n;
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

  /** The raw bytes of the last line shown lossily, for the rejects table. */
  public String rawLossy() {
    int len = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
    return new String(line, 0, len, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
  }

  /** 1-based number of the last line read. */
  public long lineNumber() {
    return lineNumber;
  }
}
