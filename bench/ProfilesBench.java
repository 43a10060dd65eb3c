import dev.pgingest.testutil.ProfilesDump;
import dev.pgingest.testutil.ProfilesDump.Format;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.yaml.snakeyaml.Yaml;

/**
 * The profiles load benchmark: COPY baseline, then pgingest on the same dump. See bench/README.md.
 */
public final class ProfilesBench {

  private static final PrintStream OUT = BenchSupport.OUT;

  private static final double CONTAMINATED = BenchSupport.CONTAMINATED;

  /** The goals this benchmark exists to check, for a 500,000-profile dump. */
  private static final double GOAL_SECONDS = 15;

  private static final double GOAL_VS_COPY = 0.5;

  /** First id of the dump: ten-digit ids, as the platforms hand out. */
  private static final long FIRST_ID = 1_000_000_000L;

  /** run_id of the COPY baseline's rows; any constant does, the key only has to be unique. */
  private static final long COPY_RUN = 1;

  /** Null tokens of jobs/profiles.yaml: COPY gets NULL where pgingest would store one. */
  private static final Set<String> NULL_TOKENS = Set.of("", "null", "NULL");

  /** Command-line settings. */
  private record Config(
      int records,
      double repeated,
      double preload,
      long seed,
      Path work,
      Path jar,
      Path spec,
      boolean csv,
      boolean gz,
      String xmx,
      boolean keepDb,
      int quietWait) {

    static Config parse(String[] args) {
      int records = 500_000;
      double repeated = 0.02;
      double preload = 0.10;
      long seed = 20_261_101L;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path spec = Path.of("jobs/profiles.yaml");
      boolean csv = false;
      boolean gz = false;
      String xmx = "4g";
      boolean keep = false;
      int quiet = 600;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--records" -> records = parseCount(args[++i]);
          case "--repeated" -> repeated = Double.parseDouble(args[++i]);
          case "--preload" -> preload = Double.parseDouble(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--work" -> work = Path.of(args[++i]);
          case "--jar" -> jar = Path.of(args[++i]);
          case "--spec" -> spec = Path.of(args[++i]);
          case "--csv" -> csv = true;
          case "--gz" -> gz = true;
          case "--xmx" -> xmx = args[++i];
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(args[++i]);
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            records = parseCount(a);
          }
        }
      }
      return new Config(
          records,
          repeated,
          preload,
          seed,
          work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(),
          spec.toAbsolutePath().normalize(),
          csv,
          gz,
          xmx,
          keep,
          quiet);
    }

    private static int parseCount(String s) {
      int n = Integer.parseInt(s.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException("record count must be ≥ 1, got " + s);
      }
      return n;
    }
  }

  /** A declared table of the spec, as far as its DDL goes. */
  private record Table(
      String name,
      List<Map<String, Object>> columns,
      List<String> key,
      List<Map<String, Object>> indexes) {}

  /** The dump and what it holds. */
  private record Dump(Path file, long records, long distinctIds) {}

  /** A timed step, the rows it loaded and the cores outside processes used meanwhile. */
  private record Figure(String label, long records, double seconds, double others) {
    double rate() {
      return records / seconds;
    }
  }

  private final Config cfg;
  private final BenchSupport bench;
  private final String schema;
  private final Map<String, Table> tables;

  private ProfilesBench(Config cfg) throws IOException {
    this.cfg = cfg;
    this.bench = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
    Map<String, Object> spec = new Yaml().load(Files.readString(cfg.spec));
    Map<String, Object> target = map(spec.get("target"));
    this.schema =
        target == null || target.get("schema") == null ? "public" : (String) target.get("schema");
    this.tables = new LinkedHashMap<>();
    for (Object o : (List<?>) spec.get("tables")) {
      Map<String, Object> t = map(o);
      tables.put(
          (String) t.get("name"),
          new Table(
              (String) t.get("name"),
              listOfMaps(t.get("columns")),
              strings(t.get("key")),
              t.get("indexes") == null ? List.of() : listOfMaps(t.get("indexes"))));
    }
    for (String needed : List.of("raw_scraped_profiles", "global_usernames")) {
      if (!tables.containsKey(needed)) {
        throw new IllegalArgumentException(cfg.spec + " declares no table " + needed);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Config cfg =
        BenchSupport.configOrExit(
            "ProfilesBench",
            "[RECORDS] [--repeated 0.02] [--preload 0.10] [--seed S] [--csv]"
              + " [--gz] [--work DIR] [--jar JAR] [--spec YAML] [--xmx 4g] [--keep-db]"
              + " [--quiet-wait SECONDS]",
            Config::parse,
            args);
    System.exit(new ProfilesBench(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    OUT.printf(
        Locale.ROOT,
        "Profiles load benchmark: %,d records (%.0f%% repeated in the file), %.0f%% of the ids"
            + " already in global_usernames, seed %d, %d cores, jar %s%n",
        cfg.records,
        cfg.repeated * 100,
        cfg.preload * 100,
        cfg.seed,
        Runtime.getRuntime().availableProcessors(),
        cfg.jar);
    Dump dump = dump();

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
              "maintenance_work_mem",
              "work_mem",
              "temp_buffers"))) {
        return 1;
      }
      return measure(dump);
    } finally {
      bench.stopPostgres();
    }
  }

  private int measure(Dump dump) throws Exception {
    Table raw = tables.get("raw_scraped_profiles");
    Table global = tables.get("global_usernames");

    BenchSupport.section(
        "Tables (untimed): global_usernames and the COPY baseline's copies, same DDL");
    Path ids = cfg.work.resolve("preload-ids.csv");
    long preloaded = ProfilesDump.writeIds(ids, FIRST_ID, dump.distinctIds, cfg.preload);
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      for (String sql : ddl(global, global.name)) {
        OUT.println("  " + sql);
        st.execute(sql);
      }
      for (String sql : ddl(raw, raw.name + "_copy")) {
        st.execute(sql);
      }
      for (String sql : ddl(global, global.name + "_copy")) {
        st.execute(sql);
      }
    }
    // Both tables start with the same known profiles, so both loads skip the same ids.
    for (String t : List.of(global.name, global.name + "_copy")) {
      copyIn(
          "COPY "
              + qualified(t)
              + " (id, username, full_name) FROM STDIN WITH (FORMAT csv, HEADER true)",
          ids);
    }
    Files.deleteIfExists(ids);
    OUT.printf(
        Locale.ROOT,
        "  %,d of the dump's %,d ids pre-loaded into %s and %s_copy (first_seen_run NULL)%n",
        preloaded,
        dump.distinctIds,
        global.name,
        global.name);
    long expectAdded = dump.distinctIds - preloaded;
    long expectSkipped = dump.records - expectAdded;

    BenchSupport.section(
        "Rows for COPY (untimed): the generator's records, as pgingest would map them");
    Path rawRows = cfg.work.resolve("raw-copy.tsv");
    Path globalRows = cfg.work.resolve("global-copy.tsv");
    long t0 = System.nanoTime();
    writeCopyRows(dump, rawRows, globalRows);
    OUT.printf(
        Locale.ROOT,
        "  %,d + %,d bytes of COPY text in %.1f s%n",
        Files.size(rawRows),
        Files.size(globalRows),
        (System.nanoTime() - t0) / 1e9);

    BenchSupport.section(
        "Baseline 1/2: COPY into " + qualified(raw.name + "_copy") + " (key and all, built first)");
    bench.checkpoint();
    bench.awaitQuiet();
    String rawCols =
        raw.columns.stream()
            .filter(c -> c.get("default") == null)
            .map(c -> (String) c.get("name"))
            .collect(Collectors.joining(", "));
    Figure rawCopy =
        timed(
            "COPY raw_scraped_profiles",
            dump.records,
            c -> {
              long n =
                  copyIn(
                      c,
                      "COPY " + qualified(raw.name + "_copy") + " (" + rawCols + ") FROM STDIN",
                      rawRows);
              check(n == dump.records, "COPY loaded " + n + " raw rows, expected " + dump.records);
            });

    BenchSupport.section(
        "Baseline 2/2: COPY into a temp staging table + INSERT … ON CONFLICT (id) DO NOTHING");
    bench.checkpoint();
    bench.awaitQuiet();
    long[] added = {0};
    String globalCopy = qualified(global.name + "_copy");
    Figure insertIfNew =
        timed(
            "COPY + INSERT ON CONFLICT DO NOTHING",
            dump.records,
            c -> {
              try (Statement st = c.createStatement()) {
                st.execute(
                    "CREATE TEMP TABLE profiles_stage (id bigint, username text, full_name text)");
                copyIn(c, "COPY profiles_stage FROM STDIN", globalRows);
                added[0] =
                    st.executeUpdate(
                        "INSERT INTO "
                            + globalCopy
                            + " (id, username, full_name, first_seen_run)"
                            + " SELECT id, username, full_name, "
                            + COPY_RUN
                            + " FROM profiles_stage"
                            + " ON CONFLICT (id) DO NOTHING");
                st.execute("DROP TABLE profiles_stage");
              }
            });
    OUT.printf(
        Locale.ROOT,
        "  added %,d, skipped %,d (expected %,d and %,d)%n",
        added[0],
        dump.records - added[0],
        expectAdded,
        expectSkipped);
    Files.deleteIfExists(rawRows);
    Files.deleteIfExists(globalRows);
    Figure copy =
        new Figure(
            "COPY baseline (both tables)",
            dump.records,
            rawCopy.seconds + insertIfNew.seconds,
            (rawCopy.others * rawCopy.seconds + insertIfNew.others * insertIfNew.seconds)
                / (rawCopy.seconds + insertIfNew.seconds));

    BenchSupport.section("pgingest on the same dump (subprocess, -Xmx" + cfg.xmx + ")");
    BenchSupport.Run run = pgingest(dump);
    List<Figure> figures = new ArrayList<>(List.of(rawCopy, insertIfNew, copy));
    boolean ok = run.exit == 0;
    if (ok) {
      figures.add(new Figure("pgingest run", dump.records, run.seconds, run.others()));
      ok = crossCheck(raw, global, dump, preloaded, expectAdded, expectSkipped, run);
    } else {
      OUT.println(
          "  FAILED: pgingest exited with "
              + run.exit
              + " after "
              + fmt(run.seconds)
              + " s;"
              + " its own words:");
      run.errors.forEach(l -> OUT.println("    " + l));
      OUT.println("  full output: " + run.log);
    }

    BenchSupport.section(
        String.format(
            Locale.ROOT,
            "Results (%,d profiles, %.0f%% repeated, %.0f%% of ids known; fsync on)",
            dump.records,
            cfg.repeated * 100,
            cfg.preload * 100));
    OUT.printf(
        Locale.ROOT,
        "  %-40s %9s %9s %10s %9s %8s%n",
        "load",
        "records",
        "seconds",
        "records/s",
        "vs COPY",
        "others");
    for (Figure f : figures) {
      OUT.printf(
          Locale.ROOT,
          "  %-40s %,9d %9.1f %,10.0f %8.2fx %8.2f%s%n",
          f.label,
          f.records,
          f.seconds,
          f.rate(),
          f.rate() / copy.rate(),
          f.others,
          f.others > CONTAMINATED ? " !" : "");
    }
    if (figures.stream().anyMatch(f -> f.others > CONTAMINATED)) {
      OUT.println(
          "  ! other processes used CPU during a load marked '!': its figure is low; re-run");
    }
    OUT.println("  (records/s counts input records for every line, so all figures share one unit)");
    if (run.exit == 0) {
      double vs = (dump.records / run.seconds) / copy.rate();
      OUT.printf(
          Locale.ROOT,
          "  goal: %,d profiles end to end in under %.0f s: %.1f s wall (pgingest's own summary:"
              + " %.1f s)  %s%n",
          dump.records,
          GOAL_SECONDS,
          run.seconds,
          run.summarySeconds,
          dump.records == 500_000
              ? (run.seconds < GOAL_SECONDS ? "MET" : "MISSED")
              : "(goal is for 500,000)");
      OUT.printf(
          Locale.ROOT,
          "  goal: load at >= %.0f%% of COPY's records/s: %.0f%%  %s%n",
          GOAL_VS_COPY * 100,
          vs * 100,
          vs >= GOAL_VS_COPY ? "MET" : "MISSED");
    } else {
      OUT.printf(
          Locale.ROOT,
          "  goal: %,d profiles end to end in under %.0f s: not measured, pgingest failed%n",
          dump.records,
          GOAL_SECONDS);
      OUT.printf(
          Locale.ROOT,
          "  goal: load at >= %.0f%% of COPY's records/s (>= %,.0f records/s here): not measured%n",
          GOAL_VS_COPY * 100,
          GOAL_VS_COPY * copy.rate());
    }
    return ok ? 0 : 1;
  }

  // ---------------------------------------------------------------- dump

  /** The dump for (records, repeated, seed, format), generated unless a finished one exists. */
  private Dump dump() throws IOException {
    String name =
        String.format(
            Locale.ROOT,
            "profiles-%d-r%s-s%d.%s%s",
            cfg.records,
            Double.toString(cfg.repeated),
            cfg.seed,
            cfg.csv ? "csv" : "jsonl",
            cfg.gz ? ".gz" : "");
    Path file = cfg.work.resolve(name);
    Path meta = cfg.work.resolve(name + ".meta");
    // The generator's class file is part of the identity: a changed generator writes other records.
    String identity =
        "generator=" + Integer.toHexString(generatorSource().hashCode()) + " firstId=" + FIRST_ID;
    BenchSupport.section("Dump " + file);
    if (Files.exists(file) && Files.exists(meta)) {
      Matcher m =
          Pattern.compile("^(.*) records=(\\d+) distinct=(\\d+) size=(\\d+)$")
              .matcher(Files.readString(meta).trim());
      if (m.matches()
          && m.group(1).equals(identity)
          && Long.parseLong(m.group(4)) == Files.size(file)) {
        OUT.printf(Locale.ROOT, "  reusing it (%s, %,d bytes)%n", identity, Files.size(file));
        return new Dump(file, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
      }
    }
    long t0 = System.nanoTime();
    ProfilesDump.Stats s = ProfilesDump.write(file, cfg.records, cfg.repeated, FIRST_ID, cfg.seed);
    Files.writeString(
        meta,
        identity
            + " records="
            + s.records()
            + " distinct="
            + s.distinctIds()
            + " size="
            + Files.size(file)
            + "\n");
    OUT.printf(
        Locale.ROOT,
        "  generated in %.1f s: %,d records, %,d distinct ids, %,d bytes%n",
        (System.nanoTime() - t0) / 1e9,
        s.records(),
        s.distinctIds(),
        Files.size(file));
    return new Dump(file, s.records(), s.distinctIds());
  }

  private static String generatorSource() {
    try (InputStream in = ProfilesDump.class.getResourceAsStream("ProfilesDump.class")) {
      return in == null ? "?" : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------- COPY input

  /**
   * The rows pgingest would write, from the generator's own records (the same the dump holds): raw
   * rows in column order of the spec, and (id, username, full_name) for the staging table.
   */
  private void writeCopyRows(Dump dump, Path rawRows, Path globalRows) throws IOException {
    Format format = Format.of(dump.file);
    String file = dump.file.toString();
    try (Writer rw =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(rawRows), StandardCharsets.UTF_8),
                1 << 20);
        Writer gw =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(globalRows), StandardCharsets.UTF_8),
                1 << 20)) {
      StringBuilder r = new StringBuilder(1024);
      StringBuilder g = new StringBuilder(128);
      ProfilesDump.generate(
          cfg.records,
          cfg.repeated,
          FIRST_ID,
          cfg.seed,
          format,
          p -> {
            r.setLength(0);
            g.setLength(0);
            r.append(COPY_RUN).append('\t');
            BenchSupport.copyField(r, file);
            r.append('\t').append(p.line()).append('\t').append(p.id()).append('\t');
            BenchSupport.copyField(r, nulled(p.username()));
            r.append('\t');
            BenchSupport.copyField(r, nulled(p.fullName()));
            r.append('\t');
            BenchSupport.copyField(r, nulled(p.biography()));
            r.append('\t').append(p.followerCount());
            r.append('\t').append(p.followingCount());
            r.append('\t').append(p.mediaCount());
            r.append('\t').append(p.isPrivate());
            r.append('\t').append(p.isVerified());
            r.append('\t').append(p.scrapedAt()).append('\t');
            BenchSupport.copyField(r, p.json());
            r.append('\n');
            g.append(p.id()).append('\t');
            BenchSupport.copyField(g, nulled(p.username()));
            g.append('\t');
            BenchSupport.copyField(g, nulled(p.fullName()));
            g.append('\n');
            try {
              rw.append(r);
              gw.append(g);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  private static String nulled(String v) {
    return v == null || NULL_TOKENS.contains(v) ? null : v;
  }

  // ---------------------------------------------------------------- DDL

  /**
   * CREATE TABLE and CREATE INDEX for a declared table under {@code name}: the spec's columns,
   * types and defaults, NOT NULL where the key or {@code required} says so, the key as primary key.
   * What pgingest creates may add to it; this is the shape the spec asks for.
   */
  private List<String> ddl(Table t, String name) {
    List<String> cols = new ArrayList<>();
    for (Map<String, Object> c : t.columns) {
      String col = c.get("name") + " " + c.get("type");
      if (t.key.contains((String) c.get("name")) || Boolean.TRUE.equals(c.get("required"))) {
        col += " NOT NULL";
      }
      if (c.get("default") != null) {
        col += " DEFAULT " + c.get("default");
      }
      cols.add(col);
    }
    cols.add("PRIMARY KEY (" + String.join(", ", t.key) + ")");
    List<String> sql = new ArrayList<>();
    sql.add("CREATE TABLE " + qualified(name) + " (" + String.join(", ", cols) + ")");
    for (Map<String, Object> idx : t.indexes) {
      String idxName = ((String) idx.get("name")).replace(t.name, name);
      // SnakeYAML reads YAML 1.1, where a bare `on:` key is the boolean true.
      Object on = idx.containsKey("on") ? idx.get("on") : ((Map<?, ?>) idx).get(Boolean.TRUE);
      sql.add("CREATE INDEX " + idxName + " ON " + qualified(name) + " " + on);
    }
    return sql;
  }

  private String qualified(String table) {
    return schema + "." + table;
  }

  // ---------------------------------------------------------------- timing

  /** A step on one connection. */
  @FunctionalInterface
  private interface Step {
    void run(Connection c) throws Exception;
  }

  /**
   * Times {@code step} on an open connection (autocommit, so every fsync'd commit is inside); CPU
   * is read while the connection is open, so the backend's time is still counted as PostgreSQL's.
   */
  private Figure timed(String label, long records, Step step) throws Exception {
    try (Connection c = bench.connect()) {
      c.isValid(5);
      BenchSupport.Cpu before = bench.cpu();
      long t0 = System.nanoTime();
      step.run(c);
      double seconds = (System.nanoTime() - t0) / 1e9;
      BenchSupport.Cpu used = bench.cpu().minus(before);
      Figure f = new Figure(label, records, seconds, used.others() / seconds);
      OUT.printf(
          Locale.ROOT,
          "  %,d records in %.1f s = %,.0f records/s; postgres %.2f cores, this JVM %.2f,"
              + " other processes %.2f%n",
          records,
          seconds,
          f.rate(),
          used.postgres() / seconds,
          used.self() / seconds,
          f.others);
      return f;
    }
  }

  private long copyIn(String sql, Path data) throws Exception {
    try (Connection c = bench.connect()) {
      return copyIn(c, sql, data);
    }
  }

  private static long copyIn(Connection c, String sql, Path data) throws Exception {
    try (InputStream in = Files.newInputStream(data)) {
      return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in, 1 << 16);
    }
  }

  // ---------------------------------------------------------------- pgingest

  /**
   * Runs pgingest on the dump as its own process, timed from start to exit: JVM and MiniCluster
   * start, the job and {@code sql.after}, what a user waits for.
   */
  private BenchSupport.Run pgingest(Dump dump) throws Exception {
    return bench.pgingest("profiles", cfg.jar, cfg.xmx, cfg.spec, dump.file, List.of(), null);
  }

  /** What the tables hold after the run, against what the dump and the pre-load imply. */
  private boolean crossCheck(
      Table raw,
      Table global,
      Dump dump,
      long preloaded,
      long expectAdded,
      long expectSkipped,
      BenchSupport.Run run)
      throws SQLException {
    BenchSupport.section("Cross-check (untimed)");
    long rawRows = bench.queryLong("SELECT count(*) FROM " + qualified(raw.name));
    long globalRows = bench.queryLong("SELECT count(*) FROM " + qualified(global.name));
    long untouched =
        bench.queryLong(
            "SELECT count(*) FROM " + qualified(global.name) + " WHERE first_seen_run IS NULL");
    long differ =
        bench.queryLong(
            "SELECT count(*) FROM "
                + qualified(global.name)
                + " g FULL JOIN "
                + qualified(global.name + "_copy")
                + " c ON c.id = g.id"
                + " WHERE c.id IS NULL OR g.id IS NULL"
                + " OR (g.username, g.full_name) IS DISTINCT FROM (c.username, c.full_name)");
    OUT.printf(Locale.ROOT, "  %s: %,d rows (expected %,d)%n", raw.name, rawRows, dump.records);
    OUT.printf(
        Locale.ROOT,
        "  %s: %,d rows (expected %,d = %,d pre-loaded + %,d added); pre-loaded rows untouched:"
            + " %,d of %,d; rows differing from the COPY baseline's: %,d%n",
        global.name,
        globalRows,
        dump.distinctIds,
        preloaded,
        expectAdded,
        untouched,
        preloaded,
        differ);
    Map<String, Long> s = run.summary;
    OUT.printf(
        Locale.ROOT,
        "  summary: inserted_raw %s, added_to_global %s, skipped_existing %s (expected %,d, %,d,"
            + " %,d, if within-file repeats count as skipped)%n",
        s.get("inserted_raw"),
        s.get("added_to_global"),
        s.get("skipped_existing"),
        dump.records,
        expectAdded,
        expectSkipped);
    boolean same =
        rawRows == dump.records
            && globalRows == dump.distinctIds
            && untouched == preloaded
            && differ == 0;
    OUT.println(
        same ? "  OK: the tables hold what the dump implies" : "  MISMATCH: see the counts above");
    return same;
  }

  // ---------------------------------------------------------------- plumbing

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static String fmt(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOfMaps(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private static List<String> strings(Object o) {
    return ((List<?>) o).stream().map(String::valueOf).toList();
  }
}
