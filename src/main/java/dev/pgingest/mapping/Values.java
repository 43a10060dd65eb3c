package dev.pgingest.mapping;

import dev.pgingest.sink.SqlType;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Checks a text value against a column type and returns it in the form PostgreSQL reads without
 * doubt, so a bad value is a reject naming column, value and line instead of a failed batch.
 */
final class Values {
  /** {@code 2024-03-01 10:15:00 -0500}, as some exports write timestamps. */
  private static final DateTimeFormatter SPACED =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd[ ]['T']HH:mm[:ss]")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .toFormatter(Locale.ROOT)
          // February 30th is an error, not March 2nd.
          .withResolverStyle(ResolverStyle.STRICT);

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private Values() {}

  /** The value in canonical text, or an {@link IllegalArgumentException} saying what is wrong. */
  static String convert(SqlType type, String raw) {
    String v = type == SqlType.TEXT || type == SqlType.JSONB ? raw : raw.trim();
    try {
      return switch (type) {
        case TEXT -> {
          if (raw.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("contains a NUL character, which text cannot hold");
          }
          yield raw;
        }
        case INTEGER -> {
          long n = Long.parseLong(v);
          if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new NumberFormatException();
          }
          yield Long.toString(n);
        }
        case BIGINT -> Long.toString(Long.parseLong(v));
        case NUMERIC -> new BigDecimal(v).toString();
        case BOOLEAN ->
            switch (v.toLowerCase(Locale.ROOT)) {
              case "true", "t", "yes", "y", "1" -> "true";
              case "false", "f", "no", "n", "0" -> "false";
              default -> throw new IllegalArgumentException("is not true or false");
            };
        case DATE -> LocalDate.parse(v).toString();
        case TIMESTAMPTZ -> timestamp(v);
        case JSONB -> json(v);
        case BYTEA -> bytes(v);
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          type == SqlType.NUMERIC
              ? "is not a number"
              : "is not a whole number in " + type.sql() + "'s range");
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "is not a " + (type == SqlType.DATE ? "date (YYYY-MM-DD)" : "timestamp (ISO-8601)"));
    }
  }

  /** ISO-8601 with offset; without one, UTC (a loader must not depend on the server's zone). */
  private static String timestamp(String v) {
    if (isoWithOffset(v)) {
      // The common case, as PostgreSQL reads it; java.time would cost more than the rest of a row.
      return v;
    }
    String spaced = spacedWithOffset(v);
    if (spaced != null) {
      return spaced;
    }
    try {
      return OffsetDateTime.parse(v).toString();
    } catch (DateTimeParseException e) {
      var parsed = SPACED.parse(v);
      LocalDateTime local = LocalDateTime.from(parsed);
      ZoneOffset offset =
          parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
      return local.atOffset(offset).toString();
    }
  }

  /**
   * {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)} with every field in range: the form scrapers
   * and APIs write, passed through as it is.
   */
  static boolean isoWithOffset(String v) {
    int n = v.length();
    if (n < 20
        || !digits(v, 0, 4)
        || v.charAt(4) != '-'
        || !digits(v, 5, 7)
        || v.charAt(7) != '-'
        || !digits(v, 8, 10)
        || v.charAt(10) != 'T'
        || !digits(v, 11, 13)
        || v.charAt(13) != ':'
        || !digits(v, 14, 16)
        || v.charAt(16) != ':'
        || !digits(v, 17, 19)) {
      return false;
    }
    int i = 19;
    if (v.charAt(i) == '.') {
      int start = ++i;
      while (i < n && Character.isDigit(v.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 9) {
        return false;
      }
    }
    boolean zone =
        (i == n - 1 && v.charAt(i) == 'Z')
            || (i == n - 6
                && (v.charAt(i) == '+' || v.charAt(i) == '-')
                && digits(v, i + 1, i + 3)
                && v.charAt(i + 3) == ':'
                && digits(v, i + 4, i + 6));
    if (!zone) {
      return false;
    }
    return inRange(v);
  }

  /**
   * {@code YYYY-MM-DD HH:MM:SS ±HHMM}, as some exports write timestamps, in the form the parse by
   * java.time gives ({@link OffsetDateTime#toString}), or null for any other shape. The parse
   * throws on its first try at this shape, which made it the costliest step of such a row.
   */
  static String spacedWithOffset(String v) {
    if (v.length() != 25
        || !digits(v, 0, 4)
        || v.charAt(4) != '-'
        || !digits(v, 5, 7)
        || v.charAt(7) != '-'
        || !digits(v, 8, 10)
        || v.charAt(10) != ' '
        || !digits(v, 11, 13)
        || v.charAt(13) != ':'
        || !digits(v, 14, 16)
        || v.charAt(16) != ':'
        || !digits(v, 17, 19)
        || v.charAt(19) != ' '
        || (v.charAt(20) != '+' && v.charAt(20) != '-')
        || !digits(v, 21, 25)
        || !inRange(v)
        || num(v, 21, 23) > 17
        || num(v, 23, 25) > 59) {
      return null;
    }
    StringBuilder b = new StringBuilder(25).append(v, 0, 10).append('T').append(v, 11, 16);
    if (num(v, 17, 19) != 0) {
      b.append(v, 16, 19);
    }
    if (num(v, 21, 25) == 0) {
      return b.append('Z').toString();
    }
    return b.append(v.charAt(20)).append(v, 21, 23).append(':').append(v, 23, 25).toString();
  }

  /** Month, day, hour, minute and second of {@code YYYY-MM-DD?HH:MM:SS…} within their ranges. */
  private static boolean inRange(String v) {
    int month = num(v, 5, 7);
    int day = num(v, 8, 10);
    int year = num(v, 0, 4);
    return month >= 1
        && month <= 12
        && day >= 1
        && day <= YearMonth.of(year, month).lengthOfMonth()
        && num(v, 11, 13) <= 23
        && num(v, 14, 16) <= 59
        && num(v, 17, 19) <= 59;
  }

  private static boolean digits(String v, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static int num(String v, int from, int to) {
    return Integer.parseInt(v, from, to, 10);
  }

  /** JSON text as given when it parses; any other text becomes a JSON string. */
  private static String json(String v) {
    try {
      JSON.readTree(v);
      return v;
    } catch (IOException e) {
      return dev.pgingest.json.Json.quote(v);
    }
  }

  private static String bytes(String v) {
    if (v.startsWith("\\x")) {
      HexFormat.of().parseHex(v.substring(2));
      return v;
    }
    try {
      return "\\x" + HexFormat.of().formatHex(Base64.getDecoder().decode(v));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is neither \\x hex nor base64");
    }
  }
}
