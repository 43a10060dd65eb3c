package dev.pgingest.format.genbank;

/**
 * Builds one {@link Qualifier} from its lines: {@code /name="value"}, {@code /name=value} or a
 * {@code /flag}. Quoted values run on until their closing quote, joined with one space ({@code
 * /translation} with nothing); {@code ""} inside means {@code "}.
 */
final class QualifierBuilder {

  private final String name;
  private final long line;

  /** The value as written, quotes included; null for a flag. */
  private final StringBuilder value;

  private final boolean quoted;

  /** Whether the value's closing quote is still to come. */
  private boolean open;

  /**
   * Starts a qualifier from its first line's content ({@code /name=…}, trimmed). Its value is
   * gathered in {@code buffer}, cleared here, so a long /translation does not grow a new one each
   * time; the buffer is this qualifier's until {@link #build}.
   */
  QualifierBuilder(String content, long line, StringBuilder buffer) {
    this.line = line;
    int eq = content.indexOf('=');
    if (eq < 0) {
      name = content.substring(1);
      value = null;
      quoted = false;
      return;
    }
    name = content.substring(1, eq);
    value = buffer;
    value.setLength(0);
    value.append(content, eq + 1, content.length());
    quoted = value.length() > 0 && value.charAt(0) == '"';
    open = quoted && (countQuotes(value, 0) & 1) == 1;
  }

  /** Whether the next line continues the quoted value whatever it holds. */
  boolean open() {
    return open;
  }

  /** A line of an open quoted value. */
  void appendQuoted(String content) {
    int from = value.length();
    if (!content.isEmpty() && !name.equals("translation")) {
      value.append(' ');
    }
    value.append(content);
    if ((countQuotes(value, from) & 1) == 1) {
      open = false;
    }
  }

  /**
   * A line continuing an unquoted value; text after a closing quote is an error, and a flag's
   * further lines are dropped.
   */
  void appendUnquoted(String content, long lineNumber) throws Malformed {
    if (quoted) {
      throw new Malformed(
          lineNumber,
          "text '" + Malformed.quoted(content) + "' after the closing quote of /" + name);
    }
    if (value != null) {
      value.append(' ').append(content);
    }
  }

  Qualifier build() throws Malformed {
    if (open) {
      throw new Malformed(line, "qualifier /" + name + " has no closing quote");
    }
    if (value == null) {
      return new Qualifier(name, null);
    }
    return new Qualifier(name, quoted ? unquote() : value.toString().trim());
  }

  /** The text between the quotes, {@code ""} read as {@code "}; text after them is an error. */
  private String unquote() throws Malformed {
    StringBuilder sb = new StringBuilder(value.length());
    int i = 1;
    int n = value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (c == '"') {
        if (i + 1 < n && value.charAt(i + 1) == '"') {
          sb.append('"');
          i += 2;
          continue;
        }
        if (i + 1 != n) {
          throw new Malformed(
              line,
              "text after the closing quote of /"
                  + name
                  + " ('"
                  + Malformed.quoted(value.toString())
                  + "')");
        }
        return sb.toString();
      }
      sb.append(c);
      i++;
    }
    throw new Malformed(line, "qualifier /" + name + " has no closing quote");
  }

  private static int countQuotes(CharSequence s, int from) {
    int n = 0;
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == '"') {
        n++;
      }
    }
    return n;
  }
}
