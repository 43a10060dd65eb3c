package dev.pgingest.format.genbank;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed INSDC feature location (<a
 * href="https://www.insdc.org/submitting-standards/feature-table/#3.4">Feature Table Definition
 * 3.4</a>), 1-based and inclusive.
 *
 * <p>{@code parts} are in biological order: {@code complement(join(a,b))} lists {@code b} before
 * {@code a}. {@code start} and {@code end} span the parts on this record (remote parts and gaps are
 * left out; both are null when none remains). A {@code join} on one strand that wraps the origin of
 * a circular sequence, such as {@code join(9462..9609,1..63)}, has {@code start > end}: it starts
 * at 9462 and ends at 63. {@code strand} is 1 or -1 when every non-gap part agrees, else null.
 * {@code partialStart} and {@code partialEnd} say whether a {@code <} or a {@code >} appears
 * anywhere in the location.
 */
public record Location(
    Long start,
    Long end,
    Integer strand,
    boolean partialStart,
    boolean partialEnd,
    List<Part> parts)
    implements Serializable {

  /** Copies {@code parts} so the order survives and the record stays immutable. */
  public Location {
    parts = List.copyOf(parts);
  }

  /** Longest coordinate accepted: 18 decimal digits always fit in a {@code long}. */
  private static final int MAX_DIGITS = 18;

  /**
   * Parses a location as written in a feature table or on a CONTIG line.
   *
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static Location parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty location");
    }
    Parser p = new Parser(text);
    List<Part> parts = new ArrayList<>();
    p.location(parts, false);
    p.skipSpaces();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    return of(parts, p.sawJoin && !p.sawOrder, p.sawLess, p.sawGreater);
  }

  private static Location of(List<Part> parts, boolean join, boolean less, boolean greater) {
    Integer strand = null;
    boolean first = true;
    for (Part part : parts) {
      if (Part.GAP.equals(part.kind())) {
        continue;
      }
      if (first) {
        strand = part.strand();
        first = false;
      } else if (strand != null && !strand.equals(part.strand())) {
        strand = null;
      }
    }
    List<Part> local = new ArrayList<>();
    for (Part part : parts) {
      if (part.local()) {
        local.add(part);
      }
    }
    Long start = null;
    Long end = null;
    if (!local.isEmpty()) {
      if (strand != null && strand == -1) {
        local = new ArrayList<>(local);
        Collections.reverse(local);
      }
      if (join && strand != null && wrapsOrigin(local)) {
        start = local.get(0).start();
        end = local.get(local.size() - 1).end();
      } else {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Part part : local) {
          min = Math.min(min, part.start());
          max = Math.max(max, part.end());
        }
        start = min;
        end = max;
      }
    }
    return new Location(start, end, strand, less, greater, parts);
  }

  /**
   * Whether parts in coordinate order step back exactly once, to base 1: the shape NCBI writes for
   * a feature across the origin of a circular molecule. Other back steps (trans-splicing) keep the
   * plain span.
   */
  private static boolean wrapsOrigin(List<Part> ascending) {
    int descents = 0;
    boolean toOne = false;
    for (int i = 1; i < ascending.size(); i++) {
      if (ascending.get(i).start() < ascending.get(i - 1).end()) {
        descents++;
        toOne = ascending.get(i).start() == 1;
      }
    }
    return descents == 1 && toOne;
  }

  /** A recursive-descent reader over one location text. */
  private static final class Parser {
    private final String text;
    private int pos;
    private boolean sawJoin;
    private boolean sawOrder;
    private boolean sawLess;
    private boolean sawGreater;

    Parser(String text) {
      this.text = text;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + pos);
    }

    void skipSpaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') {
        pos++;
      }
    }

    boolean operator(String name) {
      if (text.startsWith(name, pos) && text.startsWith("(", pos + name.length())) {
        pos += name.length() + 1;
        return true;
      }
      return false;
    }

    void expect(char c) {
      skipSpaces();
      if (pos >= text.length()) {
        throw error("missing '" + c + "' at end");
      }
      if (text.charAt(pos) != c) {
        throw error("expected '" + c + "' but found '" + text.charAt(pos) + "'");
      }
      pos++;
    }

    /** Reads one location into {@code out}; {@code complement} flips the strand of what it adds. */
    void location(List<Part> out, boolean complement) {
      skipSpaces();
      if (operator("complement")) {
        List<Part> inner = new ArrayList<>();
        location(inner, !complement);
        expect(')');
        Collections.reverse(inner);
        out.addAll(inner);
      } else if (operator("join")) {
        sawJoin = true;
        list(out, complement);
      } else if (operator("order") || operator("bond")) {
        sawOrder = true;
        list(out, complement);
      } else if (operator("gap")) {
        out.add(gap());
      } else {
        out.add(base(complement));
      }
    }

    private void list(List<Part> out, boolean complement) {
      List<Part> inner = new ArrayList<>();
      location(inner, complement);
      skipSpaces();
      while (pos < text.length() && text.charAt(pos) == ',') {
        pos++;
        location(inner, complement);
        skipSpaces();
      }
      expect(')');
      out.addAll(inner);
    }

    private Part gap() {
      skipSpaces();
      Long length = null;
      if (text.startsWith("unk", pos)) {
        pos += 3;
      }
      if (pos < text.length() && isDigit(text.charAt(pos))) {
        length = number();
      }
      expect(')');
      return new Part(null, null, null, null, Part.GAP, length);
    }

    private Part base(boolean complement) {
      String accession = accession();
      Integer strand = complement ? -1 : 1;
      long[] first = point(true);
      if (pos < text.length() && text.charAt(pos) == '.' && text.startsWith("..", pos)) {
        pos += 2;
        long[] second = point(false);
        if (first[0] > second[1]) {
          throw error("range starts after it ends (" + first[0] + " > " + second[1] + ")");
        }
        return new Part(accession, first[0], second[1], strand, Part.RANGE, null);
      }
      if (pos < text.length() && (text.charAt(pos) == '^' || text.charAt(pos) == '.')) {
        String kind = text.charAt(pos) == '^' ? Part.SITE : Part.BETWEEN;
        pos++;
        long[] second = point(false);
        if (first[0] > second[1]) {
          throw error(kind + " starts after it ends (" + first[0] + " > " + second[1] + ")");
        }
        return new Part(accession, first[0], second[1], strand, kind, null);
      }
      return new Part(accession, first[0], first[1], strand, Part.RANGE, null);
    }

    /** An {@code ACC.1:} prefix, consumed and returned, or null when the base is local. */
    private String accession() {
      int i = pos;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == ':') {
          if (i == pos) {
            throw error("empty accession before ':'");
          }
          String accession = text.substring(pos, i);
          pos = i + 1;
          return accession;
        }
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
          return null;
        }
        i++;
      }
      return null;
    }

    /** A position as {low, high}: a number with an optional {@code <}/{@code >}, or one-of. */
    private long[] point(boolean isStart) {
      if (pos >= text.length()) {
        throw error("missing position at end");
      }
      char c = text.charAt(pos);
      if (c == '<' || c == '>') {
        if (c == '<') {
          sawLess = true;
        } else {
          sawGreater = true;
        }
        pos++;
        long n = number();
        return new long[] {n, n};
      }
      if (operator("one-of")) {
        long low = number();
        long high = low;
        while (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          long n = number();
          low = Math.min(low, n);
          high = Math.max(high, n);
        }
        expect(')');
        return new long[] {low, high};
      }
      if (c == '(') {
        // The old uncertain form "(1888.1901)..2200".
        pos++;
        long low = number();
        expect('.');
        long high = number();
        expect(')');
        if (low > high) {
          throw error("uncertain position (" + low + "." + high + ") is reversed");
        }
        return new long[] {low, high};
      }
      long n = number();
      return new long[] {n, n};
    }

    private long number() {
      int begin = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == begin) {
        throw error(
            pos < text.length()
                ? "expected a position but found '" + text.charAt(pos) + "'"
                : "missing position at end");
      }
      if (pos - begin > MAX_DIGITS) {
        throw error("position " + text.substring(begin, pos) + " is too large");
      }
      long n = Long.parseLong(text, begin, pos, 10);
      if (n < 1) {
        throw error("position 0 (coordinates start at 1)");
      }
      return n;
    }

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
