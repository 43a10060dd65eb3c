package dev.pgingest.workload.shop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.workload.shop.export.ShopRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Maps one export row to its items' rows: a products row to its variant and image (and, the first
 * row of a handle, to its product), an orders row to its line (and, the first, to its order), an
 * inventory or bundle row to itself; every item carries the upload.
 *
 * <p>The product (order) row is made of the group's first row alone: that row's own columns outside
 * the model ({@code extra}, e.g. the billing address) belong to the order, while a later row's
 * belong to its line; a product row made again from each continuation row would differ in them and
 * overwrite the order's. A row's rows all take the route of its first (the product's, the order's),
 * so a product's variants and images, and an order's lines, meet their parent in one writer.
 */
final class ShopMapper implements RowMapper<ShopRow, TableRow> {
  /** Fields every item carries besides the export's own. */
  static final String UPLOAD = "upload";

  static final String SHOP = "shop";

  /** The columns the model does not name, as one JSON object (null when there are none). */
  static final String EXTRA = "extra";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, RowMapper<FieldRecord, TableRow>> mappers;
  private final Map<String, Boolean> keepsJson;
  private final String upload;
  private final String shop;

  ShopMapper(
      Map<String, RowMapper<FieldRecord, TableRow>> mappers,
      Map<String, Boolean> keepsJson,
      String upload,
      String shop) {
    this.mappers = Map.copyOf(mappers);
    this.keepsJson = Map.copyOf(keepsJson);
    this.upload = upload;
    this.shop = shop;
  }

  @Override
  public void map(ShopRow row, String file, long line, Consumer<TableRow> out) {
    String extra = extra(row.extra());
    List<TableRow> rows = new ArrayList<>();
    switch (row.export()) {
      case PRODUCTS -> {
        if (row.first()) {
          item("product", rows, file, line, extra, row.head());
        }
        if (row.variant() != null) {
          item("variant", rows, file, line, extra, row.head(), row.variant());
        }
        if (row.image() != null) {
          item("image", rows, file, line, extra, row.head(), row.image());
        }
      }
      case ORDERS -> {
        if (row.first()) {
          item("order", rows, file, line, extra, row.head());
        }
        if (row.line() != null) {
          item("line", rows, file, line, extra, row.head(), row.line());
        }
      }
      case INVENTORY -> item("inventory", rows, file, line, extra, row.head());
      case BUNDLES -> {
        String theirs = row.head().get("upload");
        if (theirs != null && !theirs.equals(upload)) {
          throw new IllegalArgumentException(
              "bundle of upload '" + theirs + "' in upload '" + upload + "'");
        }
        item("bundle", rows, file, line, extra, row.head());
      }
    }
    TableRow.sendTogether(rows, out);
  }

  /** Maps one item made of {@code parts} (later parts win) into {@code rows}. */
  @SafeVarargs
  private void item(
      String kind,
      List<TableRow> rows,
      String file,
      long line,
      String extra,
      Map<String, String>... parts) {
    Map<String, String> fields = new HashMap<>();
    for (Map<String, String> p : parts) {
      fields.putAll(p);
    }
    fields.put(UPLOAD, upload);
    fields.put(SHOP, shop);
    fields.put(EXTRA, extra);
    String json = keepsJson.get(kind) ? json(fields) : null;
    mappers.get(kind).map(new FieldRecord(fields, json), file, line, rows::add);
  }

  private static String extra(Map<String, String> extra) {
    return extra == null || extra.isEmpty() ? null : json(extra);
  }

  private static String json(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
