package dev.pgingest.workload.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.workload.shop.export.ShopExportCodec;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The shop export codec recognizing its files by their first bytes ({@code workload/shop/sniff/}).
 */
class ShopSniffTest {

  static byte[] head(String fixture) throws IOException {
    try (InputStream in =
        ShopSniffTest.class.getResourceAsStream("/workload/shop/sniff/" + fixture)) {
      return in.readAllBytes();
    }
  }

  @Test
  void shopExportByItsColumnSetOrBundleObjects() throws IOException {
    assertThat(ShopExportCodec.recognizes(head("orders-export-header.csv"))).isTrue();
    assertThat(ShopExportCodec.recognizes(head("bundles-object-lines.jsonl"))).isTrue();
    assertThat(ShopExportCodec.recognizes(head("csv-of-another-shop-system.csv"))).isFalse();
  }
}
