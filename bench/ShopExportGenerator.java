import dev.pgingest.testutil.ShopExports;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Command line over the tests' {@link ShopExports}: writes one upload folder of Shopify exports
 * (products, inventory, orders) and bundle recommendations.
 *
 * <pre>
 * javac -d target/bench-classes src/test/java/dev/pgingest/testutil/ShopExports.java \
 *     bench/ShopExportGenerator.java
 * java -cp target/bench-classes ShopExportGenerator --out bench/work/shop-1
 * </pre>
 */
public final class ShopExportGenerator {

  private ShopExportGenerator() {}

  public static void main(String[] args) throws IOException {
    ShopExports.Sizes d = ShopExports.Sizes.DEFAULT;
    int products = d.products();
    int orderLines = d.orderLines();
    int locations = d.locations();
    long seed = ShopExports.DEFAULT_SEED;
    String upload = null;
    boolean crlf = false;
    boolean bom = false;
    Path out = null;
    ShopExports.Sizes sizes;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--out" -> out = Path.of(value(args, ++i));
          case "--products" -> products = Integer.parseInt(value(args, ++i));
          case "--order-lines" -> orderLines = Integer.parseInt(value(args, ++i));
          case "--locations" -> locations = Integer.parseInt(value(args, ++i));
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--upload" -> upload = value(args, ++i);
          case "--crlf" -> crlf = true;
          case "--bom" -> bom = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out is required");
      }
      sizes = new ShopExports.Sizes(products, orderLines, locations);
    } catch (RuntimeException e) {
      System.err.println("ShopExportGenerator: " + e.getMessage());
      System.err.println(
          "Usage: ShopExportGenerator --out DIR [--products 10000] [--order-lines 100000]\n"
              + "    [--locations 3] [--seed 1] [--upload NAME] [--crlf] [--bom]\n"
              + "  writes export-1.csv .. export-3.csv (products, inventory and orders exports,\n"
              + "  in a seeded order: the loader tells them by header) and recommendations.jsonl\n"
              + "  into DIR; --upload names the upload in the bundles (default: DIR's name);\n"
              + "  --crlf ends CSV records with CRLF, --bom starts each CSV with a UTF-8 BOM");
      System.exit(2);
      return;
    }
    long t0 = System.nanoTime();
    ShopExports.Stats s =
        ShopExports.write(out, sizes, seed, new ShopExports.Options(upload, crlf, bom));
    System.out.printf(
        Locale.ROOT, "wrote %s: %s in %.1f s%n", out, s.describe(), (System.nanoTime() - t0) / 1e9);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
