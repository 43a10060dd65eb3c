import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineReader;
import dev.pgingest.format.gff3.Gff3Codec;
import dev.pgingest.format.gff3.Gff3Record;
import dev.pgingest.pipeline.ybrowse.VariantMapper;
import dev.pgingest.pipeline.ybrowse.VariantRow;
import dev.pgingest.pipeline.ybrowse.YBrowsePipeline;
import dev.pgingest.sink.Column;
import dev.pgingest.sink.IndexDef;
import dev.pgingest.sink.Sql;
import dev.pgingest.sink.TableDdl;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * The YBrowse load benchmark in one run: a generated dump, a fresh fsync-on PostgreSQL, a COPY
 * baseline, then pgingest's fresh load on the COPY path and on the upsert path and a re-load of the
 * same dump, each as rows/s and as a ratio to the COPY measured minutes earlier on the same
 * machine. See bench/README.md.
 */
public final class YBrowseBench {

  private static final PrintStream OUT = BenchSupport.OUT;

  private static final double CONTAMINATED = BenchSupport.CONTAMINATED;

  /** The goal: a fresh load at least 0.8x as fast as bare COPY + CREATE INDEX. */
  private static final double GOAL_VS_BEST_COPY = 0.8;

  /** Schema of the upsert path's fresh load, beside the COPY path's in the spec's schema. */
  private static final String UPSERT_SCHEMA = "upsert_path";

  /** Seconds between progress samples while pgingest runs. */
  private static final int SAMPLE_SECONDS = 5;

  /** Command-line settings. */
  private record Config(
      long lines,
      long seed,
      Path work,
      Path jar,
      Path spec,
      boolean gz,
      String xmx,
      String checkpointInterval,
      boolean bareCopy,
      boolean upsertPath,
      boolean keepDb,
      int quietWait,
      int retries) {

    static Config parse(String[] args) {
      long lines = YBrowseDumpGenerator.DEFAULT_LINES;
      long seed = YBrowseDumpGenerator.DEFAULT_SEED;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path spec = Path.of("jobs/ybrowse-variants.yaml");
      boolean gz = false;
      String xmx = "6g";
      String ci = "30s";
      boolean bare = true;
      boolean upsert = true;
      boolean keep = false;
      int quiet = 600;
      int retries = 2;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--lines" -> lines = parseCount(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--work" -> work = Path.of(args[++i]);
          case "--jar" -> jar = Path.of(args[++i]);
          case "--spec" -> spec = Path.of(args[++i]);
          case "--gz" -> gz = true;
          case "--xmx" -> xmx = args[++i];
          case "--checkpoint-interval" -> ci = args[++i];
          case "--no-bare-copy" -> bare = false;
          case "--no-upsert-path" -> upsert = false;
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(args[++i]);
          case "--retries" -> retries = Integer.parseInt(args[++i]);
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            lines = parseCount(a);
          }
        }
      }
      return new Config(
          lines,
          seed,
          work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(),
          spec.toAbsolutePath().normalize(),
          gz,
          xmx,
          ci,
          bare,
          upsert,
          keep,
          quiet,
          retries);
    }

    private static long parseCount(String s) {
      long n = Long.parseLong(s.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException("line count must be ≥ 1, got " + s);
      }
      return n;
    }
  }

  /** The deduplicated, merged rows COPY loads, and what building them saw. */
  private record CopyInput(
      Path file,
      long bytes,
      long read,
      long rejected,
      long duplicates,
      long rows,
      Set<String> mergedKeys) {}

  /**
   * One measured load.
   *
   * @param others average cores used meanwhile by processes outside the benchmark: contamination
   */
  private record Figure(String label, long rows, double seconds, double others) {
    double rate() {
      return rows / seconds;
    }
  }

  /** A per-key accumulator mirroring the engine's dedup: exact repeats dropped, others merged. */
  private static final class Acc {
    VariantRow row;
    long[] fingerprints;

    Acc(VariantRow row) {
      this.row = row;
      this.fingerprints = new long[] {row.fingerprint()};
    }
  }

  private final Config cfg;
  private final BenchSupport bench;

  private YBrowseBench(Config cfg) {
    this.cfg = cfg;
    this.bench = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
  }

  public static void main(String[] args) throws Exception {
    Config cfg =
        BenchSupport.configOrExit(
            "YBrowseBench",
            "[LINES] [--seed S] [--work DIR] [--jar JAR] [--spec YAML] [--gz] [--xmx 6g]"
                + " [--checkpoint-interval 30s] [--no-bare-copy] [--no-upsert-path] [--keep-db]"
                + " [--quiet-wait SECONDS] [--retries N]",
            Config::parse,
            args);
    System.exit(new YBrowseBench(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    OUT.printf(
        Locale.ROOT,
        "YBrowse load benchmark: %,d lines, seed %d, %d cores, jar %s%n",
        cfg.lines,
        cfg.seed,
        Runtime.getRuntime().availableProcessors(),
        cfg.jar);
    Path dump = dump();

    bench.startPostgres();
    try {
      if (!bench.checkSettings(
          List.of(
              "server_version",
              "fsync",
              "synchronous_commit",
              "full_page_writes",
              "wal_level",
              "shared_buffers",
              "max_wal_size",
              "maintenance_work_mem",
              "work_mem",
              "gin_pending_list_limit"))) {
        return 1;
      }
      return measure(dump);
    } finally {
      bench.stopPostgres();
    }
  }

  private int measure(Path dump) throws Exception {
    JobSpec copySpec = spec(Map.of("target.table", "variant_copy"));
    YBrowsePipeline pipeline = new YBrowsePipeline();
    TableDef<VariantRow> copyTable = pipeline.table(copySpec);

    BenchSupport.section(
        "Rows for COPY (untimed): the project's codec + mapper + VariantRow.merge");
    // The mapper the pipeline builds for this source, with the pipeline's default assembly.
    VariantMapper mapper = new VariantMapper(copySpec.source().setting("assembly", "GRCh38"));
    CopyInput in = buildCopyInput(dump, copyTable, mapper);

    List<Figure> figures = new ArrayList<>();
    BenchSupport.section(
        "Baseline: COPY into " + copyTable.qualifiedName() + " with all indexes already built");
    Figure copy = attempts(n -> copyIndexed(copyTable, in, n), Figure::others);
    figures.add(copy);

    Figure bareFig = null;
    if (cfg.bareCopy) {
      JobSpec bareSpec = spec(Map.of("target.table", "variant_copy_bare"));
      TableDef<VariantRow> bare = pipeline.table(bareSpec);
      BenchSupport.section(
          "Reference: COPY into a bare " + bare.qualifiedName() + ", then CREATE INDEX");
      bareFig = attempts(n -> copyThenIndex(bare, in, copy), Figure::others);
      figures.add(bareFig);
    }

    // Regenerated on every run from the jar in use, so not worth its disk space afterwards.
    Files.deleteIfExists(in.file);

    JobSpec spec = spec(Map.of());
    String target = Sql.qualified(spec.target().schema(), spec.target().table());

    BenchSupport.section(
        "pgingest fresh load into empty "
            + target
            + ", default write path (auto: the COPY path"
            + " for an empty table; subprocess, -Xmx"
            + cfg.xmx
            + ")");
    BenchSupport.Run fresh =
        attempts(
            n -> {
              if (n > 0) {
                dropTargets(spec);
              }
              return pgingest("fresh", dump, spec, List.of());
            },
            BenchSupport.Run::others);
    if (fresh.exit != 0) {
      OUT.println("  FAILED: pgingest exited with " + fresh.exit + "; see " + fresh.log);
      return 1;
    }
    long rows = bench.queryLong("SELECT count(*) FROM " + target);
    Figure freshFig =
        new Figure("pgingest fresh load, COPY path", rows, fresh.seconds, fresh.others());
    report(freshFig, copy, null, null);
    OUT.printf(Locale.ROOT, "  CPU: %s%n", cpuLine(fresh));
    boolean copyPath = tookCopyPath(fresh);
    OUT.println(
        copyPath
            ? "  write path: COPY (\"COPY path for …\" in pgingest's output)"
            : "  UNEXPECTED: no \"COPY path for …\" note: the empty table took the upsert path");
    figures.add(freshFig);

    BenchSupport.Run upsert = null;
    Figure upsertFig = null;
    String upsertTarget = Sql.qualified(UPSERT_SCHEMA, spec.target().table());
    boolean upsertOk = true;
    if (cfg.upsertPath) {
      JobSpec upsertSpec = spec(Map.of("target.schema", UPSERT_SCHEMA));
      BenchSupport.section(
          "pgingest fresh load into empty "
              + upsertTarget
              + ", --set write-path=upsert"
              + " (batched upserts through the JDBC connector)");
      upsert =
          attempts(
              n -> {
                if (n > 0) {
                  dropSchema(UPSERT_SCHEMA);
                }
                return pgingest(
                    "fresh-upsert",
                    dump,
                    upsertSpec,
                    List.of(
                        "--set", "target.schema=" + UPSERT_SCHEMA, "--set", "write-path=upsert"));
              },
              BenchSupport.Run::others);
      if (upsert.exit != 0) {
        OUT.println("  FAILED: pgingest exited with " + upsert.exit + "; see " + upsert.log);
        return 1;
      }
      upsertFig =
          new Figure(
              "pgingest fresh load, upsert path",
              bench.queryLong("SELECT count(*) FROM " + upsertTarget),
              upsert.seconds,
              upsert.others());
      report(upsertFig, copy, freshFig, "the COPY path's fresh load");
      OUT.printf(Locale.ROOT, "  CPU: %s%n", cpuLine(upsert));
      upsertOk = !tookCopyPath(upsert);
      OUT.println(
          upsertOk
              ? "  write path: upsert (no \"COPY path for …\" note)"
              : "  UNEXPECTED: a \"COPY path for …\" note although write-path=upsert");
      figures.add(upsertFig);
    }

    BenchSupport.section("pgingest re-load of the unchanged dump into " + target);
    BenchSupport.Run reload =
        attempts(n -> pgingest("reload", dump, spec, List.of()), BenchSupport.Run::others);
    if (reload.exit != 0) {
      OUT.println("  FAILED: pgingest exited with " + reload.exit + "; see " + reload.log);
      return 1;
    }
    Figure reloadFig =
        new Figure("pgingest re-load (unchanged)", rows, reload.seconds, reload.others());
    report(reloadFig, copy, freshFig, "the fresh load");
    OUT.printf(Locale.ROOT, "  CPU: %s%n", cpuLine(reload));
    boolean noop = reload.summary.getOrDefault("inserted", -1L) == 0
        && reload.summary.getOrDefault("updated", -1L) == 0;
    OUT.println(
        "  re-load check: inserted="
            + reload.summary.get("inserted")
            + " updated="
            + reload.summary.get("updated")
            + (noop
                ? "  OK (nothing written)"
                : "  UNEXPECTED: an unchanged dump must write nothing"));
    if (!noop) {
      explainReloadWrites(spec, in);
    }
    figures.add(reloadFig);

    BenchSupport.section(
        "Cross-check (untimed): "
            + target
            + (upsert == null ? "" : " and " + upsertTarget)
            + " against "
            + copyTable.qualifiedName());
    OUT.println("  " + target + " (COPY path):");
    boolean same = compare(target, copyTable.qualifiedName(), in, fresh);
    if (upsert != null) {
      OUT.println("  " + upsertTarget + " (upsert path):");
      same &= compare(upsertTarget, copyTable.qualifiedName(), in, upsert);
    }

    BenchSupport.section(
        "Results (" + String.format(Locale.ROOT, "%,d", cfg.lines) + "-line dump, fsync on)");
    OUT.printf(
        Locale.ROOT,
        "  %-36s %11s %9s %10s %9s %8s%n",
        "load",
        "rows",
        "seconds",
        "rows/s",
        "vs COPY",
        "others");
    boolean contaminated = false;
    for (Figure f : figures) {
      contaminated |= f.others > CONTAMINATED;
      OUT.printf(
          Locale.ROOT,
          "  %-36s %,11d %9.1f %,10.0f %8.2fx %8.2f%s%n",
          f.label,
          f.rows,
          f.seconds,
          f.rate(),
          f.rate() / copy.rate(),
          f.others,
          f.others > CONTAMINATED ? " !" : "");
    }
    OUT.println(
        contaminated
            ? "  ! other processes used CPU during this load (cores in 'others'): figure is low;"
                + " re-run on a quiet machine"
            : "  others: cores used by processes outside the benchmark (none to speak of)");
    OUT.printf(
        Locale.ROOT,
        "  re-load vs fresh load: %.2fx%n",
        reloadFig.rate() / freshFig.rate());
    OUT.printf(
        Locale.ROOT,
        "  wall time of the %,d-line fresh load: COPY path %.1f s (pgingest's own summary: %.1f"
            + " s)%s%n",
        cfg.lines,
        fresh.seconds,
        fresh.summarySeconds,
        upsert == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; upsert path %.1f s (%.1f s); COPY path vs upsert path: %.2fx the time",
                upsert.seconds,
                upsert.summarySeconds,
                fresh.seconds / upsert.seconds));
    if (bareFig != null) {
      double copyRatio = bareFig.seconds / fresh.seconds;
      OUT.printf(
          Locale.ROOT,
          "  fresh load, COPY path: %.1f s = %.2fx of the best COPY route (bare COPY + CREATE"
              + " INDEX, %.1f s)%s%n",
          fresh.seconds,
          copyRatio,
          bareFig.seconds,
          upsert == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; upsert path: %.1f s = %.2fx",
                  upsert.seconds,
                  bareFig.seconds / upsert.seconds));
      OUT.printf(
          Locale.ROOT,
          "  by pgingest's own run time (no JVM start): COPY path %.2fx%s%n",
          bareFig.seconds / fresh.summarySeconds,
          upsert == null
              ? ""
              : String.format(
                  Locale.ROOT, ", upsert path %.2fx", bareFig.seconds / upsert.summarySeconds));
      OUT.printf(
          Locale.ROOT,
          "  goal: fresh load >= %.2fx of the best COPY route (wall): %.2fx  %s%s%n",
          GOAL_VS_BEST_COPY,
          copyRatio,
          copyRatio >= GOAL_VS_BEST_COPY ? "PASS" : "MISS",
          freshFig.others > CONTAMINATED || bareFig.others > CONTAMINATED
              ? " (! measured while other processes used CPU)"
              : "");
    }
    return noop && same && copyPath && upsertOk ? 0 : 1;
  }

  /** Whether the run's output says it took the COPY path for a table. */
  private static boolean tookCopyPath(BenchSupport.Run r) throws IOException {
    return Files.readString(r.log, StandardCharsets.UTF_8).contains("COPY path for ");
  }

  // ---------------------------------------------------------------- dump

  /** The dump for (lines, seed), generated unless a finished one with the same identity exists. */
  private Path dump() throws IOException {
    String name = "ybrowse-" + cfg.lines + "-s" + cfg.seed + ".gff3" + (cfg.gz ? ".gz" : "");
    Path dump = cfg.work.resolve(name);
    Path meta = cfg.work.resolve(name + ".meta");
    String identity =
        "version=" + YBrowseDumpGenerator.VERSION + " lines=" + cfg.lines + " seed=" + cfg.seed;
    BenchSupport.section("Dump " + dump);
    if (Files.exists(dump) && Files.exists(meta)) {
      String[] m = Files.readString(meta).trim().split(" size=");
      if (m.length == 2 && m[0].equals(identity) && Long.parseLong(m[1]) == Files.size(dump)) {
        OUT.printf(Locale.ROOT, "  reusing it (%s, %,d bytes)%n", identity, Files.size(dump));
        return dump;
      }
    }
    long t0 = System.nanoTime();
    YBrowseDumpGenerator.Stats s = YBrowseDumpGenerator.generate(dump, cfg.lines, cfg.seed);
    Files.writeString(meta, identity + " size=" + Files.size(dump) + "\n");
    OUT.printf(
        Locale.ROOT, "  generated in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, s.describe());
    return dump;
  }

  // ---------------------------------------------------------------- COPY input

  /**
   * Reads the dump as the engine does (LineReader, Gff3Codec, VariantMapper), keeps one row per
   * key with the engine's dedup rule (drop a record whose fingerprint was seen for its key, merge
   * the rest in file order) and writes COPY text format in first-seen order.
   */
  private CopyInput buildCopyInput(Path dump, TableDef<VariantRow> table, VariantMapper mapper)
      throws IOException {
    long t0 = System.nanoTime();
    Map<String, Acc> rows = new LinkedHashMap<>(1 << 20);
    long[] read = {0};
    long[] rejected = {0};
    long duplicates = 0;
    List<Gff3Record> decoded = new ArrayList<>(2);
    DecodeSink<Gff3Record> sink =
        new DecodeSink<>() {
          @Override
          public void record(Gff3Record value, long lineNumber) {
            decoded.add(value);
          }

          @Override
          public void reject(long lineNumber, String reason, String raw) {
            read[0]++;
            rejected[0]++;
          }
        };
    Gff3Codec codec = new Gff3Codec();
    try (InputStream raw = open(dump)) {
      LineReader lines = new LineReader(raw);
      LineReader.Kind kind;
      while ((kind = lines.next()) != LineReader.Kind.EOF) {
        if (kind == LineReader.Kind.BAD) {
          read[0]++;
          rejected[0]++;
          continue;
        }
        codec.line(lines.text(), lines.lineNumber(), sink);
        for (Gff3Record rec : decoded) {
          read[0]++;
          VariantRow row;
          try {
            row = mapper.map(rec);
          } catch (IllegalArgumentException e) {
            rejected[0]++;
            continue;
          }
          Acc acc = rows.get(row.key());
          if (acc == null) {
            rows.put(row.key(), new Acc(row));
            continue;
          }
          duplicates++;
          long fp = row.fingerprint();
          if (Arrays.stream(acc.fingerprints).noneMatch(f -> f == fp)) {
            acc.fingerprints = Arrays.copyOf(acc.fingerprints, acc.fingerprints.length + 1);
            acc.fingerprints[acc.fingerprints.length - 1] = fp;
            acc.row = acc.row.merge(row);
          }
        }
        decoded.clear();
      }
      codec.end(lines.lineNumber(), sink);
    }
    Runtime rt = Runtime.getRuntime();
    System.gc();
    OUT.printf(
        Locale.ROOT,
        "  %,d rows held in memory: %,d MB of heap (max %,d MB)%n",
        rows.size(),
        (rt.totalMemory() - rt.freeMemory()) >> 20,
        rt.maxMemory() >> 20);
    Path file = cfg.work.resolve("variant-copy-" + cfg.lines + "-s" + cfg.seed + ".tsv");
    List<Column<VariantRow>> cols = table.columns();
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
      StringBuilder sb = new StringBuilder(1024);
      for (Acc acc : rows.values()) {
        sb.setLength(0);
        for (Column<VariantRow> c : cols) {
          Object v = c.getter().apply(acc.row);
          BenchSupport.copyField(sb, v == null ? null : v.toString());
          sb.append('\t');
        }
        // created_run / updated_run are NOT NULL; 0 marks "not written by any pgingest run".
        sb.append("0\t0\n");
        w.append(sb);
      }
    }
    long n = rows.size();
    Set<String> merged = new HashSet<>();
    rows.forEach((k, acc) -> {
      if (acc.fingerprints.length > 1) {
        merged.add(k);
      }
    });
    rows.clear();
    CopyInput in =
        new CopyInput(file, Files.size(file), read[0], rejected[0], duplicates, n, merged);
    OUT.printf(
        Locale.ROOT,
        "  %,d records read, %,d rejected, %,d duplicates merged or dropped -> %,d rows"
            + " (%,d bytes of COPY text; %,d rows merged from 2+ distinct records) in %.1f s%n",
        in.read,
        in.rejected,
        in.duplicates,
        in.rows,
        in.bytes,
        in.mergedKeys.size(),
        (System.nanoTime() - t0) / 1e9);
    System.gc();
    return in;
  }

  private static InputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    return p.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  // ---------------------------------------------------------------- COPY loads

  private Figure copyIndexed(TableDef<VariantRow> table, CopyInput in, int attempt)
      throws Exception {
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      if (attempt > 0) {
        st.execute("DROP TABLE " + table.qualifiedName());
      }
      st.execute(TableDdl.createTable(table));
      for (IndexDef idx : table.indexes()) {
        st.execute(TableDdl.createIndex(table, idx));
      }
      st.execute("CHECKPOINT");
    }
    Timed t = copy(table, in);
    double seconds = t.seconds;
    BenchSupport.Cpu used = t.cpu;
    Figure f = new Figure("COPY, indexes built first", in.rows, seconds, used.others() / seconds);
    OUT.printf(
        Locale.ROOT,
        "  COPY %,d rows in %.1f s = %,.0f rows/s%n",
        in.rows,
        seconds,
        f.rate());
    OUT.printf(
        Locale.ROOT,
        "  CPU: postgres %.2f cores, this JVM (COPY client) %.2f cores, other processes %.2f cores,"
            + " iowait %.2f%n",
        used.postgres() / seconds,
        used.self() / seconds,
        used.others() / seconds,
        used.iowait() / seconds);
    bench.checkpoint();
    return f;
  }

  private Figure copyThenIndex(TableDef<VariantRow> table, CopyInput in, Figure baseline)
      throws Exception {
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      st.execute(TableDdl.createTable(table));
      st.execute("CHECKPOINT");
    }
    Timed copied = copy(table, in);
    double copySeconds = copied.seconds;
    BenchSupport.Cpu before = bench.cpu();
    long t0 = System.nanoTime();
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      for (IndexDef idx : table.indexes()) {
        st.execute(TableDdl.createIndex(table, idx));
      }
    }
    double indexSeconds = (System.nanoTime() - t0) / 1e9;
    double others = copied.cpu.others() + bench.cpu().minus(before).others();
    Figure f =
        new Figure(
            "COPY, then CREATE INDEX (reference)",
            in.rows,
            copySeconds + indexSeconds,
            others / (copySeconds + indexSeconds));
    OUT.printf(
        Locale.ROOT,
        "  COPY %.1f s + CREATE INDEX x%d %.1f s = %.1f s = %,.0f rows/s (%.2fx the baseline)%n",
        copySeconds,
        table.indexes().size(),
        indexSeconds,
        f.seconds,
        f.rate(),
        f.rate() / baseline.rate());
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      // Only a reference figure: dropping it keeps the later loads' database the same size.
      st.execute("DROP TABLE " + table.qualifiedName());
    }
    bench.checkpoint();
    return f;
  }

  /** One try of a measurement; {@code attempt} is 0 for the first, so later ones can reset. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /**
   * Measures again, up to {@code --retries} times, while processes outside the benchmark took CPU
   * during the measurement, and keeps the cleanest try: waiting for quiet beforehand cannot stop a
   * build from starting halfway through a two-minute load.
   */
  private <T> T attempts(Attempt<T> attempt, ToDoubleFunction<T> others)
      throws Exception {
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

  /** Back to an empty database for another fresh-load try: target, rejects and runs tables. */
  private void dropTargets(JobSpec spec) throws SQLException {
    String schema = spec.target().schema();
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      for (String t :
          List.of(spec.target().table(), spec.target().rejectsTable(), spec.target().runsTable())) {
        st.execute("DROP TABLE IF EXISTS " + Sql.qualified(schema, t));
      }
      st.execute("CHECKPOINT");
    }
  }

  /** Back to no upsert-path schema, for another try of its fresh load. */
  private void dropSchema(String schema) throws SQLException {
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + Sql.ident(schema) + " CASCADE");
      st.execute("CHECKPOINT");
    }
  }

  /** A timed step and the CPU it used. */
  private record Timed(double seconds, BenchSupport.Cpu cpu) {}

  /**
   * Times {@code COPY … FROM STDIN} alone; autocommit, so the time includes the fsync'd commit. CPU
   * is read while the connection is open: a backend that has just exited may be neither a live
   * child nor yet reaped into the postmaster's totals, and its CPU would be missed.
   */
  private Timed copy(TableDef<VariantRow> table, CopyInput in) throws Exception {
    String cols =
        Stream.concat(
                table.columns().stream().map(c -> Sql.ident(c.name())),
                Stream.of(TableDef.CREATED_RUN, TableDef.UPDATED_RUN))
            .collect(Collectors.joining(", "));
    String sql = "COPY " + table.qualifiedName() + " (" + cols + ") FROM STDIN";
    bench.awaitQuiet();
    try (Connection c = bench.connect();
        InputStream data = Files.newInputStream(in.file)) {
      c.isValid(5);
      BenchSupport.Cpu before = bench.cpu();
      long t0 = System.nanoTime();
      long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, data, 1 << 16);
      double seconds = (System.nanoTime() - t0) / 1e9;
      BenchSupport.Cpu used = bench.cpu().minus(before);
      if (n != in.rows) {
        throw new IllegalStateException("COPY loaded " + n + " rows, expected " + in.rows);
      }
      return new Timed(seconds, used);
    }
  }

  // ---------------------------------------------------------------- pgingest

  /** Where the run's time went: average and peak cores of pgingest and PostgreSQL, and others. */
  private static String cpuLine(BenchSupport.Run r) {
    BenchSupport.Cpu cpu = r.cpu;
    double pgAvg = cpu.postgres() / r.seconds;
    double javaAvg = cpu.children() / r.seconds;
    double peakJava = r.samples.stream().mapToDouble(s -> s[0]).max().orElse(0);
    double peakPg = r.samples.stream().mapToDouble(s -> s[1]).max().orElse(0);
    return String.format(
        Locale.ROOT,
        "pgingest JVM %.2f cores avg (peak %.2f), postgres %.2f cores avg (peak %.2f),"
            + " %.0f + %.0f CPU-seconds; other processes %.2f cores, iowait %.2f",
        javaAvg,
        peakJava,
        pgAvg,
        peakPg,
        cpu.children(),
        cpu.postgres(),
        cpu.others() / r.seconds,
        cpu.iowait() / r.seconds);
  }

  /**
   * Runs pgingest on the dump as its own process, so the MiniCluster's JVM does not share heap, GC
   * or JIT with this one (which still holds the COPY rows' garbage); the time is the wall clock a
   * user waits for, JVM start and index builds included.
   */
  private BenchSupport.Run pgingest(String label, Path dump, JobSpec spec, List<String> more)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--set",
                "checkpoint-interval=" + cfg.checkpointInterval,
                // The re-load measures reading unchanged input: past the file ledger, which would
                // otherwise skip the dump without reading it.
                "--force"));
    args.addAll(more);
    BenchSupport.Run r =
        bench.pgingest(
            label,
            cfg.jar,
            cfg.xmx,
            cfg.spec,
            dump,
            args,
            (p, t0, run) -> sample(p, spec, t0, run));
    bench.checkpoint();
    return r;
  }

  /**
   * Every few seconds: cores used by pgingest and by PostgreSQL, rows the target has taken, and
   * what the server's backends are busy with; the line that says where the time goes.
   */
  private void sample(Process p, JobSpec spec, long t0, BenchSupport.Run r) {
    try (Connection c = bench.connect()) {
      long pid = p.pid();
      double lastJava = bench.runnerCpu(pid);
      double lastPg = bench.postgresCpu();
      double lastMachine = bench.machineCpu()[0];
      double lastSelf = bench.processCpu(ProcessHandle.current().pid());
      long lastT = System.nanoTime();
      long lastTuples = tuplesWritten(c, spec);
      while (p.isAlive()) {
        Thread.sleep(SAMPLE_SECONDS * 1000L);
        if (!p.isAlive()) {
          break;
        }
        long now = System.nanoTime();
        double dt = (now - lastT) / 1e9;
        double java = bench.runnerCpu(pid);
        double pgCpu = bench.postgresCpu();
        double machine = bench.machineCpu()[0];
        double self = bench.processCpu(ProcessHandle.current().pid());
        long tuples = tuplesWritten(c, spec);
        String active = activeStatements(c);
        double javaCores = (java - lastJava) / dt;
        double pgCores = (pgCpu - lastPg) / dt;
        double otherCores =
            Math.max(0, (machine - lastMachine - self + lastSelf) / dt - javaCores - pgCores);
        r.samples.add(new double[] {javaCores, pgCores});
        OUT.printf(
            Locale.ROOT,
            "    ~ t=%5.0fs  pgingest %.2f cores  postgres %.2f  others %.2f  rows written %,d"
                + " (+%,.0f/s)  pg busy: %s%n",
            (now - t0) / 1e9,
            javaCores,
            pgCores,
            otherCores,
            tuples,
            (tuples - lastTuples) / dt,
            active);
        lastJava = java;
        lastPg = pgCpu;
        lastMachine = machine;
        lastSelf = self;
        lastT = now;
        lastTuples = tuples;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      OUT.println("    ~ sampler stopped: " + e);
    }
  }

  /** Inserts plus updates the statistics collector has seen on the target table so far. */
  private static long tuplesWritten(Connection c, JobSpec spec) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables"
                + " WHERE schemaname = ? AND relname = ?")) {
      ps.setString(1, spec.target().schema());
      ps.setString(2, spec.target().table());
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
                "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 40) AS q, count(*)"
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

  // ---------------------------------------------------------------- checks

  /**
   * The engine's table and the COPY table were built from the same dump by two paths; any key or
   * content difference is a finding about one of them.
   */
  private boolean compare(String target, String copy, CopyInput in, BenchSupport.Run fresh)
      throws SQLException {
    String cols = "canonical_name, haplogroup, variant_type, coordinates, aliases, evidence";
    String sql =
        "SELECT count(*) FILTER (WHERE c.variant_key IS NULL),"
            + " count(*) FILTER (WHERE t.variant_key IS NULL),"
            + " count(*) FILTER (WHERE t.variant_key IS NOT NULL AND c.variant_key IS NOT NULL"
            + " AND (t.canonical_name, t.haplogroup, t.variant_type, t.coordinates, t.aliases,"
            + " t.evidence) IS DISTINCT FROM (c.canonical_name, c.haplogroup, c.variant_type,"
            + " c.coordinates, c.aliases, c.evidence))"
            + " FROM " + target + " t FULL JOIN " + copy + " c ON c.variant_key = t.variant_key";
    try (Connection c = bench.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      long onlyTarget = rs.getLong(1);
      long onlyCopy = rs.getLong(2);
      long differ = rs.getLong(3);
      OUT.printf(
          Locale.ROOT,
          "  keys only in pgingest's table: %,d; only in COPY's: %,d; same key, different %s:"
              + " %,d%n",
          onlyTarget,
          onlyCopy,
          cols,
          differ);
      Map<String, Long> s = fresh.summary;
      OUT.printf(
          Locale.ROOT,
          "  read %,d vs %,d, rejected %,d vs %,d, duplicates %,d vs %,d (pgingest vs bench)%n",
          s.getOrDefault("read", -1L),
          in.read,
          s.getOrDefault("rejected", -1L),
          in.rejected,
          s.getOrDefault("duplicates", -1L),
          in.duplicates);
      boolean same =
          onlyTarget == 0
              && onlyCopy == 0
              && differ == 0
              && s.getOrDefault("read", -1L) == in.read
              && s.getOrDefault("rejected", -1L) == in.rejected;
      OUT.println(same ? "  OK: same rows" : "  MISMATCH: see the counts above");
      return same;
    }
  }

  /** Which rows an unchanged re-load rewrote, against the keys the dump builds from 2+ records. */
  private void explainReloadWrites(JobSpec spec, CopyInput in) throws SQLException {
    String table = Sql.qualified(spec.target().schema(), spec.target().table());
    String runs = Sql.qualified(spec.target().schema(), spec.target().runsTable());
    long updated = 0;
    long merged = 0;
    List<String> examples = new ArrayList<>();
    try (Connection c = bench.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT variant_key, canonical_name, haplogroup, aliases::text FROM "
                    + table
                    + " WHERE updated_run = (SELECT max(run_id) FROM "
                    + runs
                    + ") AND created_run <> updated_run")) {
      while (rs.next()) {
        updated++;
        if (in.mergedKeys.contains(rs.getString(1))) {
          merged++;
        }
        if (examples.size() < 3) {
          examples.add(rs.getString(2) + "/" + rs.getString(3) + " " + rs.getString(4));
        }
      }
    }
    OUT.printf(
        Locale.ROOT,
        "  rows the re-load rewrote: %,d, of which %,d are rows merged from 2+ distinct records"
            + " (%,d such rows in all); e.g. %s%n",
        updated,
        merged,
        in.mergedKeys.size(),
        examples);
  }

  private static void report(Figure f, Figure copy, Figure other, String otherLabel) {
    OUT.printf(
        Locale.ROOT,
        "  %,d rows in %.1f s wall = %,.0f rows/s = %.2fx COPY%s%n",
        f.rows,
        f.seconds,
        f.rate(),
        f.rate() / copy.rate(),
        other == null
            ? ""
            : String.format(Locale.ROOT, " = %.2fx %s", f.rate() / other.rate(), otherLabel));
  }

  // ---------------------------------------------------------------- plumbing

  private JobSpec spec(Map<String, String> overrides) throws IOException {
    String text = Files.readString(cfg.spec, StandardCharsets.UTF_8);
    return JobSpecParser.parse(text, cfg.spec.toString(), cfg.spec.getParent(), overrides);
  }
}
