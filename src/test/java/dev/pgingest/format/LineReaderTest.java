package dev.pgingest.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.LineReader.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unit tests of {@link LineReader}: line endings, long lines, UTF-8, NUL, BOM, binary sniffing. */
class LineReaderTest {

  /** What {@link LineReader#next()} reported for one line. */
  private record Line(Kind kind, long number, String text, String error, String raw) {}

  private static List<Line> read(InputStream in) throws IOException {
    LineReader reader = new LineReader(in);
    List<Line> lines = new ArrayList<>();
    for (Kind k = reader.next(); k != Kind.EOF; k = reader.next()) {
      lines.add(
          new Line(
              k,
              reader.lineNumber(),
              k == Kind.LINE ? reader.text() : null,
              k == Kind.BAD ? reader.error() : null,
              reader.rawLossy()));
    }
    // EOF is sticky: the file source may ask again after the end.
    assertThat(reader.next()).isEqualTo(Kind.EOF);
    return lines;
  }

  private static List<Line> read(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  private static List<Line> read(String text) throws IOException {
    return read(text.getBytes(UTF_8));
  }

  private static List<String> texts(List<Line> lines) {
    return lines.stream().map(Line::text).toList();
  }

  private static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        out.writeBytes(s.getBytes(UTF_8));
      } else if (p instanceof Integer b) {
        out.write(b);
      } else {
        out.writeBytes((byte[]) p);
      }
    }
    return out.toByteArray();
  }

  /** Hands out at most {@code chunk} bytes per read, as network and gzip streams may. */
  private static InputStream trickle(byte[] bytes, int chunk) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  @Test
  void emptyInputHasNoLines() throws IOException {
    assertThat(read(new byte[0])).isEmpty();
  }

  @Test
  void splitsOnLfAndCrLf() throws IOException {
    assertThat(texts(read("a\nb\r\nc\n"))).containsExactly("a", "b", "c");
  }

  @Test
  void lastLineWithoutNewlineIsALine() throws IOException {
    assertThat(texts(read("a\nlast"))).containsExactly("a", "last");
    assertThat(texts(read("a\r\nlast\r"))).containsExactly("a", "last");
  }

  @Test
  void emptyLinesAreLinesButATrailingNewlineStartsNone() throws IOException {
    List<Line> lines = read("\n\r\na\n\n");

    assertThat(texts(lines)).containsExactly("", "", "a", "");
    assertThat(lines).extracting(Line::number).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void carriageReturnInsideALineIsKept() throws IOException {
    // Only CR directly before LF ends a line; a bare CR is data the codec may reject.
    assertThat(texts(read("a\rb\n"))).containsExactly("a\rb");
  }

  @Test
  void lineLongerThanTheReadBufferIsReadWhole() throws IOException {
    String longLine = "x".repeat(200_000) + "é" + "y".repeat(70_000);

    List<Line> lines = read("first\n" + longLine + "\nlast\n");

    assertThat(texts(lines)).containsExactly("first", longLine, "last");
    assertThat(lines).extracting(Line::number).containsExactly(1L, 2L, 3L);
  }

  @Test
  void crLfAndMultiByteCharactersSplitAcrossTheReadBufferAreJoined() throws IOException {
    // 65535 bytes put the CR, and then the two bytes of 'é', on the 64 KiB buffer boundary.
    String crlfAtBoundary = "x".repeat(65_535);
    String utf8AtBoundary = "y".repeat(65_535 - 1) + "é" + "z";

    List<Line> lines = read(crlfAtBoundary + "\r\n" + utf8AtBoundary + "\n");

    assertThat(texts(lines)).containsExactly(crlfAtBoundary, utf8AtBoundary);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 4096})
  void sameLinesWhateverTheReadSizes(int chunk) throws IOException {
    byte[] bytes = concat(0xEF, 0xBB, 0xBF, "α\r\n", "\n", "bé€😀\n", 0xFF, "\n", "end");

    assertThat(read(trickle(bytes, chunk))).isEqualTo(read(bytes));
  }

  @Test
  void multiByteUtf8Decodes() throws IOException {
    assertThat(texts(read("Zürich ß € 😀 Ω\n"))).containsExactly("Zürich ß € 😀 Ω");
  }

  @Test
  void invalidUtf8IsABadLineNamingTheFirstBadByte() throws IOException {
    List<Line> lines = read(concat("ab", 0xFF, "cd\n"));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).kind()).isEqualTo(Kind.BAD);
    assertThat(lines.get(0).error()).isEqualTo("invalid UTF-8 at byte 3");
    assertThat(lines.get(0).text()).isNull();
    // The raw text survives lossily, for the rejects table.
    assertThat(lines.get(0).raw()).isEqualTo("ab\uFFFDcd");
  }

  @Test
  void truncatedSequenceAtTheEndOfTheLineIsNamedAtItsStart() throws IOException {
    // 0xE2 0x82 is the start of '€' without its last byte.
    List<Line> lines = read(concat("abc", 0xE2, 0x82, "\r\n"));

    assertThat(lines.get(0).error()).isEqualTo("invalid UTF-8 at byte 4");
  }

  @Test
  void overlongEncodingIsInvalid() throws IOException {
    // 0xC0 0xAF is an overlong '/', a classic path-traversal trick that strict UTF-8 refuses.
    List<Line> lines = read(concat(0xC0, 0xAF, "\n"));

    assertThat(lines.get(0).kind()).isEqualTo(Kind.BAD);
    assertThat(lines.get(0).error()).isEqualTo("invalid UTF-8 at byte 1");
  }

  @Test
  void nulByteIsABadLineNamingItsColumn() throws IOException {
    List<Line> lines = read(concat("abcd", 0x00, "e\n"));

    assertThat(lines.get(0).kind()).isEqualTo(Kind.BAD);
    assertThat(lines.get(0).error()).startsWith("NUL byte at column 5");
    assertThat(lines.get(0).raw()).isEqualTo("abcd\uFFFDe");
  }

  @Test
  void lineNumbersCountEveryLineIncludingBadOnes() throws IOException {
    List<Line> lines = read(concat("one\n", 0xFF, "\n", "three\n", "fo", 0, "ur\n", "\n", "six"));

    assertThat(lines)
        .extracting(Line::number, Line::kind)
        .containsExactly(
            tuple(1L, Kind.LINE),
            tuple(2L, Kind.BAD),
            tuple(3L, Kind.LINE),
            tuple(4L, Kind.BAD),
            tuple(5L, Kind.LINE),
            tuple(6L, Kind.LINE));
    // A bad line must not leak into the next good one.
    assertThat(lines.get(2).text()).isEqualTo("three");
  }

  @Test
  void invalidByteAfterAMultiByteCharacterIsNamedAtItsOwnPosition() throws IOException {
    // 'é' is bytes 1-2 and valid; the first invalid byte is 0xFF at byte 3.
    List<Line> lines = read(concat("é", 0xFF, "\n"));
    assertThat(lines.get(0).error()).isEqualTo("invalid UTF-8 at byte 3");
  }

  @Test
  void byteOrderMarkIsDroppedAtTheStartOnly() throws IOException {
    List<Line> lines = read(concat(0xEF, 0xBB, 0xBF, "a\r\n", 0xEF, 0xBB, 0xBF, "b\r\n"));

    // Further on it is a character of the data (U+FEFF), for the codec to judge.
    assertThat(texts(lines)).containsExactly("a", "\uFEFFb");
  }

  @Test
  void byteOrderMarkAloneIsAnEmptyFirstLine() throws IOException {
    assertThat(texts(read(concat(0xEF, 0xBB, 0xBF, "\nx\n")))).containsExactly("", "x");
  }

  /** Lines read with a limit of 10 bytes, from {@code chunk}-byte reads. */
  private static List<Line> readLimited(byte[] bytes, int chunk) throws IOException {
    LineReader reader = new LineReader(trickle(bytes, chunk), 10);
    List<Line> lines = new ArrayList<>();
    for (Kind k = reader.next(); k != Kind.EOF; k = reader.next()) {
      lines.add(
          new Line(
              k,
              reader.lineNumber(),
              k == Kind.LINE ? reader.text() : null,
              k == Kind.BAD ? reader.error() : null,
              reader.rawLossy()));
    }
    return lines;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4096})
  void lineOverTheLimitIsABadLineAndNumberingGoesOn(int chunk) throws IOException {
    byte[] bytes = concat("0123456789\r\n", "0123456789A\n", "ok\n", "é".repeat(6), "\r\n", "last");

    List<Line> lines = readLimited(bytes, chunk);

    // Exactly the limit is fine, CR or not; one byte more is not, also in multi-byte characters.
    assertThat(lines)
        .extracting(Line::number, Line::kind, Line::text, Line::error)
        .containsExactly(
            tuple(1L, Kind.LINE, "0123456789", null),
            tuple(2L, Kind.BAD, null, "line is 11 bytes long; the limit is 10"),
            tuple(3L, Kind.LINE, "ok", null),
            tuple(4L, Kind.BAD, null, "line is 12 bytes long; the limit is 10"),
            tuple(5L, Kind.LINE, "last", null));
  }

  @Test
  void rawOfALineOverTheLimitIsItsStartAndAnEllipsis() throws IOException {
    String longLine = "ab".repeat(3 * LineReader.DEFAULT_MAX_LINE_BYTES / 2);

    List<Line> lines = read("first\n" + longLine + "\r\nlast\n");

    assertThat(lines).extracting(Line::number).containsExactly(1L, 2L, 3L);
    Line bad = lines.get(1);
    assertThat(bad.error())
        .isEqualTo("line is " + longLine.length() + " bytes long; the limit is 1048576");
    assertThat(bad.raw()).isEqualTo(longLine.substring(0, LineReader.RAW_KEEP) + "…");
    assertThat(texts(lines)).containsExactly("first", null, "last");
  }

  private static String sniff(byte[] bytes) throws IOException {
    return new LineReader(trickle(bytes, 1000)).binaryContent();
  }

  @Test
  void textIsNotBinaryEvenWithAStrayNulOrBadByte() throws IOException {
    String text = "chrY\tpoint\tsnp\t123\tZürich ß € 😀\f\r\n".repeat(400);

    assertThat(sniff(text.getBytes(UTF_8))).isNull();
    assertThat(sniff(concat("a\tb", 0, "c\n", text))).isNull();
    assertThat(sniff(concat("a", 0xFF, "\n"))).isNull();
    assertThat(sniff(new byte[0])).isNull();
  }

  @Test
  void multiByteCharacterCutByTheEndOfTheBlockIsNotInvalid() throws IOException {
    // 8191 bytes of ASCII, then 'é' across the 8 KiB boundary.
    byte[] bytes = concat("x".repeat(LineReader.SNIFF_BYTES - 1), "é", "\n");

    assertThat(sniff(bytes)).isNull();
  }

  @Test
  void randomBytesAreBinary() throws IOException {
    byte[] noise = new byte[20_000];
    new Random(1).nextBytes(noise);

    assertThat(sniff(noise)).startsWith("not a text file: binary content in the first 8 KiB (");
  }

  @Test
  void controlCharactersOrInvalidUtf8OverATenthAreBinary() throws IOException {
    // 100 bytes: 11 of them control characters, then 11 Latin-1 bytes that are not UTF-8.
    byte[] control = concat("\u0001".repeat(11), "x".repeat(88), "\n");
    byte[] latin1 = new byte[100];
    Arrays.fill(latin1, (byte) 'x');
    for (int i = 0; i < 11; i++) {
      latin1[i * 9] = (byte) 0xE9;
    }
    byte[] tenth = concat("\u0001".repeat(10), "x".repeat(89), "\n");

    assertThat(sniff(control))
        .isEqualTo(
            "not a text file: binary content in all 100 bytes (11 of 100 bytes are NUL or other"
                + " control characters, 0 are not valid UTF-8)");
    assertThat(sniff(latin1))
        .isEqualTo(
            "not a text file: binary content in all 100 bytes (0 of 100 bytes are NUL or other"
                + " control characters, 11 are not valid UTF-8)");
    assertThat(sniff(tenth)).isNull();
  }

  @Test
  void sniffingConsumesNoLines() throws IOException {
    byte[] bytes = concat(0xEF, 0xBB, 0xBF, "a\r\n", "x".repeat(20_000), "\nb\n");
    LineReader sniffed = new LineReader(trickle(bytes, 3000));

    assertThat(sniffed.binaryContent()).isNull();
    List<String> texts = new ArrayList<>();
    for (Kind k = sniffed.next(); k != Kind.EOF; k = sniffed.next()) {
      texts.add(sniffed.text());
    }

    assertThat(texts).isEqualTo(texts(read(bytes)));
  }

  @Test
  void failureWhileSniffingIsThrownAfterTheCompleteLinesBeforeIt() throws IOException {
    IOException broken = new IOException("broken");
    byte[] bytes = "one\ntwo\nthr".getBytes(UTF_8);
    InputStream failing =
        new InputStream() {
          private final InputStream data = new ByteArrayInputStream(bytes);

          @Override
          public int read() throws IOException {
            int b = data.read();
            if (b < 0) {
              throw broken;
            }
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = data.read(b, off, len);
            if (n < 0) {
              throw broken;
            }
            return n;
          }
        };
    LineReader reader = new LineReader(failing);

    IOException thrown = null;
    List<String> texts = new ArrayList<>();
    try {
      assertThat(reader.binaryContent()).isNull();
      for (Kind k = reader.next(); k != Kind.EOF; k = reader.next()) {
        texts.add(reader.text());
      }
    } catch (IOException e) {
      thrown = e;
    }

    assertThat(texts).containsExactly("one", "two");
    assertThat(thrown).isSameAs(broken);
  }
}
