package dev.pgingest.workload.shop.export;

import java.util.List;

/**
 * The field names of a {@link ShopRow}'s maps, per item, and the export header each comes from.
 * Header names are matched trimmed and case-insensitively; a column the lists do not name lands in
 * {@link ShopRow#extra()}.
 */
public final class ShopFields {
  private ShopFields() {}

  /** Products export, product fields (first row of a handle; copied onto its continuation rows). */
  public static final List<String> PRODUCT =
      List.of(
          "handle", // Handle
          "title", // Title
          "body_html", // Body (HTML)
          "vendor", // Vendor
          "product_category", // Product Category
          "type", // Type
          "tags", // Tags
          "published", // Published
          "option1_name", // Option1 Name ("Title" with value "Default Title": no options → null)
          "option2_name",
          "option3_name",
          "gift_card", // Gift Card
          "seo_title", // SEO Title
          "seo_description", // SEO Description
          "status"); // Status

  /** Products export, variant fields of a row that has a variant. */
  public static final List<String> VARIANT =
      List.of(
          "variant_key", // handle, or handle/value1[/value2[/value3]] for a product with options
          "variant_position", // 1, 2, … in file order within the handle
          "option1_value", // Option1 Value (null for Default Title)
          "option2_value",
          "option3_value",
          "sku", // Variant SKU (empty or "" → null)
          "grams", // Variant Grams
          "inventory_tracker", // Variant Inventory Tracker
          "inventory_qty", // Variant Inventory Qty
          "inventory_policy", // Variant Inventory Policy
          "fulfillment_service", // Variant Fulfillment Service
          "price", // Variant Price
          "compare_at_price", // Variant Compare At Price
          "requires_shipping", // Variant Requires Shipping
          "taxable", // Variant Taxable
          "barcode", // Variant Barcode, as given (3.65275E+11 stays so)
          "variant_image", // Variant Image
          "weight_unit", // Variant Weight Unit
          "tax_code", // Variant Tax Code
          "cost_per_item"); // Cost per item

  /** Products export, image fields of a row with an Image Src. */
  public static final List<String> IMAGE =
      List.of(
          "image_src", // Image Src
          "image_position", // Image Position (empty → the image's 1-based order within the handle)
          "image_alt"); // Image Alt Text

  /** Inventory export: one level per variant and location. */
  public static final List<String> INVENTORY =
      List.of(
          "handle",
          "title",
          "variant_key", // built as for the products export, so the two match
          "option1_name",
          "option1_value",
          "option2_name",
          "option2_value",
          "option3_name",
          "option3_value",
          "sku", // SKU ("" → null)
          "hs_code", // HS Code
          "coo", // COO
          "location", // Location
          "stocked", // "false" where every quantity says "not stocked", else "true"
          "incoming", // Incoming ("not stocked" → null; so for the four below)
          "unavailable",
          "committed",
          "available",
          "on_hand"); // On hand

  /** Orders export, order fields (the order's first row; copied onto its other rows). */
  public static final List<String> ORDER =
      List.of(
          "name", // Name, e.g. #1001
          "email",
          "financial_status",
          "paid_at",
          "fulfillment_status",
          "fulfilled_at",
          "accepts_marketing",
          "currency",
          "subtotal",
          "shipping",
          "taxes",
          "total",
          "discount_code",
          "discount_amount",
          "shipping_method",
          "created_at",
          "cancelled_at",
          "payment_method",
          "refunded_amount",
          "order_id", // Id
          "tags",
          "risk_level",
          "source",
          "tax_lines"); // Tax N Name / Tax N Value pairs as a JSON array [{"name":…,"value":…}]

  /** Orders export, line item fields. */
  public static final List<String> LINE =
      List.of(
          "line_number", // 1, 2, … in file order within the order
          "quantity", // Lineitem quantity
          "item_name", // Lineitem name
          "price", // Lineitem price
          "compare_at_price", // Lineitem compare at price
          "sku", // Lineitem sku ("" → null)
          "requires_shipping", // Lineitem requires shipping
          "taxable", // Lineitem taxable
          "fulfillment_status", // Lineitem fulfillment status
          "discount"); // Lineitem discount

  /** Bundle recommendations (JSONL): a record's fields, arrays and objects as JSON text. */
  public static final List<String> BUNDLE =
      List.of(
          "bundle_id", // id
          "upload", // upload
          "rank", // rank
          "handles", // handles: JSON array of product handles
          "variant_keys", // variant_ids: JSON array of variant keys
          "score", // score
          "scores", // scores: JSON object
          "record"); // the whole line as JSON
}
