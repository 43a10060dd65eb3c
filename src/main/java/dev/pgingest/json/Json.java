package dev.pgingest.json;

/**
 * Minimal JSON text writing for hot paths: building a tree per row costs more than the parse.
 *
 * <p>Strings are escaped as PostgreSQL prints {@code jsonb}, so texts written here compare equal to
 * what the database returns.
 */
public final class Json {
  private Json() {}

  /** Appends {@code s} as a JSON string literal. */
  public static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"');
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    return string(new StringBuilder(s.length() + 2), s).toString();
  }
}
