package dev.pgingest.workload.shop.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.LineReader;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Decoded;
import dev.pgingest.testutil.CodecFeed.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link ShopExportCodec}: one fixture per edge case, read by {@link LineReader}. */
class ShopExportCodecTest {

  private static CodecFeed<ShopRow> feedFile(String name) throws IOException {
    try (InputStream in =
        ShopExportCodecTest.class.getResourceAsStream("/workload/shop/export/" + name)) {
      return CodecFeed.read(new ShopExportCodec(), in, name);
    }
  }

  private static String text(String name) throws IOException {
    try (InputStream in =
        ShopExportCodecTest.class.getResourceAsStream("/workload/shop/export/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<Long> lines(CodecFeed<ShopRow> out) {
    return out.records.stream().map(Decoded::line).toList();
  }

  @Test
  void productFieldsAreForwardFilledOntoVariantAndImageOnlyRows() throws IOException {
    CodecFeed<ShopRow> out = feedFile("products-variants-and-image-only-rows.csv");
    List<ShopRow> rows = out.values();

    assertThat(lines(out)).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 11L);
    assertThat(rows).extracting(ShopRow::export).containsOnly(ShopExport.PRODUCTS);
    // Each handle's first row, and only it, makes the product; the tee coming back at the end
    // without product fields makes none (it would clear the first tee's).
    assertThat(rows)
        .extracting(ShopRow::first)
        .containsExactly(true, false, false, false, false, true, false, true, false);
    Map<String, String> tee = rows.get(0).head();
    assertThat(tee)
        .containsEntry("handle", "tee")
        .containsEntry("title", "Classic Tee")
        .containsEntry("body_html", "<p>Soft cotton</p>")
        .containsEntry("vendor", "Acme")
        .containsEntry("product_category", "Apparel & Accessories > Clothing > Shirts & Tops")
        .containsEntry("tags", "cotton, summer")
        .containsEntry("option1_name", "Color")
        .containsEntry("option2_name", "Size")
        .containsEntry("option3_name", null)
        .containsEntry("seo_description", null)
        .containsEntry("status", "active");
    // Rows 3 to 6 leave the product columns empty (row 4 fills two, which are ignored).
    for (int i = 1; i <= 4; i++) {
      assertThat(rows.get(i).head()).as("row %d", i).isEqualTo(tee);
    }
    assertThat(rows.get(2).head())
        .containsEntry("title", "Classic Tee")
        .containsEntry("vendor", "Acme");

    assertThat(rows.subList(0, 5))
        .extracting(
            r -> r.variant() == null ? null : r.variant().get("variant_key"),
            r -> r.variant() == null ? null : r.variant().get("variant_position"),
            r -> r.image() == null ? null : r.image().get("image_src"),
            r -> r.image() == null ? null : r.image().get("image_position"))
        .containsExactly(
            tuple("tee/Red/M", "1", "https://cdn.example.com/tee-red.jpg", "1"),
            tuple("tee/Red/L", "2", null, null),
            tuple("tee/Blue/M", "3", null, null),
            tuple(null, null, "https://cdn.example.com/tee-blue.jpg", "2"),
            tuple(null, null, "https://cdn.example.com/tee-back.jpg", "5"));
    assertThat(rows.get(3).image()).containsEntry("image_alt", "Blue tee");
    assertThat(rows.get(0).variant())
        .containsEntry("option1_value", "Red")
        .containsEntry("option2_value", "M")
        .containsEntry("option3_value", null)
        .containsEntry("sku", "TEE-RED-M")
        .containsEntry("grams", "200")
        .containsEntry("price", "19.99")
        .containsEntry("compare_at_price", "24.99")
        .containsEntry("cost_per_item", "7.50")
        .containsEntry("tax_code", null);
  }

  @Test
  void valuesStayTextAsGivenAndEmptyOrQuotedEmptyIsNull() throws IOException {
    List<ShopRow> rows = feedFile("products-variants-and-image-only-rows.csv").values();

    assertThat(rows.get(0).variant()).containsEntry("barcode", "3.65275E+11");
    assertThat(rows.get(1).variant())
        .containsEntry("barcode", null)
        .containsEntry("sku", "TEE-RED-L");
    assertThat(rows.get(2).variant())
        .containsEntry("barcode", "0012345678905")
        .containsEntry("sku", null);
  }

  @Test
  void unknownColumnsGoToExtraUnderTheirHeaderNameAndKnownOnesNever() throws IOException {
    List<ShopRow> rows = feedFile("products-variants-and-image-only-rows.csv").values();

    assertThat(rows.get(0).extra())
        .containsExactly(
            Map.entry("Google Shopping / Gender", "Unisex"), Map.entry("Price / France", "21.00"));
    assertThat(rows.get(1).extra()).containsExactly(Map.entry("Price / France", "21.00"));
    // Its Title and Vendor are product columns: ignored on a continuation row, not extra.
    assertThat(rows.get(2).extra()).containsExactly(Map.entry("Price / France", "20.00"));
    assertThat(rows.get(3).extra()).isEmpty();
  }

  @Test
  void defaultTitleIsAProductWithoutOptionsKeyedByItsHandle() throws IOException {
    List<ShopRow> rows = feedFile("products-variants-and-image-only-rows.csv").values();

    ShopRow mug = rows.get(5);
    assertThat(mug.head()).containsEntry("handle", "mug").containsEntry("option1_name", null);
    assertThat(mug.variant())
        .containsEntry("variant_key", "mug")
        .containsEntry("variant_position", "1")
        .containsEntry("option1_value", null)
        .containsEntry("sku", "MUG-1");
    ShopRow mugBack = rows.get(6);
    assertThat(mugBack.head()).isEqualTo(mug.head());
    assertThat(mugBack.variant()).isNull();
    assertThat(mugBack.image())
        .containsEntry("image_src", "https://cdn.example.com/mug-back.jpg")
        .containsEntry("image_position", "2");
  }

  @Test
  void aFirstRowWithoutVariantColumnsHasNoVariant() throws IOException {
    ShopRow poster = feedFile("products-variants-and-image-only-rows.csv").values().get(7);

    assertThat(poster.head()).containsEntry("title", "Poster").containsEntry("status", "draft");
    assertThat(poster.variant()).isNull();
    assertThat(poster.image()).containsEntry("image_position", "1");
  }

  @Test
  void aRowWithoutHandleIsRejectedAndAHandleComingBackStartsANewProduct() throws IOException {
    CodecFeed<ShopRow> out = feedFile("products-variants-and-image-only-rows.csv");

    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                10,
                "products row without a Handle",
                ",Orphan,,,,,,,,Red,,,,,,,,,,,5.00,,,,,,,,,,,,,,,,,"));
    ShopRow again = out.values().get(8);
    assertThat(again.head()).containsEntry("handle", "tee").containsEntry("title", null);
    assertThat(again.variant())
        .containsEntry("variant_key", "tee/Green/S")
        .containsEntry("variant_position", "1");
  }

  @Test
  void aMultiLineHtmlBodyIsOneValueAndLaterRowsKeepTheirLineNumbers() throws IOException {
    CodecFeed<ShopRow> out = feedFile("products-multiline-html-body.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(lines(out)).containsExactly(2L, 7L, 8L);
    String body =
        "<h6>Description</h6>\n<p>Bright, \"warm\" light</p>\n<ul>\n<li>E27, 40 W</li>\n</ul>";
    assertThat(out.values().get(0).head()).containsEntry("body_html", body);
    assertThat(out.values().get(1).head()).containsEntry("body_html", body);
    assertThat(out.values())
        .extracting(r -> r.variant().get("variant_key"), r -> r.head().get("vendor"))
        .containsExactly(
            tuple("lamp/White", "Lumen"), tuple("lamp/Black", "Lumen"), tuple("vase", "Lumen"));
  }

  @Test
  void badRowsAreRejectedWithLineAndReasonAndTheRestLoads() throws IOException {
    CodecFeed<ShopRow> out = feedFile("products-bad-rows.csv");

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason, Rejected::raw)
        .containsExactly(
            tuple(3L, "has 6 fields, the header names 9", "lamp,,,,,Grey"),
            tuple(
                5L,
                "unterminated quoted field: the file ends inside it",
                "vase,Vase,\"<p>An open quote,Lumen,Title,Default Title,VASE,25.00,\n"
                    + "<p>that never closes</p>"));
    assertThat(lines(out)).containsExactly(2L, 4L);
    assertThat(out.values())
        .extracting(r -> r.variant().get("variant_key"), r -> r.variant().get("variant_position"))
        .containsExactly(tuple("lamp/White", "1"), tuple("lamp/Black", "2"));
  }

  @Test
  void inventoryLevelsMapNotStockedToNullAndSayWhetherTheLocationStocksTheVariant()
      throws IOException {
    CodecFeed<ShopRow> out = feedFile("inventory-not-stocked-and-empty-sku.csv");
    List<ShopRow> rows = out.values();

    assertThat(rows).extracting(ShopRow::export).containsOnly(ShopExport.INVENTORY);
    assertThat(rows)
        .extracting(
            r -> r.head().get("variant_key"),
            r -> r.head().get("location"),
            r -> r.head().get("stocked"),
            r -> r.head().get("incoming"),
            r -> r.head().get("committed"),
            r -> r.head().get("available"),
            r -> r.head().get("on_hand"))
        .containsExactly(
            tuple("tee/Red/M", "Main Warehouse", "true", "0", "1", "4", "5"),
            tuple("tee/Red/M", "Pop-up Store", "false", null, null, null, null),
            tuple("tee/Blue/M", "Main Warehouse", "true", "0", "0", "3", "3"),
            tuple("mug", "Main Warehouse", "true", "0", "0", "12", "12"),
            tuple("mug", "Pop-up Store", "true", null, null, null, "2"));
    assertThat(rows.get(0).head())
        .containsEntry("sku", "TEE-RED-M")
        .containsEntry("hs_code", "6109.10")
        .containsEntry("coo", "PT")
        .containsEntry("option1_name", "Color")
        .containsEntry("option2_value", "M");
    assertThat(rows.get(0).extra()).containsExactly(Map.entry("Bin name", "A-3"));
    assertThat(rows.get(2).head()).containsEntry("sku", null);
    assertThat(rows.get(3).head())
        .containsEntry("option1_name", null)
        .containsEntry("option1_value", null);
    assertThat(rows).allSatisfy(r -> assertThat(r.variant()).isNull());
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(7L, "inventory row without a Location"));
  }

  @Test
  void inventoryVariantKeysMatchThoseOfTheProductsExport() throws IOException {
    Set<String> productKeys = new HashSet<>();
    for (ShopRow r : feedFile("products-variants-and-image-only-rows.csv").values()) {
      if (r.variant() != null) {
        productKeys.add(r.variant().get("variant_key"));
      }
    }
    List<String> inventoryKeys =
        feedFile("inventory-not-stocked-and-empty-sku.csv").values().stream()
            .map(r -> r.head().get("variant_key"))
            .toList();

    assertThat(inventoryKeys).containsOnly("tee/Red/M", "tee/Blue/M", "mug");
    assertThat(productKeys).containsAll(inventoryKeys);
  }

  @Test
  void theHeaderTellsTheExportNotTheFileName() throws IOException {
    ShopRow row = feedFile("products.csv").only();

    assertThat(row.export()).isEqualTo(ShopExport.INVENTORY);
    assertThat(row.head()).containsEntry("variant_key", "mug").containsEntry("available", "12");
  }

  @Test
  void headerNamesMatchInAnyOrderAndCaseAfterAByteOrderMarkAndWithCrlf() throws IOException {
    String name = "inventory-bom-crlf-shuffled-lowercase-header.csv";
    CodecFeed<ShopRow> read = feedFile(name);
    // Split without LineReader, lines keep the byte order mark and their CR: the codec drops them.
    CodecFeed<ShopRow> split = CodecFeed.lines(new ShopExportCodec(), text(name).split("\n"));

    assertThat(text(name)).startsWith("\uFEFF").contains("\r\n");
    assertThat(split.values()).isEqualTo(read.values());
    assertThat(read.rejects).isEmpty();
    assertThat(split.rejects).isEmpty();
    assertThat(read.values())
        .extracting(
            r -> r.head().get("handle"),
            r -> r.head().get("title"),
            r -> r.head().get("variant_key"),
            r -> r.head().get("location"),
            r -> r.head().get("sku"),
            r -> r.head().get("available"),
            r -> r.head().get("on_hand"),
            r -> r.head().get("stocked"))
        .containsExactly(
            tuple("tee", "Classic Tee", "tee/Red", "Main Warehouse", "TEE-RED-M", "4", "5", "true"),
            tuple("mug", "Mug", "mug", "Café Rive Gauche", "MUG-1", null, null, "false"));
    assertThat(read.values()).allSatisfy(r -> assertThat(r.extra()).isEmpty());
  }

  @Test
  void orderFieldsAreForwardFilledAndLineItemsNumberedWithinTheOrder() throws IOException {
    CodecFeed<ShopRow> out = feedFile("orders-continuation-rows.csv");
    List<ShopRow> rows = out.values();

    assertThat(lines(out)).containsExactly(2L, 3L, 4L, 5L, 7L);
    assertThat(rows).extracting(ShopRow::export).containsOnly(ShopExport.ORDERS);
    assertThat(rows.get(0).head())
        .containsEntry("name", "#1001")
        .containsEntry("email", "ana@example.com")
        .containsEntry("financial_status", "paid")
        .containsEntry("paid_at", "2024-03-01 10:15:00 -0500")
        .containsEntry("currency", "EUR")
        .containsEntry("total", "54.48")
        .containsEntry("discount_code", "WELCOME")
        .containsEntry("order_id", "5551234567890")
        .containsEntry("cancelled_at", null)
        .containsEntry("tags", "vip, first");
    assertThat(rows.get(1).head()).isEqualTo(rows.get(0).head());
    assertThat(rows.get(3).head()).isEqualTo(rows.get(2).head());
    // Only an order's first row is the order; the others are its line items.
    assertThat(rows).extracting(ShopRow::first).containsExactly(true, false, true, false, true);
    assertThat(rows)
        .extracting(
            r -> r.head().get("name"),
            r -> r.line().get("line_number"),
            r -> r.line().get("quantity"),
            r -> r.line().get("item_name"),
            r -> r.line().get("sku"))
        .containsExactly(
            tuple("#1001", "1", "2", "Classic Tee - Red / M", "TEE-RED-M"),
            tuple("#1001", "2", "1", "Mug", null),
            tuple("#1002", "1", "1", "Poster", "POSTER"),
            tuple("#1002", "2", "3", "Sticker, large", null),
            tuple("#1003", "1", "1", "Gift card", null));
    assertThat(rows.get(0).line())
        .containsEntry("price", "19.99")
        .containsEntry("compare_at_price", null)
        .containsEntry("fulfillment_status", "fulfilled")
        .containsEntry("discount", "0.00");
    assertThat(rows.get(0).extra())
        .containsExactly(Map.entry("Billing Name", "Ana Silva"), Map.entry("Vendor", "Acme"));
    assertThat(rows.get(1).extra()).containsExactly(Map.entry("Vendor", "Acme"));
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(6L, "orders row without a Name"));
  }

  @Test
  void namedTaxPairsBecomeAJsonArrayOfTheOrder() throws IOException {
    List<ShopRow> rows = feedFile("orders-continuation-rows.csv").values();

    assertThat(rows)
        .extracting(r -> r.head().get("tax_lines"))
        .containsExactly(
            "[{\"name\":\"VAT 20%\",\"value\":\"9.08\"}]",
            "[{\"name\":\"VAT 20%\",\"value\":\"9.08\"}]",
            "[{\"name\":\"GST 5%\",\"value\":\"0.50\"},{\"name\":\"PST 7%\",\"value\":\"0.70\"}]",
            // The continuation row's own Tax 1 is not the order's.
            "[{\"name\":\"GST 5%\",\"value\":\"0.50\"},{\"name\":\"PST 7%\",\"value\":\"0.70\"}]",
            // Tax 2 Value without a name.
            null);
    assertThat(rows).allSatisfy(r -> assertThat(r.extra()).doesNotContainKeys("Tax 1 Name"));
  }

  @Test
  void bundleLinesKeepArraysAndObjectsAsJsonAndNumbersAsWritten() throws IOException {
    CodecFeed<ShopRow> out = feedFile("bundles.jsonl");

    assertThat(lines(out)).containsExactly(1L, 3L, 8L);
    assertThat(out.values()).extracting(ShopRow::export).containsOnly(ShopExport.BUNDLES);
    assertThat(out.values())
        .allSatisfy(
            r -> {
              assertThat(r.extra()).isEmpty();
              assertThat(r.variant()).isNull();
              assertThat(r.image()).isNull();
              assertThat(r.line()).isNull();
            });
    assertThat(out.values().get(0).head())
        .containsExactly(
            Map.entry("bundle_id", "17"),
            Map.entry("upload", "2024-03-01"),
            Map.entry("rank", "1"),
            Map.entry("handles", "[\"tee\",\"mug\"]"),
            Map.entry("variant_keys", "[\"tee/Red/M\",\"mug\"]"),
            Map.entry("score", "0.8730"),
            Map.entry("scores", "{\"lift\":2.50,\"support\":1.2e-2}"),
            Map.entry(
                "record",
                "{\"id\":17,\"upload\":\"2024-03-01\",\"rank\":1,\"handles\":[\"tee\",\"mug\"],"
                    + "\"variant_ids\":[\"tee/Red/M\",\"mug\"],\"score\":0.8730,"
                    + "\"scores\":{\"lift\":2.50,\"support\":1.2e-2}}"));
    assertThat(out.values().get(1).head())
        .containsEntry("bundle_id", "b-18")
        .containsEntry("handles", "[\"poster\"]")
        .containsEntry("variant_keys", "[\"poster\"]")
        .containsEntry("score", "1.50")
        .containsEntry("scores", null);
    assertThat(out.values().get(2).head())
        .containsEntry("bundle_id", "21")
        .containsEntry("handles", null)
        .containsEntry("record", "{\"id\":21,\"rank\":3}");
  }

  @Test
  void badBundleLinesAreRejectedWithTheirReason() throws IOException {
    CodecFeed<ShopRow> out = feedFile("bundles.jsonl");

    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::raw)
        .containsExactly(
            tuple(4L, "{\"id\": 19, \"handles\": [\"tee\""),
            tuple(5L, "[\"tee\", \"mug\"]"),
            tuple(6L, "{\"upload\": \"2024-03-01\", \"handles\": [\"tee\"]}"),
            tuple(7L, "{\"id\": 20, \"handles\": \"tee\"}"));
    assertThat(out.rejects.get(0).reason()).startsWith("invalid JSON at column ");
    assertThat(out.rejects.subList(1, 4))
        .extracting(Rejected::reason)
        .containsExactly(
            "line is a JSON array, not an object",
            "bundle without an id",
            "handles is a JSON string, not an array");
  }

  @Test
  void aFileOfNoShopExportIsRejectedOnceAtItsHeader() throws IOException {
    CodecFeed<ShopRow> out = feedFile("not-a-shop-export.csv");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                1,
                "not a shop export: the header row has none of the column sets of a products export"
                    + " (Handle, Variant SKU or Variant Price or Image Src), an inventory export"
                    + " (Handle, Location, Available or On hand) or an orders export"
                    + " (Name, Lineitem name or Lineitem quantity)",
                "Date,Amount,Description"));
  }

  @Test
  void aHeaderNamingAColumnTwiceInAnyCaseRejectsTheFile() {
    CodecFeed<ShopRow> out =
        CodecFeed.text(
            new ShopExportCodec(), "Handle,Variant SKU,handle\ntee,TEE-1,tee\nmug,MUG-1,mug\n");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(1L, "unusable header row: 'handle' names columns 1 and 3"));
  }

  @Test
  void blankLinesBeforeTheFirstLineAndAnEmptyFileOrHeaderYieldNothingAmiss() {
    CodecFeed<ShopRow> late =
        CodecFeed.text(new ShopExportCodec(), "\n  \nHandle,Variant Price\n\ntee,5.00\n");
    assertThat(late.rejects).isEmpty();
    assertThat(lines(late)).containsExactly(5L);
    assertThat(late.values().get(0).variant()).containsEntry("variant_key", "tee");

    CodecFeed<ShopRow> bundles = CodecFeed.text(new ShopExportCodec(), "\n {\"id\":1}\n");
    assertThat(bundles.only().head()).containsEntry("bundle_id", "1");

    for (String text : List.of("", "\n\n", "Handle,Variant SKU\n")) {
      CodecFeed<ShopRow> out = CodecFeed.text(new ShopExportCodec(), text);
      assertThat(out.records).as(text).isEmpty();
      assertThat(out.rejects).as(text).isEmpty();
    }
  }

  @Test
  void everyMapHoldsEveryFieldNameOfItsList() throws IOException {
    ShopRow product = feedFile("products-variants-and-image-only-rows.csv").values().get(0);
    assertThat(product.head().keySet()).containsExactlyElementsOf(ShopFields.PRODUCT);
    assertThat(product.variant().keySet()).containsExactlyElementsOf(ShopFields.VARIANT);
    assertThat(product.image().keySet()).containsExactlyElementsOf(ShopFields.IMAGE);
    assertThat(product.line()).isNull();
    // Its 38 columns hold 34 values (Option3 Name and Value, SEO Description and Tax Code are
    // empty): each lands in exactly one map, besides the two computed variant fields.
    long values =
        Stream.of(product.head(), product.variant(), product.image(), product.extra())
            .flatMap(m -> m.values().stream())
            .filter(Objects::nonNull)
            .count();
    assertThat(values).isEqualTo(34 + 2);

    ShopRow level = feedFile("inventory-not-stocked-and-empty-sku.csv").values().get(0);
    assertThat(level.head().keySet()).containsExactlyElementsOf(ShopFields.INVENTORY);

    ShopRow order = feedFile("orders-continuation-rows.csv").values().get(0);
    assertThat(order.head().keySet()).containsExactlyElementsOf(ShopFields.ORDER);
    assertThat(order.line().keySet()).containsExactlyElementsOf(ShopFields.LINE);
    assertThat(order.variant()).isNull();
    assertThat(order.image()).isNull();

    ShopRow bundle = feedFile("bundles.jsonl").values().get(0);
    assertThat(bundle.head().keySet()).containsExactlyElementsOf(ShopFields.BUNDLE);
  }
}
