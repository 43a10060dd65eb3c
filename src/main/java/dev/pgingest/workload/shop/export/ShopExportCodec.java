package dev.pgingest.workload.shop.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.csv.CsvCodec;
import dev.pgingest.format.csv.CsvRows;
import dev.pgingest.format.jsonl.JsonlCodec;
import dev.pgingest.workload.shop.export.ShopHeader.Group;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one shop export file into {@link ShopRow}s: a Shopify products, inventory or orders CSV
 * export (<a href="https://help.shopify.com/en/manual/products/import-export/using-csv">products
 * CSV</a>, <a href="https://help.shopify.com/en/manual/products/inventory/inventory-csv">inventory
 * CSV</a>, <a
 * href="https://help.shopify.com/en/manual/fulfillment/managing-orders/exporting-orders">orders
 * export</a>), or the recommender's bundle recommendations as JSON Lines.
 *
 * <p>Fields are split by {@link CsvCodec} (Jackson's CSV parser, which takes quoted HTML bodies
 * spanning many lines) and bundle lines parsed by {@link JsonlCodec}; this class wraps them rather
 * than using a library as is because what is left is Shopify's, not CSV's: telling the exports
 * apart by their header, and forward-filling a product's (an order's) fields, which Shopify writes
 * on its first row only, onto the rows that follow it.
 *
 * <p>Choices:
 *
 * <ul>
 *   <li>The first non-blank line tells the export, never the file name: one starting with an
 *       opening brace is a bundles file; else it is a CSV header row, whose names (trimmed, any
 *       case) must hold the columns of one of the three CSV exports, else the whole file is
 *       rejected once, at the header, and yields nothing more. So is a header with an unnamed
 *       column or a name given twice (in any case), as no value could be trusted to its name.
 *   <li>Values are kept as given (no trimming, no number or date parsing: a barcode {@code
 *       3.65275E+11} stays so, the database casts money and timestamps); an empty value, quoted
 *       ({@code ""}) or not, is absent (null). A row with another number of fields than the header
 *       is rejected.
 *   <li>The maps of {@link ShopRow} always hold every name of their {@link ShopFields} list, null
 *       where the file gives nothing, so every row has one shape. Columns no list names go into
 *       {@code extra} under their header name when not empty; the known ones never do, not even the
 *       product (order) fields Shopify leaves empty on continuation rows.
 *   <li>Rows of a product (an order) are the consecutive rows of one Handle (Name). The first one's
 *       product (order) fields are the {@code head} of all of them; what a later row has in those
 *       columns is ignored. Only the current group is kept, so memory stays constant and a restore,
 *       which re-reads the file from its start, rebuilds it by itself; a handle that comes back
 *       after another is a new group.
 *   <li>Products: a row has a variant when it has an Option1 Value, a Variant SKU, a Variant Price
 *       or Variant Grams, and an image when it has an Image Src; a row without a Handle is
 *       rejected. A product whose Option1 Name is {@code Title} and first Option1 Value {@code
 *       Default Title} has no options: both are null and the variant key is the handle; otherwise
 *       the key is the handle and the option values joined with {@code /}. Inventory rows build it
 *       the same way, so the two exports join.
 *   <li>Inventory: {@code not stocked} (any case) in a quantity column is null, and the level is
 *       {@code stocked} {@code "false"} when every quantity it gives says so. A row without a
 *       Handle or a Location is rejected, as a level belongs to a variant at a location.
 *   <li>Orders: the Tax N Name / Tax N Value pairs with a name become {@code tax_lines}, a JSON
 *       array of {@code {"name", "value"}} objects in order of N. A row without a Name is rejected.
 *   <li>Bundles: arrays and objects are kept as JSON text, numbers as written; a line without an
 *       {@code id}, or whose handles, variant ids or scores are not an array (object), is rejected
 *       with the reason.
 * </ul>
 *
 * <p>Each row is numbered by the line its CSV record starts on. An instance reads one file and is
 * not thread-safe, as {@link LineCodec} asks.
 */
public final class ShopExportCodec implements LineCodec<ShopRow> {

  /** Option1 Name of a product without options, whose one variant is {@link #DEFAULT_TITLE}. */
  private static final String TITLE_OPTION = "Title";

  private static final String DEFAULT_TITLE = "Default Title";

  /** What the inventory export writes in every quantity of a variant a location does not stock. */
  private static final String NOT_STOCKED = "not stocked";

  private static final List<String> QUANTITIES =
      List.of("incoming", "unavailable", "committed", "available", "on_hand");

  /** Writes tax lines and compacts bundle lines; thread-safe, so one serves all codecs. */
  private static final JsonFactory JSON = new JsonFactory();

  /** Where reading the file is. */
  private enum Mode {
    /** Before the first non-blank line. */
    START,
    CSV,
    BUNDLES,
    /** The file was rejected as a whole: every later line is ignored. */
    REJECTED
  }

  private Mode mode = Mode.START;

  private boolean firstLine = true;

  private final CsvRows csv = new CsvRows(',');

  private final JsonlCodec jsonl = new JsonlCodec();

  /** The sink of the call under way; the delegates' sinks below write to it. */
  private DecodeSink<ShopRow> out;

  /** The line being decoded, for the rejects of bundle lines. */
  private String currentLine;

  /** The text of the CSV record being decoded, for its rejects. */
  private String rowText;

  /** Null until the header row has been read. */
  private ShopHeader header;

  /** Handle (Name) of the current product (order); null before the first. */
  private String groupKey;

  /** The current group's head, given to each of its rows. */
  private Map<String, String> groupHead;

  /** Whether the current product's Option1 Name is {@value #TITLE_OPTION}, as the file has it. */
  private boolean groupTitleOption;

  private int groupVariants;
  private int groupImages;
  private int groupLines;

  private final CsvRows.Rows csvRows =
      new CsvRows.Rows() {
        @Override
        public void row(List<String> fields, long lineNumber, String raw) {
          rowText = raw;
          ShopExportCodec.this.row(fields, lineNumber);
        }

        @Override
        public void reject(long lineNumber, String reason, String raw) {
          if (header == null) {
            mode = Mode.REJECTED;
            out.reject(lineNumber, "unusable header row: " + reason, raw);
          } else {
            out.reject(lineNumber, reason, raw);
          }
        }
      };

  private final DecodeSink<FieldRecord> bundleLines =
      new DecodeSink<>() {
        @Override
        public void record(FieldRecord value, long lineNumber) {
          bundle(value, lineNumber);
        }

        @Override
        public void reject(long lineNumber, String reason, String raw) {
          out.reject(lineNumber, reason, raw);
        }
      };

  @Override
  public void line(String text, long lineNumber, DecodeSink<ShopRow> out) {
    String line = text;
    if (firstLine) {
      firstLine = false;
      // LineReader drops a byte order mark and CRs; lines split elsewhere may still have them.
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (mode == Mode.REJECTED) {
      return;
    }
    if (mode == Mode.START) {
      if (line.isBlank()) {
        return;
      }
      mode = line.stripLeading().startsWith("{") ? Mode.BUNDLES : Mode.CSV;
    }
    this.out = out;
    try {
      if (mode == Mode.BUNDLES) {
        currentLine = line;
        jsonl.line(line, lineNumber, bundleLines);
      } else {
        csv.line(line, lineNumber, csvRows);
      }
    } finally {
      this.out = null;
      currentLine = null;
    }
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<ShopRow> out) {
    if (mode != Mode.CSV) {
      return;
    }
    this.out = out;
    try {
      csv.end(lastLineNumber, csvRows);
    } finally {
      this.out = null;
    }
  }

  /** A CSV record: the header row first, then one export row each. */
  private void row(List<String> fields, long lineNumber) {
    if (header == null) {
      try {
        header = ShopHeader.read(fields);
      } catch (IllegalArgumentException e) {
        mode = Mode.REJECTED;
        out.reject(lineNumber, e.getMessage(), rowText);
      }
      return;
    }
    if (fields.size() != header.size()) {
      reject(lineNumber, "has " + fields.size() + " fields, the header names " + header.size());
      return;
    }
    String[] row = new String[fields.size()];
    for (int i = 0; i < row.length; i++) {
      String value = fields.get(i);
      row[i] = value.isEmpty() ? null : value;
    }
    switch (header.export) {
      case PRODUCTS -> product(row, lineNumber);
      case INVENTORY -> inventory(row, lineNumber);
      case ORDERS -> order(row, lineNumber);
      case BUNDLES -> throw new IllegalStateException("a bundles file has no header row");
    }
  }

  private void product(String[] row, long lineNumber) {
    String handle = header.value(row, Group.HEAD, "handle");
    if (handle == null) {
      reject(lineNumber, "products row without a Handle");
      return;
    }
    boolean first = !handle.equals(groupKey);
    if (first) {
      Map<String, String> head = header.fill(Group.HEAD, ShopFields.PRODUCT, row);
      first = givesFields(head, "handle");
      groupTitleOption = TITLE_OPTION.equals(head.get("option1_name"));
      if (groupTitleOption
          && DEFAULT_TITLE.equals(header.value(row, Group.VARIANT, "option1_value"))) {
        head.put("option1_name", null);
      }
      startGroup(handle, head);
    }
    Map<String, String> variant = null;
    boolean hasVariant =
        header.value(row, Group.VARIANT, "option1_value") != null
            || header.value(row, Group.VARIANT, "sku") != null
            || header.value(row, Group.VARIANT, "price") != null
            || header.value(row, Group.VARIANT, "grams") != null;
    if (hasVariant) {
      Map<String, String> v = header.fill(Group.VARIANT, ShopFields.VARIANT, row);
      if (groupTitleOption && DEFAULT_TITLE.equals(v.get("option1_value"))) {
        v.put("option1_value", null);
      }
      v.put(
          "variant_key",
          variantKey(
              handle, v.get("option1_value"), v.get("option2_value"), v.get("option3_value")));
      v.put("variant_position", Integer.toString(++groupVariants));
      variant = Collections.unmodifiableMap(v);
    }
    Map<String, String> image = null;
    if (header.value(row, Group.IMAGE, "image_src") != null) {
      Map<String, String> i = header.fill(Group.IMAGE, ShopFields.IMAGE, row);
      groupImages++;
      if (i.get("image_position") == null) {
        i.put("image_position", Integer.toString(groupImages));
      }
      image = Collections.unmodifiableMap(i);
    }
    out.record(
        new ShopRow(ShopExport.PRODUCTS, groupHead, variant, image, null, header.extra(row), first),
        lineNumber);
  }

  /**
   * Whether a group's first row gives its product (order) fields: a handle that comes back after
   * others carries none, and must not make a product that would clear the earlier one's.
   */
  private static boolean givesFields(Map<String, String> head, String key) {
    for (Map.Entry<String, String> e : head.entrySet()) {
      if (!e.getKey().equals(key) && e.getValue() != null) {
        return true;
      }
    }
    return false;
  }

  private void inventory(String[] row, long lineNumber) {
    Map<String, String> head = header.fill(Group.HEAD, ShopFields.INVENTORY, row);
    String handle = head.get("handle");
    if (handle == null) {
      reject(lineNumber, "inventory row without a Handle");
      return;
    }
    if (head.get("location") == null) {
      reject(lineNumber, "inventory row without a Location");
      return;
    }
    if (TITLE_OPTION.equals(head.get("option1_name"))
        && DEFAULT_TITLE.equals(head.get("option1_value"))) {
      head.put("option1_name", null);
      head.put("option1_value", null);
    }
    head.put(
        "variant_key",
        variantKey(
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

  private void order(String[] row, long lineNumber) {
    String name = header.value(row, Group.HEAD, "name");
    if (name == null) {
      reject(lineNumber, "orders row without a Name");
      return;
    }
    boolean first = !name.equals(groupKey);
    if (first) {
      Map<String, String> head = header.fill(Group.HEAD, ShopFields.ORDER, row);
      first = givesFields(head, "name");
      head.put("tax_lines", taxLines(header.taxes(row)));
      startGroup(name, head);
    }
    Map<String, String> line = header.fill(Group.LINE, ShopFields.LINE, row);
    line.put("line_number", Integer.toString(++groupLines));
    out.record(
        new ShopRow(
            ShopExport.ORDERS,
            groupHead,
            null,
            null,
            Collections.unmodifiableMap(line),
            header.extra(row),
            first),
        lineNumber);
  }

  private void startGroup(String key, Map<String, String> head) {
    groupKey = key;
    groupHead = Collections.unmodifiableMap(head);
    groupVariants = 0;
    groupImages = 0;
    groupLines = 0;
  }

  private void reject(long lineNumber, String reason) {
    out.reject(lineNumber, reason, rowText);
  }

  /** {@code handle}, or {@code handle/value1[/value2[/value3]]} of the options given. */
  static String variantKey(String handle, String... optionValues) {
    StringBuilder key = new StringBuilder(handle);
    for (String value : optionValues) {
      if (value != null) {
        key.append('/').append(value);
      }
    }
    return key.toString();
  }

  /** The named tax pairs as a JSON array of {@code {"name", "value"}}, or null when none. */
  private static String taxLines(List<String[]> taxes) {
    if (taxes.isEmpty()) {
      return null;
    }
    StringWriter buffer = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartArray();
      for (String[] tax : taxes) {
        g.writeStartObject();
        g.writeStringField("name", tax[0]);
        g.writeStringField("value", tax[1]);
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      // The generator writes to memory: nothing can fail.
      throw new UncheckedIOException(e);
    }
    return buffer.toString();
  }

  /** One bundle line, already checked by the JSONL codec to be one JSON object. */
  private void bundle(FieldRecord fields, long lineNumber) {
    Map<String, JsonToken> kinds = new HashMap<>();
    String record = compact(fields.json(), kinds);
    JsonToken id = kinds.get("id");
    if (id == null || id == JsonToken.VALUE_NULL || fields.get("id").isEmpty()) {
      out.reject(lineNumber, "bundle without an id", currentLine);
      return;
    }
    if (id != JsonToken.VALUE_STRING
        && id != JsonToken.VALUE_NUMBER_INT
        && id != JsonToken.VALUE_NUMBER_FLOAT) {
      out.reject(
          lineNumber, "id is " + kind(id) + "; a bundle id is a string or a number", currentLine);
      return;
    }
    String handles = either(fields, "handles", "product_handles");
    String variantKeys = either(fields, "variant_ids", "variant_keys");
    String problem = shape(kinds, handles, JsonToken.START_ARRAY, "an array");
    if (problem == null) {
      problem = shape(kinds, variantKeys, JsonToken.START_ARRAY, "an array");
    }
    if (problem == null && fields.get("scores") != null) {
      problem = shape(kinds, "scores", JsonToken.START_OBJECT, "an object");
    }
    if (problem != null) {
      out.reject(lineNumber, problem, currentLine);
      return;
    }
    Map<String, String> head = new LinkedHashMap<>();
    head.put("bundle_id", fields.get("id"));
    head.put("upload", fields.get("upload"));
    head.put("rank", fields.get("rank"));
    head.put("handles", handles == null ? null : fields.get(handles));
    head.put("variant_keys", variantKeys == null ? null : fields.get(variantKeys));
    head.put("score", fields.get("score"));
    head.put("scores", fields.get("scores"));
    head.put("record", record);
    out.record(
        new ShopRow(
            ShopExport.BUNDLES, Collections.unmodifiableMap(head), null, null, null, Map.of(), true),
        lineNumber);
  }

  /** Which of two names for one field the line gives (the first if both), or null if neither. */
  private static String either(FieldRecord fields, String name, String otherName) {
    return fields.get(name) != null ? name : fields.get(otherName) != null ? otherName : null;
  }

  /** Why the value of {@code field} is not of the {@code expected} kind, or null when it is. */
  private static String shape(
      Map<String, JsonToken> kinds, String field, JsonToken expected, String what) {
    if (field == null || kinds.get(field) == expected) {
      return null;
    }
    return field + " is " + kind(kinds.get(field)) + ", not " + what;
  }

  private static String kind(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a JSON object";
      case START_ARRAY -> "a JSON array";
      case VALUE_STRING -> "a JSON string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
      case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
      default -> "JSON null";
    };
  }

  /**
   * The object {@code json} as compact JSON, and the kind of each top-level value into {@code
   * kinds}. Copied token by token so that numbers keep their written form ({@code 1.50} is not
   * {@code 1.5}).
   */
  private static String compact(String json, Map<String, JsonToken> kinds) {
    StringWriter buffer = new StringWriter();
    try (JsonParser p = JSON.createParser(json);
        JsonGenerator g = JSON.createGenerator(buffer)) {
      int depth = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (depth == 1 && t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
          kinds.put(p.currentName(), t);
        }
        switch (t) {
          case START_OBJECT -> {
            g.writeStartObject();
            depth++;
          }
          case START_ARRAY -> {
            g.writeStartArray();
            depth++;
          }
          case END_OBJECT -> {
            g.writeEndObject();
            depth--;
          }
          case END_ARRAY -> {
            g.writeEndArray();
            depth--;
          }
          case FIELD_NAME -> g.writeFieldName(p.currentName());
          case VALUE_STRING -> g.writeString(p.getText());
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
          case VALUE_TRUE, VALUE_FALSE -> g.writeBoolean(t == JsonToken.VALUE_TRUE);
          case VALUE_NULL -> g.writeNull();
          default -> throw new IllegalStateException("unexpected token " + t);
        }
      }
    } catch (IOException e) {
      // The JSONL codec has parsed this very text, and the generator writes to memory.
      throw new UncheckedIOException(e);
    }
    return buffer.toString();
  }
}
