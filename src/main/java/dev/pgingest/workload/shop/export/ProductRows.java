package dev.pgingest.workload.shop.export;

import dev.pgingest.workload.shop.export.ShopHeader.Group;
import java.util.Collections;
import java.util.Map;

/**
 * Rows of a Shopify products export: a row has a variant when it has an Option1 Value, a Variant
 * SKU, a Variant Price or Variant Grams, and an image when it has an Image Src. A product whose
 * Option1 Name is {@code Title} and first Option1 Value {@code Default Title} has no options.
 */
final class ProductRows implements ExportRows {
  private final ShopHeader header;
  private final GroupedRows group = new GroupedRows();

  /** Whether the current product's Option1 Name is {@value #TITLE_OPTION}, as the file has it. */
  private boolean titleOption;

  ProductRows(ShopHeader header) {
    this.header = header;
  }

  @Override
  public void row(String[] row, long lineNumber, Out out) {
    String handle = header.value(row, Group.HEAD, "handle");
    if (handle == null) {
      out.reject(lineNumber, "products row without a Handle");
      return;
    }
    boolean first = group.starts(handle);
    if (first) {
      Map<String, String> head = header.fill(Group.HEAD, ShopFields.PRODUCT, row);
      first = GroupedRows.givesFields(head, "handle");
      titleOption = TITLE_OPTION.equals(head.get("option1_name"));
      if (titleOption && DEFAULT_TITLE.equals(header.value(row, Group.VARIANT, "option1_value"))) {
        head.put("option1_name", null);
      }
      group.start(handle, head);
    }
    out.record(
        new ShopRow(
            ShopExport.PRODUCTS,
            group.head(),
            variant(handle, row),
            image(row),
            null,
            header.extra(row),
            first),
        lineNumber);
  }

  private Map<String, String> variant(String handle, String[] row) {
    boolean hasVariant =
        header.value(row, Group.VARIANT, "option1_value") != null
            || header.value(row, Group.VARIANT, "sku") != null
            || header.value(row, Group.VARIANT, "price") != null
            || header.value(row, Group.VARIANT, "grams") != null;
    if (!hasVariant) {
      return null;
    }
    Map<String, String> v = header.fill(Group.VARIANT, ShopFields.VARIANT, row);
    if (titleOption && DEFAULT_TITLE.equals(v.get("option1_value"))) {
      v.put("option1_value", null);
    }
    v.put(
        "variant_key",
        ExportRows.variantKey(
            handle, v.get("option1_value"), v.get("option2_value"), v.get("option3_value")));
    v.put("variant_position", Integer.toString(++group.variants));
    return Collections.unmodifiableMap(v);
  }

  private Map<String, String> image(String[] row) {
    if (header.value(row, Group.IMAGE, "image_src") == null) {
      return null;
    }
    Map<String, String> i = header.fill(Group.IMAGE, ShopFields.IMAGE, row);
    group.images++;
    if (i.get("image_position") == null) {
      i.put("image_position", Integer.toString(group.images));
    }
    return Collections.unmodifiableMap(i);
  }
}
