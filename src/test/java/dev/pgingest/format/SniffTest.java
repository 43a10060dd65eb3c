package dev.pgingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.csv.CsvCodec;
import dev.pgingest.format.genbank.GenbankCodec;
import dev.pgingest.format.gff3.Gff3Codec;
import dev.pgingest.format.jsonl.JsonlCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each engine format recognizing its files by their first bytes, on fixtures under {@code sniff/}
 * named after their edge case: what {@code --input PATH} with several sources routes by.
 */
class SniffTest {

  static byte[] head(String fixture) throws IOException {
    try (InputStream in = SniffTest.class.getResourceAsStream("/sniff/" + fixture)) {
      return in.readAllBytes();
    }
  }

  private static boolean csv(String fixture, char delimiter, List<String> required)
      throws IOException {
    return CsvCodec.recognizes(
        head(fixture), delimiter, '"', required, List.of("id", "name", "price", "full, name"));
  }

  @Test
  void csvHeaderNamesTheRequiredFieldsWhateverItsBomPaddingQuotingAndBlankLines()
      throws IOException {
    assertThat(csv("csv/bom-and-padded-header-semicolon.csv", ';', List.of("id"))).isTrue();
    assertThat(csv("csv/quoted-header-with-delimiter-inside.csv", ',', List.of("full, name")))
        .isTrue();
    assertThat(csv("csv/blank-lines-before-header-crlf.csv", ',', List.of("id"))).isTrue();
  }

  @Test
  void csvIsNotRecognizedWithTheWrongDelimiterOrWithoutARequiredField() throws IOException {
    assertThat(csv("csv/semicolon-file-read-as-comma.csv", ',', List.of("id"))).isFalse();
    assertThat(csv("csv/header-without-the-key-column.csv", ',', List.of("id"))).isFalse();
    // Nothing required: one mapped field in the header is enough, none is not.
    assertThat(
            CsvCodec.recognizes(
                head("csv/header-without-the-key-column.csv"), ',', '"', List.of(), List.of("x")))
        .isFalse();
  }

  @Test
  void jsonlFirstObjectHasTheFields() throws IOException {
    assertThat(
            JsonlCodec.recognizes(
                head("jsonl/blank-lines-before-first-object.jsonl"), List.of("id"), List.of()))
        .isTrue();
    assertThat(
            JsonlCodec.recognizes(
                head("jsonl/nested-object-holds-the-dotted-field.jsonl"),
                List.of("id"),
                List.of("address.city")))
        .isTrue();
    assertThat(
            JsonlCodec.recognizes(
                head("jsonl/json-array-not-lines.json"), List.of("id"), List.of()))
        .isFalse();
    assertThat(
            JsonlCodec.recognizes(
                head("jsonl/first-object-lacks-required-key.jsonl"), List.of("id"), List.of()))
        .isFalse();
  }

  @Test
  void aFirstLineCutOffByTheHeadStillShowsItsKeys() {
    char[] pad = new char[70_000];
    Arrays.fill(pad, 'x');
    byte[] line =
        ("{\"id\": 1, \"note\": \"" + new String(pad) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    byte[] head = Arrays.copyOf(line, 64 * 1024);
    assertThat(JsonlCodec.recognizes(head, List.of("id"), List.of("note"))).isTrue();
  }

  @Test
  void gff3NeedsItsVersionPragmaFirst() throws IOException {
    assertThat(Gff3Codec.recognizes(head("gff3/version-pragma-first.gff3"))).isTrue();
    assertThat(Gff3Codec.recognizes(head("gff3/comment-before-pragma.gff3"))).isFalse();
  }

  @Test
  void genbankHasALocusLineAfterAnyDivisionHeader() throws IOException {
    assertThat(GenbankCodec.recognizes(head("genbank/division-header-before-locus.seq"))).isTrue();
    assertThat(GenbankCodec.recognizes(head("genbank/fasta-not-genbank.fa"))).isFalse();
  }

  @Test
  void anEmptyFileIsRecognizedByNone() {
    byte[] none = new byte[0];
    assertThat(CsvCodec.recognizes(none, ',', '"', List.of("id"), List.of())).isFalse();
    assertThat(JsonlCodec.recognizes(none, List.of(), List.of())).isFalse();
    assertThat(Gff3Codec.recognizes(none)).isFalse();
    assertThat(GenbankCodec.recognizes(none)).isFalse();
  }
}
