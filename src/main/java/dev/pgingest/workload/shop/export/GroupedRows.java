package dev.pgingest.workload.shop.export;

import java.util.Collections;
import java.util.Map;

/**
 * The current group of a products or orders export: the consecutive rows of one Handle (Name),
 * whose first row gives the fields Shopify writes only there. Only this group is kept, so memory
 * stays constant, and a restore, which reads the file from its start, rebuilds it by itself; a
 * handle that comes back after another is a new group.
 */
final class GroupedRows {
  /** Handle (Name) of the current group; null before the first. */
  private String key;

  /** The current group's head, given to each of its rows. */
  private Map<String, String> head;

  /** Rows of the group so far that had a variant (image, line item). */
  int variants;

  int images;
  int lines;

  /** Whether {@code key} starts a new group (a different key from the current one's). */
  boolean starts(String key) {
    return !key.equals(this.key);
  }

  void start(String key, Map<String, String> head) {
    this.key = key;
    this.head = Collections.unmodifiableMap(head);
    variants = 0;
    images = 0;
    lines = 0;
  }

  Map<String, String> head() {
    return head;
  }

  /**
   * Whether a group's first row gives its product (order) fields: a handle that comes back after
   * others carries none, and must not make a product that would clear the earlier one's.
   */
  static boolean givesFields(Map<String, String> head, String key) {
    for (Map.Entry<String, String> e : head.entrySet()) {
      if (!e.getKey().equals(key) && e.getValue() != null) {
        return true;
      }
    }
    return false;
  }
}
