package dev.pgingest.format;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings as a length and UTF-8 bytes (-1 for null), for our binary formats (rows between tasks,
 * feature spools): one block per string instead of {@code writeUTF}'s 64 KB limit or Flink's
 * character-at-a-time encoding.
 */
public final class Utf8Strings {
  private Utf8Strings() {}

  public static void write(DataOutput out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  public static String read(DataInput in) throws IOException {
    return read(in.readInt(), in);
  }

  /** The string whose length {@code n} was already read. */
  public static String read(int n, DataInput in) throws IOException {
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
