package dev.pgingest.format.genbank;

import java.io.Serializable;
import java.util.List;

/** One entry of a record's feature table, with its location as written and as parsed. */
public record Feature(
    int index, String key, String location, Location parsed, List<Qualifier> qualifiers)
    implements Serializable {

  /** Copies {@code qualifiers} so the order survives and the record stays immutable. */
  public Feature {
    qualifiers = List.copyOf(qualifiers);
  }
}
