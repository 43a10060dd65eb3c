package dev.pgingest.format.genbank;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds the {@link Feature}s of an entry's feature table from its lines and hands each on as soon
 * as it is complete, so a chromosome's thousands of features are never held together.
 */
final class FeatureBuilder {

  /** A feature key starts after 5 spaces; any other text of the table is indented further. */
  private static final int KEY_COLUMN = 5;

  private final Consumer<Feature> out;
  private int count;

  // The feature being read.
  private String key;
  private long keyLine;
  private final StringBuilder location = new StringBuilder();
  private final List<Qualifier> qualifiers = new ArrayList<>();
  private QualifierBuilder qualifier;
  private final StringBuilder qualifierValue;

  /**
   * Hands each feature to {@code out}, numbered from 0 in table order. Qualifier values are
   * gathered in {@code qualifierValue}, which the codec lends every entry: a buffer grown anew per
   * entry to its longest /translation added 5% to the garbage of decoding a division.
   */
  FeatureBuilder(Consumer<Feature> out, StringBuilder qualifierValue) {
    this.out = out;
    this.qualifierValue = qualifierValue;
  }

  /** A line of the feature table: empty, or starting with a space. */
  void line(String text, long lineNumber) throws Malformed {
    int length = text.length();
    if (length > KEY_COLUMN
        && text.charAt(KEY_COLUMN) != ' '
        && text.substring(0, KEY_COLUMN).isBlank()) {
      endFeature();
      int keyEnd = KEY_COLUMN;
      while (keyEnd < length && text.charAt(keyEnd) != ' ') {
        keyEnd++;
      }
      key = text.substring(KEY_COLUMN, keyEnd);
      keyLine = lineNumber;
      location.append(text, keyEnd, length);
      trimSpaces(location);
      return;
    }
    String content = text.trim();
    boolean quoteOpen = qualifier != null && qualifier.open();
    if (content.isEmpty() && !quoteOpen) {
      return;
    }
    if (key == null) {
      throw new Malformed(
          lineNumber,
          "feature table line '" + Malformed.quoted(content) + "' comes before any feature key");
    }
    if (quoteOpen) {
      qualifier.appendQuoted(content);
    } else if (content.charAt(0) == '/') {
      endQualifier();
      qualifier = new QualifierBuilder(content, lineNumber, qualifierValue);
    } else if (qualifier == null) {
      // Locations run on joined with nothing.
      location.append(content);
    } else {
      qualifier.appendUnquoted(content, lineNumber);
    }
  }

  /** Completes the feature being read, if any: its location must parse. */
  void endFeature() throws Malformed {
    if (key == null) {
      return;
    }
    endQualifier();
    String written = location.toString();
    Location parsed;
    try {
      parsed = Location.parse(written);
    } catch (IllegalArgumentException e) {
      throw new Malformed(
          keyLine,
          "FEATURES location '"
              + Malformed.quoted(written)
              + "' is not a valid location ("
              + e.getMessage()
              + ")");
    }
    Feature feature = new Feature(count, key, written, parsed, qualifiers);
    count++;
    out.accept(feature);
    key = null;
    location.setLength(0);
    qualifiers.clear();
  }

  /** How many features were completed. */
  int count() {
    return count;
  }

  private void endQualifier() throws Malformed {
    if (qualifier != null) {
      qualifiers.add(qualifier.build());
      qualifier = null;
    }
  }

  private static void trimSpaces(StringBuilder sb) {
    int start = 0;
    while (start < sb.length() && sb.charAt(start) == ' ') {
      start++;
    }
    sb.delete(0, start);
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
  }
}
