package dev.pgingest.workload.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Corpus;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Shopify products export of the conformance corpus ({@code ../shared/data/shop}) as an
 * upload of its own: 21 rows of 20 handles, multi-line HTML bodies, one continuation row.
 */
class ShopCorpusITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  @Test
  void theRealProductsExportLoadsEveryProductVariantAndImage(@TempDir Path dir) throws Exception {
    Path export = Corpus.file("shop", "packt_products_export.csv");
    Path upload = Files.createDirectories(dir.resolve("packt"));
    Files.copy(export, upload.resolve("products.csv"));
    String s = TestPostgres.freshSchema("shop_packt");

    RunResult r = ShopUploadITCase.run(ShopUploadITCase.spec(s, upload, Map.of()), false);

    assertThat(r.summary())
        .containsEntry("products_inserted", 20L)
        .containsEntry("variants_inserted", 21L)
        .containsEntry("images_inserted", 21L)
        .containsEntry("orders_inserted", 0L);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + s + ".ingest_rejects")).isZero();
    // The one continuation row: gloves in two colours, the second row forward-filled.
    assertThat(
            TestPostgres.rows(
                "SELECT variant_key, title, vendor, position::text FROM "
                    + s
                    + ".catalog_snapshot WHERE handle = 'gardening-gloves' ORDER BY position"))
        .extracting(row -> row.get(0) + " | " + row.get(3))
        .containsExactly("gardening-gloves/Green | 1", "gardening-gloves/Yellow | 2");
    assertThat(
            TestPostgres.scalar(
                "SELECT count(DISTINCT (title, vendor)) FROM "
                    + s
                    + ".catalog_snapshot WHERE handle = 'gardening-gloves' AND title IS NOT NULL"))
        .isEqualTo(1);
    assertThat(
            TestPostgres.rows(
                "SELECT length(body_html) > 1000, body_html LIKE '%<h6><span>Instructions</span></h6>%' FROM "
                    + s
                    + ".products WHERE handle = 'black-armchairs'"))
        .containsExactly(List.of("t", "t"));
    assertThat(
            TestPostgres.scalar(
                "SELECT count(*) FROM " + s + ".catalog_snapshot WHERE option1_value IS NULL"))
        .as("Default Title products: no options")
        .isEqualTo(19);
    assertThat(TestPostgres.rows("SELECT id, files::text FROM " + s + ".csv_uploads"))
        .containsExactly(List.of("packt", "[\"products.csv\"]"));
  }
}
