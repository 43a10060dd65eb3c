package dev.pgingest.workload.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.pgingest.workload.shop.ShopExports.CsvFile;
import dev.pgingest.workload.shop.ShopExports.Options;
import dev.pgingest.workload.shop.ShopExports.Sizes;
import dev.pgingest.workload.shop.ShopExports.Stats;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shop export generator, read back with a stock CSV parser (Jackson) rather than its own
 * writer's assumptions: headers, row shapes, the counts it reports, agreement between the exports,
 * and the same bytes for the same seed.
 */
class ShopExportsTest {

  private static final Sizes SMALL = new Sizes(50, 300, 3);
  private static final long SEED = 7;

  private static final Pattern SKU = Pattern.compile("SKU-\\d{6}-\\d");
  private static final Pattern MONEY = Pattern.compile("\\d+\\.\\d\\d");
  private static final Pattern STAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");

  @TempDir Path dir;

  /** A CSV as a stock parser reads it: the header, then rows of named values. */
  private record Table(List<String> header, List<Map<String, String>> rows) {}

  private static Table read(Path file) throws IOException {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<String> header = null;
    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<List<String>> it =
        mapper.readerForListOf(String.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        List<String> cells = it.next();
        if (header == null) {
          header = cells;
          continue;
        }
        assertThat(cells).as("row %d of %s", rows.size() + 1, file).hasSameSizeAs(header);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(header.get(i), cells.get(i));
        }
        rows.add(row);
      }
    }
    return new Table(header, rows);
  }

  private static List<JsonNode> readJsonl(Path file) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(mapper.readTree(line));
    }
    return out;
  }

  /** Rows grouped by a key column, groups in file order; a key seen again later fails. */
  private static Map<String, List<Map<String, String>>> groups(Table t, String column) {
    Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
    String last = null;
    for (Map<String, String> row : t.rows()) {
      String key = row.get(column);
      if (!key.equals(last)) {
        assertThat(out).as("%s %s split in two", column, key).doesNotContainKey(key);
        out.put(key, new ArrayList<>());
        last = key;
      }
      out.get(key).add(row);
    }
    return out;
  }

  /** The loader's variant_key for a products or inventory row, option names given. */
  private static String variantKey(String handle, Map<String, String> row) {
    if (row.get("Option1 Value").equals("Default Title")) {
      return handle;
    }
    StringBuilder sb = new StringBuilder(handle);
    for (int k = 1; k <= 3; k++) {
      String v = row.get("Option" + k + " Value");
      if (!v.isEmpty()) {
        sb.append('/').append(v);
      }
    }
    return sb.toString();
  }

  private static long newlines(Path file) throws IOException {
    long n = 0;
    for (byte b : Files.readAllBytes(file)) {
      if (b == '\n') {
        n++;
      }
    }
    return n;
  }

  private static long cents(String money) {
    return new BigDecimal(money).movePointRight(2).longValueExact();
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void filesParseWithTheirHeadersAndHoldTheReportedCounts() throws IOException {
    Stats s = ShopExports.write(dir, SMALL, SEED);

    assertThat(
            Set.of(
                s.productsFile().path().getFileName().toString(),
                s.inventoryFile().path().getFileName().toString(),
                s.ordersFile().path().getFileName().toString()))
        .containsExactlyInAnyOrder("export-1.csv", "export-2.csv", "export-3.csv");
    Table products = read(s.productsFile().path());
    Table inventory = read(s.inventoryFile().path());
    Table orders = read(s.ordersFile().path());
    assertThat(products.header()).isEqualTo(ShopExports.PRODUCTS_HEADER);
    assertThat(inventory.header()).isEqualTo(ShopExports.INVENTORY_HEADER);
    assertThat(orders.header()).isEqualTo(ShopExports.ORDERS_HEADER);

    assertThat(s.products()).isEqualTo(50);
    assertThat(groups(products, "Handle")).hasSize(50);
    assertThat(products.rows()).hasSize((int) s.productRows());
    assertThat(s.productsFile().rows()).isEqualTo(s.productRows());
    long variantRows =
        products.rows().stream().filter(r -> !r.get("Option1 Value").isEmpty()).count();
    long imageRows = products.rows().stream().filter(r -> !r.get("Image Src").isEmpty()).count();
    assertThat(variantRows).isEqualTo(s.variants());
    assertThat(products.rows().size() - variantRows).isEqualTo(s.imageOnlyRows());
    assertThat(imageRows).isEqualTo(s.images());

    assertThat(inventory.rows()).hasSize((int) s.inventoryRows());
    assertThat(s.inventoryFile().rows()).isEqualTo(s.inventoryRows());
    assertThat(orders.rows()).hasSize((int) s.orderLines());
    assertThat(groups(orders, "Name")).hasSize((int) s.orders());

    for (CsvFile f : List.of(s.productsFile(), s.inventoryFile(), s.ordersFile())) {
      assertThat(f.physicalLines()).as("%s lines", f.path()).isEqualTo(newlines(f.path()));
      assertThat(f.bytes()).isEqualTo(Files.size(f.path()));
    }
    // The products export must hold multi-line bodies, or the line count proves nothing.
    assertThat(s.productsFile().physicalLines()).isGreaterThan(s.productRows() + 1);
    assertThat(s.quirks().multiLineBodies()).isPositive();

    assertThat(readJsonl(s.bundlesFile())).hasSize((int) s.bundles());
    assertThat(s.bundles()).isEqualTo(5);
  }

  @Test
  void productsSpanTheirVariantsAndImagesWithProductFieldsOnTheFirstRowOnly() throws IOException {
    Stats s = ShopExports.write(dir, SMALL, SEED);
    Table products = read(s.productsFile().path());

    List<String> productOnly =
        List.of(
            "Title",
            "Body (HTML)",
            "Vendor",
            "Product Category",
            "Type",
            "Tags",
            "Published",
            "Option1 Name",
            "Option2 Name",
            "Option3 Name",
            "Gift Card",
            "SEO Title",
            "SEO Description",
            "Status");
    Set<String> skus = new HashSet<>();
    for (Map.Entry<String, List<Map<String, String>>> e : groups(products, "Handle").entrySet()) {
      String handle = e.getKey();
      List<Map<String, String>> rows = e.getValue();
      Map<String, String> first = rows.get(0);
      assertThat(first.get("Title")).as(handle).isNotEmpty();
      assertThat(first.get("Published")).isIn("true", "false");
      assertThat(first.get("Status")).isIn("active", "draft");
      for (Map<String, String> row : rows.subList(1, rows.size())) {
        for (String col : productOnly) {
          assertThat(row.get(col)).as("%s continuation %s", handle, col).isEmpty();
        }
      }

      int variants = 0;
      int images = 0;
      Set<String> combos = new HashSet<>();
      for (int i = 0; i < rows.size(); i++) {
        Map<String, String> row = rows.get(i);
        boolean variant = !row.get("Option1 Value").isEmpty();
        if (variant) {
          assertThat(variants).as("%s: a variant after an image-only row", handle).isEqualTo(i);
          variants++;
          assertThat(combos.add(variantKey(handle, row)))
              .as("%s distinct options", handle)
              .isTrue();
          String sku = row.get("Variant SKU");
          if (!sku.isEmpty()) {
            assertThat(sku).matches(SKU);
            assertThat(skus.add(sku)).as("unique SKU %s", sku).isTrue();
          }
          assertThat(row.get("Variant Price")).matches(MONEY);
          assertThat(row.get("Variant Barcode")).matches("\\d{12}|\\d(\\.\\d+)?E\\+1[01]");
        } else {
          for (String col : ShopExports.VARIANT_COLUMNS) {
            assertThat(row.get(col)).as("%s image-only row %s", handle, col).isEmpty();
          }
          assertThat(row.get("Image Src")).as("%s image-only row", handle).isNotEmpty();
        }
        if (!row.get("Image Src").isEmpty()) {
          assertThat(images).as("%s: images from the first row on", handle).isEqualTo(i);
          images++;
          assertThat(row.get("Image Position")).isEqualTo(Integer.toString(images));
        }
      }
      assertThat(variants).as(handle).isBetween(1, 6);
      assertThat(images).as(handle).isBetween(1, 4);
      assertThat(rows).as(handle).hasSize(Math.max(variants, images));
      if (variants == 1) {
        assertThat(first.get("Option1 Name")).isEqualTo("Title");
        assertThat(first.get("Option1 Value")).isEqualTo("Default Title");
      } else {
        assertThat(first.get("Option1 Name")).isIn("Size", "Color", "Material");
      }
    }
  }

  @Test
  void inventoryHasARowPerVariantAndLocationAgreeingWithTheProducts() throws IOException {
    Stats s = ShopExports.write(dir, SMALL, SEED);
    Table products = read(s.productsFile().path());
    Table inventory = read(s.inventoryFile().path());

    // Variant key → its products row, option names forward-filled from the handle's first row.
    Map<String, Map<String, String>> variants = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, String>>> e : groups(products, "Handle").entrySet()) {
      Map<String, String> first = e.getValue().get(0);
      for (Map<String, String> row : e.getValue()) {
        if (!row.get("Option1 Value").isEmpty()) {
          Map<String, String> v = new HashMap<>(row);
          v.put("Title", first.get("Title"));
          for (int k = 1; k <= 3; k++) {
            v.put("Option" + k + " Name", first.get("Option" + k + " Name"));
          }
          variants.put(variantKey(e.getKey(), row), v);
        }
      }
    }
    assertThat(inventory.rows()).hasSize(variants.size() * SMALL.locations());

    Map<String, Set<String>> locations = new HashMap<>();
    for (Map<String, String> row : inventory.rows()) {
      String key = variantKey(row.get("Handle"), row);
      Map<String, String> v = variants.get(key);
      assertThat(v).as("inventory row for unknown variant %s", key).isNotNull();
      assertThat(row.get("Title")).isEqualTo(v.get("Title"));
      for (int k = 1; k <= 3; k++) {
        assertThat(row.get("Option" + k + " Name")).isEqualTo(v.get("Option" + k + " Name"));
        assertThat(row.get("Option" + k + " Value")).isEqualTo(v.get("Option" + k + " Value"));
      }
      assertThat(row.get("SKU")).isEqualTo(v.get("Variant SKU"));
      locations.computeIfAbsent(key, x -> new TreeSet<>()).add(row.get("Location"));
      String onHand = row.get("On hand");
      if (onHand.equals("not stocked")) {
        for (String col : List.of("Incoming", "Unavailable", "Committed", "Available")) {
          assertThat(row.get(col)).isEqualTo("not stocked");
        }
      } else {
        assertThat(Long.parseLong(onHand))
            .isEqualTo(
                Long.parseLong(row.get("Available"))
                    + Long.parseLong(row.get("Committed"))
                    + Long.parseLong(row.get("Unavailable")));
      }
    }
    assertThat(locations.keySet()).isEqualTo(variants.keySet());
    assertThat(locations.values())
        .allSatisfy(
            l ->
                assertThat(l)
                    .containsExactlyInAnyOrder("Main Warehouse", "Store Berlin", "Store Paris"));
  }

  @Test
  void ordersSumToTheRequestedLinesWithOrderFieldsOnTheFirstRowOnly() throws IOException {
    Stats s = ShopExports.write(dir, SMALL, SEED);
    Table products = read(s.productsFile().path());
    Table orders = read(s.ordersFile().path());
    Set<String> catalogSkus = new HashSet<>();
    products.rows().forEach(r -> catalogSkus.add(r.get("Variant SKU")));
    catalogSkus.remove("");

    int lines = 0;
    int number = 1001;
    long unknown = 0;
    long empty = 0;
    for (Map.Entry<String, List<Map<String, String>>> e : groups(orders, "Name").entrySet()) {
      assertThat(e.getKey()).isEqualTo("#" + number++);
      List<Map<String, String>> rows = e.getValue();
      assertThat(rows.size()).as(e.getKey()).isBetween(1, 5);
      lines += rows.size();
      Map<String, String> first = rows.get(0);
      assertThat(first.get("Email")).as(e.getKey()).contains("@");
      assertThat(first.get("Created at")).matches(STAMP);
      for (Map<String, String> row : rows.subList(1, rows.size())) {
        for (String col : ShopExports.ORDERS_HEADER) {
          if (!ShopExports.LINE_COLUMNS.contains(col)) {
            assertThat(row.get(col)).as("%s continuation %s", e.getKey(), col).isEmpty();
          }
        }
      }
      long subtotal = 0;
      for (Map<String, String> row : rows) {
        subtotal += cents(row.get("Lineitem price")) * Long.parseLong(row.get("Lineitem quantity"));
        String sku = row.get("Lineitem sku");
        if (sku.isEmpty()) {
          empty++;
        } else if (!catalogSkus.contains(sku)) {
          unknown++;
        }
      }
      assertThat(cents(first.get("Subtotal"))).as(e.getKey()).isEqualTo(subtotal);
      assertThat(cents(first.get("Total")))
          .as(e.getKey())
          .isEqualTo(subtotal + cents(first.get("Shipping")) + cents(first.get("Taxes")));
      String t2 = first.get("Tax 2 Value");
      assertThat(cents(first.get("Taxes")))
          .isEqualTo(
              (first.get("Tax 1 Value").isEmpty() ? 0 : cents(first.get("Tax 1 Value")))
                  + (t2.isEmpty() ? 0 : cents(t2)));
      if (!first.get("Cancelled at").isEmpty()) {
        assertThat(first.get("Cancelled at")).matches(STAMP);
      }
    }
    assertThat(lines).isEqualTo(SMALL.orderLines());
    assertThat(unknown).isEqualTo(s.quirks().unknownSkuLines());
    assertThat(empty).isEqualTo(s.quirks().emptySkuLines());
  }

  @Test
  void bundlesNameVariantsOfTheCatalog() throws IOException {
    Path upload = dir.resolve("shop-42");
    Stats s = ShopExports.write(upload, SMALL, SEED);
    Table products = read(s.productsFile().path());
    Set<String> keys = new HashSet<>();
    groups(products, "Handle")
        .forEach(
            (h, rows) ->
                rows.stream()
                    .filter(r -> !r.get("Option1 Value").isEmpty())
                    .forEach(r -> keys.add(variantKey(h, r))));

    List<JsonNode> bundles = readJsonl(s.bundlesFile());
    assertThat(bundles).hasSize(5);
    for (int i = 0; i < bundles.size(); i++) {
      JsonNode b = bundles.get(i);
      assertThat(b.get("id").asText()).isEqualTo(String.format("b-%06d", i + 1));
      assertThat(b.get("upload").asText()).isEqualTo("shop-42");
      assertThat(b.get("rank").asInt()).isPositive();
      assertThat(b.get("score").isNumber()).isTrue();
      assertThat(b.get("scores").get("lift").isNumber()).isTrue();
      assertThat(b.get("scores").get("support").isNumber()).isTrue();
      JsonNode handles = b.get("handles");
      JsonNode ids = b.get("variant_ids");
      assertThat(handles.size()).isBetween(2, 3).isEqualTo(ids.size());
      for (int k = 0; k < ids.size(); k++) {
        String id = ids.get(k).asText();
        assertThat(keys).as("variant id %s", id).contains(id);
        String handle = handles.get(k).asText();
        assertThat(id.equals(handle) || id.startsWith(handle + "/")).as(id).isTrue();
      }
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
    // The same folder name in both, since the bundles carry it.
    Stats a = ShopExports.write(dir.resolve("a/up"), SMALL, SEED);
    Stats b = ShopExports.write(dir.resolve("b/up"), SMALL, SEED);
    Stats c = ShopExports.write(dir.resolve("c/up"), SMALL, SEED + 1);

    for (String name :
        List.of("export-1.csv", "export-2.csv", "export-3.csv", "recommendations.jsonl")) {
      assertThat(Files.readAllBytes(dir.resolve("b/up").resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(dir.resolve("a/up").resolve(name)));
    }
    assertThat(Files.readAllBytes(c.productsFile().path()))
        .isNotEqualTo(Files.readAllBytes(a.productsFile().path()));
    assertThat(b.describe()).isEqualTo(a.describe());
  }

  @Test
  void crlfAndBomAreOptInAndChangeNothingElse() throws IOException {
    Stats plain =
        ShopExports.write(dir.resolve("plain"), SMALL, SEED, new Options("u", false, false));
    Stats excel =
        ShopExports.write(dir.resolve("excel"), SMALL, SEED, new Options("u", true, true));

    byte[] raw = Files.readAllBytes(plain.ordersFile().path());
    assertThat(new String(raw, 0, 4, StandardCharsets.UTF_8)).isEqualTo("Name");
    assertThat(new String(raw, StandardCharsets.UTF_8)).doesNotContain("\r");

    for (CsvFile f : List.of(excel.productsFile(), excel.inventoryFile(), excel.ordersFile())) {
      byte[] b = Files.readAllBytes(f.path());
      assertThat(b[0] & 0xff).isEqualTo(0xEF);
      assertThat(b[1] & 0xff).isEqualTo(0xBB);
      assertThat(b[2] & 0xff).isEqualTo(0xBF);
      assertThat(new String(b, StandardCharsets.UTF_8)).endsWith("\r\n");
    }
    assertThat(read(excel.productsFile().path())).isEqualTo(read(plain.productsFile().path()));
    assertThat(read(excel.inventoryFile().path())).isEqualTo(read(plain.inventoryFile().path()));
    assertThat(read(excel.ordersFile().path())).isEqualTo(read(plain.ordersFile().path()));
    assertThat(excel.productsFile().physicalLines())
        .isEqualTo(plain.productsFile().physicalLines());
    assertThat(Files.readAllBytes(excel.bundlesFile()))
        .isEqualTo(Files.readAllBytes(plain.bundlesFile()));
  }

  @Test
  void rareCasesComeAtAboutTheirRates() throws IOException {
    Sizes sizes = new Sizes(2_000, 20_000, 2);
    Stats s = ShopExports.write(dir, sizes, SEED);
    Table products = read(s.productsFile().path());
    Table inventory = read(s.inventoryFile().path());
    Table orders = read(s.ordersFile().path());

    long multiLine =
        products.rows().stream().filter(r -> r.get("Body (HTML)").contains("\n")).count();
    long emptySku =
        products.rows().stream()
            .filter(r -> !r.get("Option1 Value").isEmpty() && r.get("Variant SKU").isEmpty())
            .count();
    long mangled =
        products.rows().stream().filter(r -> r.get("Variant Barcode").contains("E+")).count();
    long notStocked =
        inventory.rows().stream().filter(r -> r.get("On hand").equals("not stocked")).count();
    long cancelled = orders.rows().stream().filter(r -> !r.get("Cancelled at").isEmpty()).count();

    assertThat(multiLine).isEqualTo(s.quirks().multiLineBodies()).isBetween(500L, 800L);
    assertThat(emptySku)
        .isEqualTo(s.quirks().emptySkus())
        .isBetween(s.variants() / 300, s.variants() / 50);
    assertThat(mangled)
        .isEqualTo(s.quirks().mangledBarcodes())
        .isBetween(s.variants() / 100, s.variants() / 25);
    assertThat(notStocked)
        .isEqualTo(s.quirks().notStocked())
        .isBetween(s.inventoryRows() / 60, s.inventoryRows() / 20);
    assertThat(cancelled)
        .isEqualTo(s.quirks().cancelledOrders())
        .isBetween(s.orders() / 300, s.orders() / 40);
    assertThat(s.quirks().unknownSkuLines()).isBetween(20_000L / 100, 20_000L / 25);
    assertThat(s.quirks().emptySkuLines()).isBetween(20_000L / 300, 20_000L / 50);

    // As the brief's readers will grep for them: a quoted tag list, doubled quotes, an empty
    // quoted SKU in the inventory export.
    String productsText = Files.readString(s.productsFile().path());
    assertThat(productsText)
        .containsPattern(",\"[A-Z][a-z]+( [A-Z][a-z]+)?, [^\"]+\",(true|false),");
    assertThat(productsText).contains("\"\"");
    assertThat(Files.readString(s.inventoryFile().path())).contains(",\"\",");
  }
}
