package dev.pgingest.workload.shop.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Decoded;
import dev.pgingest.testutil.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ShopExportCodec} on a real Shopify products export of the conformance corpus ({@code
 * shop/packt_products_export.csv}, see its README), checked against what reading the file shows;
 * skipped when the file is absent.
 */
class PacktExportTest {

  private static final String NAME = "packt_products_export.csv";

  private Path file;
  private CodecFeed<ShopRow> out;

  @BeforeEach
  void decode() throws IOException {
    file = Corpus.file("shop", NAME);
    try (InputStream in = Files.newInputStream(file)) {
      out = CodecFeed.read(new ShopExportCodec(), in, NAME);
    }
  }

  @Test
  void twentyOneRecordsOnTwentySevenLinesLoadWithoutRejects() throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      assertThat(lines.count()).isEqualTo(27);
    }
    assertThat(out.rejects).isEmpty();
    assertThat(out.records).hasSize(21);
    assertThat(out.values()).extracting(ShopRow::export).containsOnly(ShopExport.PRODUCTS);
    // black-armchairs' body spans lines 3 to 8, so the rows after it start one line later each.
    assertThat(out.records.subList(0, 4))
        .extracting(Decoded::line, d -> d.record().head().get("handle"))
        .containsExactly(
            tuple(2L, "floor-lamp"),
            tuple(3L, "black-armchairs"),
            tuple(9L, "round-table"),
            tuple(10L, "wooden-cabinet"));
    assertThat(out.records.get(20).line()).isEqualTo(27);
  }

  @Test
  void twentyHandlesEveryRowAVariantWithAnImageAndNoImageOnlyRow() {
    List<ShopRow> rows = out.values();
    Set<String> handles = new LinkedHashSet<>();
    rows.forEach(r -> handles.add(r.head().get("handle")));

    assertThat(handles).hasSize(20);
    assertThat(rows).filteredOn(r -> r.variant() != null).hasSize(21);
    assertThat(rows).filteredOn(r -> r.variant() == null && r.image() != null).isEmpty();
    assertThat(rows).allSatisfy(r -> assertThat(r.image()).isNotNull());
    // Every column with a value in this file is one the model names.
    assertThat(rows).allSatisfy(r -> assertThat(r.extra()).isEmpty());
  }

  @Test
  void gardeningGlovesHasTheOneContinuationRowAndItsTitleIsForwardFilled() {
    List<ShopRow> gloves =
        out.values().stream()
            .filter(r -> r.head().get("handle").equals("gardening-gloves"))
            .toList();
    List<ShopRow> others =
        out.values().stream()
            .filter(r -> !r.head().get("handle").equals("gardening-gloves"))
            .toList();

    assertThat(others).hasSize(19);
    assertThat(gloves).hasSize(2);
    // The file leaves Title, Vendor, Tags and Option1 Name empty on the second row.
    assertThat(gloves.get(1).head()).isEqualTo(gloves.get(0).head());
    assertThat(gloves.get(1).head())
        .containsEntry("title", "Gardening Gloves")
        .containsEntry("vendor", "Company 123")
        .containsEntry("option1_name", "Color")
        .containsEntry("status", "active");
    assertThat(gloves)
        .extracting(
            r -> r.variant().get("variant_key"),
            r -> r.variant().get("variant_position"),
            r -> r.variant().get("price"),
            r -> r.image().get("image_position"))
        .containsExactly(
            tuple("gardening-gloves/Green", "1", "9.99", "1"),
            tuple("gardening-gloves/Yellow", "2", "15.99", "2"));
  }

  @Test
  void defaultTitleProductsAreKeyedByHandleAndQuotedEmptyValuesAreNull() {
    ShopRow armchairs = out.values().get(1);

    assertThat(armchairs.head())
        .containsEntry("option1_name", null)
        .containsEntry("tags", "Black, Suede");
    assertThat(armchairs.head().get("body_html"))
        .startsWith("<h6><span>Description</span></h6>\n<p><span>Lorem ipsum")
        .endsWith("In id mattis tellus.</span></p>");
    // The file writes SKU and barcode as "".
    assertThat(armchairs.variant())
        .containsEntry("variant_key", "black-armchairs")
        .containsEntry("option1_value", null)
        .containsEntry("sku", null)
        .containsEntry("barcode", null)
        .containsEntry("grams", "0.0")
        .containsEntry("price", "69.99")
        .containsEntry("weight_unit", "kg");
    assertThat(out.values())
        .filteredOn(r -> r.variant().get("variant_key").equals(r.head().get("handle")))
        .hasSize(19);
  }
}
