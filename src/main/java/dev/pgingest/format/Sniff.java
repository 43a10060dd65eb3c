package dev.pgingest.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reading a file's first bytes (decompressed, a bounded number) to tell which format it is: the
 * helpers a pipeline's {@code recognizes} hook is built from, and the engine formats' own tests.
 * The bytes may end in the middle of a line or a character; nothing here reads past them.
 */
public final class Sniff {
  private Sniff() {}

  /**
   * The first bytes as text: UTF-8 (a cut-off last character replaced), a byte order mark dropped.
   */
  public static String text(byte[] head) {
    String s = new String(head, StandardCharsets.UTF_8);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /** The lines of the first bytes, CRs dropped; the last one may be cut off. */
  public static List<String> lines(byte[] head) {
    return List.of(text(head).replace("\r", "").split("\n", -1));
  }

  /** The first line that is not blank, or null when the bytes hold none. */
  public static String firstLine(byte[] head) {
    for (String l : lines(head)) {
      if (!l.isBlank()) {
        return l;
      }
    }
    return null;
  }

  /**
   * The names of a CSV header row: the first non-blank line split at {@code delimiter} outside
   * {@code quote}s, each name unquoted and trimmed; empty when there is no line.
   */
  public static List<String> csvHeader(byte[] head, char delimiter, char quote) {
    String line = firstLine(head);
    List<String> names = new ArrayList<>();
    if (line == null) {
      return names;
    }
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == quote) {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == quote) {
          cur.append(quote);
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (ch == delimiter && !quoted) {
        names.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    names.add(cur.toString().trim());
    return names;
  }

  /** Whether {@code header} names every one of {@code names} (trimmed, any case). */
  public static boolean namesAll(List<String> header, Collection<String> names) {
    List<String> has = header.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
    return names.stream().allMatch(n -> has.contains(n.trim().toLowerCase(Locale.ROOT)));
  }

  /** Whether the first non-blank character is {@code {}: a JSON object per line. */
  public static boolean startsWithObject(byte[] head) {
    String line = firstLine(head);
    return line != null && line.stripLeading().startsWith("{");
  }

  /**
   * Whether the first JSON object line has a key {@code key} at some depth: {@code "key":} in its
   * text, which a cut-off line still shows for the keys it holds.
   */
  public static boolean jsonHasKey(byte[] head, String key) {
    String line = firstLine(head);
    return line != null
        && Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:").matcher(line).find();
  }

  /** Whether the first non-blank line starts with {@code prefix}. */
  public static boolean firstLineStarts(byte[] head, String prefix) {
    String line = firstLine(head);
    return line != null && line.startsWith(prefix);
  }

  /** Whether some line of the first bytes starts with {@code prefix}. */
  public static boolean someLineStarts(byte[] head, String prefix) {
    return lines(head).stream().anyMatch(l -> l.startsWith(prefix));
  }
}
