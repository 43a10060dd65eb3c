package dev.pgingest.format.genbank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds an entry's {@link Reference}s from its REFERENCE blocks and their sub-keywords. */
final class ReferenceBuilder {

  private final List<Reference> done = new ArrayList<>();

  // The open block: its number and bases, and its sub-keyword fields by keyword.
  private int number;
  private String bases;
  private Map<String, String> fields;

  /**
   * Opens a block from the REFERENCE line ({@code 1 (bases 1 to 513)}). An open block it replaces
   * is dropped: only a top-level keyword ends a block ({@link #end}).
   */
  void start(String text, long line) throws Malformed {
    String t = text.trim();
    int space = t.indexOf(' ');
    String n = space < 0 ? t : t.substring(0, space);
    try {
      number = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new Malformed(line, "REFERENCE number '" + Malformed.quoted(n) + "' is not a number");
    }
    String b = space < 0 ? "" : t.substring(space + 1).trim();
    if (b.startsWith("(") && b.endsWith(")")) {
      b = b.substring(1, b.length() - 1).trim();
    }
    bases = b.isEmpty() ? null : b;
    fields = new HashMap<>();
  }

  /** Sets AUTHORS, CONSRTM, TITLE, JOURNAL, PUBMED, MEDLINE or REMARK of the open block, if any. */
  void set(String key, String value) {
    if (fields != null) {
      fields.put(key, value);
    }
  }

  /** Ends the open block, if any: a top-level keyword came. */
  void end() {
    if (fields == null) {
      return;
    }
    done.add(
        new Reference(
            number,
            bases,
            fields.get("AUTHORS"),
            fields.get("CONSRTM"),
            fields.get("TITLE"),
            fields.get("JOURNAL"),
            fields.get("PUBMED"),
            fields.get("MEDLINE"),
            fields.get("REMARK")));
    fields = null;
  }

  /** The references of the ended blocks, in order. */
  List<Reference> build() {
    return List.copyOf(done);
  }
}
