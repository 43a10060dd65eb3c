package dev.pgingest.format.genbank;

import java.util.List;

/**
 * One keyword field of an entry's header, as gathered by the codec: its keyword ({@code
 * DEFINITION}, or a sub-keyword such as {@code AUTHORS}), the line it starts on and the text of
 * that line and its continuation lines after the keyword column.
 */
record KeywordField(String key, long line, List<String> lines) {

  KeywordField {
    lines = List.copyOf(lines);
  }
}
