package dev.pgingest.workload.shop;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded Shopify shop exports for tests and the shop bench: one upload folder holding a products
 * export, an inventory export, an orders export (each a CSV named {@code export-N.csv}, the kind
 * told only by its header row) and the recommender's {@code recommendations.jsonl}.
 *
 * <p>The headers and row shapes follow Shopify's exports (help.shopify.com, "Using CSV files to
 * import and export products", "Exporting inventory", "Exporting orders"): a product spans
 * max(variants, images) rows, product fields on its first row only, option names on the first row,
 * option values on each variant row, rows beyond the variants image-only; a single-variant product
 * has {@code Option1 Name=Title, Option1 Value=Default Title}; an order spans one row per line
 * item, order fields on its first row only. What a real shop's exports also hold and the loader
 * must survive: multi-line HTML bodies with commas and doubled quotes, quoted tag lists, titles and
 * option values with quotes, about 1% empty SKUs, about 2% spreadsheet-mangled barcodes ({@code
 * 3.65275E+11}), about 3% inventory rows {@code not stocked}, orders naming unknown (about 2%) or
 * no (about 1%) SKUs, about 1% cancelled orders, non-ASCII names.
 *
 * <p>Every product is a pure function of (seed, index), so the inventory, orders and bundles
 * writers recompute the products they name instead of holding the catalog: memory stays constant
 * whatever the size. The generator is its own SplitMix64, not {@link Random} or {@link
 * SplittableRandom}, and uses no floating-point function that may differ by platform, so the same
 * arguments give the same bytes on any JDK. Plain Java (no Flink, no test libraries), since the
 * bench compiles it alone.
 */
public final class ShopExports {

  public static final long DEFAULT_SEED = 1;

  public static final String BUNDLES_FILE = "recommendations.jsonl";

  public static final List<String> PRODUCTS_HEADER =
      columns(
          "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,"
              + "Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,"
              + "Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,"
              + "Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,"
              + "Variant Price,Variant Compare At Price,Variant Requires Shipping,"
              + "Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,"
              + "Gift Card,SEO Title,SEO Description,Variant Image,Variant Weight Unit,"
              + "Variant Tax Code,Cost per item,Price / France,Compare At Price / France,Status");

  public static final List<String> INVENTORY_HEADER =
      columns(
          "Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
              + "Option3 Name,Option3 Value,SKU,HS Code,COO,Location,Incoming,Unavailable,"
              + "Committed,Available,On hand");

  public static final List<String> ORDERS_HEADER =
      columns(
          "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,"
              + "Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
              + "Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
              + "Lineitem price,Lineitem compare at price,Lineitem sku,"
              + "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
              + "Billing Name,Billing City,Billing Country,Shipping Name,Shipping City,"
              + "Shipping Country,Notes,Cancelled at,Payment Method,Refunded Amount,Vendor,Id,"
              + "Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,"
              + "Tax 2 Value");

  /** Products export columns a variant row carries (the rest are product or image fields). */
  static final List<String> VARIANT_COLUMNS =
      columns(
          "Option1 Value,Option2 Value,Option3 Value,Variant SKU,Variant Grams,"
              + "Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,"
              + "Variant Fulfillment Service,Variant Price,Variant Compare At Price,"
              + "Variant Requires Shipping,Variant Taxable,Variant Barcode,Variant Image,"
              + "Variant Weight Unit,Variant Tax Code,Cost per item,Price / France,"
              + "Compare At Price / France");

  /** Orders export columns every row of an order carries: the rest are on its first row only. */
  static final List<String> LINE_COLUMNS =
      columns(
          "Name,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
              + "Lineitem sku,Lineitem requires shipping,Lineitem taxable,"
              + "Lineitem fulfillment status,Lineitem discount");

  /** A header row as the export writes it, split at its commas (no name holds one). */
  private static List<String> columns(String header) {
    return List.of(header.split(","));
  }

  /** The first locations' names; further ones are {@code Location N}. */
  static final List<String> LOCATIONS =
      List.of(
          "Main Warehouse",
          "Store Berlin",
          "Store Paris",
          "Store Madrid",
          "Store Vienna",
          "Pop-up Kraków");

  /** The upload's size: products in the catalog, order lines in all, inventory locations. */
  public record Sizes(int products, int orderLines, int locations) {
    public static final Sizes DEFAULT = new Sizes(10_000, 100_000, 3);

    public Sizes {
      // SKUs and bundle ids are six digits wide; one more digit would still parse, but sort oddly.
      if (products < 1 || products > 999_999 || orderLines < 0 || locations < 1 || locations > 99) {
        throw new IllegalArgumentException(
            "products must be 1..999999, order lines >= 0, locations 1..99; got "
                + products
                + ", "
                + orderLines
                + ", "
                + locations);
      }
    }
  }

  /**
   * How the files are written, beyond their content.
   *
   * @param upload the upload name the bundles carry; null for the folder's name
   * @param crlf end CSV records with CRLF, as spreadsheet tools save them; newlines inside quoted
   *     values stay {@code \n}, as the shop stored them
   * @param bom start each CSV with a UTF-8 byte order mark, as Excel saves "CSV UTF-8"
   */
  public record Options(String upload, boolean crlf, boolean bom) {
    public static final Options PLAIN = new Options(null, false, false);
  }

  /**
   * One CSV as written.
   *
   * @param rows data rows, header not counted
   * @param physicalLines newline characters in the file: the header, every row's end and the
   *     newlines inside quoted values (what {@code wc -l} says)
   */
  public record CsvFile(Path path, long rows, long physicalLines, long bytes) {}

  /**
   * The rarer cases an upload holds, counted as written.
   *
   * @param multiLineBodies products whose Body (HTML) spans lines
   * @param emptySkus catalog variants without a SKU
   * @param mangledBarcodes catalog variants whose barcode a spreadsheet turned into {@code 1.2E+11}
   * @param notStocked inventory rows {@code not stocked} at their location
   * @param unknownSkuLines order lines naming a SKU the catalog does not hold
   * @param emptySkuLines order lines without a SKU
   * @param cancelledOrders orders with {@code Cancelled at} set
   */
  public record Quirks(
      long multiLineBodies,
      long emptySkus,
      long mangledBarcodes,
      long notStocked,
      long unknownSkuLines,
      long emptySkuLines,
      long cancelledOrders) {}

  /**
   * What {@link #write} wrote.
   *
   * @param variants catalog variants: the products export's rows that have a variant
   * @param imageOnlyRows products export rows beyond a product's variants, holding only an image
   */
  public record Stats(
      Path dir,
      String upload,
      CsvFile productsFile,
      CsvFile inventoryFile,
      CsvFile ordersFile,
      Path bundlesFile,
      long products,
      long variants,
      long images,
      long imageOnlyRows,
      long inventoryRows,
      long orders,
      long orderLines,
      long bundles,
      Quirks quirks) {

    /** Products export rows: a row per variant, and one per image beyond the variants. */
    public long productRows() {
      return variants + imageOnlyRows;
    }

    public String describe() {
      return String.format(
          Locale.ROOT,
          "upload %s: %,d products, %,d variants, %,d images (%,d image-only rows) in %s"
              + " (%,d rows, %,d lines); %,d inventory rows in %s (%,d not stocked); %,d orders,"
              + " %,d order lines in %s (%,d lines; %,d cancelled, %,d unknown and %,d empty"
              + " SKUs); %,d bundles in %s; %,d multi-line bodies, %,d empty SKUs, %,d mangled"
              + " barcodes",
          upload,
          products,
          variants,
          images,
          imageOnlyRows,
          productsFile.path().getFileName(),
          productsFile.rows(),
          productsFile.physicalLines(),
          inventoryRows,
          inventoryFile.path().getFileName(),
          quirks.notStocked(),
          orders,
          orderLines,
          ordersFile.path().getFileName(),
          ordersFile.physicalLines(),
          quirks.cancelledOrders(),
          quirks.unknownSkuLines(),
          quirks.emptySkuLines(),
          bundles,
          bundlesFile.getFileName(),
          quirks.multiLineBodies(),
          quirks.emptySkus(),
          quirks.mangledBarcodes());
    }
  }

  // ------------------------------------------------------------------------------------ model

  /**
   * One catalog product, a pure function of (seed, index).
   *
   * @param optionNames empty for a single-variant product (written as Title / Default Title)
   * @param images 1..4
   * @param hsCode customs tariff code of the inventory export, or empty
   * @param coo country of origin of the inventory export, or empty
   */
  record Product(
      int index,
      String handle,
      String title,
      String vendor,
      String category,
      String type,
      String tags,
      boolean published,
      String status,
      List<String> optionNames,
      List<Variant> variants,
      int images,
      boolean francePrices,
      boolean variantImages,
      String weightUnit,
      String hsCode,
      String coo) {

    String optionName(int i) {
      if (optionNames.isEmpty()) {
        return i == 0 ? "Title" : "";
      }
      return i < optionNames.size() ? optionNames.get(i) : "";
    }

    String optionValue(Variant v, int i) {
      if (v.values().isEmpty()) {
        return i == 0 ? "Default Title" : "";
      }
      return i < v.values().size() ? v.values().get(i) : "";
    }

    /** The loader's variant_key: the handle, then each option value, {@code /}-separated. */
    String variantKey(Variant v) {
      return v.values().isEmpty() ? handle : handle + "/" + String.join("/", v.values());
    }

    /** An order line's name for the variant, as Shopify writes it. */
    String itemName(Variant v) {
      return v.values().isEmpty() ? title : title + " - " + String.join(" / ", v.values());
    }

    String imageSrc(int k) {
      // A stable version stamp per image, as Shopify's CDN URLs carry one.
      return "https://cdn.shopify.com/s/files/1/0612/3456/7890/files/"
          + handle
          + "-"
          + (k + 1)
          + ".jpg?v="
          + (1_700_000_000L + index * 37L + k);
    }
  }

  /**
   * One variant; money in cents, -1 where the column is empty.
   *
   * @param values option values, in option order; empty for Default Title
   * @param sku {@code SKU-<product>-<variant>}, or empty
   */
  record Variant(
      int index,
      List<String> values,
      String sku,
      int grams,
      String tracker,
      String policy,
      long priceCents,
      long compareAtCents,
      boolean requiresShipping,
      boolean taxable,
      String barcode,
      boolean mangledBarcode,
      long costCents) {}

  /** A kind of product: its type, taxonomy path, names and the options its variants differ by. */
  private record Kind(
      String type,
      String category,
      String[] nouns,
      String[] tags,
      int minCents,
      int maxCents,
      int minGrams,
      int maxGrams,
      String[] optionNames,
      String[][] optionValues) {}

  private static final String[] COLORS = {
    "Black", "White", "Sand", "Navy", "Forest Green", "Rust", "Grey", "Ochre"
  };

  private static final Kind[] KINDS = {
    new Kind(
        "Lamp",
        "Home & Garden > Lighting > Lamps",
        new String[] {"Table Lamp", "Floor Lamp", "Desk Lamp", "Pendant Light", "Wall Sconce"},
        new String[] {"Lamp", "Lighting", "Living Room"},
        3900,
        34900,
        800,
        6500,
        new String[] {"Color", "Material", "Size"},
        new String[][] {
          COLORS, {"Brass", "Oak", "Walnut", "Ceramic", "Linen"}, {"Small", "Medium", "Large"}
        }),
    new Kind(
        "T-Shirt",
        "Apparel & Accessories > Clothing > Shirts & Tops",
        new String[] {"Tee", "T-Shirt", "Long Sleeve Tee", "Pocket Tee"},
        new String[] {"Apparel", "Cotton", "Unisex"},
        1900,
        4900,
        150,
        300,
        new String[] {"Size", "Color", "Material"},
        new String[][] {
          {"XS", "S", "M", "L", "XL", "XXL"}, COLORS, {"Cotton", "Organic Cotton", "Linen Blend"}
        }),
    new Kind(
        "Mug",
        "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs",
        new String[] {"Mug", "Travel Mug", "Espresso Cup", "Latte Bowl"},
        new String[] {"Kitchen", "Ceramic", "Gift"},
        1200,
        3900,
        250,
        600,
        new String[] {"Color", "Size"},
        new String[][] {COLORS, {"8 oz", "12 oz", "16 oz"}}),
    new Kind(
        "Candle",
        "Home & Garden > Decor > Home Fragrances > Candles",
        new String[] {"Candle", "Pillar Candle", "Tealight Set", "Travel Tin"},
        new String[] {"Candle", "Scented", "Gift"},
        900,
        4500,
        100,
        900,
        new String[] {"Size", "Color"},
        new String[][] {{"Small", "Medium", "Large", "XL"}, {"Ivory", "Smoke", "Sage", "Amber"}}),
    new Kind(
        // Shopify's taxonomy name holds commas itself, so the column is quoted.
        "Print",
        "Home & Garden > Decor > Artwork > Posters, Prints, & Visual Artwork",
        new String[] {"Art Print", "Poster", "Canvas", "Framed Print"},
        new String[] {"Art", "Wall Decor"},
        1500,
        12900,
        50,
        2500,
        new String[] {"Size", "Material"},
        new String[][] {
          {"A4", "A3", "30 x 40 cm", "50 x 70 cm", "8\" x 10\"", "11\" x 14\""},
          {"Matte Paper", "Fine Art Paper", "Canvas"}
        }),
    new Kind(
        "Bag",
        "Apparel & Accessories > Handbags, Wallets & Cases > Handbags",
        new String[] {"Tote", "Backpack", "Weekender", "Crossbody Bag"},
        new String[] {"Bag", "Travel", "Accessories"},
        2900,
        18900,
        300,
        1800,
        new String[] {"Color", "Material", "Size"},
        new String[][] {
          COLORS, {"Canvas", "Leather", "Waxed Cotton"}, {"Small", "Medium", "Large"}
        }),
    new Kind(
        "Chair",
        "Furniture > Chairs",
        new String[] {"Chair", "Stool", "Bench", "Lounge Chair"},
        new String[] {"Furniture", "Seating"},
        8900,
        69900,
        3000,
        18000,
        new String[] {"Material", "Color"},
        new String[][] {{"Oak", "Walnut", "Ash", "Steel"}, COLORS}),
  };

  private static final String[] ADJECTIVES = {
    "Nordic", "Classic", "Hand-thrown", "Minimal", "Vintage", "Everyday", "Woven", "Coastal",
    "Alpine", "Studio", "Heritage", "Soft", "Rustic", "Modern", "Little", "Grand"
  };

  private static final String[] LINES = {
    "Aurora", "Fjord", "Linnea", "Oslo", "Marlow", "Juniper", "Sienna", "Tove", "Côte", "Birch",
    "Harbor", "Meadow"
  };

  private static final String[] VENDORS = {
    "Nordic Nest",
    "Atelier Lumière",
    "Oak & Ember",
    "Hearth, Home & Co.",
    "Studio Kaffe",
    "Wild Fern Goods",
    "Maison Ocre"
  };

  private static final String[] EXTRA_TAGS = {
    "new", "sale", "bestseller", "gift", "limited", "eco"
  };

  private static final String[] COUNTRIES = {"CN", "DE", "PT", "US", "VN", "IN", "IT"};

  private static final String[] HS_CODES = {
    "940520", "610910", "691200", "340600", "491199", "420222", "940161"
  };

  // ------------------------------------------------------------------------- random streams

  /** Independent streams per purpose, so changing one writer does not shift another's values. */
  private static final long PRODUCT = 1;

  private static final long BODY = 2;
  private static final long STOCK = 3;
  private static final long ORDERS = 4;
  private static final long CUSTOMER = 5;
  private static final long BUNDLES = 6;
  private static final long FILES = 7;

  private ShopExports() {}

  // --------------------------------------------------------------------------------- writing

  /** Writes one upload into {@code dir} (created if missing) with {@link Options#PLAIN}. */
  public static Stats write(Path dir, Sizes sizes, long seed) throws IOException {
    return write(dir, sizes, seed, Options.PLAIN);
  }

  /**
   * Writes one upload into {@code dir} (created if missing); existing files of the same name are
   * replaced.
   */
  public static Stats write(Path dir, Sizes sizes, long seed, Options options) throws IOException {
    Files.createDirectories(dir);
    String upload = options.upload();
    if (upload == null) {
      Path name = dir.toAbsolutePath().normalize().getFileName();
      upload = name == null ? "upload" : name.toString();
    }
    // Which export lands in which export-N.csv is seeded too, so nothing may rely on the order.
    int[] slot = {1, 2, 3};
    Rng files = new Rng(mix(seed, FILES, 0));
    for (int i = slot.length - 1; i > 0; i--) {
      int j = files.nextInt(i + 1);
      int t = slot[i];
      slot[i] = slot[j];
      slot[j] = t;
    }
    Path products = dir.resolve("export-" + slot[0] + ".csv");
    Path inventory = dir.resolve("export-" + slot[1] + ".csv");
    Path orders = dir.resolve("export-" + slot[2] + ".csv");
    Path bundles = dir.resolve(BUNDLES_FILE);

    Counts c = new Counts();
    CsvFile p = writeProducts(products, sizes, seed, options, c);
    CsvFile inv = writeInventory(inventory, sizes, seed, options, c);
    CsvFile o = writeOrders(orders, sizes, seed, options, c);
    long b = writeBundles(bundles, sizes, seed, upload);
    return new Stats(
        dir,
        upload,
        p,
        inv,
        o,
        bundles,
        sizes.products(),
        c.variants,
        c.images,
        c.imageOnlyRows,
        inv.rows(),
        c.orders,
        o.rows(),
        b,
        new Quirks(
            c.multiLineBodies,
            c.emptySkus,
            c.mangledBarcodes,
            c.notStocked,
            c.unknownSkuLines,
            c.emptySkuLines,
            c.cancelledOrders));
  }

  /** Tallies the writers keep while they stream. */
  private static final class Counts {
    long variants;
    long images;
    long imageOnlyRows;
    long multiLineBodies;
    long emptySkus;
    long mangledBarcodes;
    long notStocked;
    long orders;
    long unknownSkuLines;
    long emptySkuLines;
    long cancelledOrders;
  }

  private static CsvFile writeProducts(Path file, Sizes sizes, long seed, Options o, Counts c)
      throws IOException {
    try (Csv csv = new Csv(file, PRODUCTS_HEADER, o)) {
      Row row = csv.row();
      for (int i = 0; i < sizes.products(); i++) {
        Product p = product(seed, i);
        String body = body(seed, p);
        if (body.indexOf('\n') >= 0) {
          c.multiLineBodies++;
        }
        int rows = Math.max(p.variants().size(), p.images());
        for (int r = 0; r < rows; r++) {
          row.set("Handle", p.handle());
          if (r == 0) {
            row.set("Title", p.title());
            row.set("Body (HTML)", body);
            row.set("Vendor", p.vendor());
            row.set("Product Category", p.category());
            row.set("Type", p.type());
            row.set("Tags", p.tags());
            row.set("Published", Boolean.toString(p.published()));
            for (int k = 0; k < 3; k++) {
              row.set("Option" + (k + 1) + " Name", p.optionName(k));
            }
            row.set("Gift Card", "false");
            boolean seo = (p.index() % 10) < 3;
            row.set("SEO Title", seo ? p.title() + " | " + p.vendor() : "");
            row.set("SEO Description", seo ? "Shop the " + p.title() + ", made to last." : "");
            row.set("Status", p.status());
          }
          if (r < p.variants().size()) {
            Variant v = p.variants().get(r);
            int[][] levels = levels(seed, p, v, sizes.locations());
            setVariant(row, p, v, levels);
            c.variants++;
            if (v.sku().isEmpty()) {
              c.emptySkus++;
            }
            if (v.mangledBarcode()) {
              c.mangledBarcodes++;
            }
          } else {
            c.imageOnlyRows++;
          }
          if (r < p.images()) {
            row.set("Image Src", p.imageSrc(r));
            row.set("Image Position", Integer.toString(r + 1));
            row.set("Image Alt Text", imageAlt(p, r));
            c.images++;
          }
          row.write();
        }
      }
      return csv.close(file);
    }
  }

  private static void setVariant(Row row, Product p, Variant v, int[][] levels) {
    for (int k = 0; k < 3; k++) {
      row.set("Option" + (k + 1) + " Value", p.optionValue(v, k));
    }
    row.set("Variant SKU", v.sku());
    row.set("Variant Grams", Integer.toString(v.grams()));
    row.set("Variant Inventory Tracker", v.tracker());
    // The sum of what is available where it is stocked, as Shopify reports the variant's quantity.
    long qty = 0;
    for (int[] l : levels) {
      if (l != null) {
        qty += l[AVAILABLE];
      }
    }
    row.set("Variant Inventory Qty", Long.toString(qty));
    row.set("Variant Inventory Policy", v.policy());
    row.set("Variant Fulfillment Service", "manual");
    row.set("Variant Price", money(v.priceCents()));
    row.set("Variant Compare At Price", money(v.compareAtCents()));
    row.set("Variant Requires Shipping", Boolean.toString(v.requiresShipping()));
    row.set("Variant Taxable", Boolean.toString(v.taxable()));
    row.set("Variant Barcode", v.barcode());
    row.set("Variant Image", p.variantImages() ? p.imageSrc(v.index() % p.images()) : "");
    row.set("Variant Weight Unit", p.weightUnit());
    row.set("Variant Tax Code", "");
    row.set("Cost per item", money(v.costCents()));
    if (p.francePrices()) {
      row.set("Price / France", money(euro(v.priceCents())));
      row.set("Compare At Price / France", money(euro(v.compareAtCents())));
    }
  }

  private static String imageAlt(Product p, int k) {
    return switch ((p.index() + k) % 4) {
      case 0 -> p.title();
      case 1 -> k == 0 ? "" : p.title() + " – detail " + (k + 1);
      default -> "";
    };
  }

  /** Indices into a location's levels; null levels mean {@code not stocked}. */
  private static final int INCOMING = 0;

  private static final int UNAVAILABLE = 1;
  private static final int COMMITTED = 2;
  private static final int AVAILABLE = 3;

  /**
   * Stock of one variant per location, shared by the products export (its quantity) and the
   * inventory export (its rows) so the two agree.
   */
  private static int[][] levels(long seed, Product p, Variant v, int locations) {
    Rng r = new Rng(mix(seed, STOCK, p.index() * 8L + v.index()));
    int[][] out = new int[locations][];
    for (int l = 0; l < locations; l++) {
      if (r.chance(0.03)) {
        continue;
      }
      int[] x = new int[4];
      x[INCOMING] = r.chance(0.15) ? 10 * r.between(1, 5) : 0;
      x[UNAVAILABLE] = r.chance(0.1) ? r.between(1, 3) : 0;
      x[COMMITTED] = r.chance(0.4) ? r.between(1, 6) : 0;
      // Selling past zero is allowed with policy "continue": available goes negative.
      x[AVAILABLE] =
          "continue".equals(v.policy()) && r.chance(0.1) ? -r.between(1, 4) : r.between(0, 150);
      out[l] = x;
    }
    return out;
  }

  private static CsvFile writeInventory(Path file, Sizes sizes, long seed, Options o, Counts c)
      throws IOException {
    try (Csv csv = new Csv(file, INVENTORY_HEADER, o)) {
      Row row = csv.row();
      for (int i = 0; i < sizes.products(); i++) {
        Product p = product(seed, i);
        for (Variant v : p.variants()) {
          int[][] levels = levels(seed, p, v, sizes.locations());
          for (int l = 0; l < sizes.locations(); l++) {
            row.set("Handle", p.handle());
            row.set("Title", p.title());
            for (int k = 0; k < 3; k++) {
              row.set("Option" + (k + 1) + " Name", p.optionName(k));
              row.set("Option" + (k + 1) + " Value", p.optionValue(v, k));
            }
            if (v.sku().isEmpty()) {
              // Shopify's inventory export writes a missing SKU as an empty quoted value.
              row.setQuoted("SKU", "");
            } else {
              row.set("SKU", v.sku());
            }
            row.set("HS Code", p.hsCode());
            row.set("COO", p.coo());
            row.set("Location", location(l));
            int[] x = levels[l];
            if (x == null) {
              c.notStocked++;
              for (String col :
                  List.of("Incoming", "Unavailable", "Committed", "Available", "On hand")) {
                row.set(col, "not stocked");
              }
            } else {
              row.set("Incoming", Integer.toString(x[INCOMING]));
              row.set("Unavailable", Integer.toString(x[UNAVAILABLE]));
              row.set("Committed", Integer.toString(x[COMMITTED]));
              row.set("Available", Integer.toString(x[AVAILABLE]));
              row.set("On hand", Integer.toString(x[AVAILABLE] + x[COMMITTED] + x[UNAVAILABLE]));
            }
            row.write();
          }
        }
      }
      return csv.close(file);
    }
  }

  static String location(int l) {
    return l < LOCATIONS.size() ? LOCATIONS.get(l) : "Location " + (l + 1);
  }

  // ---------------------------------------------------------------------------------- orders

  private static final ZoneId SHOP_ZONE = ZoneId.of("America/New_York");

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT).withZone(SHOP_ZONE);

  /** 2024-01-01 00:00 in the shop's zone: the first order comes a little after. */
  private static final long ORDERS_START = 1_704_085_200L;

  private static final String[] FIRST = {
    "Emma", "Liam", "Zoë", "Noah", "Mia", "José", "Ava", "Lucas", "Chloé", "Mateo", "Ingrid",
    "Kenji", "Amara", "Oskar", "Priya", "Søren"
  };

  private static final String[] LAST = {
    "Smith",
    "Müller",
    "García",
    "Johnson",
    "Dubois",
    "Nakamura",
    "O'Brien",
    "Rossi",
    "Nowak",
    "Andersson",
    "Okafor",
    "Silva",
    "Kowalski",
    "Brown"
  };

  private static final String[][] PLACES = {
    {"Brooklyn", "US"}, {"Austin", "US"}, {"Portland", "US"}, {"Chicago", "US"},
    {"Montréal", "CA"}, {"Toronto", "CA"}, {"Berlin", "DE"}, {"Paris", "FR"},
    {"São Paulo", "BR"}, {"London", "GB"}, {"Kraków", "PL"}
  };

  private static final String[] NOTES = {
    "Please leave at the back door, thanks!",
    "Gift - please don't include the invoice.",
    "Ring twice, the bell is \"temperamental\".\nThanks, see you soon",
    "Deliver after 5pm,\nor to the neighbour at no. 12"
  };

  private static CsvFile writeOrders(Path file, Sizes sizes, long seed, Options o, Counts c)
      throws IOException {
    Rng r = new Rng(mix(seed, ORDERS, 0));
    Catalog catalog = new Catalog(seed);
    // Three or four orders per customer on average: repeat customers, as in a real shop.
    int customers = Math.max(10, sizes.orderLines() / 8);
    long created = ORDERS_START;
    long orderId = 5_612_300_000_000L;
    try (Csv csv = new Csv(file, ORDERS_HEADER, o)) {
      Row row = csv.row();
      long remaining = sizes.orderLines();
      int number = 1001;
      List<Line> lines = new ArrayList<>();
      while (remaining > 0) {
        int n = (int) Math.min(remaining, lineCount(r));
        remaining -= n;
        created += 60L * r.between(1, 30) + r.nextInt(60);
        orderId += r.between(1_000, 90_000);
        lines.clear();
        for (int k = 0; k < n; k++) {
          lines.add(line(catalog, sizes.products(), r, c));
        }
        writeOrder(
            row, r, customer(seed, r.nextInt(customers)), number++, orderId, created, lines, c);
        c.orders++;
      }
      return csv.close(file);
    }
  }

  /**
   * Recently built products, by index modulo a fixed size: order lines favour the first products,
   * so most are found here instead of rebuilt, in constant memory whatever the catalog's size.
   */
  private static final class Catalog {
    private final long seed;
    private final Product[] slots = new Product[4096];

    Catalog(long seed) {
      this.seed = seed;
    }

    Product get(int index) {
      int slot = index & (slots.length - 1);
      Product p = slots[slot];
      if (p == null || p.index() != index) {
        p = product(seed, index);
        slots[slot] = p;
      }
      return p;
    }
  }

  /** Lines per order, 1..5, most orders small. */
  private static int lineCount(Rng r) {
    int x = r.nextInt(100);
    return x < 40 ? 1 : x < 65 ? 2 : x < 82 ? 3 : x < 92 ? 4 : 5;
  }

  /** One order line: what it names, its price in cents and whether it ships and is taxed. */
  private record Line(
      String name,
      String sku,
      int quantity,
      long priceCents,
      long compareAtCents,
      boolean requiresShipping,
      boolean taxable,
      String vendor) {}

  private static Line line(Catalog catalog, int products, Rng r, Counts c) {
    int quantity = r.chance(0.85) ? 1 : r.between(2, 4);
    int kind = r.nextInt(100);
    if (kind < 1) {
      c.emptySkuLines++;
      // A custom item added by hand on a draft order: no SKU at all.
      return new Line("Gift wrapping", "", quantity, 500, -1, false, true, "");
    }
    if (kind < 3) {
      c.unknownSkuLines++;
      // A product deleted since: its SKU looks like the catalog's but is not in it.
      int ghost = products + 1 + r.nextInt(500);
      return new Line(
          "Discontinued " + KINDS[ghost % KINDS.length].nouns()[0],
          sku(ghost, 1 + r.nextInt(3)),
          quantity,
          100L * r.between(10, 80) - 1,
          -1,
          true,
          true,
          VENDORS[ghost % VENDORS.length]);
    }
    Product p = null;
    Variant v = null;
    // Catalog variants without a SKU are skipped: "empty SKU" lines are the custom items above.
    for (int tries = 0; tries < 20 && (v == null || v.sku().isEmpty()); tries++) {
      double u = r.nextDouble();
      // Squared, so the first products sell most: a long tail, as real catalogs have.
      p = catalog.get((int) (products * u * u));
      v = p.variants().get(r.nextInt(p.variants().size()));
    }
    if (v.sku().isEmpty()) {
      c.emptySkuLines++;
    }
    return new Line(
        p.itemName(v),
        v.sku(),
        quantity,
        v.priceCents(),
        v.compareAtCents(),
        v.requiresShipping(),
        v.taxable(),
        p.vendor());
  }

  /** One customer, a pure function of (seed, index). */
  private record Customer(
      String name, String email, String city, String country, boolean marketing) {}

  private static Customer customer(long seed, int index) {
    Rng r = new Rng(mix(seed, CUSTOMER, index));
    String first = r.pick(FIRST);
    String last = r.pick(LAST);
    String[] place = r.pick(PLACES);
    String email = ascii(first) + "." + ascii(last).replace("'", "") + (index + 1) + "@example.com";
    return new Customer(first + " " + last, email, place[0], place[1], r.chance(0.4));
  }

  private static void writeOrder(
      Row row,
      Rng r,
      Customer cu,
      int number,
      long orderId,
      long created,
      List<Line> lines,
      Counts c)
      throws IOException {
    long subtotal = 0;
    long taxable = 0;
    boolean ships = false;
    for (Line l : lines) {
      subtotal += l.priceCents() * l.quantity();
      if (l.taxable()) {
        taxable += l.priceCents() * l.quantity();
      }
      ships |= l.requiresShipping();
    }
    boolean cancelled = r.chance(0.01);
    String method = "";
    long shipping = 0;
    String discountCode = "";
    String discountAmount = "0.00";
    if (ships) {
      int m = r.nextInt(100);
      method = m < 70 ? "Standard Shipping" : m < 90 ? "Express" : "Local Pickup";
      long rate = m < 70 ? 590 : m < 90 ? 1490 : 0;
      if (m < 70 && subtotal >= 10_000) {
        rate = 0; // free standard shipping over $100
      }
      // The shop's one discount waives shipping, so Subtotal stays the sum of the lines.
      if (rate > 0 && r.chance(0.08)) {
        discountCode = "FREESHIP";
        discountAmount = money(rate);
        rate = 0;
      }
      shipping = rate;
    }
    long tax1 = percent(taxable, 600);
    boolean city = taxable > 0 && r.chance(0.3);
    long tax2 = city ? percent(taxable, 225) : 0;
    long total = subtotal + shipping + tax1 + tax2;

    String financial;
    String paidAt = "";
    String fulfillment;
    String fulfilledAt = "";
    String cancelledAt = "";
    long refunded = 0;
    if (cancelled) {
      c.cancelledOrders++;
      boolean paid = r.chance(0.6);
      financial = paid ? "refunded" : "voided";
      if (paid) {
        paidAt = stamp(created + r.between(1, 90));
        refunded = total;
      }
      fulfillment = "restocked";
      cancelledAt = stamp(created + 3600L * r.between(1, 48));
    } else {
      int f = r.nextInt(100);
      financial =
          f < 90
              ? "paid"
              : f < 94
                  ? "pending"
                  : f < 97 ? "partially_refunded" : f < 98 ? "refunded" : "authorized";
      if (!financial.equals("pending") && !financial.equals("authorized")) {
        paidAt = stamp(created + r.between(1, 90));
      }
      if (financial.equals("refunded")) {
        refunded = total;
      } else if (financial.equals("partially_refunded")) {
        refunded = lines.get(0).priceCents();
      }
      int g = r.nextInt(100);
      fulfillment = g < 85 ? "fulfilled" : g < 95 || lines.size() == 1 ? "unfulfilled" : "partial";
      if (!fulfillment.equals("unfulfilled")) {
        fulfilledAt = stamp(created + 3600L * r.between(4, 120));
      }
    }
    boolean gift = r.chance(0.1);
    String shipName = gift ? r.pick(FIRST) + " " + r.pick(LAST) : cu.name();
    String[] shipPlace = gift ? r.pick(PLACES) : new String[] {cu.city(), cu.country()};

    for (int k = 0; k < lines.size(); k++) {
      Line l = lines.get(k);
      row.set("Name", "#" + number);
      row.set("Lineitem quantity", Integer.toString(l.quantity()));
      row.set("Lineitem name", l.name());
      row.set("Lineitem price", money(l.priceCents()));
      row.set("Lineitem compare at price", money(l.compareAtCents()));
      row.set("Lineitem sku", l.sku());
      row.set("Lineitem requires shipping", Boolean.toString(l.requiresShipping()));
      row.set("Lineitem taxable", Boolean.toString(l.taxable()));
      String lineStatus =
          switch (fulfillment) {
            case "fulfilled" -> "fulfilled";
            case "partial" -> k == 0 ? "fulfilled" : "pending";
            case "restocked" -> "restocked";
            default -> "pending";
          };
      row.set("Lineitem fulfillment status", lineStatus);
      row.set("Lineitem discount", "0.00");
      if (k == 0) {
        row.set("Email", cu.email());
        row.set("Financial Status", financial);
        row.set("Paid at", paidAt);
        row.set("Fulfillment Status", fulfillment);
        row.set("Fulfilled at", fulfilledAt);
        row.set("Accepts Marketing", cu.marketing() ? "yes" : "no");
        row.set("Currency", "USD");
        row.set("Subtotal", money(subtotal));
        row.set("Shipping", money(shipping));
        row.set("Taxes", money(tax1 + tax2));
        row.set("Total", money(total));
        row.set("Discount Code", discountCode);
        row.set("Discount Amount", discountAmount);
        row.set("Shipping Method", method);
        row.set("Created at", stamp(created));
        row.set("Billing Name", cu.name());
        row.set("Billing City", cu.city());
        row.set("Billing Country", cu.country());
        row.set("Shipping Name", ships ? shipName : "");
        row.set("Shipping City", ships ? shipPlace[0] : "");
        row.set("Shipping Country", ships ? shipPlace[1] : "");
        row.set("Notes", r.chance(0.03) ? r.pick(NOTES) : "");
        row.set("Cancelled at", cancelledAt);
        int pm = r.nextInt(100);
        row.set(
            "Payment Method",
            pm < 70
                ? "Shopify Payments"
                : pm < 92
                    ? "PayPal Express Checkout"
                    : pm < 97 ? "manual" : "Gift Card + Shopify Payments");
        row.set("Refunded Amount", money(refunded));
        row.set("Vendor", l.vendor());
        row.set("Id", Long.toString(orderId));
        int t = r.nextInt(100);
        row.set("Tags", t < 80 ? "" : t < 92 ? "repeat" : t < 97 ? "vip, repeat" : "wholesale");
        int risk = r.nextInt(100);
        row.set("Risk Level", risk < 93 ? "Low" : risk < 98 ? "Medium" : "High");
        int s = r.nextInt(100);
        row.set(
            "Source", s < 80 ? "web" : s < 92 ? "pos" : s < 97 ? "shopify_draft_order" : "580111");
        if (tax1 > 0) {
          row.set("Tax 1 Name", "State Tax 6%");
          row.set("Tax 1 Value", money(tax1));
        }
        if (tax2 > 0) {
          row.set("Tax 2 Name", "City Tax 2.25%");
          row.set("Tax 2 Value", money(tax2));
        }
      }
      row.write();
    }
  }

  /** {@code cents × basisPoints / 10000}, rounded half up, in integers so no platform differs. */
  private static long percent(long cents, long basisPoints) {
    return (cents * basisPoints + 5_000) / 10_000;
  }

  private static String stamp(long epochSecond) {
    return STAMP.format(Instant.ofEpochSecond(epochSecond));
  }

  // --------------------------------------------------------------------------------- bundles

  private static long writeBundles(Path file, Sizes sizes, long seed, String upload)
      throws IOException {
    int products = sizes.products();
    // Two distinct handles at least, so a one-product catalog has no bundles.
    long total = products < 2 ? 0 : Math.max(1, products / 10);
    Rng r = new Rng(mix(seed, BUNDLES, 0));
    long written = 0;
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder(256);
      while (written < total) {
        // A recommender ranks a few bundles per anchor product, best first.
        Product anchor = product(seed, r.nextInt(products));
        int ranks = (int) Math.min(total - written, r.between(1, 3));
        int score = 9_000 + r.nextInt(1_000);
        for (int rank = 1; rank <= ranks; rank++) {
          int size = Math.min(products, r.between(2, 3));
          List<Product> members = new ArrayList<>(size);
          members.add(anchor);
          while (members.size() < size) {
            Product m = product(seed, r.nextInt(products));
            boolean seen = false;
            for (Product x : members) {
              seen |= x.index() == m.index();
            }
            if (!seen) {
              members.add(m);
            }
          }
          score -= r.between(300, 1_500);
          sb.setLength(0);
          sb.append("{\"id\": ").append(json("b-" + zeroPadded(written + 1, 6)));
          sb.append(", \"upload\": ").append(json(upload));
          sb.append(", \"rank\": ").append(rank);
          sb.append(", \"handles\": [");
          for (int k = 0; k < members.size(); k++) {
            sb.append(k == 0 ? "" : ",").append(json(members.get(k).handle()));
          }
          sb.append("], \"variant_ids\": [");
          for (int k = 0; k < members.size(); k++) {
            Product m = members.get(k);
            Variant v = m.variants().get(r.nextInt(m.variants().size()));
            sb.append(k == 0 ? "" : ",").append(json(m.variantKey(v)));
          }
          sb.append("], \"score\": ").append(decimal(Math.max(score, 100), 4));
          sb.append(", \"scores\": {\"lift\": ").append(decimal(r.between(105, 320), 2));
          sb.append(", \"support\": ").append(decimal(r.between(2, 60), 3)).append("}}\n");
          w.write(sb.toString());
          written++;
        }
      }
    }
    return written;
  }

  /** {@code unscaled / 10^scale} as JSON, trailing zeros dropped but one decimal kept. */
  private static String decimal(long unscaled, int scale) {
    String s = BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString();
    return s.indexOf('.') < 0 ? s + ".0" : s;
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  // ---------------------------------------------------------------------------------- catalog

  /** Product {@code index} (0-based) of the catalog for {@code seed}. */
  static Product product(long seed, int index) {
    Rng r = new Rng(mix(seed, PRODUCT, index));
    Kind kind = r.pick(KINDS);
    String noun = r.pick(kind.nouns());
    String title = r.pick(ADJECTIVES) + " " + r.pick(LINES) + " " + noun;
    int flavor = r.nextInt(100);
    if (flavor < 3) {
      // Quotes in a title: doubled in the CSV, escaped in JSON.
      title = "The \"" + r.pick(LINES) + "\" " + noun;
    } else if (flavor < 8) {
      title = title + ", Set of " + r.between(2, 4);
    }
    String handle = slug(title) + "-" + (index + 1);
    String vendor = r.pick(VENDORS);

    List<String> tags = new ArrayList<>();
    int tagCount = r.nextInt(5);
    for (int k = 0; k < tagCount; k++) {
      String t = k == 0 ? r.pick(COLORS) : k % 2 == 1 ? r.pick(kind.tags()) : r.pick(EXTRA_TAGS);
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }
    String status = r.chance(0.85) ? "active" : "draft";
    boolean published = status.equals("active") && r.chance(0.95);

    int n = variantCount(r);
    List<String> optionNames = new ArrayList<>();
    List<List<String>> combos = new ArrayList<>();
    if (n > 1) {
      int maxOptions = Math.min(kind.optionNames().length, n >= 4 ? 3 : 2);
      int options = Math.min(maxOptions, r.chance(0.5) ? 1 : r.chance(0.7) ? 2 : 3);
      // A small list cannot make n distinct values alone; add options until the grid is big enough.
      int[] order = r.permutation(kind.optionNames().length);
      while (true) {
        long grid = 1;
        for (int k = 0; k < options; k++) {
          grid *= kind.optionValues()[order[k]].length;
        }
        if (grid >= n || options == kind.optionNames().length) {
          break;
        }
        options++;
      }
      String[][] values = new String[options][];
      int[] counts = new int[options];
      Arrays.fill(counts, 1);
      for (int k = 0; k < options; k++) {
        optionNames.add(kind.optionNames()[order[k]]);
      }
      // Grow the counts round-robin, option 1 first, until the grid holds n combinations.
      for (int k = 0; product(counts) < n; k = (k + 1) % options) {
        if (counts[k] < kind.optionValues()[order[k]].length) {
          counts[k]++;
        }
      }
      for (int k = 0; k < options; k++) {
        String[] all = kind.optionValues()[order[k]];
        int start = r.nextInt(all.length);
        values[k] = new String[counts[k]];
        for (int j = 0; j < counts[k]; j++) {
          values[k][j] = all[(start + j) % all.length];
        }
      }
      // Shopify lists variants option 1 outermost; the first n of the grid are distinct.
      int[] at = new int[options];
      for (int v = 0; v < n; v++) {
        List<String> combo = new ArrayList<>(options);
        for (int k = 0; k < options; k++) {
          combo.add(values[k][at[k]]);
        }
        combos.add(List.copyOf(combo));
        for (int k = options - 1; k >= 0; k--) {
          if (++at[k] < counts[k]) {
            break;
          }
          at[k] = 0;
        }
      }
    } else {
      combos.add(List.of());
    }

    long base = roundPrice(r.between(kind.minCents(), kind.maxCents()));
    boolean onSale = r.chance(0.3);
    String tracker = r.chance(0.92) ? "shopify" : "";
    String policy = r.chance(0.85) ? "deny" : "continue";
    boolean ships = !kind.type().equals("Print") || r.chance(0.8);
    int grams = r.between(kind.minGrams(), kind.maxGrams());
    List<Variant> variants = new ArrayList<>(n);
    for (int v = 0; v < n; v++) {
      // Later variants (bigger sizes, finer materials) cost a little more.
      long price = v == 0 || r.chance(0.5) ? base : roundPrice(base + base * v / 10);
      long compareAt = onSale ? roundPrice(price + price * r.between(10, 50) / 100) : -1;
      String sku = r.chance(0.01) ? "" : sku(index + 1, v + 1);
      boolean mangled = r.chance(0.02);
      long code =
          mangled ? r.below(100_000_000_000L, 1_000_000_000_000L) : r.below(0, 1_000_000_000_000L);
      String barcode = mangled ? scientific(code) : zeroPadded(code, 12);
      long cost = r.chance(0.6) ? price * r.between(30, 50) / 100 : -1;
      variants.add(
          new Variant(
              v,
              combos.get(v),
              sku,
              grams + v * 20,
              tracker,
              policy,
              price,
              compareAt,
              ships,
              r.chance(0.95),
              barcode,
              mangled,
              cost));
    }
    int w = r.nextInt(100);
    String weightUnit = w < 60 ? "kg" : w < 85 ? "g" : "lb";
    boolean customs = r.chance(0.6);
    return new Product(
        index,
        handle,
        title,
        vendor,
        kind.category(),
        kind.type(),
        String.join(", ", tags),
        published,
        status,
        List.copyOf(optionNames),
        List.copyOf(variants),
        imageCount(r),
        r.chance(0.25),
        n > 1 && r.chance(0.2),
        weightUnit,
        customs ? HS_CODES[index % HS_CODES.length] : "",
        customs ? r.pick(COUNTRIES) : "");
  }

  private static long product(int[] counts) {
    long p = 1;
    for (int c : counts) {
      p *= c;
    }
    return p;
  }

  private static int variantCount(Rng r) {
    int x = r.nextInt(100);
    return x < 35 ? 1 : x < 50 ? 2 : x < 65 ? 3 : x < 80 ? 4 : x < 90 ? 5 : 6;
  }

  private static int imageCount(Rng r) {
    int x = r.nextInt(100);
    return x < 40 ? 1 : x < 65 ? 2 : x < 85 ? 3 : 4;
  }

  static String sku(int product, int variant) {
    return "SKU-" + zeroPadded(product, 6) + "-" + variant;
  }

  /** {@code String.format("%0wd")} without the format parser: it showed up in profiles. */
  static String zeroPadded(long n, int width) {
    String s = Long.toString(n);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /** Ends a price in .99, .50 or .00, as shops price. */
  private static long roundPrice(long cents) {
    long dollars = Math.max(1, cents / 100);
    return switch ((int) (dollars % 3)) {
      case 0 -> dollars * 100 - 1;
      case 1 -> dollars * 100 + 50;
      default -> dollars * 100;
    };
  }

  /** A rounded euro price for the France market (one rate, as a fixed-rate market would set). */
  private static long euro(long usdCents) {
    return usdCents < 0 ? -1 : roundPrice(usdCents * 92 / 100);
  }

  /**
   * A 12-digit barcode after a spreadsheet's General format: six significant digits, {@code
   * 3.65275E+11}.
   */
  static String scientific(long code) {
    BigDecimal m =
        new BigDecimal(code).movePointLeft(11).round(new MathContext(6, RoundingMode.HALF_UP));
    int exp = 11;
    if (m.compareTo(BigDecimal.TEN) >= 0) {
      m = m.movePointLeft(1);
      exp++;
    }
    return m.stripTrailingZeros().toPlainString() + "E+" + exp;
  }

  /**
   * A product's Body (HTML), from a stream of its own: a third span lines with commas and quoted
   * attributes, most others are one paragraph, some are empty.
   */
  static String body(long seed, Product p) {
    Rng r = new Rng(mix(seed, BODY, p.index()));
    int x = r.nextInt(100);
    String noun = p.type().toLowerCase(Locale.ROOT);
    if (x < 33) {
      String material =
          p.optionNames().contains("Material")
              ? "your choice of material"
              : r.pick(new String[] {"oak", "brass", "organic cotton", "stoneware"});
      return "<p class=\"lead\">Meet the <strong>"
          + html(p.title())
          + "</strong>, made in small"
          + " batches by "
          + html(p.vendor())
          + ".</p>\n"
          + "<ul>\n"
          + "<li>Made from "
          + material
          + ", finished by hand</li>\n"
          + "<li>Size: "
          + r.between(10, 60)
          + "\" x "
          + r.between(10, 60)
          + "\"</li>\n"
          + "<li>Care: wipe clean, don't soak</li>\n"
          + "</ul>\n"
          + (r.chance(0.5)
              ? "<p>Ships in " + r.between(2, 5) + "-" + r.between(6, 10) + " days.</p>"
              : "<p></p>");
    }
    if (x < 80) {
      return r.chance(0.5)
          ? "<p>A " + noun + " for every day.</p>"
          : "<p>Simple, sturdy and made to last: our "
              + noun
              + " in "
              + r.pick(COLORS).toLowerCase(Locale.ROOT)
              + ".</p>";
    }
    return "";
  }

  private static String html(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;");
  }

  /** Shopify's handle: lower case, runs of anything but letters and digits become one dash. */
  static String slug(String title) {
    StringBuilder sb = new StringBuilder(title.length());
    boolean dash = false;
    for (int i = 0; i < title.length(); i++) {
      char ch = ascii(title.charAt(i));
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        if (dash && sb.length() > 0) {
          sb.append('-');
        }
        sb.append(ch);
        dash = false;
      } else {
        dash = true;
      }
    }
    return sb.toString();
  }

  /** Lower-case ASCII for the few accented letters the name lists hold. */
  private static String ascii(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      sb.append(ascii(s.charAt(i)));
    }
    return sb.toString();
  }

  private static char ascii(char ch) {
    return switch (Character.toLowerCase(ch)) {
      case 'é', 'è', 'ê', 'ë' -> 'e';
      case 'ô', 'ó', 'ö', 'ø' -> 'o';
      case 'ü' -> 'u';
      case 'ã', 'á', 'à' -> 'a';
      case 'ç' -> 'c';
      case 'í' -> 'i';
      default -> Character.toLowerCase(ch);
    };
  }

  static String money(long cents) {
    if (cents < 0) {
      return "";
    }
    long frac = cents % 100;
    return (cents / 100) + (frac < 10 ? ".0" : ".") + frac;
  }

  // --------------------------------------------------------------------------------- plumbing

  /** The SplitMix64 finalizer over (seed, stream, index): one independent start per item. */
  static long mix(long seed, long stream, long index) {
    long z =
        seed * 0x9E3779B97F4A7C15L + stream * 0xC2B2AE3D27D4EB4FL + index * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** SplitMix64 (Steele, Lea, Flood 2014), spelled out so no JDK change can alter the output. */
  private static final class Rng {
    private long state;

    Rng(long seed) {
      state = seed;
    }

    long nextLong() {
      long z = (state += 0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    /**
     * 0..bound-1, by multiply-shift on 31 random bits: bias below 2^-31 × bound, immaterial here.
     */
    int nextInt(int bound) {
      return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** lo..hi inclusive. */
    int between(int lo, int hi) {
      return lo + nextInt(hi - lo + 1);
    }

    /** lo..hi-1 for longs. */
    long below(long lo, long hi) {
      return lo + Long.remainderUnsigned(nextLong(), hi - lo);
    }

    double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double p) {
      return nextDouble() < p;
    }

    <T> T pick(T[] a) {
      return a[nextInt(a.length)];
    }

    int[] permutation(int n) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] = i;
      }
      for (int i = n - 1; i > 0; i--) {
        int j = nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      return p;
    }
  }

  /** A CSV file being written: RFC 4180 quoting, newlines counted as they are written. */
  private static final class Csv implements AutoCloseable {
    private final Writer out;
    private final List<String> header;
    private final String eol;

    /** The row being built: one write per row, not per field. */
    private final StringBuilder line = new StringBuilder(1024);

    private long rows;
    private long lines;

    Csv(Path file, List<String> header, Options o) throws IOException {
      this.out =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
      this.header = header;
      this.eol = o.crlf() ? "\r\n" : "\n";
      if (o.bom()) {
        out.write('\uFEFF');
      }
      line.setLength(0);
      for (int i = 0; i < header.size(); i++) {
        if (i > 0) {
          line.append(',');
        }
        field(header.get(i), false);
      }
      out.write(line.append(eol).toString());
      lines++;
    }

    Row row() {
      return new Row(this, header);
    }

    void write(String[] values, boolean[] quoted) throws IOException {
      line.setLength(0);
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          line.append(',');
        }
        field(values[i], quoted[i]);
      }
      out.write(line.append(eol).toString());
      rows++;
      lines++;
    }

    private void field(String v, boolean forceQuotes) {
      boolean quote = forceQuotes;
      for (int i = 0; i < v.length() && !quote; i++) {
        char ch = v.charAt(i);
        quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
      }
      if (!quote) {
        line.append(v);
        return;
      }
      line.append('"');
      for (int i = 0; i < v.length(); i++) {
        char ch = v.charAt(i);
        if (ch == '"') {
          line.append('"');
        } else if (ch == '\n') {
          lines++;
        }
        line.append(ch);
      }
      line.append('"');
    }

    CsvFile close(Path file) throws IOException {
      out.close();
      return new CsvFile(file, rows, lines, Files.size(file));
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** One row's values by column name, cleared after each write; unknown names fail at once. */
  private static final class Row {
    private final Csv csv;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] values;
    private final boolean[] quoted;

    Row(Csv csv, List<String> header) {
      this.csv = csv;
      for (int i = 0; i < header.size(); i++) {
        index.put(header.get(i), i);
      }
      values = new String[header.size()];
      quoted = new boolean[header.size()];
      Arrays.fill(values, "");
    }

    void set(String column, String value) {
      values[at(column)] = value;
    }

    void setQuoted(String column, String value) {
      int i = at(column);
      values[i] = value;
      quoted[i] = true;
    }

    private int at(String column) {
      Integer i = index.get(column);
      if (i == null) {
        throw new IllegalArgumentException("no column " + column);
      }
      return i;
    }

    void write() throws IOException {
      csv.write(values, quoted);
      Arrays.fill(values, "");
      Arrays.fill(quoted, false);
    }
  }
}
