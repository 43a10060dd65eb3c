package dev.pgingest.workload.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.StepResult;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TableDigest;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One shop upload (products, inventory and orders exports whose names do not say which is which,
 * and bundle recommendations) through {@code jobs/shop-upload.yaml}: the rows of every table, the
 * forward-filled fields, the upload's row and its coverage; a re-run that rewrites nothing; a
 * corrected re-send that updates exactly the changed rows.
 */
class ShopUploadITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  static final Path FIXTURE = Specs.fixture("workload/shop/upload/spring-2024");

  static final List<String> TABLES =
      List.of(
          "products",
          "catalog_snapshot",
          "product_images",
          "inventory_levels",
          "orders",
          "order_lines",
          "bundle_recommendations",
          "csv_uploads");

  static JobSpec spec(String schema, Path upload, Map<String, String> more) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("restart-attempts", "0");
    o.putAll(more);
    return Specs.shipped("shop-upload", List.of(upload), o);
  }

  static RunResult run(JobSpec spec, boolean force) {
    return new IngestRun(spec, TestPostgres.database())
        .force(force)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  static Path copy(Path dir) throws Exception {
    Path upload = dir.resolve("spring-2024");
    FileUtils.copyDirectory(FIXTURE.toFile(), upload.toFile());
    return upload;
  }

  private static List<List<String>> rows(String sql) throws Exception {
    return TestPostgres.rows(sql);
  }

  /** Every table's rows with their xmin (the transaction that last wrote them), for "untouched". */
  static Map<String, List<List<String>>> versions(String s) throws Exception {
    Map<String, List<List<String>>> out = new LinkedHashMap<>();
    for (String t : TABLES) {
      out.put(t, rows("SELECT xmin::text, t::text FROM " + s + "." + t + " t ORDER BY 2"));
    }
    return out;
  }

  @Test
  void anUploadFillsEveryTableWithForwardFilledFieldsAndItsCoverage(@TempDir Path dir)
      throws Exception {
    String s = TestPostgres.freshSchema("shop");
    RunResult r = run(spec(s, copy(dir), Map.of("source.shop", "acme-store")), false);

    assertThat(r.summary())
        .containsEntry("products_inserted", 3L)
        .containsEntry("variants_inserted", 5L)
        .containsEntry("images_inserted", 4L)
        .containsEntry("inventory_inserted", 6L)
        .containsEntry("orders_inserted", 4L)
        .containsEntry("order_lines_inserted", 6L)
        .containsEntry("bundles_inserted", 2L);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".ingest_rejects")).isZero();

    // Products: fields from each handle's first row; the multi-line body kept whole.
    assertThat(
            rows(
                "SELECT handle, title, vendor, product_type, published::text, status, option1_name, option2_name FROM "
                    + s
                    + ".products ORDER BY handle"))
        .containsExactly(
            List.of(
                "classic-tee", "Classic Tee", "Acme", "Shirts", "true", "active", "Color", "Size"),
            Arrays.asList(
                "floor-lamp", "Floor Lamp", "Lumen", "Lamps", "true", "active", null, null),
            Arrays.asList(
                "gift-card", "Gift Card", "Acme", "Gift Cards", "false", "draft", null, null));
    assertThat(
            TestPostgres.rows(
                    "SELECT body_html FROM " + s + ".products WHERE handle = 'classic-tee'")
                .get(0)
                .get(0))
        .isEqualTo(
            "<p>Soft cotton tee.</p>\n<ul><li>100% cotton</li>\n<li>Machine wash, \"cold\"</li></ul>");

    // Variants: continuation rows forward-filled with their product's title and vendor;
    // Default Title is a product without options; the barcode as the spreadsheet left it.
    assertThat(
            rows(
                "SELECT variant_key, title, vendor, position::text, option1_value, option2_value, sku, price::text, barcode, extra->>'Price / France' FROM "
                    + s
                    + ".catalog_snapshot ORDER BY variant_key"))
        .containsExactly(
            List.of(
                "classic-tee/Blue/M",
                "Classic Tee",
                "Acme",
                "3",
                "Blue",
                "M",
                "TEE-BLUE-M",
                "21.99",
                "400000000013",
                "23.90"),
            List.of(
                "classic-tee/Red/L",
                "Classic Tee",
                "Acme",
                "2",
                "Red",
                "L",
                "TEE-RED-L",
                "19.99",
                "400000000012",
                "21.90"),
            List.of(
                "classic-tee/Red/M",
                "Classic Tee",
                "Acme",
                "1",
                "Red",
                "M",
                "TEE-RED-M",
                "19.99",
                "400000000011",
                "21.90"),
            Arrays.asList(
                "floor-lamp",
                "Floor Lamp",
                "Lumen",
                "1",
                null,
                null,
                "LAMP-1",
                "69.99",
                "3.65275E+11",
                "74.90"),
            Arrays.asList(
                "gift-card", "Gift Card", "Acme", "1", null, null, null, "25.00", null, null));

    // Images, not variants: the lamp's second row holds only an image.
    assertThat(
            rows(
                "SELECT handle, position::text, src, alt_text FROM "
                    + s
                    + ".product_images ORDER BY handle, position"))
        .containsExactly(
            List.of("classic-tee", "1", "https://cdn.example/tee-red.jpg", "Red tee"),
            List.of("classic-tee", "2", "https://cdn.example/tee-blue.jpg", "Blue tee"),
            List.of("floor-lamp", "1", "https://cdn.example/lamp-1.jpg", "Lamp front"),
            List.of("floor-lamp", "2", "https://cdn.example/lamp-2.jpg", "Lamp side"));

    // Inventory: variant keys match the catalog's; "not stocked" is no number; "" is no SKU.
    assertThat(
            rows(
                "SELECT variant_key, location, sku, stocked::text, available::text, on_hand::text FROM "
                    + s
                    + ".inventory_levels ORDER BY variant_key, location"))
        .containsExactly(
            Arrays.asList("classic-tee/Red/L", "Main Warehouse", "TEE-RED-L", "true", "4", "4"),
            Arrays.asList("classic-tee/Red/M", "Main Warehouse", "TEE-RED-M", "true", "8", "10"),
            Arrays.asList("classic-tee/Red/M", "Store Berlin", "TEE-RED-M", "false", null, null),
            Arrays.asList("floor-lamp", "Main Warehouse", "LAMP-1", "true", "6", "7"),
            Arrays.asList("floor-lamp", "Store Berlin", "LAMP-1", "true", "3", "3"),
            Arrays.asList("gift-card", "Main Warehouse", null, "true", "0", "0"));

    // Orders: timestamps with their offsets, money as numeric, taxes as a list.
    assertThat(
            rows("SELECT order_name, email, total::text, created_at = '2024-03-01 15:14:02+00', cancelled_at IS NOT NULL, tax_lines::text, shopify_id::text FROM "
                    + s
                    + ".orders ORDER BY order_name")
                .get(0))
        .containsExactly(
            "#1001",
            "ana@example.com",
            "79.36",
            "t",
            "f",
            "[{\"name\": \"VAT 20%\", \"value\": \"12.39\"}]",
            "5551234567890");
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".orders WHERE cancelled_at IS NOT NULL"))
        .isEqualTo(1);
    // The order is made of its first row: the billing address there is the order's, not cleared
    // by its later rows, which have none.
    assertThat(
            rows(
                "SELECT order_name, extra::text FROM "
                    + s
                    + ".orders WHERE order_name IN ('#1001', '#1002') ORDER BY 1"))
        .containsExactly(
            List.of("#1001", "{\"Billing City\": \"Lisbon\", \"Billing Name\": \"Ana Silva\"}"),
            List.of("#1002", "{\"Billing City\": \"Berlin\", \"Billing Name\": \"Ben Okafor\"}"));

    // Order lines carry their order's fields, forward-filled onto the order's later rows.
    assertThat(
            rows(
                "SELECT order_name, line_number::text, email, currency, created_at::text, quantity::text, item_name, sku FROM "
                    + s
                    + ".order_lines WHERE order_name = '#1001' ORDER BY line_number"))
        .extracting(row -> row.subList(0, 4) + " " + row.subList(5, 8))
        .containsExactly(
            "[#1001, 1, ana@example.com, EUR] [2, Classic Tee - Red / M, TEE-RED-M]",
            "[#1001, 2, ana@example.com, EUR] [1, Classic Tee - Blue / M, TEE-BLUE-M]",
            "[#1001, 3, ana@example.com, EUR] [1, Mystery Sticker, STICKER-X]");
    assertThat(
            TestPostgres.scalar(
                "SELECT count(DISTINCT created_at) FROM "
                    + s
                    + ".order_lines WHERE order_name = '#1001'"))
        .isEqualTo(1);

    assertThat(
            rows(
                "SELECT bundle_id, rank::text, variant_keys::text, score::text FROM "
                    + s
                    + ".bundle_recommendations ORDER BY rank"))
        .containsExactly(
            List.of("b-1", "1", "[\"classic-tee/Red/M\", \"floor-lamp\"]", "0.91"),
            List.of("b-2", "2", "[\"classic-tee/Blue/M\", \"gift-card\"]", "0.42"));
    assertThat(
            TestPostgres.scalar("SELECT count(DISTINCT csv_upload_id) FROM " + s + ".order_lines"))
        .isEqualTo(1);

    // The upload's row, once: its shop, its files (which are which was told by their headers).
    assertThat(rows("SELECT id, shop, files::text, run_id::text FROM " + s + ".csv_uploads"))
        .containsExactly(
            List.of(
                "spring-2024",
                "acme-store",
                "[\"export-a.csv\", \"export-b.csv\", \"export-c.csv\", \"recs.jsonl\"]",
                Long.toString(r.runId())));

    // Coverage after the load: 3 of 5 line SKUs in the catalog, 4 of 5 variants with
    // inventory, 2 of 4 orders without a known line (the gift wrapping and the old mug).
    // sql.after (timed, no rows), then the after-load step.
    assertThat(r.steps()).extracting(StepResult::name).containsExactly("sql.after", "coverage");
    StepResult coverage = r.steps().get(1);
    assertThat(coverage.name()).isEqualTo("coverage");
    assertThat(coverage.error()).isNull();
    assertThat(coverage.rows()).hasSize(1);
    Map<String, String> printed = new LinkedHashMap<>();
    for (int i = 0; i < coverage.columns().size(); i++) {
      printed.put(coverage.columns().get(i), coverage.rows().get(0).get(i));
    }
    assertThat(printed)
        .containsEntry("upload", "spring-2024")
        .containsEntry("order_line_sku_share", "0.6000")
        .containsEntry("variant_inventory_share", "0.8000")
        .containsEntry("orders_without_known_line", "2")
        .containsEntry("orders", "4");
    assertThat(
            rows(
                "SELECT order_line_skus::text, order_line_skus_in_catalog::text, catalog_variants::text, variants_with_inventory::text FROM "
                    + s
                    + ".upload_coverage WHERE csv_upload_id = 'spring-2024'"))
        .containsExactly(List.of("5", "3", "5", "4"));
  }

  @Test
  void theSameUploadAgainRewritesNothingAndCoverageOffSkipsTheSummary(@TempDir Path dir)
      throws Exception {
    String s = TestPostgres.freshSchema("shop_again");
    Path upload = copy(dir);
    run(spec(s, upload, Map.of()), false);
    Map<String, List<List<String>>> before = versions(s);

    // Every file read again (--force): no row of any table written anew.
    RunResult again = run(spec(s, upload, Map.of("coverage", "off")), true);
    again.summary().forEach((name, n) -> assertThat(n).as(name).isZero());
    assertThat(versions(s)).isEqualTo(before);
    assertThat(again.steps())
        .filteredOn(st -> st.name().equals("coverage"))
        .singleElement()
        .satisfies(st -> assertThat(st.ran()).isFalse());
    assertThat(rows("SELECT run_id::text FROM " + s + ".upload_coverage"))
        .as("the first run's coverage stays; the second computed none")
        .hasSize(1);
  }

  @Test
  void aCorrectedReSendUpdatesExactlyTheChangedPricesAndLevels(@TempDir Path dir) throws Exception {
    String s = TestPostgres.freshSchema("shop_fix");
    Path upload = copy(dir);
    run(spec(s, upload, Map.of()), false);
    Map<String, List<List<String>>> before = versions(s);

    // Two prices (a continuation row's and a first row's compare-at), three levels.
    Path products = upload.resolve("export-c.csv");
    String p = Files.readString(products);
    p =
        p.replace(
            "TEE-RED-L,210,shopify,4,deny,manual,19.99",
            "TEE-RED-L,210,shopify,4,deny,manual,17.99");
    p = p.replace("69.99,85.00,true,true,3.65275E+11", "69.99,79.00,true,true,3.65275E+11");
    Files.writeString(products, p);
    Path inventory = upload.resolve("export-a.csv");
    String i = Files.readString(inventory);
    i = i.replace("Main Warehouse,0,0,1,6,7", "Main Warehouse,0,0,1,5,6");
    i =
        i.replace(
            "TEE-RED-L,6109,PT,Main Warehouse,0,0,0,4,4",
            "TEE-RED-L,6109,PT,Main Warehouse,0,0,0,2,2");
    i = i.replace("\"\",,,Main Warehouse,0,0,0,0,0", "\"\",,,Main Warehouse,0,0,0,3,3");
    Files.writeString(inventory, i);

    RunResult fix = run(spec(s, upload, Map.of()), false);
    assertThat(fix.summary())
        .containsEntry("variants_updated", 2L)
        .containsEntry("inventory_updated", 3L);
    fix.summary().entrySet().stream()
        .filter(
            e -> !e.getKey().equals("variants_updated") && !e.getKey().equals("inventory_updated"))
        .forEach(e -> assertThat(e.getValue()).as(e.getKey()).isZero());

    Map<String, List<List<String>>> after = versions(s);
    for (String t : TABLES) {
      List<String> changed = new ArrayList<>();
      for (List<String> row : after.get(t)) {
        if (!before.get(t).contains(row)) {
          changed.add(row.get(1));
        }
      }
      switch (t) {
        case "catalog_snapshot" ->
            assertThat(changed)
                .hasSize(2)
                .anyMatch(x -> x.contains("17.99"))
                .anyMatch(x -> x.contains("79.00"));
        case "inventory_levels" -> assertThat(changed).hasSize(3);
        default -> assertThat(changed).as(t + " rows written anew").isEmpty();
      }
    }
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".catalog_snapshot")).isEqualTo(5);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".inventory_levels")).isEqualTo(6);
  }

  @Test
  void theCopyPathAndTheUpsertPathGiveTheSameTables(@TempDir Path dir) throws Exception {
    Path upload = copy(dir);
    String copy = TestPostgres.freshSchema("shop_copy");
    String upsert = TestPostgres.freshSchema("shop_upsert");
    RunResult a = run(spec(copy, upload, Map.of("write-path", "copy")), false);
    RunResult b = run(spec(upsert, upload, Map.of("write-path", "upsert")), false);
    assertThat(a.summary()).isEqualTo(b.summary());
    for (String t : TABLES) {
      Set<String> runColumns = t.equals("csv_uploads") ? Set.of("run_id", "created_at") : Set.of();
      TableDigest.Digest da = TableDigest.of(TestPostgres.database(), copy, t, runColumns);
      TableDigest.Digest db = TableDigest.of(TestPostgres.database(), upsert, t, runColumns);
      assertThat(da.rows()).as(t).isPositive();
      assertThat(da.sameContent(db)).as(t + ": " + da + " vs " + db).isTrue();
    }
  }
}
