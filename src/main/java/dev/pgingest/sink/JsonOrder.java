package dev.pgingest.sink;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * The order {@link ColumnMerge#JSONB_MAX_PER_KEY} picks winners by, in Java exactly as in the
 * upsert's SQL, so rows merged in a batch equal rows merged by PostgreSQL.
 *
 * <p>Values are compared as PostgreSQL prints them ({@code jsonb::text}): numbers above anything
 * else, by value; then the text in byte order ({@code COLLATE "C"}), which Java's {@code
 * String.compareTo} matches for every character outside the surrogate range.
 */
public final class JsonOrder {
  private JsonOrder() {}

  /** Compares two JSON value texts. */
  public static final Comparator<String> VALUES = JsonOrder::compare;

  static int compare(String a, String b) {
    boolean an = isNumber(a);
    boolean bn = isNumber(b);
    if (an != bn) {
      return an ? 1 : -1;
    }
    if (an) {
      int c = new BigDecimal(a).compareTo(new BigDecimal(b));
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }

  private static boolean isNumber(String json) {
    if (json.isEmpty()) {
      return false;
    }
    char c = json.charAt(0);
    return c == '-' || (c >= '0' && c <= '9');
  }

  /** The SQL that orders {@code jsonb} values {@code v} greatest first, as {@link #VALUES}. */
  static String sqlOrderDesc(String v) {
    return "jsonb_typeof("
        + v
        + ") = 'number' DESC, CASE WHEN jsonb_typeof("
        + v
        + ") = 'number' THEN ("
        + v
        + ")::text::numeric END DESC NULLS LAST, ("
        + v
        + ")::text COLLATE \"C\" DESC";
  }
}
