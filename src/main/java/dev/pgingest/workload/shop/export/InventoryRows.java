package dev.pgingest.workload.shop.export;

import dev.pgingest.workload.shop.export.ShopHeader.Group;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Rows of a Shopify inventory export, one per variant and location: {@code not stocked} (any case)
 * in a quantity column is null, and the level is {@code stocked} {@code "false"} when every
 * quantity it gives says so; its variant key is built as the products export's, so the two join.
 */
final class InventoryRows implements ExportRows {

  /** What the inventory export writes in every quantity of a variant a location does not stock. */
  private static final String NOT_STOCKED = "not stocked";

  private static final List<String> QUANTITIES =
      List.of("incoming", "unavailable", "committed", "available", "on_hand");

  private final ShopHeader header;

  InventoryRows(ShopHeader header) {
    this.header = header;
  }

  @Override
  public void row(String[] row, long lineNumber, Out out) {
    Map<String, String> head = header.fill(Group.HEAD, ShopFields.INVENTORY, row);
    String handle = head.get("handle");
    if (handle == null) {
      out.reject(lineNumber, "inventory row without a Handle");
      return;
    }
    if (head.get("location") == null) {
      out.reject(lineNumber, "inventory row without a Location");
      return;
    }
    if (TITLE_OPTION.equals(head.get("option1_name"))
        && DEFAULT_TITLE.equals(head.get("option1_value"))) {
      head.put("option1_name", null);
      head.put("option1_value", null);
    }
    head.put(
        "variant_key",
        ExportRows.variantKey(
            handle,
            head.get("option1_value"),
            head.get("option2_value"),
            head.get("option3_value")));
    int notStocked = 0;
    int stocked = 0;
    for (String quantity : QUANTITIES) {
      String value = head.get(quantity);
      if (value == null) {
        continue;
      }
      if (value.trim().equalsIgnoreCase(NOT_STOCKED)) {
        head.put(quantity, null);
        notStocked++;
      } else {
        stocked++;
      }
    }
    head.put("stocked", notStocked > 0 && stocked == 0 ? "false" : "true");
    out.record(
        new ShopRow(
            ShopExport.INVENTORY,
            Collections.unmodifiableMap(head),
            null,
            null,
            null,
            header.extra(row),
            true),
        lineNumber);
  }
}
