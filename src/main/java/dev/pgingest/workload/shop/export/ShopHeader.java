package dev.pgingest.workload.shop.export;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header row of a shop CSV export: which export it is and which {@link ShopFields} field each
 * column feeds, so that a row's values can be put into its maps by position.
 */
final class ShopHeader {

  /** Which map of a {@link ShopRow} a column feeds. */
  enum Group {
    HEAD,
    VARIANT,
    IMAGE,
    LINE,
    /** Tax N Name or Tax N Value of the orders export, gathered into {@code tax_lines}. */
    TAX,
    EXTRA
  }

  /** What one column feeds: a group and, but for {@link Group#EXTRA}, a field name. */
  private record Slot(Group group, String field) {}

  /**
   * {@code Tax 1 Name}, {@code Tax 12 Value}, …: any number of pairs, matched lower-cased; at most
   * four digits, so that N always fits an int.
   */
  private static final Pattern TAX = Pattern.compile("tax (\\d{1,4}) (name|value)");

  private static final Map<String, Slot> PRODUCTS =
      known(
          columns(
              Group.HEAD,
              col("Handle", "handle"),
              col("Title", "title"),
              col("Body (HTML)", "body_html"),
              col("Vendor", "vendor"),
              col("Product Category", "product_category"),
              col("Type", "type"),
              col("Tags", "tags"),
              col("Published", "published"),
              col("Option1 Name", "option1_name"),
              col("Option2 Name", "option2_name"),
              col("Option3 Name", "option3_name"),
              col("Gift Card", "gift_card"),
              col("SEO Title", "seo_title"),
              col("SEO Description", "seo_description"),
              col("Status", "status")),
          columns(
              Group.VARIANT,
              col("Option1 Value", "option1_value"),
              col("Option2 Value", "option2_value"),
              col("Option3 Value", "option3_value"),
              col("Variant SKU", "sku"),
              col("Variant Grams", "grams"),
              col("Variant Inventory Tracker", "inventory_tracker"),
              col("Variant Inventory Qty", "inventory_qty"),
              col("Variant Inventory Policy", "inventory_policy"),
              col("Variant Fulfillment Service", "fulfillment_service"),
              col("Variant Price", "price"),
              col("Variant Compare At Price", "compare_at_price"),
              col("Variant Requires Shipping", "requires_shipping"),
              col("Variant Taxable", "taxable"),
              col("Variant Barcode", "barcode"),
              col("Variant Image", "variant_image"),
              col("Variant Weight Unit", "weight_unit"),
              col("Variant Tax Code", "tax_code"),
              col("Cost per item", "cost_per_item")),
          columns(
              Group.IMAGE,
              col("Image Src", "image_src"),
              col("Image Position", "image_position"),
              col("Image Alt Text", "image_alt")));

  private static final Map<String, Slot> INVENTORY =
      known(
          columns(
              Group.HEAD,
              col("Handle", "handle"),
              col("Title", "title"),
              col("Option1 Name", "option1_name"),
              col("Option1 Value", "option1_value"),
              col("Option2 Name", "option2_name"),
              col("Option2 Value", "option2_value"),
              col("Option3 Name", "option3_name"),
              col("Option3 Value", "option3_value"),
              col("SKU", "sku"),
              col("HS Code", "hs_code"),
              col("COO", "coo"),
              col("Location", "location"),
              col("Incoming", "incoming"),
              col("Unavailable", "unavailable"),
              col("Committed", "committed"),
              col("Available", "available"),
              col("On hand", "on_hand")));

  private static final Map<String, Slot> ORDERS =
      known(
          columns(
              Group.HEAD,
              col("Name", "name"),
              col("Email", "email"),
              col("Financial Status", "financial_status"),
              col("Paid at", "paid_at"),
              col("Fulfillment Status", "fulfillment_status"),
              col("Fulfilled at", "fulfilled_at"),
              col("Accepts Marketing", "accepts_marketing"),
              col("Currency", "currency"),
              col("Subtotal", "subtotal"),
              col("Shipping", "shipping"),
              col("Taxes", "taxes"),
              col("Total", "total"),
              col("Discount Code", "discount_code"),
              col("Discount Amount", "discount_amount"),
              col("Shipping Method", "shipping_method"),
              col("Created at", "created_at"),
              col("Cancelled at", "cancelled_at"),
              col("Payment Method", "payment_method"),
              col("Refunded Amount", "refunded_amount"),
              col("Id", "order_id"),
              col("Tags", "tags"),
              col("Risk Level", "risk_level"),
              col("Source", "source")),
          columns(
              Group.LINE,
              col("Lineitem quantity", "quantity"),
              col("Lineitem name", "item_name"),
              col("Lineitem price", "price"),
              col("Lineitem compare at price", "compare_at_price"),
              col("Lineitem sku", "sku"),
              col("Lineitem requires shipping", "requires_shipping"),
              col("Lineitem taxable", "taxable"),
              col("Lineitem fulfillment status", "fulfillment_status"),
              col("Lineitem discount", "discount")));

  final ShopExport export;

  /** The header names, trimmed, as the file gives them: {@code extra}'s keys. */
  private final String[] names;

  private final Slot[] slots;

  /** Column of each field name, per group, for the values the codec reads itself. */
  private final Map<Group, Map<String, Integer>> columnOf = new HashMap<>();

  /** Columns of the tax pairs by their number N, in order of N: {name column, value column}. */
  private final TreeMap<Integer, int[]> taxPairs = new TreeMap<>();

  private ShopHeader(ShopExport export, String[] names, Map<String, Slot> known) {
    this.export = export;
    this.names = names;
    this.slots = new Slot[names.length];
    for (int i = 0; i < names.length; i++) {
      String key = key(names[i]);
      Slot slot = known.get(key);
      Matcher tax = TAX.matcher(key);
      if (slot == null && export == ShopExport.ORDERS && tax.matches()) {
        slot = new Slot(Group.TAX, key);
        int[] pair =
            taxPairs.computeIfAbsent(Integer.valueOf(tax.group(1)), n -> new int[] {-1, -1});
        pair[tax.group(2).equals("name") ? 0 : 1] = i;
      }
      slots[i] = slot != null ? slot : new Slot(Group.EXTRA, null);
      if (slot != null) {
        columnOf.computeIfAbsent(slot.group(), g -> new HashMap<>()).put(slot.field(), i);
      }
    }
  }

  /**
   * Reads a header row.
   *
   * @param fields the header's values as the CSV parser split them
   * @throws IllegalArgumentException with the reject reason when the header cannot name columns or
   *     is none of the shop exports
   */
  static ShopHeader read(List<String> fields) {
    String[] names = new String[fields.size()];
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      names[i] = fields.get(i).trim();
      if (names[i].isEmpty()) {
        throw new IllegalArgumentException(
            "unusable header row: column " + (i + 1) + " has no name");
      }
      // Matching is case-insensitive, so two names differing in case would feed one field.
      Integer earlier = seen.putIfAbsent(key(names[i]), i + 1);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "unusable header row: '" + names[i] + "' names columns " + earlier + " and " + (i + 1));
      }
    }
    ShopExport export = detect(seen.keySet());
    if (export == null) {
      throw new IllegalArgumentException(
          "not a shop export: the header row has none of the column sets of a products export"
              + " (Handle, Variant SKU or Variant Price or Image Src), an inventory export"
              + " (Handle, Location, Available or On hand) or an orders export"
              + " (Name, Lineitem name or Lineitem quantity)");
    }
    Map<String, Slot> known =
        switch (export) {
          case PRODUCTS -> PRODUCTS;
          case INVENTORY -> INVENTORY;
          case ORDERS -> ORDERS;
          case BUNDLES -> throw new IllegalStateException("bundles have no header row");
        };
    return new ShopHeader(export, names, known);
  }

  /** Which export a header row's names are, or null for none. */
  static ShopExport exportOf(List<String> names) {
    Set<String> has = new java.util.HashSet<>();
    for (String n : names) {
      has.add(key(n));
    }
    return detect(has);
  }

  private static ShopExport detect(Set<String> has) {
    if (has.contains("handle")
        && (has.contains("variant sku")
            || has.contains("variant price")
            || has.contains("image src"))) {
      return ShopExport.PRODUCTS;
    }
    if (has.contains("handle")
        && has.contains("location")
        && (has.contains("available") || has.contains("on hand"))) {
      return ShopExport.INVENTORY;
    }
    if (has.contains("name")
        && (has.contains("lineitem name") || has.contains("lineitem quantity"))) {
      return ShopExport.ORDERS;
    }
    return null;
  }

  /** How many columns the header names; every row must have as many fields. */
  int size() {
    return names.length;
  }

  /** The value of {@code field} of {@code group} in a row, or null without such a column. */
  String value(String[] row, Group group, String field) {
    Integer column = columnOf.getOrDefault(group, Map.of()).get(field);
    return column == null ? null : row[column];
  }

  /**
   * A new map holding every name of {@code fields} in order, null unless a column of {@code group}
   * gives it a value: every row's map has the same keys, whatever columns the file has.
   */
  LinkedHashMap<String, String> fill(Group group, List<String> fields, String[] row) {
    LinkedHashMap<String, String> map = new LinkedHashMap<>(fields.size() * 4 / 3 + 1);
    for (String field : fields) {
      map.put(field, null);
    }
    for (int i = 0; i < slots.length; i++) {
      if (slots[i].group() == group) {
        map.put(slots[i].field(), row[i]);
      }
    }
    return map;
  }

  /** The non-null values of the columns no field names, by header name; empty when none. */
  Map<String, String> extra(String[] row) {
    Map<String, String> extra = null;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i].group() == Group.EXTRA && row[i] != null) {
        if (extra == null) {
          extra = new LinkedHashMap<>();
        }
        extra.put(names[i], row[i]);
      }
    }
    return extra == null ? Map.of() : Collections.unmodifiableMap(extra);
  }

  /** The tax pairs of a row with a name, in order of N, as {name, value}; value may be null. */
  List<String[]> taxes(String[] row) {
    List<String[]> taxes = new ArrayList<>();
    for (int[] pair : taxPairs.values()) {
      String name = pair[0] < 0 ? null : row[pair[0]];
      if (name != null) {
        taxes.add(new String[] {name, pair[1] < 0 ? null : row[pair[1]]});
      }
    }
    return taxes;
  }

  private static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** A header name and the field its column feeds. */
  private record Column(String header, String field) {}

  private static Column col(String header, String field) {
    return new Column(header, field);
  }

  /** Header name → slot of the columns of one group, keyed as {@link #key} keys. */
  private static Map<String, Slot> columns(Group group, Column... columns) {
    Map<String, Slot> map = new HashMap<>();
    for (Column column : columns) {
      map.put(key(column.header()), new Slot(group, column.field()));
    }
    return map;
  }

  /** One export's known columns: its groups' columns together. */
  @SafeVarargs
  private static Map<String, Slot> known(Map<String, Slot>... groups) {
    Map<String, Slot> all = new HashMap<>();
    for (Map<String, Slot> group : groups) {
      all.putAll(group);
    }
    return Map.copyOf(all);
  }
}
