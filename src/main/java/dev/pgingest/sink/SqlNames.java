package dev.pgingest.sink;

import java.nio.charset.StandardCharsets;

/** SQL text helpers: identifiers from job specs are user input, so they are checked and quoted. */
public final class SqlNames {

  /** PostgreSQL truncates longer names (NAMEDATALEN 64), which would silently merge two names. */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  /** What a name may hold, for messages that tell the user what to write instead. */
  public static final String IDENTIFIER_RULE =
      "a SQL name of ASCII letters, digits and underscores, not starting with a digit, at most "
          + MAX_IDENTIFIER_BYTES
          + " bytes";

  private SqlNames() {}

  /**
   * Why {@code name} cannot be used as an identifier, as a clause such as "it contains ';'", or
   * null when it can. Quoting alone would make any name safe, but names with quotes, case or
   * unusual characters are hard to type in psql and would differ from what users expect to see.
   */
  public static String identifierProblem(String name) {
    if (name.isEmpty()) {
      return "it is empty";
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      boolean digit = c >= '0' && c <= '9';
      if (i == 0 && digit) {
        return "it starts with a digit";
      }
      if (!letter && !digit) {
        return "it contains " + describe(c);
      }
      i += Character.charCount(c);
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_IDENTIFIER_BYTES) {
      return "it is " + bytes + " bytes long";
    }
    return null;
  }

  private static String describe(int c) {
    if (Character.isISOControl(c) || Character.isWhitespace(c)) {
      return String.format("U+%04X", c);
    }
    return "'" + new String(Character.toChars(c)) + "'";
  }

  /** Quotes a validated identifier. */
  public static String ident(String name) {
    String problem = identifierProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(
          "'" + name + "' is not " + IDENTIFIER_RULE + ": " + problem);
    }
    return '"' + name + '"';
  }

  /** {@code "schema"."name"}. */
  public static String qualified(String schema, String name) {
    return ident(schema) + "." + ident(name);
  }
}
