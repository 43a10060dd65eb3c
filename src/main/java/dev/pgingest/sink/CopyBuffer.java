package dev.pgingest.sink;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A growable byte buffer that writes PostgreSQL's COPY formats: binary (the header, tuples of
 * length-prefixed fields and the trailer, in network byte order) or text (tab-separated lines,
 * {@code \N} for NULL, backslash escapes).
 *
 * <p>Why not {@code DataOutputStream} over {@code ByteArrayOutputStream}: every byte written there
 * takes the stream's lock, four of them per {@code writeInt}, and the COPY writer writes a few
 * dozen fields per row for every row the job loads; profiling showed that as the writer's largest
 * cost. Here a field is one bounds check and a copy.
 */
final class CopyBuffer {
  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private byte[] buf;
  private int size;

  CopyBuffer(int capacity) {
    buf = new byte[capacity];
  }

  /** Empties the buffer and writes the COPY header (no flags, no extension). */
  void start() {
    size = 0;
    put(HEADER, HEADER.length);
  }

  /** Starts a tuple of {@code fields} fields. */
  void tuple(int fields) {
    ensure(2);
    buf[size++] = (byte) (fields >>> 8);
    buf[size++] = (byte) fields;
  }

  /** A text field as UTF-8, or NULL. */
  void text(String v) {
    if (v == null) {
      putInt(-1);
      return;
    }
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    putInt(b.length);
    put(b, b.length);
  }

  /** A bigint field. */
  void int8(long v) {
    putInt(8);
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
  }

  /** A boolean field. */
  void bool(boolean v) {
    putInt(1);
    ensure(1);
    buf[size++] = (byte) (v ? 1 : 0);
  }

  /** A NULL field. */
  void nullField() {
    putInt(-1);
  }

  /** Empties the buffer for text-format data, which has no header. */
  void clear() {
    size = 0;
  }

  /**
   * One field of a text-format line: a tab before all but the first, the value with backslash,
   * newline, carriage return and tab escaped, {@code \N} for NULL.
   */
  void textField(String v, boolean first) {
    if (!first) {
      ensure(1);
      buf[size++] = '\t';
    }
    if (v == null) {
      ensure(2);
      buf[size++] = '\\';
      buf[size++] = 'N';
      return;
    }
    String s = v;
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch == '\\' || ch == '\n' || ch == '\r' || ch == '\t') {
        s = escaped(v);
        break;
      }
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    put(b, b.length);
  }

  /** Ends a text-format line. */
  void endLine() {
    ensure(1);
    buf[size++] = '\n';
  }

  private static String escaped(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      switch (ch) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** Writes the trailer that ends the data. */
  void end() {
    tuple(0xFFFF);
  }

  byte[] array() {
    return buf;
  }

  /** Sends what the buffer holds as the data of {@code sql}, a {@code COPY … FROM STDIN}. */
  void copyTo(Connection c, String sql) throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      in.writeToCopy(buf, 0, size);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  int size() {
    return size;
  }

  private void putInt(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  private void put(byte[] b, int n) {
    ensure(n);
    System.arraycopy(b, 0, buf, size, n);
    size += n;
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }
}
