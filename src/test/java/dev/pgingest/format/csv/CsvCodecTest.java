package dev.pgingest.format.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.LineReader;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Decoded;
import dev.pgingest.testutil.CodecFeed.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link CsvCodec}, fed line by line as {@link LineReader} feeds it. */
class CsvCodecTest {

  static CodecFeed<FieldRecord> feed(LineCodec<FieldRecord> codec, String text) {
    return CodecFeed.text(codec, text);
  }

  static CodecFeed<FieldRecord> feedFile(LineCodec<FieldRecord> codec, String name)
      throws IOException {
    try (InputStream in = CsvCodecTest.class.getResourceAsStream("/format/csv/" + name)) {
      return CodecFeed.read(codec, in, name);
    }
  }

  private static List<Map<String, String>> fields(CodecFeed<FieldRecord> out) {
    return out.values().stream().map(FieldRecord::fields).toList();
  }

  private static CsvCodec comma() {
    return new CsvCodec(',', '"', true);
  }

  @Test
  void quotedDelimiterStaysInItsField() {
    CodecFeed<FieldRecord> out = feed(comma(), "id,name,city\n1,\"Smith, John\",Oslo\n");

    assertThat(out.rejects).isEmpty();
    assertThat(fields(out))
        .containsExactly(Map.of("id", "1", "name", "Smith, John", "city", "Oslo"));
    assertThat(out.records.get(0).line()).isEqualTo(2);
  }

  @Test
  void withoutJsonTheRecordKeepsItsFieldsButNoJson() {
    CodecFeed<FieldRecord> out =
        feed(new CsvCodec(',', '"', true, false), "id,name\n1,\"Smith, John\"\n");

    assertThat(fields(out)).containsExactly(Map.of("id", "1", "name", "Smith, John"));
    assertThat(out.values().get(0).json()).isNull();
  }

  @Test
  void doubledQuotesAreOneQuote() {
    CodecFeed<FieldRecord> out =
        feed(comma(), "id,quote\n1,\"she said \"\"hi\"\", twice\"\n2,\"\"\"\"\n");

    assertThat(out.rejects).isEmpty();
    assertThat(fields(out))
        .extracting(f -> f.get("quote"))
        .containsExactly("she said \"hi\", twice", "\"");
  }

  @Test
  void lineBreaksInsideQuotesJoinLinesAndKeepTheStartLine() throws IOException {
    CodecFeed<FieldRecord> out = feedFile(comma(), "quoted-newline-in-biography.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records).extracting(Decoded::line).containsExactly(2L, 6L);
    assertThat(out.records.get(0).record().get("biography"))
        .isEqualTo(
            "Born in London.\nWrote the first \"program\", for the Analytical Engine.\n\n"
                + "Died 1852.");
    assertThat(out.records.get(1).record().fields())
        .containsExactly(
            entry("id", "2"), entry("name", "Alan Turing"), entry("biography", "Short one"));
  }

  @Test
  void semicolonDelimiterWithPaddedHeaderNames() throws IOException {
    CodecFeed<FieldRecord> out =
        feedFile(new CsvCodec(';', '"', true), "semicolon-padded-header.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records.get(0).record().fields())
        .containsExactly(
            entry("NUMBER", "1"), entry("DRIVER_NUMBER", "44"), entry("LAP_TIME", "1:32.456"));
    // Names are trimmed, values are not: the mapping decides about spaces in values.
    assertThat(out.records.get(1).record().fields())
        .containsExactly(
            entry("NUMBER", "2"), entry("DRIVER_NUMBER", " 16"), entry("LAP_TIME", "1:33,001"));
  }

  @Test
  void crlfAndByteOrderMarkThroughLineReader() throws IOException {
    CodecFeed<FieldRecord> out = feedFile(comma(), "crlf-with-bom.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().fields())
        .containsExactly(
            tuple(2L, Map.of("id", "1", "city", "Paris, France")),
            tuple(3L, Map.of("id", "2", "city", "Two\nlines")));
  }

  @Test
  void headerMatchedByNameInAnyColumnOrder() {
    CodecFeed<FieldRecord> a = feed(comma(), "id,name,city\n7,Ann,Rome\n");
    CodecFeed<FieldRecord> b = feed(comma(), "city,id,name\nRome,7,Ann\n");

    assertThat(fields(a)).isEqualTo(fields(b));
    assertThat(b.records.get(0).record().get("name")).isEqualTo("Ann");
    // Keys of the whole-record JSON follow the file's own column order.
    assertThat(b.records.get(0).record().json())
        .isEqualTo("{\"city\":\"Rome\",\"id\":\"7\",\"name\":\"Ann\"}");
  }

  @Test
  void recordJsonIsAnObjectOfTheFieldsWithEmptyFieldsAsEmptyStrings() throws IOException {
    CodecFeed<FieldRecord> out = feed(comma(), "a,b,c\n\"x \"\"y\"\"\",,\"line\nbreak\"\n");

    FieldRecord r = out.records.get(0).record();
    assertThat(r.fields())
        .containsExactly(entry("a", "x \"y\""), entry("b", ""), entry("c", "line\nbreak"));
    Map<?, ?> parsed = new ObjectMapper().readValue(r.json(), LinkedHashMap.class);
    assertThat(parsed).isEqualTo(r.fields());
  }

  @Test
  void tooManyAndTooFewFieldsAreRejected() {
    CodecFeed<FieldRecord> out =
        feed(comma(), "a,b,c,d,e,f,g\n1,2,3,4,5,6,7,8,9\n1,2,3,4,5,6,7\n1,2\n");

    assertThat(out.rejects)
        .containsExactly(
            new Rejected(2, "has 9 fields, the header names 7", "1,2,3,4,5,6,7,8,9"),
            new Rejected(4, "has 2 fields, the header names 7", "1,2"));
    assertThat(out.records).extracting(Decoded::line).containsExactly(3L);
  }

  @Test
  void unterminatedQuoteAtEndOfFileIsRejectedWhereTheRecordStarted() throws IOException {
    CodecFeed<FieldRecord> out = feedFile(comma(), "unterminated-quote-at-eof.csv");

    assertThat(fields(out)).containsExactly(Map.of("id", "1", "note", "fine"));
    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                3,
                "unterminated quoted field: the file ends inside it",
                "2,\"never closed\n3,swallowed"));
  }

  @Test
  void blankLinesBetweenRecordsAreSkipped() {
    CodecFeed<FieldRecord> out = feed(comma(), "\nid,v\n\n1,a\n   \n\n2,\"b\n\nc\"\n\n");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().get("v"))
        .containsExactly(tuple(4L, "a"), tuple(7L, "b\n\nc"));
  }

  @Test
  void withoutHeaderFieldsAreNamedByPosition() {
    CodecFeed<FieldRecord> out = feed(new CsvCodec(',', '"', false), "id,name\n1,Ann,extra\n");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().fields())
        .containsExactly(
            tuple(1L, Map.of("1", "id", "2", "name")),
            tuple(2L, Map.of("1", "1", "2", "Ann", "3", "extra")));
    assertThat(out.records.get(1).record().json())
        .isEqualTo("{\"1\":\"1\",\"2\":\"Ann\",\"3\":\"extra\"}");
  }

  @Test
  void headerOnlyFileYieldsNothing() throws IOException {
    CodecFeed<FieldRecord> out = feedFile(comma(), "header-only.csv");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects).isEmpty();
  }

  @Test
  void duplicateHeaderNameRejectsTheHeaderAndThenEveryRecord() {
    CodecFeed<FieldRecord> out = feed(comma(), "id,name, id\n1,a,2\n");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .containsExactly(
            new Rejected(1, "unusable header row: 'id' names columns 1 and 3", "id,name, id"),
            new Rejected(2, "the header row is unusable: 'id' names columns 1 and 3", "1,a,2"));
  }

  @Test
  void emptyHeaderNameMakesTheHeaderUnusable() {
    CodecFeed<FieldRecord> out = feed(comma(), "id,  ,name\n1,2,3\n");

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(1L, "unusable header row: column 2 has no name"),
            tuple(2L, "the header row is unusable: column 2 has no name"));
  }

  @Test
  void strayQuoteInsideAnUnquotedValueIsKeptAndDoesNotSwallowLines() {
    CodecFeed<FieldRecord> out = feed(comma(), "name,height\nAnn,5'10\"\nBob,6'1\"\n");

    assertThat(out.rejects).isEmpty();
    assertThat(fields(out)).extracting(f -> f.get("height")).containsExactly("5'10\"", "6'1\"");
  }

  @Test
  void textAfterAClosingQuoteIsRejectedAndTheNextRecordRead() {
    CodecFeed<FieldRecord> out = feed(comma(), "a,b\n\"x\"y,1\n2,3\n");

    assertThat(out.rejects)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.line()).isEqualTo(2);
              assertThat(r.reason()).startsWith("invalid CSV: ").doesNotContain("\n");
            });
    assertThat(fields(out)).containsExactly(Map.of("a", "2", "b", "3"));
  }

  @Test
  void bareCarriageReturnOutsideQuotesIsRejected() {
    CodecFeed<FieldRecord> out = feed(comma(), "a,b\n1,x\ry\n");

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(2L, "carriage return outside a quoted field"));
  }

  @Test
  void recordSpanningTooManyLinesIsSkippedAndReadingResumes() {
    StringBuilder text = new StringBuilder("id,v\n1,\"open\n");
    for (int i = 0; i < CsvCodec.MAX_RECORD_LINES; i++) {
      text.append("more\n");
    }
    text.append("2,after\n");
    CodecFeed<FieldRecord> out = feed(comma(), text.toString());

    assertThat(out.rejects)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.line()).isEqualTo(2);
              assertThat(r.reason())
                  .isEqualTo(
                      "record with an open quoted field spans more than 10000 lines; skipped");
              assertThat(r.raw()).startsWith("1,\"open\nmore\n").endsWith("…");
            });
    assertThat(out.records)
        .extracting(Decoded::line, d -> d.record().fields())
        .containsExactly(tuple(CsvCodec.MAX_RECORD_LINES + 3L, Map.of("id", "2", "v", "after")));
  }

  @Test
  void recordHoldingTooMuchTextIsSkippedAndReadingResumes() {
    String chunk = "x".repeat(100_000);
    StringBuilder text = new StringBuilder("id,v\n1,\"open\n");
    for (int i = 0; i < 11; i++) {
      text.append(chunk).append('\n');
    }
    text.append("2,after\n");
    CodecFeed<FieldRecord> out = feed(comma(), text.toString());

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(2L, "record with an open quoted field holds more than 1 MiB of text; skipped"));
    assertThat(out.records).extracting(Decoded::line).containsExactly(14L);
  }

  @Test
  void recordExactlyAtTheLineLimitIsKept() {
    StringBuilder text = new StringBuilder("id,v\n1,\"");
    for (int i = 1; i < CsvCodec.MAX_RECORD_LINES; i++) {
      text.append("l\n");
    }
    text.append("end\"\n");
    CodecFeed<FieldRecord> out = feed(comma(), text.toString());

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.line()).isEqualTo(2);
              assertThat(d.record().get("v"))
                  .endsWith("l\nend")
                  .hasLineCount(CsvCodec.MAX_RECORD_LINES);
            });
  }
}
