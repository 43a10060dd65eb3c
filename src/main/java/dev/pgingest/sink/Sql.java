package dev.pgingest.sink;

import java.util.regex.Pattern;

/** SQL text helpers: identifiers from job specs are user input, so they are checked and quoted. */
public final class Sql {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Sql() {}

  /** Quotes a validated identifier. */
  public static String ident(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid SQL identifier: '" + name + "'");
    }
    return '"' + name + '"';
  }

  /** {@code "schema"."name"}. */
  public static String qualified(String schema, String name) {
    return ident(schema) + "." + ident(name);
  }
}
