package dev.pgingest.format.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineReader;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Decoded;
import dev.pgingest.testutil.CodecFeed.Rejected;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link JsonlCodec}, fed line by line as {@link LineReader} feeds it. */
class JsonlCodecTest {

  private static CodecFeed<FieldRecord> feed(String text) {
    return CodecFeed.text(new JsonlCodec(), text);
  }

  /** Feeds a fixture through the real {@link LineReader}. */
  private static CodecFeed<FieldRecord> feedFile(String name) throws IOException {
    try (InputStream in = JsonlCodecTest.class.getResourceAsStream("/format/jsonl/" + name)) {
      return CodecFeed.read(new JsonlCodec(), in, name);
    }
  }

  @Test
  void emojiAndCommasInStringsAndBlankLinesSkipped() throws IOException {
    CodecFeed<FieldRecord> out = feedFile("emoji-and-commas.jsonl");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().get("name"))
        .containsExactly(tuple(1L, "Zoë, the 🦊 fox"), tuple(3L, "😀 escaped, with \"quotes\""));
    assertThat(out.records.get(0).record().get("tags")).isEqualTo("[\"a,b\",\"🎉\"]");
  }

  @Test
  void nestedObjectAndArrayValuesAreCompactJson() {
    FieldRecord r =
        feed("{\"geo\": { \"lat\" : 1.50, \"tags\": [ \"a\", {\"b\": null}, [] ] }, \"ids\": [ 1, 2"
                + " ]}")
            .only();

    assertThat(r.fields())
        .containsExactly(
            entry("geo", "{\"lat\":1.50,\"tags\":[\"a\",{\"b\":null},[]]}"), entry("ids", "[1,2]"));
  }

  @Test
  void nullIsANullValueNotAMissingField() {
    FieldRecord r = feed("{\"a\": null, \"b\": \"null\"}").only();

    assertThat(r.fields()).containsKey("a");
    assertThat(r.get("a")).isNull();
    assertThat(r.get("b")).isEqualTo("null");
  }

  @Test
  void numbersAndBooleansAreKeptAsWritten() {
    FieldRecord r =
        feed("{\"i\": 12, \"f\": 1.5e3, \"z\": -0.0, \"big\": 123456789012345678901234567890,"
                + " \"t\": true, \"n\": false}")
            .only();

    assertThat(r.fields())
        .containsExactly(
            entry("i", "12"),
            entry("f", "1.5e3"),
            entry("z", "-0.0"),
            entry("big", "123456789012345678901234567890"),
            entry("t", "true"),
            entry("n", "false"));
  }

  @Test
  void stringsAreUnescapedAndTheRecordJsonIsTheTrimmedLine() {
    FieldRecord r = feed("  {\"s\": \"caf\\u00e9\\n\\\"q\\\"\"}\t").only();

    assertThat(r.get("s")).isEqualTo("café\n\"q\"");
    assertThat(r.json()).isEqualTo("{\"s\": \"caf\\u00e9\\n\\\"q\\\"\"}");
  }

  @Test
  void invalidLineBetweenGoodLinesIsRejectedAndItsNeighboursDecoded() throws IOException {
    CodecFeed<FieldRecord> out = feedFile("invalid-line-between-good-lines.jsonl");

    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().get("ok"))
        .containsExactly(tuple(1L, "true"), tuple(3L, "false"));
    assertThat(out.rejects)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.line()).isEqualTo(2);
              assertThat(r.reason())
                  .startsWith("invalid JSON at column 17: Unrecognized token 'tru'");
              assertThat(r.reason()).doesNotContain("\n", "Source");
              assertThat(r.raw()).isEqualTo("{\"id\": 2, \"ok\": tru}");
            });
  }

  @Test
  void truncatedObjectIsRejectedWithItsColumn() {
    CodecFeed<FieldRecord> out = feed("{\"a\": 1,\n  {\"a\": 1,");

    // Columns count in the line as the file has it, leading blanks included.
    assertThat(out.rejects)
        .extracting(Rejected::reason)
        .containsExactly(
            "invalid JSON at column 9: Unexpected end-of-input within/between Object entries",
            "invalid JSON at column 11: Unexpected end-of-input within/between Object entries");
  }

  @Test
  void valuesThatAreNotObjectsAreRejected() {
    CodecFeed<FieldRecord> out = feed("[1, 2]\n\"text\"\n42\ntrue\nnull\n{\"ok\": 1}");

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(1L, "line is a JSON array, not an object"),
            tuple(2L, "line is a JSON string, not an object"),
            tuple(3L, "line is a JSON number, not an object"),
            tuple(4L, "line is a JSON boolean, not an object"),
            tuple(5L, "line is JSON null, not an object"));
    assertThat(out.records).extracting(Decoded::line).containsExactly(6L);
  }

  @Test
  void duplicateKeysAreRejectedAtAnyDepth() {
    CodecFeed<FieldRecord> out = feed("{\"a\": 1, \"a\": 2}\n{\"o\": {\"b\": 1, \"b\": 1}}");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(1L, "invalid JSON at column 13: Duplicate field 'a'"),
            tuple(2L, "invalid JSON at column 19: Duplicate field 'b'"));
  }

  @Test
  void secondValueOnTheLineIsRejected() {
    CodecFeed<FieldRecord> out = feed("{\"a\": 1} {\"b\": 2}");

    assertThat(out.rejects)
        .extracting(Rejected::reason)
        .containsExactly("unexpected content after the object at column 10");
  }

  @Test
  void blankLinesAreSkippedAndLineNumbersKept() {
    CodecFeed<FieldRecord> out = feed("\n{\"a\": \"x\"}\r\n   \n\t\n{}\n");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().json())
        .containsExactly(tuple(2L, "{\"a\": \"x\"}"), tuple(5L, "{}"));
  }
}
