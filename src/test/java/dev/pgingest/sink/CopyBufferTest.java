package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CopyBufferTest {

  private static String text(CopyBuffer b) {
    return new String(Arrays.copyOf(b.array(), b.size()), StandardCharsets.UTF_8);
  }

  @Test
  void textLinesEscapeWhatCopyReadsAsStructureAndWriteNullAsBackslashN() {
    CopyBuffer b = new CopyBuffer(4);
    b.clear();
    b.textField("a\tb", true);
    b.textField(null, false);
    b.textField("x\\N", false);
    b.endLine();
    b.textField("two\nlines\r", true);
    b.textField("Zoë 📸", false);
    b.endLine();

    assertThat(text(b)).isEqualTo("a\\tb\t\\N\tx\\\\N\ntwo\\nlines\\r\tZoë 📸\n");
  }

  @Test
  void binaryDataHasTheHeaderTupleCountsLengthsAndTrailer() {
    CopyBuffer b = new CopyBuffer(8);
    b.start();
    b.tuple(3);
    b.text("é");
    b.int8(258);
    b.bool(true);
    b.end();

    byte[] expected = {
      'P',
      'G',
      'C',
      'O',
      'P',
      'Y',
      '\n',
      (byte) 0xFF,
      '\r',
      '\n',
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      2,
      (byte) 0xC3,
      (byte) 0xA9,
      0,
      0,
      0,
      8,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      2,
      0,
      0,
      0,
      1,
      1,
      (byte) 0xFF,
      (byte) 0xFF
    };
    assertThat(Arrays.copyOf(b.array(), b.size())).isEqualTo(expected);
  }
}
