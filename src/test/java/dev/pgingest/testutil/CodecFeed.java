package dev.pgingest.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Feeds a {@link LineCodec} line by line, as the file source does, and collects its output. */
public final class CodecFeed<T> implements DecodeSink<T> {

  /** A decoded record and the line it started on. */
  public record Decoded<T>(long line, T record) {}

  /** A rejected line, as the codec reported it. */
  public record Rejected(long line, String reason, String raw) {}

  /** The records in the order the codec emitted them. */
  public final List<Decoded<T>> records = new ArrayList<>();

  /** The rejects in the order the codec emitted them. */
  public final List<Rejected> rejects = new ArrayList<>();

  private CodecFeed() {}

  /**
   * Splits {@code text} as {@link LineReader} does, on {@code \n} or {@code \r\n}, a final line end
   * closing the last line rather than opening an empty one, and feeds the lines.
   */
  public static <T> CodecFeed<T> text(LineCodec<T> codec, String text) {
    String body = text;
    if (body.endsWith("\n")) {
      body = body.substring(0, body.length() - (body.endsWith("\r\n") ? 2 : 1));
    }
    return lines(codec, body.isEmpty() ? new String[0] : body.split("\r?\n", -1));
  }

  /** Feeds the lines as given, numbered from 1. */
  public static <T> CodecFeed<T> lines(LineCodec<T> codec, String... lines) {
    return lines(codec, Arrays.stream(lines));
  }

  /** Feeds the lines as given, numbered from 1; the stream is read as it goes, not held. */
  public static <T> CodecFeed<T> lines(LineCodec<T> codec, Stream<String> lines) {
    CodecFeed<T> feed = new CodecFeed<>();
    long[] lineNumber = {0};
    lines.forEachOrdered(line -> codec.line(line, ++lineNumber[0], feed));
    codec.end(lineNumber[0], feed);
    return feed;
  }

  /**
   * Feeds a stream through the real {@link LineReader}, so a byte order mark and CRLF are handled
   * there; every line must be valid text, since a fixture with a bad line is a broken fixture.
   */
  public static <T> CodecFeed<T> read(LineCodec<T> codec, InputStream in, String name)
      throws IOException {
    assertThat(in).as(name).isNotNull();
    CodecFeed<T> feed = new CodecFeed<>();
    LineReader reader = new LineReader(in);
    LineReader.Kind kind;
    while ((kind = reader.next()) != LineReader.Kind.EOF) {
      assertThat(kind)
          .as("line %d of %s", reader.lineNumber(), name)
          .isEqualTo(LineReader.Kind.LINE);
      codec.line(reader.text(), reader.lineNumber(), feed);
    }
    codec.end(reader.lineNumber(), feed);
    return feed;
  }

  /** The decoded values alone, in order. */
  public List<T> values() {
    return records.stream().map(Decoded::record).toList();
  }

  /** The one record the input held, after checking there was exactly one and no reject. */
  public T only() {
    assertThat(rejects).isEmpty();
    assertThat(records).hasSize(1);
    return records.get(0).record();
  }

  @Override
  public void record(T value, long lineNumber) {
    records.add(new Decoded<>(lineNumber, value));
  }

  @Override
  public void reject(long lineNumber, String reason, String raw) {
    rejects.add(new Rejected(lineNumber, reason, raw));
  }
}
