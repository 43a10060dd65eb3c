package dev.pgingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.sink.SqlType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every column type: what converts, in what canonical form, and what is refused with which words.
 */
class ValuesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "integer | ' 42 ' | 42",
        "bigint | -9000000000 | -9000000000",
        "numeric | 12.50 | 12.50",
        "numeric | 1e3 | 1E+3",
        "boolean | TRUE | true",
        "boolean | f | false",
        "boolean | 0 | false",
        "date | 2026-11-29 | 2026-11-29",
        "timestamptz | 2026-11-01T08:15:30Z | 2026-11-01T08:15:30Z",
        "timestamptz | 2026-11-01T08:15:30.250+01:00 | 2026-11-01T08:15:30.250+01:00",
        "timestamptz | 2024-03-01 10:15:00 -0500 | 2024-03-01T10:15-05:00",
        "timestamptz | 2024-03-01 10:15:00 | 2024-03-01T10:15Z",
        "jsonb | '{\"a\": [1, 2]}' | '{\"a\": [1, 2]}'",
        "jsonb | plain words | '\"plain words\"'",
        "bytea | \\x00ff | \\x00ff",
        "bytea | AP8= | \\x00ff",
        "text | ' kept as given ' | ' kept as given '",
      })
  void convertsToCanonicalText(String type, String raw, String expected) {
    assertThat(Values.convert(SqlType.forName(type).orElseThrow(), raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bigint | 12k | is not a whole number in bigint's range",
        "integer | 3000000000 | is not a whole number in integer's range",
        "numeric | 1,5 | is not a number",
        "boolean | maybe | is not true or false",
        "date | 29/11/2026 | is not a date (YYYY-MM-DD)",
        "timestamptz | yesterday | is not a timestamp (ISO-8601)",
        "bytea | %%% | is neither \\x hex nor base64",
      })
  void refusesWhatDoesNotConvert(String type, String raw, String reason) {
    assertThatThrownBy(() -> Values.convert(SqlType.forName(type).orElseThrow(), raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-13-01T00:00:00Z",
    "2026-02-30T10:00:00Z",
    "2026-11-01T24:00:00Z",
    "2026-11-01T10:00:00",
    "2026-11-01T10:00:00+0100",
    "2026-11-01T10:00:00.1234567890Z"
  })
  void onlyInRangeIsoTimestampsTakeTheFastPath(String v) {
    assertThat(Values.isoWithOffset(v)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "2024-01-16 13:42:48 -0500",
    "2024-01-16 13:42:00 +0530",
    "2024-02-29 00:00:00 +0000",
    "2024-12-31 23:59:59 -0000",
    "2023-06-01 07:05:01 +1745"
  })
  void spacedShopTimestampsGiveWhatJavaTimeGives(String v) {
    var parsed =
        new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss xx")
            .toFormatter(Locale.ROOT)
            .parse(v);
    String expected = OffsetDateTime.from(parsed).toString();
    assertThat(Values.spacedWithOffset(v)).isEqualTo(expected);
    assertThat(Values.convert(SqlType.TIMESTAMPTZ, v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "2024-02-30 10:00:00 -0500", "2024-01-16 24:00:00 -0500", "2024-01-16 13:42:48 -05:00",
    "2024-01-16T13:42:48 -0500", "2024-01-16 13:42:48 +1900", "2024-01-16 13:42:48.5 -0500"
  })
  void otherSpacedTimestampsLeaveTheFastPath(String v) {
    assertThat(Values.spacedWithOffset(v)).isNull();
  }

  @Test
  void outOfRangeTimestampsAreRefusedNotPassedOn() {
    assertThatThrownBy(() -> Values.convert(SqlType.TIMESTAMPTZ, "2026-02-30T10:00:00Z"))
        .hasMessage("is not a timestamp (ISO-8601)");
  }

  @Test
  void textWithANulCharacterIsRefused() {
    assertThatThrownBy(() -> Values.convert(SqlType.TEXT, "a\u0000b")).hasMessageContaining("NUL");
  }
}
