import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.testutil.ShopExports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The shop-upload benchmark (issue 10): one generated upload of Shopify exports loaded end to end
 * by {@code jobs/shop-upload.yaml}, each of its four files alone, the whole upload on both write
 * paths, an unchanged re-run, and COPY of the same rows into the same tables in the same run, on a
 * fresh fsync-on PostgreSQL. See bench/README.md.
 */
public final class ShopBench {

  private static final PrintStream OUT = BenchSupport.OUT;

  private static final double CONTAMINATED = BenchSupport.CONTAMINATED;

  /** The goal: the generated upload in under 10 s of wall time, JVM start to exit. */
  private static final double GOAL_WALL_SECONDS = 10.0;

  /** Seconds between the samples printed while pgingest runs: its loads take tens of seconds. */
  private static final int SAMPLE_SECONDS = 3;

  /** How often the Flink REST API is asked for the job's state, in milliseconds. */
  private static final int REST_POLL_MILLIS = 100;

  /** The upload's own table, written by the spec's {@code sql.start}, not by the sink. */
  private static final String UPLOADS_TABLE = "csv_uploads";

  /** Schemas: one per load, so every load is fresh. */
  private static final String WHOLE_COPY = "whole_copy";

  private static final String WHOLE_UPSERT = "whole_upsert";
  private static final String BASELINE = "copy_baseline";

  /** The four files of an upload, the tables each fills, in the order the bench loads them. */
  private enum Kind {
    PRODUCTS("products export", List.of("products", "catalog_snapshot", "product_images")),
    INVENTORY("inventory export", List.of("inventory_levels")),
    ORDERS("orders export", List.of("orders", "order_lines")),
    BUNDLES("bundle JSONL", List.of("bundle_recommendations"));

    final String label;
    final List<String> tables;

    Kind(String label, List<String> tables) {
      this.label = label;
      this.tables = tables;
    }

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Command-line settings. */
  private record Config(
      int products,
      int orderLines,
      int locations,
      long seed,
      boolean perFile,
      boolean upsert,
      boolean rerun,
      String xmx,
      List<String> sets,
      List<String> jvmOptions,
      boolean jfr,
      Path work,
      Path jar,
      Path spec,
      boolean keepDb,
      int quietWait,
      int retries) {

    static Config parse(String[] args) {
      ShopExports.Sizes d = ShopExports.Sizes.DEFAULT;
      int products = d.products();
      int orderLines = d.orderLines();
      int locations = d.locations();
      long seed = ShopExports.DEFAULT_SEED;
      boolean perFile = true;
      boolean upsert = true;
      boolean rerun = true;
      String xmx = "2g";
      List<String> sets = new ArrayList<>();
      List<String> jvm = new ArrayList<>();
      boolean jfr = false;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path spec = Path.of("jobs/shop-upload.yaml");
      boolean keep = false;
      int quiet = 600;
      int retries = 2;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--products" -> products = count(value(args, ++i));
          case "--order-lines" -> orderLines = Integer.parseInt(value(args, ++i).replace(",", ""));
          case "--locations" -> locations = count(value(args, ++i));
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--no-per-file" -> perFile = false;
          case "--no-upsert" -> upsert = false;
          case "--no-rerun" -> rerun = false;
          case "--xmx" -> xmx = value(args, ++i);
          case "--set" -> sets.add(value(args, ++i));
          case "--jvm-opt" -> jvm.add(value(args, ++i));
          case "--jfr" -> jfr = true;
          case "--work" -> work = Path.of(value(args, ++i));
          case "--jar" -> jar = Path.of(value(args, ++i));
          case "--spec" -> spec = Path.of(value(args, ++i));
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(value(args, ++i));
          case "--retries" -> retries = Integer.parseInt(value(args, ++i));
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      // Checked here, so a bad size is a usage error and not a stack trace after the build.
      new ShopExports.Sizes(products, orderLines, locations);
      return new Config(
          products,
          orderLines,
          locations,
          seed,
          perFile,
          upsert,
          rerun,
          xmx,
          List.copyOf(sets),
          List.copyOf(jvm),
          jfr,
          work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(),
          spec.toAbsolutePath().normalize(),
          keep,
          quiet,
          retries);
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }

    private static int count(String s) {
      int n = Integer.parseInt(s.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException("counts must be >= 1, got " + s);
      }
      return n;
    }
  }

  /**
   * A generated upload: its folder, its name (the bundles carry it, every load passes it as {@code
   * source.upload}), the file of each kind, and the rows each table must end up with.
   */
  private record Upload(
      Path dir, String name, Map<Kind, Path> files, Map<String, Long> rows, String describe) {
    long bytes(Kind k) {
      try {
        return Files.size(files.get(k));
      } catch (IOException e) {
        return -1;
      }
    }
  }

  /** Where the time of one pgingest run went, from the Flink REST API while it ran. */
  private static final class JobTimes {
    volatile String webUrl;
    volatile long processStartMillis;
    volatile long jobStart = -1;
    volatile long jobEnd = -1;
    volatile String state;
    volatile int polls;

    /** Process start to the Flink job's start: JVM, MiniCluster, spec, tables, job graph. */
    double startup() {
      return jobStart < 0 ? Double.NaN : (jobStart - processStartMillis) / 1e3;
    }

    /** The Flink job from start to FINISHED, its final checkpoint (the last merge) included. */
    double job() {
      return jobStart < 0 || jobEnd < 0 ? Double.NaN : (jobEnd - jobStart) / 1e3;
    }
  }

  /** pgingest's summary JSON: per-table figures, its run time, the coverage step. */
  private record Summary(
      Map<String, Map<String, Long>> tables,
      double runSeconds,
      boolean coverageRan,
      double coverageSeconds,
      String coverageRow) {

    long sum(String figure) {
      return tables.values().stream().mapToLong(m -> m.getOrDefault(figure, 0L)).sum();
    }
  }

  /** One pgingest load: the process, its job times, its summary, its schema's rows afterwards. */
  private record Load(
      String label,
      String schema,
      BenchSupport.Run run,
      JobTimes times,
      Summary summary,
      Map<String, Long> rows,
      boolean copyPathNote) {

    boolean ok() {
      return run.exit == 0;
    }

    double wall() {
      return run.seconds;
    }

    /** Rows in the loaded tables, the upload's own row included. */
    long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).filter(v -> v > 0).sum();
    }

    /** Wall time less start-up, job and the coverage step: indexes, counts, ANALYZE, exit. */
    double finish() {
      return wall() - times.startup() - times.job();
    }
  }

  /** The COPY baseline: seconds per table (each its own autocommit COPY) and the CPU they used. */
  private record Baseline(Map<String, Double> seconds, Map<String, Long> rows, double others) {
    double total() {
      return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    long totalRows() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Config cfg;
  private final BenchSupport bench;
  private JobSpec spec;
  private List<String> tables;
  private String uploadName;
  private boolean failed;

  private ShopBench(Config cfg) {
    this.cfg = cfg;
    this.bench = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
  }

  public static void main(String[] args) throws Exception {
    Config cfg =
        BenchSupport.configOrExit(
            "ShopBench",
            "[--products 10000] [--order-lines 100000] [--locations 3] [--seed 1] [--no-per-file]"
                + " [--no-upsert] [--no-rerun] [--xmx 2g] [--set K=V ...] [--jvm-opt OPT ...]"
                + " [--jfr] [--work DIR] [--jar JAR] [--spec YAML] [--keep-db]"
                + " [--quiet-wait SECONDS] [--retries N]",
            Config::parse,
            args);
    System.exit(new ShopBench(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    OUT.printf(
        Locale.ROOT,
        "Shop upload benchmark: %,d products, %,d order lines, %d locations, seed %d, pgingest heap"
            + " -Xmx%s, %d cores, jar %s%n",
        cfg.products,
        cfg.orderLines,
        cfg.locations,
        cfg.seed,
        cfg.xmx,
        Runtime.getRuntime().availableProcessors(),
        cfg.jar);
    for (Path p : List.of(cfg.jar, cfg.spec)) {
      if (!Files.exists(p)) {
        OUT.println("  ABORT: " + p + " does not exist");
        return 1;
      }
    }
    spec =
        JobSpecParser.parse(
            Files.readString(cfg.spec, StandardCharsets.UTF_8), cfg.spec.toString(),
            cfg.spec.getParent(), Map.of());
    tables = new ArrayList<>(spec.tables().stream().map(TableSpec::name).toList());
    tables.add(UPLOADS_TABLE);
    Upload upload = upload();
    uploadName = upload.name;
    Map<Kind, Path> singles = cfg.perFile ? singleFileUploads(upload) : Map.of();

    bench.startPostgres();
    try {
      if (!bench.checkSettings(
          List.of(
              "server_version",
              "fsync",
              "synchronous_commit",
              "full_page_writes",
              "shared_buffers",
              "max_wal_size",
              "work_mem"))) {
        return 1;
      }
      measure(upload, singles);
    } finally {
      bench.stopPostgres();
    }
    return failed ? 1 : 0;
  }

  // ---------------------------------------------------------------- the upload

  /**
   * The upload for (sizes, seed), generated unless a finished one with the same identity is there:
   * the identity includes a digest of the generator's class, so a changed generator writes anew.
   */
  private Upload upload() throws Exception {
    String name =
        String.format(
            Locale.ROOT,
            "shop-p%d-l%d-loc%d-s%d",
            cfg.products,
            cfg.orderLines,
            cfg.locations,
            cfg.seed);
    Path dir = cfg.work.resolve(name);
    Path meta = cfg.work.resolve(name + ".meta");
    String identity =
        "generator="
            + generatorDigest()
            + " products="
            + cfg.products
            + " order-lines="
            + cfg.orderLines
            + " locations="
            + cfg.locations
            + " seed="
            + cfg.seed
            + " upload="
            + name;
    BenchSupport.section("Upload " + dir);
    if (Files.isDirectory(dir) && Files.exists(meta)) {
      List<String> m = Files.readAllLines(meta);
      if (m.size() >= 4 && m.get(0).equals(identity)) {
        Upload u = fromMeta(dir, name, m);
        if (u != null) {
          OUT.println("  reusing it (" + identity + ")");
          OUT.println("  " + u.describe);
          return u;
        }
      }
    }
    BenchSupport.deleteTree(dir);
    Files.deleteIfExists(meta);
    long t0 = System.nanoTime();
    ShopExports.Stats s =
        ShopExports.write(
            dir,
            new ShopExports.Sizes(cfg.products, cfg.orderLines, cfg.locations),
            cfg.seed,
            new ShopExports.Options(name, false, false));
    Map<Kind, Path> files = new LinkedHashMap<>();
    files.put(Kind.PRODUCTS, s.productsFile().path());
    files.put(Kind.INVENTORY, s.inventoryFile().path());
    files.put(Kind.ORDERS, s.ordersFile().path());
    files.put(Kind.BUNDLES, s.bundlesFile());
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("products", s.products());
    rows.put("catalog_snapshot", s.variants());
    rows.put("product_images", s.images());
    rows.put("inventory_levels", s.inventoryRows());
    rows.put("orders", s.orders());
    rows.put("order_lines", s.orderLines());
    rows.put("bundle_recommendations", s.bundles());
    rows.put(UPLOADS_TABLE, 1L);
    Upload u = new Upload(dir, name, files, rows, s.describe());
    List<String> lines = new ArrayList<>();
    lines.add(identity);
    StringBuilder f = new StringBuilder("files");
    long bytes = 0;
    for (Kind k : Kind.values()) {
      f.append(' ')
          .append(k.key())
          .append('=')
          .append(files.get(k).getFileName())
          .append(':')
          .append(Files.size(files.get(k)));
      bytes += Files.size(files.get(k));
    }
    lines.add(f.toString());
    StringBuilder r = new StringBuilder("rows");
    rows.forEach((t, n) -> r.append(' ').append(t).append('=').append(n));
    lines.add(r.toString());
    lines.add(s.describe());
    Files.write(meta, lines);
    OUT.printf(
        Locale.ROOT,
        "  generated in %.1f s (%,d bytes): %s%n",
        (System.nanoTime() - t0) / 1e9,
        bytes,
        s.describe());
    return u;
  }

  /** The upload a .meta file describes, or null when a file is missing or of another size. */
  private static Upload fromMeta(Path dir, String name, List<String> m) throws IOException {
    Map<Kind, Path> files = new LinkedHashMap<>();
    for (String part : m.get(1).substring("files ".length()).split(" ")) {
      String[] kv = part.split("=", 2);
      String[] fs = kv[1].split(":");
      Path p = dir.resolve(fs[0]);
      if (!Files.exists(p) || Files.size(p) != Long.parseLong(fs[1])) {
        return null;
      }
      files.put(Kind.valueOf(kv[0].toUpperCase(Locale.ROOT)), p);
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String part : m.get(2).substring("rows ".length()).split(" ")) {
      String[] kv = part.split("=", 2);
      rows.put(kv[0], Long.parseLong(kv[1]));
    }
    return files.size() == Kind.values().length
        ? new Upload(dir, name, files, rows, m.get(3))
        : null;
  }

  /** A digest of the generator's compiled class: the upload depends on nothing else. */
  private static String generatorDigest() throws Exception {
    try (InputStream in = ShopExports.class.getResourceAsStream("ShopExports.class")) {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
      return HexFormat.of().formatHex(d, 0, 6);
    }
  }

  /** Each file as an upload of its own: a folder per file holding a hard link to it. */
  private Map<Kind, Path> singleFileUploads(Upload u) throws IOException {
    Map<Kind, Path> out = new LinkedHashMap<>();
    for (Kind k : Kind.values()) {
      Path dir = cfg.work.resolve(u.name + "-" + k.key() + "-only");
      BenchSupport.deleteTree(dir);
      Files.createDirectories(dir);
      Path src = u.files.get(k);
      Path dst = dir.resolve(src.getFileName());
      try {
        Files.createLink(dst, src);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(src, dst);
      }
      out.put(k, dir);
    }
    return out;
  }

  // ---------------------------------------------------------------- the measurements

  private void measure(Upload u, Map<Kind, Path> singles) throws Exception {
    BenchSupport.section(
        "Whole upload, default write path (auto: COPY on the fresh tables), schema " + WHOLE_COPY);
    Load copyPath = fresh("whole-copy", WHOLE_COPY, u.dir, List.of());
    if (copyPath.ok()) {
      checkRows(copyPath, u.rows, tables);
      if (!copyPath.copyPathNote) {
        OUT.println(
            "  UNEXPECTED: no \"COPY path for …\" note: the fresh tables took the upsert path");
        failed = true;
      }
    }

    Load upsertPath = null;
    if (cfg.upsert) {
      BenchSupport.section("Whole upload, --set write-path=upsert, schema " + WHOLE_UPSERT);
      upsertPath =
          fresh("whole-upsert", WHOLE_UPSERT, u.dir, List.of("--set", "write-path=upsert"));
      if (upsertPath.ok()) {
        checkRows(upsertPath, u.rows, tables);
        if (upsertPath.copyPathNote) {
          OUT.println("  UNEXPECTED: a \"COPY path for …\" note although write-path=upsert");
          failed = true;
        }
      }
    }

    Map<Kind, Load> perFile = new LinkedHashMap<>();
    for (Map.Entry<Kind, Path> e : singles.entrySet()) {
      Kind k = e.getKey();
      String schema = "file_" + k.key();
      BenchSupport.section(
          "The "
              + k.label
              + " alone ("
              + u.files.get(k).getFileName()
              + ", "
              + String.format(Locale.ROOT, "%,d", u.bytes(k))
              + " bytes), schema "
              + schema);
      Load l = fresh("file-" + k.key(), schema, e.getValue(), List.of());
      if (l.ok()) {
        Map<String, Long> want = new LinkedHashMap<>();
        k.tables.forEach(t -> want.put(t, u.rows.get(t)));
        want.put(UPLOADS_TABLE, 1L);
        checkRows(l, want, tables);
      }
      perFile.put(k, l);
    }

    boolean same = true;
    if (copyPath.ok()) {
      BenchSupport.section(
          "Cross-check (untimed): the loads against each other, row counts and md5 over the sorted"
              + " row text");
      if (upsertPath != null && upsertPath.ok()) {
        same &= compare(WHOLE_COPY, WHOLE_UPSERT, tables, "upsert path");
      }
      for (Map.Entry<Kind, Load> e : perFile.entrySet()) {
        if (e.getValue().ok()) {
          same &=
              compare(
                  WHOLE_COPY, e.getValue().schema, e.getKey().tables, e.getKey().label + " alone");
        }
      }
    }

    Load rerun = null;
    if (cfg.rerun && copyPath.ok()) {
      BenchSupport.section(
          "Re-run of the same upload into " + WHOLE_COPY + " with --force (every file read again)");
      Map<String, String[]> before = digests(WHOLE_COPY, tables);
      long uploadXmin =
          bench.queryLong("SELECT xmin::text::bigint FROM " + WHOLE_COPY + "." + UPLOADS_TABLE);
      rerun = load("rerun", WHOLE_COPY, u.dir, List.of("--force"));
      if (rerun.ok()) {
        long ins = rerun.summary.sum("inserted");
        long upd = rerun.summary.sum("updated");
        long uploadXminAfter =
            bench.queryLong("SELECT xmin::text::bigint FROM " + WHOLE_COPY + "." + UPLOADS_TABLE);
        boolean noop = ins == 0 && upd == 0 && uploadXmin == uploadXminAfter;
        OUT.printf(
            Locale.ROOT,
            "  re-run check: inserted %,d, updated %,d, unchanged %,d; %s row %s%s%n",
            ins,
            upd,
            rerun.summary.sum("unchanged"),
            UPLOADS_TABLE,
            uploadXmin == uploadXminAfter ? "untouched" : "REWRITTEN",
            noop
                ? "  OK (nothing written)"
                : "  UNEXPECTED: an unchanged upload must write nothing");
        if (!noop) {
          failed = true;
          List<String> written = new ArrayList<>();
          rerun.summary.tables.forEach(
              (t, m) -> {
                if (m.getOrDefault("inserted", 0L) + m.getOrDefault("updated", 0L) > 0) {
                  written.add(
                      t
                          + " (inserted "
                          + m.get("inserted")
                          + ", updated "
                          + m.get("updated")
                          + ")");
                }
              });
          OUT.println("  written by the re-run: " + String.join(", ", written));
        }
        Map<String, String[]> after = digests(WHOLE_COPY, tables);
        List<String> changed = new ArrayList<>();
        for (String t : tables) {
          if (!java.util.Arrays.equals(before.get(t), after.get(t))) {
            changed.add(t);
          }
        }
        OUT.println(
            changed.isEmpty()
                ? "  content after the re-run: the same as before in every table (md5 of the sorted"
                    + " rows)"
                    + (noop ? "" : ": what it wrote, a later write of the same run put back")
                : "  content after the re-run: CHANGED in " + String.join(", ", changed));
        same &= changed.isEmpty();
        checkRows(rerun, u.rows, tables);
      }
    }

    Baseline baseline = null;
    if (copyPath.ok()) {
      baseline = baseline(copyPath);
      BenchSupport.section("Cross-check (untimed): pgingest's tables against the COPY baseline's");
      same &= compare(WHOLE_COPY, BASELINE, tables, "COPY baseline");
    }
    if (!same) {
      failed = true;
    }
    results(u, copyPath, upsertPath, perFile, rerun, baseline, same);
  }

  /**
   * A fresh load into {@code schema}, measured again (into a schema emptied first) while outside
   * processes took CPU, keeping the cleanest try: a build starting halfway through spoils a figure.
   */
  private Load fresh(String label, String schema, Path input, List<String> more) throws Exception {
    return attempts(
        n -> {
          if (n > 0) {
            dropSchema(schema);
          }
          return load(label, schema, input, more);
        },
        l -> l.run.others());
  }

  /** One pgingest run into {@code schema}, with the job's times from the Flink REST API. */
  private Load load(String label, String schema, Path input, List<String> more) throws Exception {
    List<String> extra =
        new ArrayList<>(
            List.of(
                "--set", "target.schema=" + schema,
                // The upload's identity as the generator wrote it into the bundles: a file loaded
                // alone sits in a folder of another name.
                "--set", "source.upload=" + uploadName));
    for (String s : cfg.sets) {
      extra.addAll(List.of("--set", s));
    }
    extra.addAll(more);
    List<String> jvm = new ArrayList<>(cfg.jvmOptions);
    if (cfg.jfr) {
      Path rec = cfg.work.resolve("pgingest-shop-" + label + ".jfr");
      jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + rec + ",dumponexit=true");
    }
    JobTimes times = new JobTimes();
    BenchSupport.Run r =
        bench.pgingest(
            "shop-" + label,
            cfg.jar,
            cfg.xmx,
            jvm,
            cfg.spec,
            input,
            extra,
            (p, t0, run) -> watch(p, t0, run, times, schema));
    bench.checkpoint();
    Summary s = summary(r);
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String t : tables) {
      rows.put(t, count(schema + "." + t));
    }
    boolean note = Files.readString(r.log, StandardCharsets.UTF_8).contains("COPY path for ");
    Load l = new Load(label, schema, r, times, s, rows, note);
    if (!l.ok()) {
      failed = true;
      OUT.printf(
          Locale.ROOT,
          "  FAILED: pgingest exited with %d after %.1f s; its own words:%n",
          r.exit,
          r.seconds);
      r.errors.forEach(e -> OUT.println("    " + e));
      OUT.println("  full output: " + r.log);
      return l;
    }
    OUT.printf(
        Locale.ROOT,
        "  wall %.2f s = start-up %s + Flink job %s + finish %s; pgingest's own run time %.2f s;"
            + " coverage %s%n",
        l.wall(),
        secs(times.startup()),
        secs(times.job()),
        secs(l.finish()),
        s.runSeconds,
        s.coverageRan
            ? String.format(Locale.ROOT, "%.2f s (apart from the run time)", s.coverageSeconds)
            : "off");
    OUT.printf(
        Locale.ROOT,
        "  CPU: pgingest %.1f core-s (%.2f cores), postgres %.1f core-s (%.2f cores), others %.2f"
            + " cores, iowait %.2f%n",
        r.cpu.children(),
        r.cpu.children() / r.seconds,
        r.cpu.postgres(),
        r.cpu.postgres() / r.seconds,
        r.others(),
        r.cpu.iowait() / r.seconds);
    OUT.println("  write path: " + (note ? "COPY (\"COPY path for …\" in the output)" : "upsert"));
    if (Double.isNaN(times.job())) {
      OUT.println(
          "  (the Flink job's times are unknown: "
              + (times.webUrl == null
                  ? "no web UI address in the output"
                  : "last state " + times.state)
              + ", "
              + times.polls
              + " REST polls)");
    }
    return l;
  }

  /** Rows in each table of the load's schema against what the generator wrote. */
  private void checkRows(Load l, Map<String, Long> want, List<String> all) {
    List<String> parts = new ArrayList<>();
    boolean ok = true;
    for (String t : all) {
      long got = l.rows.getOrDefault(t, -1L);
      long expected = want.getOrDefault(t, 0L);
      ok &= got == expected || (got == -1 && expected == 0);
      parts.add(
          String.format(
              Locale.ROOT,
              "%s %,d%s",
              t,
              got,
              got == expected || (got == -1 && expected == 0) ? "" : " (want " + expected + ")"));
    }
    long rejected =
        l.summary.tables.values().stream()
            .mapToLong(m -> m.getOrDefault("rejected", 0L))
            .max()
            .orElse(0);
    OUT.printf(
        Locale.ROOT,
        "  rows: %s; rejected %,d  %s%n",
        String.join(", ", parts),
        rejected,
        ok ? "OK (as generated)" : "MISMATCH");
    if (!ok) {
      failed = true;
    }
  }

  // ---------------------------------------------------------------- COPY baseline

  /**
   * COPY of the same rows into the same tables: empty twins of pgingest's tables ({@code LIKE …
   * INCLUDING ALL}, so keys and indexes as pgingest built them, plus its foreign keys), the rows
   * exported untimed from pgingest's tables, then one autocommit {@code COPY … FROM STDIN} per
   * table, parents first, each timed to its fsync'd commit.
   */
  private Baseline baseline(Load source) throws Exception {
    BenchSupport.section(
        "Baseline: COPY of the same rows into empty twins of the tables (schema "
            + BASELINE
            + ", keys, indexes and foreign keys as pgingest made them, all built first)");
    Map<String, Path> files = new LinkedHashMap<>();
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + BASELINE);
      for (String t : tables) {
        st.execute(
            "CREATE TABLE "
                + BASELINE
                + "."
                + t
                + " (LIKE "
                + source.schema
                + "."
                + t
                + " INCLUDING ALL)");
      }
      // LIKE copies no foreign keys; unqualified in the definitions, they name the twins below.
      List<String[]> fks = new ArrayList<>();
      st.execute("SET search_path = " + source.schema);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT c.conrelid::regclass::text, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                  + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f'"
                  + " AND n.nspname = '"
                  + source.schema
                  + "' ORDER BY c.conrelid, c.conname")) {
        while (rs.next()) {
          fks.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      st.execute("SET search_path = " + BASELINE);
      for (String[] fk : fks) {
        String ddl = "ALTER TABLE " + BASELINE + "." + fk[0] + " ADD " + fk[1];
        OUT.println("  " + ddl);
        st.execute(ddl);
      }
      st.execute("RESET search_path");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT indexrelid::regclass::text || ': ' || pg_get_indexdef(indexrelid) FROM"
                  + " pg_index x JOIN pg_class r ON r.oid = x.indrelid JOIN pg_namespace n ON n.oid"
                  + " = r.relnamespace WHERE n.nspname = '"
                  + BASELINE
                  + "' ORDER BY 1")) {
        while (rs.next()) {
          OUT.println("  " + rs.getString(1));
        }
      }
      CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
      long t0 = System.nanoTime();
      long bytes = 0;
      for (String t : tables) {
        Path f = cfg.work.resolve("shop-copy-" + t + ".tsv");
        try (OutputStream out = Files.newOutputStream(f)) {
          cm.copyOut("COPY (SELECT * FROM " + source.schema + "." + t + ") TO STDOUT", out);
        }
        files.put(t, f);
        bytes += Files.size(f);
      }
      OUT.printf(
          Locale.ROOT,
          "  rows exported from %s (untimed): %,d bytes of COPY text in %.1f s%n",
          source.schema,
          bytes,
          (System.nanoTime() - t0) / 1e9);
    }
    Baseline b = attempts(n -> copyAll(files, n), x -> x.others);
    for (Path f : files.values()) {
      Files.deleteIfExists(f);
    }
    return b;
  }

  private Baseline copyAll(Map<String, Path> files, int attempt) throws Exception {
    if (attempt > 0) {
      try (Connection c = bench.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "TRUNCATE " + String.join(", ", tables.stream().map(t -> BASELINE + "." + t).toList()));
      }
    }
    bench.checkpoint();
    bench.awaitQuiet();
    Map<String, Double> seconds = new LinkedHashMap<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Connection c = bench.connect()) {
      c.setAutoCommit(true);
      c.isValid(5);
      CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
      BenchSupport.Cpu before = bench.cpu();
      for (String t : tables) {
        try (InputStream in = Files.newInputStream(files.get(t))) {
          long t0 = System.nanoTime();
          long n = cm.copyIn("COPY " + BASELINE + "." + t + " FROM STDIN", in, 1 << 16);
          seconds.put(t, (System.nanoTime() - t0) / 1e9);
          rows.put(t, n);
        }
      }
      BenchSupport.Cpu used = bench.cpu().minus(before);
      double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
      Baseline b = new Baseline(seconds, rows, used.others() / total);
      for (String t : tables) {
        OUT.printf(
            Locale.ROOT,
            "  COPY %-24s %,9d rows %7.3f s %,10.0f rows/s%n",
            t,
            rows.get(t),
            seconds.get(t),
            rows.get(t) / seconds.get(t));
      }
      OUT.printf(
          Locale.ROOT,
          "  COPY, %d tables: %,d rows in %.2f s = %,.0f rows/s; postgres %.2f cores, this JVM"
              + " %.2f, other processes %.2f, iowait %.2f%n",
          tables.size(),
          b.totalRows(),
          total,
          b.totalRows() / total,
          used.postgres() / total,
          used.self() / total,
          b.others,
          used.iowait() / total);
      return b;
    }
  }

  // ---------------------------------------------------------------- checks

  /**
   * Each table of {@code a} against {@code b}: row counts and an md5 over the sorted row text
   * ({@code csv_uploads} without {@code created_at}, which differs between loads by nature).
   */
  private boolean compare(String a, String b, List<String> which, String what) throws SQLException {
    boolean same = true;
    List<String> parts = new ArrayList<>();
    Map<String, String[]> da = digests(a, which);
    Map<String, String[]> db = digests(b, which);
    for (String t : which) {
      String[] x = da.get(t);
      String[] y = db.get(t);
      boolean ok = x[0].equals(y[0]) && x[1].equals(y[1]);
      same &= ok;
      parts.add(
          t
              + (ok
                  ? String.format(
                      Locale.ROOT, " %,d rows, md5 %s", Long.parseLong(x[0]), x[1].substring(0, 8))
                  : " DIFFERENT: "
                      + x[0]
                      + " rows md5 "
                      + x[1]
                      + " vs "
                      + y[0]
                      + " rows md5 "
                      + y[1]));
    }
    OUT.printf(
        Locale.ROOT,
        "  %s vs %s (%s): %s%n    %s%n",
        a,
        b,
        what,
        same ? "same rows" : "DIFFERENT",
        String.join("\n    ", parts));
    return same;
  }

  /** Per table: its row count and the md5 of its sorted row text. */
  private Map<String, String[]> digests(String schema, List<String> which) throws SQLException {
    Map<String, String[]> out = new LinkedHashMap<>();
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      for (String table : which) {
        String row = table.equals(UPLOADS_TABLE) ? "(to_jsonb(t) - 'created_at')::text" : "t::text";
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*), md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM (SELECT "
                    + row
                    + " AS x FROM "
                    + schema
                    + "."
                    + table
                    + " t) q")) {
          rs.next();
          out.put(table, new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  private long count(String table) {
    try {
      return bench.queryLong("SELECT count(*) FROM " + table);
    } catch (SQLException e) {
      return -1;
    }
  }

  private void dropSchema(String schema) throws SQLException {
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      st.execute("CHECKPOINT");
    }
  }

  // ---------------------------------------------------------------- watching a run

  /**
   * While pgingest runs: the Flink REST API every 100 ms (the job's start and end), and every few
   * seconds the cores of pgingest, PostgreSQL and everything else and the rows written.
   */
  private void watch(Process p, long t0, BenchSupport.Run r, JobTimes times, String schema) {
    times.processStartMillis = System.currentTimeMillis() - (System.nanoTime() - t0) / 1_000_000;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Pattern url = Pattern.compile("Flink web UI: (http\\S+)");
    try (Connection c = bench.connect()) {
      long pid = p.pid();
      double lastJava = bench.runnerCpu(pid);
      double lastPg = bench.postgresCpu();
      double lastMachine = bench.machineCpu()[0];
      double lastSelf = bench.processCpu(ProcessHandle.current().pid());
      long lastT = System.nanoTime();
      long nextSample = lastT + SAMPLE_SECONDS * 1_000_000_000L;
      long lastRows = rowsWritten(c, schema);
      while (p.isAlive()) {
        Thread.sleep(REST_POLL_MILLIS);
        if (times.webUrl == null && Files.exists(r.log)) {
          Matcher m = url.matcher(Files.readString(r.log, StandardCharsets.UTF_8));
          if (m.find()) {
            times.webUrl = m.group(1).endsWith("/") ? m.group(1) : m.group(1) + "/";
          }
        }
        if (times.webUrl != null && times.jobEnd < 0) {
          poll(http, times);
        }
        long now = System.nanoTime();
        if (now < nextSample || !p.isAlive()) {
          continue;
        }
        nextSample = now + SAMPLE_SECONDS * 1_000_000_000L;
        double dt = (now - lastT) / 1e9;
        double java = bench.runnerCpu(pid);
        double pgCpu = bench.postgresCpu();
        double machine = bench.machineCpu()[0];
        double self = bench.processCpu(ProcessHandle.current().pid());
        long rows = rowsWritten(c, schema);
        double javaCores = (java - lastJava) / dt;
        double pgCores = (pgCpu - lastPg) / dt;
        double otherCores =
            Math.max(0, (machine - lastMachine - self + lastSelf) / dt - javaCores - pgCores);
        r.samples.add(new double[] {javaCores, pgCores});
        OUT.printf(
            Locale.ROOT,
            "    ~ t=%5.0fs  pgingest %.2f cores  postgres %.2f  others %.2f  rows written %,d"
                + " (+%,.0f/s)  job %s  pg busy: %s%n",
            (now - t0) / 1e9,
            javaCores,
            pgCores,
            otherCores,
            rows,
            (rows - lastRows) / dt,
            times.state == null ? "not yet submitted" : times.state.toLowerCase(Locale.ROOT),
            activeStatements(c));
        lastJava = java;
        lastPg = pgCpu;
        lastMachine = machine;
        lastSelf = self;
        lastT = now;
        lastRows = rows;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      OUT.println("    ~ watcher stopped: " + e);
    }
  }

  private static final Pattern START = Pattern.compile("\"start-time\"\\s*:\\s*(-?\\d+)");
  private static final Pattern END = Pattern.compile("\"end-time\"\\s*:\\s*(-?\\d+)");
  private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");

  /** The (one) job of the MiniCluster from {@code /jobs/overview}; quiet while it is not up. */
  private static void poll(HttpClient http, JobTimes times) {
    try {
      HttpResponse<String> resp =
          http.send(
              HttpRequest.newBuilder(URI.create(times.webUrl + "jobs/overview"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      times.polls++;
      if (resp.statusCode() != 200) {
        return;
      }
      String body = resp.body();
      Matcher start = START.matcher(body);
      Matcher state = STATE.matcher(body);
      if (!start.find() || !state.find()) {
        return;
      }
      times.jobStart = Long.parseLong(start.group(1));
      times.state = state.group(1);
      Matcher end = END.matcher(body);
      if (end.find()
          && Long.parseLong(end.group(1)) > 0
          && List.of("FINISHED", "FAILED", "CANCELED").contains(times.state)) {
        times.jobEnd = Long.parseLong(end.group(1));
      }
    } catch (IOException e) {
      // Not up yet, or already shut down.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Inserts plus updates the statistics collector has seen on the schema's tables. */
  private static long rowsWritten(Connection c, String schema) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables"
                + " WHERE schemaname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String activeStatements(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 32) AS q, count(*)"
                    + " FROM pg_stat_activity WHERE state = 'active'"
                    + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                    + " GROUP BY 1 ORDER BY 2 DESC")) {
      List<String> parts = new ArrayList<>();
      while (rs.next()) {
        parts.add(rs.getLong(2) + "x \"" + rs.getString(1) + "\"");
      }
      return parts.isEmpty() ? "idle" : String.join(", ", parts);
    }
  }

  /**
   * The summary JSON: the tables' figures (the spec's tables only; the named summary and the
   * after-load steps are objects too), the run's seconds (the same in every table), the coverage
   * step's seconds and row.
   */
  private Summary summary(BenchSupport.Run r) throws IOException {
    Path file =
        r.log.resolveSibling(
            r.log
                .getFileName()
                .toString()
                .replaceFirst("^pgingest-", "summary-")
                .replaceFirst("\\.log$", ".json"));
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return new Summary(out, Double.NaN, false, Double.NaN, null);
    }
    String json = Files.readString(file);
    double run = Double.NaN;
    for (String t : tables) {
      Matcher m = Pattern.compile("\"" + Pattern.quote(t) + "\": \\{([^}]*)\\}").matcher(json);
      if (!m.find()) {
        continue;
      }
      Map<String, Long> figures = new LinkedHashMap<>();
      Matcher f = Pattern.compile("\"(\\w+)\": *(\\d+)(?![.\\d])").matcher(m.group(1));
      while (f.find()) {
        figures.put(f.group(1), Long.parseLong(f.group(2)));
      }
      Matcher s = Pattern.compile("\"seconds\": *([\\d.]+)").matcher(m.group(1));
      if (Double.isNaN(run) && s.find()) {
        run = Double.parseDouble(s.group(1));
      }
      out.put(t, figures);
    }
    Matcher cov =
        Pattern.compile(
                "\"coverage\": \\{\"ran\": (true|false), \"seconds\": ([\\d.]+)[^\\n"
                    + "]*?(\\{[^{}]*\\})?\\]")
            .matcher(json);
    if (cov.find()) {
      return new Summary(
          out,
          run,
          Boolean.parseBoolean(cov.group(1)),
          Double.parseDouble(cov.group(2)),
          cov.group(3) == null ? "no row" : cov.group(3));
    }
    return new Summary(out, run, false, Double.NaN, null);
  }

  // ---------------------------------------------------------------- results

  private void results(
      Upload u,
      Load copyPath,
      Load upsertPath,
      Map<Kind, Load> perFile,
      Load rerun,
      Baseline b,
      boolean same) {
    BenchSupport.section("Results (fsync on, synchronous_commit on)");
    OUT.println("  " + u.describe);
    OUT.printf(
        Locale.ROOT,
        "  %-44s %9s %8s %9s %8s %7s %8s %9s %10s %8s %7s%n",
        "load",
        "rows",
        "wall s",
        "start-up",
        "job s",
        "finish",
        "run s",
        "coverage",
        "rows/s run",
        "vs COPY",
        "others");
    for (Map.Entry<Kind, Load> e : perFile.entrySet()) {
      row(
          e.getKey().label + " alone (" + u.files.get(e.getKey()).getFileName() + ")",
          e.getValue(),
          b);
    }
    row("whole upload, COPY path (auto)", copyPath, b);
    if (upsertPath != null) {
      row("whole upload, upsert path", upsertPath, b);
    }
    if (rerun != null) {
      row("re-run --force (writes nothing)", rerun, b);
    }
    if (b != null) {
      OUT.printf(
          Locale.ROOT,
          "  %-44s %,9d %8s %9s %8.2f %7s %8s %9s %,10.0f %7.2fx %7.2f%s%n",
          "COPY, " + b.seconds.size() + " tables (sum of COPYs)",
          b.totalRows(),
          "",
          "",
          b.total(),
          "",
          "",
          "",
          b.totalRows() / b.total(),
          1.0,
          b.others,
          b.others > CONTAMINATED ? " !" : "");
    }
    OUT.println(
        "  wall: process start to exit; start-up: to the Flink job's start (JVM, MiniCluster,"
            + " tables); job: the Flink job to FINISHED (last merge included); finish: the rest"
            + " (deferred indexes, counts, ANALYZE, coverage, exit); run s: pgingest's own summary"
            + " seconds (without coverage); coverage: the after-load step, timed apart; vs COPY:"
            + " rows/s by run time over COPY's rows/s");
    if (copyPath.ok() && b != null) {
      double run = copyPath.summary.runSeconds;
      OUT.printf(
          Locale.ROOT,
          "  COPY path: run time %.2f s vs COPY %.2f s = %.1fx COPY's time (%.2fx its rows/s); wall"
              + " %.2f s = %.1fx%n",
          run,
          b.total(),
          run / b.total(),
          b.total() / run,
          copyPath.wall(),
          copyPath.wall() / b.total());
      if (upsertPath != null && upsertPath.ok()) {
        OUT.printf(
            Locale.ROOT,
            "  upsert path: run time %.2f s = %.1fx COPY's time; COPY path vs upsert path: %.2fx"
                + " the run time, %.2fx the wall time%n",
            upsertPath.summary.runSeconds,
            upsertPath.summary.runSeconds / b.total(),
            run / upsertPath.summary.runSeconds,
            copyPath.wall() / upsertPath.wall());
      }
    }
    if (copyPath.ok()) {
      double wall = copyPath.wall();
      OUT.printf(
          Locale.ROOT,
          "  goal: the generated upload in under %.0f s wall: %.2f s (COPY path, coverage %.2f s"
              + " of it)  %s%n",
          GOAL_WALL_SECONDS,
          wall,
          copyPath.summary.coverageSeconds,
          wall < GOAL_WALL_SECONDS ? "PASS" : "MISS");
      OUT.println("  coverage: " + copyPath.summary.coverageRow);
    }
    OUT.println(
        "  cross-check: "
            + (same ? "same rows in every compared table" : "DIFFERENCES (see above)"));
    OUT.println(
        "  '!' marks a figure taken while other processes used more than "
            + CONTAMINATED
            + " core: it is low; re-run on a quiet machine");
  }

  private static void row(String label, Load l, Baseline b) {
    if (l == null) {
      return;
    }
    if (!l.ok()) {
      OUT.printf(Locale.ROOT, "  %-44s FAILED (exit %d)%n", label, l.run.exit);
      return;
    }
    long rows = l.totalRows();
    double run = l.summary.runSeconds;
    OUT.printf(
        Locale.ROOT,
        "  %-44s %,9d %8.2f %9s %8s %7s %8.2f %9s %,10.0f %8s %7.2f%s%n",
        label,
        rows,
        l.wall(),
        num(l.times.startup()),
        num(l.times.job()),
        num(l.finish()),
        run,
        l.summary.coverageRan
            ? String.format(Locale.ROOT, "%.2f", l.summary.coverageSeconds)
            : "off",
        rows / run,
        b == null
            ? ""
            : String.format(Locale.ROOT, "%.2fx", rows / run / (b.totalRows() / b.total())),
        l.run.others(),
        l.run.others() > CONTAMINATED ? " !" : "");
  }

  // ---------------------------------------------------------------- plumbing

  /** One try of a measurement; {@code attempt} is 0 for the first, so later ones can reset. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /** Measures again, up to {@code --retries} times, while outside processes took CPU. */
  private <T> T attempts(Attempt<T> attempt, ToDoubleFunction<T> others) throws Exception {
    T best = null;
    for (int n = 0; ; n++) {
      T t = attempt.run(n);
      if (best == null || others.applyAsDouble(t) < others.applyAsDouble(best)) {
        best = t;
      }
      double o = others.applyAsDouble(t);
      if (o <= CONTAMINATED || n >= cfg.retries) {
        if (n > 0) {
          OUT.printf(
              Locale.ROOT,
              "  kept the try with the least outside CPU use (%.2f cores)%n",
              others.applyAsDouble(best));
        }
        return best;
      }
      OUT.printf(
          Locale.ROOT,
          "  ! other processes used %.2f cores meanwhile: measuring again (try %d of %d)%n",
          o,
          n + 2,
          cfg.retries + 1);
    }
  }

  private static String num(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f", s);
  }

  private static String secs(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f s", s);
  }
}
