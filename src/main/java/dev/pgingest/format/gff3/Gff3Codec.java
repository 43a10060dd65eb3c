package dev.pgingest.format.gff3;

import static dev.pgingest.format.gff3.Gff3Constants.ATTRIBUTES;
import static dev.pgingest.format.gff3.Gff3Constants.COLUMN_COUNT;
import static dev.pgingest.format.gff3.Gff3Constants.COLUMN_NAMES;
import static dev.pgingest.format.gff3.Gff3Constants.COLUMN_SEPARATOR;
import static dev.pgingest.format.gff3.Gff3Constants.COMMENT_PREFIX;
import static dev.pgingest.format.gff3.Gff3Constants.END;
import static dev.pgingest.format.gff3.Gff3Constants.ESCAPE;
import static dev.pgingest.format.gff3.Gff3Constants.FASTA_DIRECTIVE;
import static dev.pgingest.format.gff3.Gff3Constants.FASTA_HEADER_PREFIX;
import static dev.pgingest.format.gff3.Gff3Constants.KEY_VALUE_SEPARATOR;
import static dev.pgingest.format.gff3.Gff3Constants.PAIR_SEPARATOR;
import static dev.pgingest.format.gff3.Gff3Constants.PHASE;
import static dev.pgingest.format.gff3.Gff3Constants.SCORE;
import static dev.pgingest.format.gff3.Gff3Constants.SEQID;
import static dev.pgingest.format.gff3.Gff3Constants.SOURCE;
import static dev.pgingest.format.gff3.Gff3Constants.START;
import static dev.pgingest.format.gff3.Gff3Constants.STRAND;
import static dev.pgingest.format.gff3.Gff3Constants.TYPE;
import static dev.pgingest.format.gff3.Gff3Constants.VALUE_SEPARATOR;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the feature lines of a GFF3 file into {@link Gff3Record}s, following <a
 * href="https://github.com/The-Sequence-Ontology/Specifications/blob/master/gff3.md">GFF3 1.26</a>.
 *
 * <p>The rules it follows are in the package documentation.
 */
public final class Gff3Codec implements LineCodec<Gff3Record> {

  /** Longest position accepted: 18 decimal digits always fit in a {@code long}. */
  private static final int MAX_POSITION_DIGITS = 18;

  /** Reasons quote at most this much of the offending text; the raw line is kept in full. */
  private static final int MAX_QUOTED = 60;

  /** Tab offsets of the current line; one spare slot detects a trailing tab. */
  private final int[] tabs = new int[COLUMN_COUNT];

  /** Recently seen attribute keys; a power of two so a mask picks the slot. */
  private final String[] keyCache = new String[256];

  /** Pairs on the previous line, to size the next map. */
  private int expectedPairs = 8;

  /**
   * Where the next {@code %} and {@code ,} are in the current column 9; see {@link #nextEscape}.
   */
  private int escapeAt;

  private int commaAt;

  /** Bytes of a run of percent-escapes, decoded together as UTF-8. */
  private byte[] escapedBytes = new byte[32];

  /** Set by {@code ##FASTA} or a {@code >} line: the rest of the file is sequence. */
  private boolean fastaSection;

  private boolean firstLine = true;

  @Override
  public void line(String text, long lineNumber, DecodeSink<Gff3Record> out) {
    String line = text;
    if (firstLine) {
      firstLine = false;
      if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
        line = line.substring(1);
      }
    }
    if (fastaSection || line.isEmpty()) {
      return;
    }
    char first = line.charAt(0);
    if (first == COMMENT_PREFIX) {
      if (isFastaDirective(line)) {
        fastaSection = true;
      }
      return;
    }
    if (first == FASTA_HEADER_PREFIX) {
      fastaSection = true;
      return;
    }
    if (Character.isWhitespace(first) && line.isBlank()) {
      return;
    }
    Gff3Record record;
    try {
      record = parse(line, lineNumber);
    } catch (Reject r) {
      out.reject(lineNumber, r.getMessage(), text);
      return;
    }
    out.record(record, lineNumber);
  }

  private static boolean isFastaDirective(String line) {
    // Directives are "##name value"; "##FASTA" takes no value but tolerate trailing blanks.
    return line.startsWith(FASTA_DIRECTIVE) && line.substring(FASTA_DIRECTIVE.length()).isBlank();
  }

  private Gff3Record parse(String line, long lineNumber) throws Reject {
    int length = line.length();
    int tabCount = 0;
    for (int i = line.indexOf(COLUMN_SEPARATOR);
        i >= 0;
        i = line.indexOf(COLUMN_SEPARATOR, i + 1)) {
      if (tabCount < tabs.length) {
        tabs[tabCount] = i;
      }
      tabCount++;
    }
    int columns = tabCount + 1;
    int attributesEnd = length;
    if (columns == COLUMN_COUNT + 1 && tabs[COLUMN_COUNT - 1] == length - 1) {
      columns = COLUMN_COUNT;
      attributesEnd = length - 1;
    }
    if (columns != COLUMN_COUNT) {
      throw new Reject("expected " + COLUMN_COUNT + " tab-separated columns, found " + columns);
    }
    for (int c = 0; c < ATTRIBUTES; c++) {
      if (begin(c) == tabs[c]) {
        throw new Reject("empty column " + (c + 1) + " (" + COLUMN_NAMES.get(c) + ")");
      }
    }

    String seqid = decode(line, begin(SEQID), tabs[SEQID], SEQID);
    String source = decode(line, begin(SOURCE), tabs[SOURCE], SOURCE);
    String type = decode(line, begin(TYPE), tabs[TYPE], TYPE);
    long start = position(line, START);
    long end = position(line, END);
    if (start > end) {
      throw new Reject("start " + start + " is greater than end " + end);
    }
    String score = undefinedOrText(line, begin(SCORE), tabs[SCORE]);
    String strand = strand(line);
    String phase = phase(line);
    Map<String, List<String>> attributes = parseAttributes(line, begin(ATTRIBUTES), attributesEnd);
    return new Gff3Record(
        seqid,
        source,
        type,
        start,
        end,
        score,
        strand,
        phase,
        Gff3Record.adopt(attributes),
        lineNumber);
  }

  /** Offset of the first character of 0-based column {@code c}; valid after the tab scan. */
  private int begin(int c) {
    return c == 0 ? 0 : tabs[c - 1] + 1;
  }

  private long position(String line, int column) throws Reject {
    int from = begin(column);
    int to = tabs[column];
    String name = COLUMN_NAMES.get(column);
    boolean negative = line.charAt(from) == '-' && to - from > 1;
    int digitsFrom = negative ? from + 1 : from;
    long value = 0;
    for (int i = digitsFrom; i < to; i++) {
      char ch = line.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new Reject(
            "non-numeric "
                + name
                + " position "
                + quote(line, from, to)
                + " in column "
                + (column + 1));
      }
      if (i - digitsFrom < MAX_POSITION_DIGITS) {
        value = value * 10 + (ch - '0');
      }
    }
    if (negative) {
      throw new Reject(
          "negative " + name + " position " + quote(line, from, to) + " in column " + (column + 1));
    }
    if (to - digitsFrom > MAX_POSITION_DIGITS) {
      throw new Reject(
          name
              + " position "
              + quote(line, from, to)
              + " in column "
              + (column + 1)
              + " is too large");
    }
    return value;
  }

  private String strand(String line) throws Reject {
    int from = begin(STRAND);
    if (tabs[STRAND] - from == 1) {
      // Constants instead of substrings: no allocation for the common case.
      switch (line.charAt(from)) {
        case '+':
          return "+";
        case '-':
          return "-";
        case '?':
          return "?";
        case '.':
          return null;
        default:
          break;
      }
    }
    throw new Reject(
        "invalid strand "
            + quote(line, from, tabs[STRAND])
            + " in column 7; expected one of + - . ?");
  }

  private String phase(String line) throws Reject {
    int from = begin(PHASE);
    if (tabs[PHASE] - from == 1) {
      switch (line.charAt(from)) {
        case '0':
          return "0";
        case '1':
          return "1";
        case '2':
          return "2";
        case '.':
          return null;
        default:
          break;
      }
    }
    throw new Reject(
        "invalid phase "
            + quote(line, from, tabs[PHASE])
            + " in column 8; expected one of 0 1 2 .");
  }

  private static String undefinedOrText(String line, int from, int to) {
    if (to - from == 1 && line.charAt(from) == '.') {
      return null;
    }
    return line.substring(from, to);
  }

  /** Column 9, {@code line[from, to)}, as a map the caller hands over to the record. */
  private Map<String, List<String>> parseAttributes(String line, int from, int to) throws Reject {
    if (from == to || (to - from == 1 && line.charAt(from) == '.')) {
      return Map.of();
    }
    // Sized from the previous line: files repeat the same keys, so this avoids rehashing.
    Map<String, List<String>> attributes = new LinkedHashMap<>(expectedPairs * 4 / 3 + 1);
    escapeAt = -1;
    commaAt = -1;
    int pairStart = from;
    while (pairStart <= to) {
      int pairEnd = indexOf(line, PAIR_SEPARATOR, pairStart, to);
      if (pairEnd > pairStart) {
        parsePair(line, pairStart, pairEnd, attributes);
      }
      pairStart = pairEnd + 1;
    }
    expectedPairs = Math.max(attributes.size(), 1);
    return attributes;
  }

  private void parsePair(String line, int from, int to, Map<String, List<String>> attributes)
      throws Reject {
    int eq = indexOf(line, KEY_VALUE_SEPARATOR, from, to);
    if (eq == to) {
      throw new Reject("attribute " + quote(line, from, to) + " has no '='");
    }
    if (eq == from) {
      throw new Reject("attribute " + quote(line, from, to) + " has an empty key");
    }
    String key = key(line, from, eq);
    int valueStart = eq + 1;
    int comma = nextComma(line, valueStart);
    List<String> decoded;
    if (comma >= to) {
      decoded = List.of(decode(line, valueStart, to, ATTRIBUTES));
    } else {
      List<String> values = new ArrayList<>(4);
      while (true) {
        int valueEnd = Math.min(nextComma(line, valueStart), to);
        values.add(decode(line, valueStart, valueEnd, ATTRIBUTES));
        if (valueEnd == to) {
          break;
        }
        valueStart = valueEnd + 1;
      }
      decoded = List.copyOf(values);
    }
    List<String> earlier = attributes.putIfAbsent(key, decoded);
    if (earlier != null) {
      List<String> merged = new ArrayList<>(earlier.size() + decoded.size());
      merged.addAll(earlier);
      merged.addAll(decoded);
      attributes.put(key, List.copyOf(merged));
    }
  }

  /**
   * The key in {@code line[from, to)}, shared with earlier lines when it is the same text. A file
   * repeats a handful of keys millions of times: sharing saves the allocation, and the shared
   * String's cached hash saves rehashing it on every map insert.
   */
  private String key(String line, int from, int to) throws Reject {
    if (nextEscape(line, from) < to) {
      return decode(line, from, to, ATTRIBUTES);
    }
    int length = to - from;
    // A cheap fingerprint picks the slot; regionMatches confirms, so collisions only cost a miss.
    int slot = (length * 31 + line.charAt(from) * 7 + line.charAt(to - 1)) & (keyCache.length - 1);
    String cached = keyCache[slot];
    if (cached != null
        && cached.length() == length
        && line.regionMatches(from, cached, 0, length)) {
      return cached;
    }
    String key = line.substring(from, to);
    keyCache[slot] = key;
    return key;
  }

  /**
   * Next {@code %} at or after {@code from} in the current column 9, or {@code Integer.MAX_VALUE}.
   * Remembered between calls so the line is scanned once with the JDK's vectorised indexOf, rather
   * than once per key and value.
   */
  private int nextEscape(String line, int from) {
    if (escapeAt < from) {
      int i = line.indexOf(ESCAPE, from);
      escapeAt = i < 0 ? Integer.MAX_VALUE : i;
    }
    return escapeAt;
  }

  /** Like {@link #nextEscape} for the value separator {@code ,}. */
  private int nextComma(String line, int from) {
    if (commaAt < from) {
      int i = line.indexOf(VALUE_SEPARATOR, from);
      commaAt = i < 0 ? Integer.MAX_VALUE : i;
    }
    return commaAt;
  }

  /** Like {@code String.indexOf} but bounded, returning {@code to} when absent. */
  private static int indexOf(String s, char ch, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == ch) {
        return i;
      }
    }
    return to;
  }

  /**
   * Percent-decodes {@code s[from, to)} of 0-based {@code column}. Consecutive escapes are
   * collected as bytes and decoded together, so multi-byte UTF-8 ({@code %C3%A9}) comes out whole.
   */
  private String decode(String s, int from, int to, int column) throws Reject {
    int escape = column == ATTRIBUTES ? nextEscape(s, from) : indexOf(s, ESCAPE, from, to);
    if (escape >= to) {
      return s.substring(from, to);
    }
    StringBuilder out = new StringBuilder(to - from);
    out.append(s, from, escape);
    int i = escape;
    while (i < to) {
      char ch = s.charAt(i);
      if (ch != ESCAPE) {
        out.append(ch);
        i++;
        continue;
      }
      int runStart = i;
      int n = 0;
      while (i < to && s.charAt(i) == ESCAPE) {
        int hi = i + 1 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new Reject(
              "bad percent-escape '"
                  + s.substring(i, Math.min(i + 3, to))
                  + "' in column "
                  + (column + 1));
        }
        if (n == escapedBytes.length) {
          escapedBytes = Arrays.copyOf(escapedBytes, n * 2);
        }
        escapedBytes[n++] = (byte) (hi << 4 | lo);
        i += 3;
      }
      if (!appendUtf8(escapedBytes, n, out)) {
        throw new Reject(
            "percent-escapes "
                + quote(s, runStart, i)
                + " in column "
                + (column + 1)
                + " are not valid UTF-8");
      }
    }
    return out.toString();
  }

  /**
   * Strict UTF-8 decoding of {@code bytes[0, n)} onto {@code out}: rejects truncated sequences,
   * overlong forms, surrogates and code points above U+10FFFF (RFC 3629), instead of the silent
   * U+FFFD replacement that {@code new String(bytes, UTF_8)} would do.
   */
  private static boolean appendUtf8(byte[] bytes, int n, StringBuilder out) {
    int k = 0;
    while (k < n) {
      int b0 = bytes[k] & 0xFF;
      if (b0 < 0x80) {
        out.append((char) b0);
        k++;
        continue;
      }
      int length;
      int codePoint;
      int min;
      if (b0 >= 0xC2 && b0 <= 0xDF) {
        length = 2;
        codePoint = b0 & 0x1F;
        min = 0x80;
      } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        length = 3;
        codePoint = b0 & 0x0F;
        min = 0x800;
      } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        length = 4;
        codePoint = b0 & 0x07;
        min = 0x10000;
      } else {
        return false;
      }
      if (k + length > n) {
        return false;
      }
      for (int j = 1; j < length; j++) {
        int b = bytes[k + j] & 0xFF;
        if ((b & 0xC0) != 0x80) {
          return false;
        }
        codePoint = codePoint << 6 | (b & 0x3F);
      }
      if (codePoint < min
          || codePoint > Character.MAX_CODE_POINT
          || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
        return false;
      }
      out.appendCodePoint(codePoint);
      k += length;
    }
    return true;
  }

  /** {@code 'text'} for a reason, shortened so one bad line cannot flood the reject log. */
  private static String quote(String s, int from, int to) {
    if (to - from <= MAX_QUOTED) {
      return "'" + s.substring(from, to) + "'";
    }
    return "'" + s.substring(from, from + MAX_QUOTED) + "...'";
  }

  /** A line that cannot be decoded; no stack trace, as rejects are expected data, not bugs. */
  private static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;

    Reject(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Whether a file's first bytes are GFF3: its first line is the {@code ##gff-version} pragma. */
  public static boolean recognizes(byte[] head) {
    return Sniff.firstLineStarts(head, "##gff-version");
  }
}
