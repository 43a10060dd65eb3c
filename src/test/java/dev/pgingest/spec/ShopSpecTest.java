package dev.pgingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spec keys the shop upload job brings — {@code options.write-path}, {@code sql.start} and the
 * named steps {@code after-load} that {@code --set NAME=off} turns off — on the shipped spec.
 */
class ShopSpecTest {
  private static final Path SHOP = Path.of("jobs", "shop-upload.yaml");

  private static JobSpec parse(String text, Map<String, String> overrides) {
    return JobSpecParser.parse(text, SHOP.toString(), SHOP.toAbsolutePath().getParent(), overrides);
  }

  private static JobSpec shipped(Map<String, String> overrides) throws IOException {
    return parse(Files.readString(SHOP), overrides);
  }

  @Test
  void theShippedSpecDeclaresEightTablesTheUploadRowAndTheCoverageStep() throws IOException {
    JobSpec spec = shipped(Map.of());
    assertThat(spec.tables())
        .extracting(TableSpec::name)
        .containsExactly(
            "products",
            "catalog_snapshot",
            "product_images",
            "inventory_levels",
            "orders",
            "order_lines",
            "bundle_recommendations");
    assertThat(spec.tables()).allSatisfy(t -> assertThat(t.key()).startsWith("csv_upload_id"));
    assertThat(spec.options().writePath()).isEqualTo(Options.WritePath.AUTO);
    assertThat(spec.sql().start())
        .singleElement()
        .asString()
        .contains("csv_uploads")
        .contains("{{upload}}");
    assertThat(spec.sql().afterLoad())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo("coverage");
              assertThat(s.enabled()).isTrue();
              assertThat(s.sql()).singleElement().asString().contains("upload_coverage");
            });
  }

  @Test
  void setNameOffTurnsAStepOffAndOnlyOnOrOffAreValues() throws IOException {
    assertThat(shipped(Map.of("coverage", "off")).sql().afterLoad().get(0).enabled()).isFalse();
    assertThat(shipped(Map.of("coverage", "false")).sql().afterLoad().get(0).enabled()).isFalse();
    assertThat(shipped(Map.of("after-load.coverage.run", "on")).sql().afterLoad().get(0).enabled())
        .isTrue();
    assertThatThrownBy(() -> shipped(Map.of("coverage", "later")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("after-load")
        .hasMessageContaining("'later'; expected on or off");
    assertThatThrownBy(() -> shipped(Map.of("coverag", "off")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'coverag' is not a known option");
  }

  @Test
  void writePathTakesAutoCopyOrUpsert() throws IOException {
    assertThat(shipped(Map.of("write-path", "copy")).options().writePath())
        .isEqualTo(Options.WritePath.COPY);
    assertThat(shipped(Map.of("options.write-path", "upsert")).options().writePath())
        .isEqualTo(Options.WritePath.UPSERT);
    assertThatThrownBy(() -> shipped(Map.of("write-path", "fast")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'fast'; expected one of auto, copy, upsert");
  }

  @Test
  void stepsNeedAUniqueNameAndSql() throws IOException {
    String text = Files.readString(SHOP);
    String twice = text + "  - name: coverage\n    sql: SELECT 1\n";
    assertThatThrownBy(() -> parse(twice, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'coverage' is given twice");
    String noSql = text + "  - name: totals\n";
    assertThatThrownBy(() -> parse(noSql, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("after-load[1].sql");
    String badName = text + "  - name: \"a;b\"\n    sql: SELECT 1\n";
    assertThatThrownBy(() -> parse(badName, Map.of()))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("after-load[1].name");
  }
}
