import dev.pgingest.workload.shop.ShopExports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * jobs/shop-upload.yaml: one merchant upload (Shopify's products, inventory and orders exports and
 * the bundle JSONL) into eight tables. The COPY baseline loads the rows pgingest wrote (exported
 * untimed) into twins with its keys, indexes and foreign keys.
 */
final class ShopWorkload implements Workload {

  private static final long SEED = 1;
  private static final int LOCATIONS = 3;
  private static final String UPLOADS_TABLE = "csv_uploads";

  private final int products;
  private final int orderLines;
  private Path upload;
  private final Map<String, Long> expected = new LinkedHashMap<>();
  private final List<String> tables = new ArrayList<>();

  ShopWorkload(int products, int orderLines) {
    this.products = products;
    this.orderLines = orderLines;
  }

  @Override
  public String name() {
    return "shop";
  }

  @Override
  public String size() {
    return String.format(Locale.ROOT, "%,d products, %,d order lines", products, orderLines);
  }

  @Override
  public void prepare(Harness h) throws Exception {
    String name =
        String.format(Locale.ROOT, "shop-p%d-l%d-loc%d-s%d", products, orderLines, LOCATIONS, SEED);
    upload = h.work().resolve(name);
    String what =
        Generated.ensure(
            upload,
            "products=" + products + " order-lines=" + orderLines + " locations=" + LOCATIONS
                + " seed=" + SEED + " " + Generated.digest(ShopExports.class),
            () -> {
              // The folder's name is the upload's: the bundles carry it.
              ShopExports.Stats s =
                  ShopExports.write(
                      upload,
                      new ShopExports.Sizes(products, orderLines, LOCATIONS),
                      SEED,
                      new ShopExports.Options(name, false, false));
              return "products=" + s.products() + " catalog_snapshot=" + s.variants()
                  + " product_images=" + s.images() + " inventory_levels=" + s.inventoryRows()
                  + " orders=" + s.orders() + " order_lines=" + s.orderLines()
                  + " bundle_recommendations=" + s.bundles() + " " + UPLOADS_TABLE + "=1";
            });
    for (String kv : what.split(" ")) {
      String[] p = kv.split("=");
      expected.put(p[0], Long.parseLong(p[1]));
    }
    h.support().execute("DROP SCHEMA IF EXISTS " + copySchema() + " CASCADE");
  }

  @Override
  public Invocation invocation(Harness h) {
    return new Invocation(
        h.jobSpec("shop-upload.yaml"),
        upload,
        "2g",
        List.of("--set", "source.upload=" + upload.getFileName()));
  }

  /** pgingest's rows exported untimed, COPYed at once into bare twins, keys and FKs after. */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    tables.addAll(expected.keySet());
    return h.support().copyOwnRows(h.work(), schema(), copySchema(), tables);
  }

  /** Every table holds what the generator wrote, and the same rows as its COPY twin. */
  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    boolean ok = true;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      long got = b.queryLong("SELECT count(*) FROM " + schema() + "." + e.getKey());
      ok &= got == e.getValue();
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %,d%s",
              e.getKey(),
              got,
              got == e.getValue() ? "" : " (want " + e.getValue() + ")"));
    }
    BenchSupport.OUT.println(
        "  rows: " + String.join(", ", parts) + (ok ? "  OK (as generated)" : "  MISMATCH"));
    for (String t : tables) {
      ok &= b.compare(schema(), copySchema(), t, b.keyColumns(schema(), t), b.writableColumns(schema(), t));
    }
    return ok;
  }
}
