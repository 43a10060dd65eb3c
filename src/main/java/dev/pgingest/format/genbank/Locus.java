package dev.pgingest.format.genbank;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The fields of an entry's LOCUS line. They are read by what they are, not by column, so the
 * current and the older layouts both work; an {@code aa} entry's molecule type is {@code aa}.
 */
record Locus(
    String name,
    long length,
    String unit,
    String moleculeType,
    String topology,
    String division,
    LocalDate date) {

  private static final DateTimeFormatter DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("dd-MMM-yyyy")
          .toFormatter(Locale.ENGLISH);

  /** Whether {@code text} starts an entry. */
  static boolean starts(String text) {
    return text.startsWith("LOCUS") && (text.length() == 5 || text.charAt(5) == ' ');
  }

  /** Reads a LOCUS line: name, length and unit, then molecule type, topology, division, date. */
  static Locus parse(String text, long lineNumber) throws Malformed {
    String[] tokens = text.trim().split("\\s+");
    int u = -1;
    for (int i = 2; i < tokens.length; i++) {
      if (tokens[i].equals("bp") || tokens[i].equals("aa") || tokens[i].equals("rc")) {
        u = i;
        break;
      }
    }
    if (u != 3) {
      throw new Malformed(
          lineNumber, "LOCUS line '" + Malformed.quoted(text) + "' has no name, length and bp/aa");
    }
    long length;
    try {
      length = Long.parseLong(tokens[2]);
    } catch (NumberFormatException e) {
      throw new Malformed(
          lineNumber, "LOCUS length '" + Malformed.quoted(tokens[2]) + "' is not a number");
    }
    if (length < 0) {
      throw new Malformed(lineNumber, "LOCUS length " + length + " is negative");
    }
    String unit = tokens[3];
    int last = tokens.length - 1;
    LocalDate date = null;
    if (last > u && looksLikeDate(tokens[last])) {
      try {
        date = LocalDate.parse(tokens[last], DATE);
      } catch (DateTimeParseException e) {
        throw new Malformed(
            lineNumber, "LOCUS date '" + Malformed.quoted(tokens[last]) + "' is not a date");
      }
      last--;
    }
    String division = null;
    if (last > u && isDivision(tokens[last])) {
      division = tokens[last];
      last--;
    }
    String topology = null;
    StringBuilder type = new StringBuilder();
    for (int i = u + 1; i <= last; i++) {
      String t = tokens[i];
      if (t.equalsIgnoreCase("linear") || t.equalsIgnoreCase("circular")) {
        topology = t.toLowerCase(Locale.ROOT);
      } else {
        type.append(type.length() == 0 ? "" : " ").append(t);
      }
    }
    String moleculeType = unit.equals("aa") ? "aa" : type.length() == 0 ? null : type.toString();
    return new Locus(tokens[1], length, unit, moleculeType, topology, division, date);
  }

  private static boolean looksLikeDate(String token) {
    return token.length() == 11 && token.charAt(2) == '-' && token.charAt(6) == '-';
  }

  private static boolean isDivision(String token) {
    if (token.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = token.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }
}
