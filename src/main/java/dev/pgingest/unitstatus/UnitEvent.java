package dev.pgingest.unitstatus;

import java.util.List;

/**
 * What the parse step tells the progress step about one unit of one file: its first record was
 * read, the file it lies in was read to its end, or its record was rejected whole.
 *
 * @param kind what happened
 * @param key the unit's key values, as its table's columns hold them
 * @param file the source file
 * @param reason why the unit failed; null otherwise
 */
public record UnitEvent(Kind kind, List<String> key, String file, String reason) {

  /** What happened to the unit. */
  public enum Kind {
    STARTED,
    READ,
    FAILED
  }

  public UnitEvent {
    key = List.copyOf(key);
  }

  /** The unit and file as one string, for maps and state. */
  public String id() {
    return id(key, file);
  }

  /** Key values and file joined by a character no checked value holds. */
  static String id(List<String> key, String file) {
    return String.join("\u0000", key) + "\u0000" + file;
  }
}
