package dev.pgingest.format.genbank;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins an entry's COMMENT fields (each keeps its lines, {@code \n}) and reads the structured
 * comments in them: {@code ##Name-START##} … {@code ##Name-END##} blocks of {@code Key :: Value}
 * lines.
 */
final class CommentBuilder {

  private String comment;
  private final Map<String, Map<String, String>> structured = new LinkedHashMap<>();

  void add(List<String> lines) {
    String text = String.join("\n", lines);
    comment = comment == null ? text : comment + "\n" + text;
    Map<String, String> section = null;
    String lastKey = null;
    for (String raw : lines) {
      String line = raw.trim();
      if (line.startsWith("##") && line.endsWith("-START##") && line.length() > 10) {
        String name = line.substring(2, line.length() - "-START##".length());
        section = structured.computeIfAbsent(name, n -> new LinkedHashMap<>());
        lastKey = null;
      } else if (line.startsWith("##") && line.endsWith("-END##")) {
        section = null;
        lastKey = null;
      } else if (section != null && !line.isEmpty()) {
        int sep = line.indexOf("::");
        if (sep >= 0) {
          lastKey = line.substring(0, sep).trim();
          section.put(lastKey, line.substring(sep + 2).trim());
        } else if (lastKey != null) {
          // A line without :: continues the value before it.
          String before = section.get(lastKey);
          section.put(lastKey, before.isEmpty() ? line : before + " " + line);
        }
      }
    }
  }

  /** The joined COMMENT text, or null when the entry has none. */
  String comment() {
    return comment;
  }

  /** The structured comments by block name, then key, in the order read; unmodifiable. */
  Map<String, Map<String, String>> structured() {
    LinkedHashMap<String, Map<String, String>> copy = new LinkedHashMap<>();
    structured.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    return Collections.unmodifiableMap(copy);
  }
}
