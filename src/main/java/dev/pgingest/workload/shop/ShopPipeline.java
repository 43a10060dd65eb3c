package dev.pgingest.workload.shop;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.graph.SqlTemplateValues;
import dev.pgingest.mapping.DeclaredTablesPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SettingException;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.workload.shop.export.ShopExportCodec;
import dev.pgingest.workload.shop.export.ShopFields;
import dev.pgingest.workload.shop.export.ShopRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A shop upload — Shopify's products, inventory and orders CSV exports and the recommender's bundle
 * JSONL, told apart by their first line — into the tables the job declares, one row {@code each}
 * product, variant, image, inventory level, order, line item and bundle, every row keyed by the
 * upload.
 *
 * <p>The upload's identity is the source setting {@code upload}, by default the name of the folder
 * the files are in; it is resolved once, here, and reaches the rows as the field {@code upload} and
 * the spec's SQL as {@code {{upload}}} (with {@code {{shop}}}).
 */
public final class ShopPipeline extends DeclaredTablesPipeline<ShopRow>
    implements SqlTemplateValues {

  /** The source format, as specs name it. */
  static final String FORMAT = "shop-export";

  /** Kinds of rows a declared table may take {@code each} of, and their fields. */
  static final Map<String, List<String>> ITEMS = itemFields();

  private static Map<String, List<String>> itemFields() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("product", with(ShopFields.PRODUCT));
    m.put("variant", with(ShopFields.PRODUCT, ShopFields.VARIANT));
    m.put("image", with(ShopFields.PRODUCT, ShopFields.IMAGE));
    m.put("inventory", with(ShopFields.INVENTORY));
    m.put("order", with(ShopFields.ORDER));
    m.put("line", with(ShopFields.ORDER, ShopFields.LINE));
    m.put("bundle", with(ShopFields.BUNDLE));
    return m;
  }

  /** Every item's fields, then the upload's and the columns the model does not name. */
  @SafeVarargs
  private static List<String> with(List<String>... parts) {
    List<String> out = new ArrayList<>();
    for (List<String> p : parts) {
      for (String f : p) {
        if (!out.contains(f)) {
          out.add(f);
        }
      }
    }
    out.add(ShopMapper.UPLOAD);
    out.add(ShopMapper.SHOP);
    out.add(ShopMapper.EXTRA);
    return List.copyOf(out);
  }

  public ShopPipeline() {
    super(ShopRow.class);
  }

  @Override
  public String name() {
    return "shop";
  }

  @Override
  public Set<String> formats() {
    return Set.of(FORMAT);
  }

  @Override
  public CodecFactory<ShopRow> codec(JobSpec spec, SourceSpec source) {
    if (!source.format().equals(FORMAT)) {
      throw new SpecException("pipeline shop does not read format '" + source.format() + "'");
    }
    return path -> new ShopExportCodec();
  }

  @Override
  public boolean reads(SourceSpec source, String path) {
    return named(path, List.of(".csv", ".jsonl", ".ndjson"));
  }

  @Override
  public boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    return ShopExportCodec.recognizes(head);
  }

  @Override
  public Set<String> sourceSettings() {
    return Set.of("upload", "shop");
  }

  @Override
  public Map<String, String> checkSettings(Map<String, String> given) {
    for (String key : List.of("upload", "shop")) {
      String v = given.get(key);
      if (v != null && v.isBlank()) {
        throw new SettingException(key, v, "a non-empty name");
      }
    }
    return Map.copyOf(given);
  }

  @Override
  public RowMapper<ShopRow, TableRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    Map<String, RowMapper<FieldRecord, TableRow>> mappers = new LinkedHashMap<>();
    Map<String, Boolean> json = new HashMap<>();
    for (String item : ITEMS.keySet()) {
      Predicate<TableSpec> tables = t -> item.equals(t.each()) && feeds(source, t);
      mappers.put(item, fieldMapper(spec, source, tables, runId));
      json.put(item, keepsRecord(spec, tables));
    }
    return new ShopMapper(mappers, json, upload(spec), shop(spec));
  }

  @Override
  public String expectedInput(JobSpec spec) {
    return "a shop export (Shopify products, inventory or orders CSV, or bundle JSONL)";
  }

  @Override
  public Set<String> items() {
    return ITEMS.keySet();
  }

  @Override
  public List<String> fields(String each) {
    if (each == null) {
      // Every row is one of the items: a table must say which.
      return List.of();
    }
    return ITEMS.get(each);
  }

  @Override
  public Map<String, String> templateValues(JobSpec spec) {
    Map<String, String> b = new HashMap<>();
    b.put("upload", upload(spec));
    b.put("shop", shop(spec));
    return b;
  }

  /**
   * The upload's identity: the {@code upload} setting, else the name of the folder of the first
   * input (the folder itself when a folder is given).
   */
  static String upload(JobSpec spec) {
    String given = spec.source().settings().get("upload");
    if (given != null) {
      return given;
    }
    if (spec.source().paths().isEmpty()) {
      throw new SpecException("a shop upload needs files, or a name under source.upload");
    }
    String p = spec.source().paths().get(0);
    if (p.contains("://")) {
      String s =
          p.endsWith("/") ? p.substring(0, p.length() - 1) : p.substring(0, p.lastIndexOf('/'));
      return s.substring(s.lastIndexOf('/') + 1);
    }
    Path path = Path.of(p).toAbsolutePath().normalize();
    Path folder = Files.isDirectory(path) ? path : path.getParent();
    return folder.getFileName().toString();
  }

  /** The shop's name, the {@code shop} setting, or null. */
  static String shop(JobSpec spec) {
    return spec.source().settings().get("shop");
  }
}
