import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.IndexDef;
import dev.pgingest.sink.Sql;
import dev.pgingest.sink.TableDdl;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.ColumnSpec;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.testutil.RaceDump;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The race-laps load benchmark: one LiveRC event (job time apart from start-up), then a season
 * against COPY of the same rows into the same four tables, its unchanged re-load, and the same for
 * a season of timing-system CSV sessions; all on one fresh fsync-on PostgreSQL. See
 * bench/README.md.
 */
public final class LapsBench {

  private static final PrintStream OUT = BenchSupport.OUT;

  private static final double CONTAMINATED = BenchSupport.CONTAMINATED;

  /** Goals of the issue: 10,000 laps in under 2 s of job time; at least half COPY's rows/s. */
  private static final double GOAL_SECONDS_PER_10K_LAPS = 2.0;

  private static final double GOAL_VS_COPY = 0.5;

  /** Seconds between the samples printed while pgingest runs. */
  private static final int SAMPLE_SECONDS = 5;

  /** How often the Flink REST API is asked for the job's state, in milliseconds. */
  private static final int REST_POLL_MILLIS = 100;

  /** The laps specs' tables, parents first: the order COPY loads them in. */
  private static final List<String> TABLES = List.of("events", "races", "race_results", "laps");

  /** Command-line settings. */
  private record Config(
      int events,
      int races,
      int drivers,
      int laps,
      long seed,
      int eventRuns,
      boolean season,
      boolean liveRcSeason,
      boolean reload,
      boolean timing,
      String xmx,
      String checkpointInterval,
      List<String> sets,
      List<String> jvmOptions,
      boolean jfr,
      Path work,
      Path jar,
      Path spec,
      Path timingSpec,
      boolean keepDb,
      int quietWait) {

    static Config parse(String[] args) {
      int events = 50;
      int races = 40;
      int drivers = 12;
      int laps = 30;
      long seed = RaceDump.DEFAULT_SEED;
      int eventRuns = 3;
      boolean season = true;
      boolean liveRcSeason = true;
      boolean reload = true;
      boolean timing = true;
      String xmx = "2g";
      String checkpoint = null;
      List<String> sets = new ArrayList<>();
      List<String> jvm = new ArrayList<>();
      boolean jfr = false;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path spec = Path.of("jobs/laps-liverc.yaml");
      Path timingSpec = Path.of("jobs/laps-timing-csv.yaml");
      boolean keep = false;
      int quiet = 600;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--events" -> events = count(args[++i]);
          case "--races" -> races = count(args[++i]);
          case "--drivers" -> drivers = count(args[++i]);
          case "--laps" -> laps = count(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--event-runs" -> eventRuns = Integer.parseInt(args[++i]);
          case "--no-season" -> season = false;
          case "--no-liverc" -> liveRcSeason = false;
          case "--no-reload" -> reload = false;
          case "--no-timing" -> timing = false;
          case "--xmx" -> xmx = args[++i];
          case "--checkpoint-interval" -> checkpoint = args[++i];
          case "--set" -> sets.add(args[++i]);
          case "--jvm-opt" -> jvm.add(args[++i]);
          case "--jfr" -> jfr = true;
          case "--work" -> work = Path.of(args[++i]);
          case "--jar" -> jar = Path.of(args[++i]);
          case "--spec" -> spec = Path.of(args[++i]);
          case "--timing-spec" -> timingSpec = Path.of(args[++i]);
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(args[++i]);
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            events = count(a);
          }
        }
      }
      if (races > RaceDump.MAX_RACES) {
        throw new IllegalArgumentException("--races must be at most " + RaceDump.MAX_RACES);
      }
      if (eventRuns < 0) {
        throw new IllegalArgumentException("--event-runs must be >= 0");
      }
      return new Config(
          events, races, drivers, laps, seed, eventRuns, season, liveRcSeason, reload, timing, xmx,
          checkpoint,
          List.copyOf(sets), List.copyOf(jvm), jfr, work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(), spec.toAbsolutePath().normalize(),
          timingSpec.toAbsolutePath().normalize(), keep, quiet);
    }

    private static int count(String s) {
      int n = Integer.parseInt(s.replace("_", "").replace(",", ""));
      if (n < 1) {
        throw new IllegalArgumentException("counts must be >= 1, got " + s);
      }
      return n;
    }
  }

  /** A generated season and what it holds. */
  private record Dump(RaceDump.Shape shape, Path dir, RaceDump.Stats stats) {}

  /** Where the time of one pgingest run went, from the Flink REST API while it ran. */
  private static final class JobTimes {
    volatile String webUrl;
    volatile long processStartMillis;
    volatile long jobStart = -1;
    volatile long jobEnd = -1;
    volatile String state;
    volatile int polls;

    /** Process start to the Flink job's start: JVM, MiniCluster, spec, schema, job graph. */
    double startup() {
      return jobStart < 0 ? Double.NaN : (jobStart - processStartMillis) / 1e3;
    }

    /** The Flink job from start to FINISHED, its final checkpoint included. */
    double job() {
      return jobStart < 0 || jobEnd < 0 ? Double.NaN : (jobEnd - jobStart) / 1e3;
    }
  }

  /** One pgingest load: the process, its job times and its per-table summary. */
  private record Load(
      String label, BenchSupport.Run run, JobTimes times, Map<String, Map<String, Long>> tables) {

    boolean ok() {
      return run.exit == 0;
    }

    double wall() {
      return run.seconds;
    }

    /** pgingest's own run time: schema, job, deferred indexes; no JVM or MiniCluster start. */
    double runSeconds() {
      return run.summarySeconds;
    }

    long sum(String figure) {
      return tables.values().stream().mapToLong(m -> m.getOrDefault(figure, 0L)).sum();
    }
  }

  /** A timed load's figures for the results table. */
  private record Figure(String label, long rows, double seconds, double others) {
    double rate() {
      return rows / seconds;
    }
  }

  private final Config cfg;
  private final BenchSupport bench;
  private boolean failed;

  private LapsBench(Config cfg) {
    this.cfg = cfg;
    this.bench = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
  }

  public static void main(String[] args) throws Exception {
    Config cfg =
        BenchSupport.configOrExit(
            "LapsBench",
            "[EVENTS, default 50] [--races 40] [--drivers 12] [--laps 30] [--seed S]"
                + " [--event-runs 3] [--no-season] [--no-liverc] [--no-reload] [--no-timing] [--xmx 2g]"
                + " [--checkpoint-interval D] [--set K=V ...] [--jvm-opt OPT ...] [--jfr]"
                + " [--work DIR] [--jar JAR] [--spec YAML] [--timing-spec YAML] [--keep-db]"
                + " [--quiet-wait SECONDS]",
            Config::parse,
            args);
    System.exit(new LapsBench(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    OUT.printf(
        Locale.ROOT,
        "Laps load benchmark: seasons of %,d events x %,d races x %,d drivers x %,d laps, seed %d,"
            + " pgingest heap -Xmx%s, %d cores, jar %s%n",
        cfg.events, cfg.races, cfg.drivers, cfg.laps, cfg.seed, cfg.xmx,
        Runtime.getRuntime().availableProcessors(), cfg.jar);
    for (Path p : List.of(cfg.jar, cfg.spec)) {
      if (!Files.exists(p)) {
        OUT.println("  ABORT: " + p + " does not exist");
        return 1;
      }
    }
    boolean liveRcSeason = cfg.season && cfg.liveRcSeason;
    Dump liveRc = liveRcSeason || cfg.eventRuns > 0 ? dump(RaceDump.Format.LIVERC) : null;
    boolean timing = cfg.timing && cfg.season;
    if (timing && !Files.exists(cfg.timingSpec)) {
      OUT.println("  (no " + cfg.timingSpec + ": the timing season is skipped)");
      timing = false;
    }
    Dump timingDump = timing ? dump(RaceDump.Format.TIMING) : null;

    bench.startPostgres();
    try {
      if (!bench.checkSettings(
          List.of(
              "server_version", "fsync", "synchronous_commit", "full_page_writes",
              "shared_buffers", "max_wal_size", "work_mem"))) {
        return 1;
      }
      List<Load> eventLoads = cfg.eventRuns > 0 ? oneEvent(liveRc) : List.of();
      Season season = liveRcSeason ? season("liverc", cfg.spec, liveRc, cfg.reload) : null;
      Season timingSeason = null;
      if (timingDump != null) {
        timingSeason = season("timing", timingOnlySpec(), timingDump, false);
      }
      results(liveRc, eventLoads, season, timingSeason, timingDump);
    } finally {
      bench.stopPostgres();
    }
    return failed ? 1 : 0;
  }

  // ---------------------------------------------------------------- inputs

  private Dump dump(RaceDump.Format format) throws IOException {
    RaceDump.Shape shape =
        new RaceDump.Shape(format, cfg.events, cfg.races, cfg.drivers, cfg.laps, cfg.seed);
    Path dir =
        cfg.work.resolve(
            String.format(
                Locale.ROOT, "laps-%s-e%d-r%d-d%d-l%d-s%d", format.name().toLowerCase(Locale.ROOT),
                cfg.events, cfg.races, cfg.drivers, cfg.laps, cfg.seed));
    BenchSupport.section("Season " + dir);
    long t0 = System.nanoTime();
    boolean[] reused = {false};
    RaceDump.Stats s = RaceDump.ensureSeason(dir, shape, reused);
    OUT.printf(
        Locale.ROOT,
        "  %s: %s%n",
        reused[0]
            ? "reusing it"
            : String.format(Locale.ROOT, "generated in %.1f s", (System.nanoTime() - t0) / 1e9),
        s.describe());
    return new Dump(shape, dir, s);
  }

  /**
   * The timing spec with its timing source alone: {@code --input} replaces the paths of every
   * source, and the telemetry codec would read the sessions' CSV files as broken telemetry.
   */
  private Path timingOnlySpec() throws IOException {
    Map<String, Object> spec = new Yaml().load(Files.readString(cfg.timingSpec));
    Object sources = spec.get("sources");
    if (sources instanceof List<?> list) {
      List<Object> kept = new ArrayList<>();
      for (Object s : list) {
        if (s instanceof Map<?, ?> m && "timing-csv".equals(m.get("format"))) {
          kept.add(s);
        }
      }
      spec.put("sources", kept);
    }
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Path out = cfg.timingSpec.resolveSibling("laps-timing-csv-only.yaml");
    Files.writeString(
        out,
        "# " + cfg.timingSpec.getFileName() + " with its timing-csv source alone (LapsBench)\n"
            + new Yaml(o).dump(spec));
    return out;
  }

  private JobSpec spec(Path file, Map<String, String> overrides) throws IOException {
    return JobSpecParser.parse(
        Files.readString(file, StandardCharsets.UTF_8), file.toString(), file.getParent(), overrides);
  }

  // ---------------------------------------------------------------- case (a): one event

  /**
   * The season's first event, loaded {@code --event-runs} times, each time fresh into a schema of
   * its own, so start-up and job time can be told apart and their spread seen.
   */
  private List<Load> oneEvent(Dump dump) throws Exception {
    RaceDump.Event model = RaceDump.event(dump.shape, 0);
    RaceDump.Stats s = RaceDump.count(model);
    Path input = dump.dir.resolve(model.folder());
    List<Load> loads = new ArrayList<>();
    for (int i = 1; i <= cfg.eventRuns; i++) {
      BenchSupport.section(
          String.format(
              Locale.ROOT,
              "One event (%d/%d): %s, %,d races, %,d results, %,d laps, fresh into schema event_%d",
              i, cfg.eventRuns, input.getFileName(), s.races(), s.results(), s.laps(), i));
      Load l = load("event-" + i, cfg.spec, input, "event_" + i, List.of());
      loads.add(l);
      if (l.ok()) {
        checkCounts(l, "event_" + i, s);
      }
    }
    return loads;
  }

  // ---------------------------------------------------------------- case (b): a season

  /** The figures of a season: COPY, pgingest's fresh load and (maybe) its unchanged re-load. */
  private record Season(
      String name, Dump dump, Figure copy, Load fresh, Load reload, Load ledgerRerun,
      boolean same) {}

  private Season season(String name, Path specFile, Dump dump, boolean withReload)
      throws Exception {
    String schema = name + "_season";
    String copySchema = name + "_copy";
    JobSpec copySpec = spec(specFile, Map.of("target.schema", copySchema));
    List<TableDef<TableRow>> copyTables = new DeclaredPipeline().tables(copySpec);

    BenchSupport.section(
        "Season (" + name + "): COPY baseline into schema " + copySchema + ", same DDL as the spec"
            + " creates, every key and index built first");
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + Sql.ident(copySchema));
      for (TableDef<TableRow> t : copyTables) {
        String ddl = TableDdl.createTable(t, copyTables);
        OUT.println("  " + ddl.replaceAll("\\s+", " "));
        st.execute(ddl);
        for (IndexDef x : t.indexes()) {
          String idx = TableDdl.createIndex(t, x);
          OUT.println("  " + idx);
          st.execute(idx);
        }
      }
    }
    Map<String, Path> copyFiles = copyRows(copySpec, copyTables, dump, name);
    Figure copy = copyLoad(copyTables, copyFiles, dump.stats);
    copyFiles.values().forEach(p -> p.toFile().delete());

    BenchSupport.section("Season (" + name + "): pgingest fresh load into schema " + schema);
    Load fresh = load(name + "-season", specFile, dump.dir, schema, List.of());
    boolean same = false;
    Load reload = null;
    Load ledger = null;
    if (fresh.ok()) {
      checkCounts(fresh, schema, dump.stats);
      BenchSupport.section("Season (" + name + "): cross-check (untimed), " + schema + " against " + copySchema);
      same = compare(copySpec, schema, copySchema);
      if (withReload) {
        BenchSupport.section(
            "Season (" + name + "): re-load of the unchanged season (--force: read everything)");
        reload = load(name + "-reload", specFile, dump.dir, schema, List.of("--force"));
        if (reload.ok()) {
          long written = reload.sum("inserted") + reload.sum("updated");
          OUT.printf(
              Locale.ROOT,
              "  re-load check: inserted %,d, updated %,d, unchanged %,d%s%n",
              reload.sum("inserted"), reload.sum("updated"), reload.sum("unchanged"),
              written == 0 ? "  OK (nothing written)" : "  UNEXPECTED: an unchanged season must write nothing");
          if (written != 0) {
            failed = true;
          }
        }
        BenchSupport.section(
            "Season (" + name + "): the same command again without --force (the file ledger skips"
                + " every file)");
        ledger = load(name + "-rerun", specFile, dump.dir, schema, List.of());
      }
    }
    return new Season(name, dump, copy, fresh, reload, ledger, same);
  }

  /**
   * The rows pgingest would store, from RaceDump's model rather than from parsing, in COPY text
   * format per table: each column takes its spec field's value; rows of one key once (every race
   * repeats its event).
   */
  private Map<String, Path> copyRows(
      JobSpec spec, List<TableDef<TableRow>> tables, Dump dump, String name) throws IOException {
    BenchSupport.section("Rows for COPY (untimed): RaceDump's model, as the spec's fields map it");
    long t0 = System.nanoTime();
    Map<String, TableSpec> specs = new LinkedHashMap<>();
    for (TableSpec t : spec.tables()) {
      specs.put(t.name(), t);
    }
    Map<String, Path> files = new LinkedHashMap<>();
    Map<String, Writer> writers = new LinkedHashMap<>();
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    Map<String, long[]> counts = new LinkedHashMap<>();
    try {
      for (TableDef<TableRow> t : tables) {
        Path f = cfg.work.resolve("copy-" + name + "-" + t.table() + ".tsv");
        files.put(t.table(), f);
        writers.put(
            t.table(),
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(f), StandardCharsets.UTF_8), 1 << 20));
        keys.put(t.table(), new HashSet<>());
        counts.put(t.table(), new long[1]);
        for (ColumnSpec c : specs.get(t.table()).columns()) {
          if (c.sqlDefault() == null && c.field() == null) {
            throw new IllegalArgumentException(
                "column " + t.table() + "." + c.name() + " takes " + c.value()
                    + ", which the COPY baseline does not model");
          }
        }
      }
      StringBuilder sb = new StringBuilder(512);
      RaceDump.forEachEvent(
          dump.shape,
          e -> {
            for (RaceDump.Race r : e.races()) {
              Map<String, String> race = RaceDump.raceFields(e, r);
              for (TableDef<TableRow> t : tables) {
                TableSpec ts = specs.get(t.table());
                if (ts.each() == null) {
                  row(sb, t, ts, race, writers, keys, counts, true);
                }
              }
              for (RaceDump.Result x : r.results()) {
                Map<String, String> result = RaceDump.resultFields(e, r, x);
                for (TableDef<TableRow> t : tables) {
                  TableSpec ts = specs.get(t.table());
                  if ("result".equals(ts.each())) {
                    row(sb, t, ts, result, writers, keys, counts, false);
                  }
                }
                for (RaceDump.Lap l : x.laps()) {
                  Map<String, String> lap = RaceDump.lapFields(e, r, x, l);
                  for (TableDef<TableRow> t : tables) {
                    TableSpec ts = specs.get(t.table());
                    if ("lap".equals(ts.each())) {
                      row(sb, t, ts, lap, writers, keys, counts, false);
                    }
                  }
                }
              }
            }
          });
    } finally {
      for (Writer w : writers.values()) {
        w.close();
      }
    }
    long bytes = 0;
    for (Path f : files.values()) {
      bytes += Files.size(f);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((t, n) -> parts.add(String.format(Locale.ROOT, "%s %,d", t, n[0])));
    OUT.printf(
        Locale.ROOT,
        "  %s rows; %,d bytes of COPY text in %.1f s%n",
        String.join(", ", parts), bytes, (System.nanoTime() - t0) / 1e9);
    return files;
  }

  /** One row of {@code t} from {@code fields}; {@code dedup} keeps a key's first row only. */
  private static void row(
      StringBuilder sb, TableDef<TableRow> t, TableSpec ts, Map<String, String> fields,
      Map<String, Writer> writers, Map<String, Set<String>> keys, Map<String, long[]> counts,
      boolean dedup) {
    if (dedup) {
      StringBuilder key = new StringBuilder();
      for (String k : t.keyColumns()) {
        key.append(fieldOf(ts, k, fields)).append('\u0001');
      }
      if (!keys.get(t.table()).add(key.toString())) {
        return;
      }
    }
    sb.setLength(0);
    boolean first = true;
    for (ColumnSpec c : ts.columns()) {
      if (c.sqlDefault() != null) {
        continue;
      }
      if (!first) {
        sb.append('\t');
      }
      first = false;
      BenchSupport.copyField(sb, fields.get(c.field()));
    }
    sb.append('\n');
    try {
      writers.get(t.table()).append(sb);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    counts.get(t.table())[0]++;
  }

  private static String fieldOf(TableSpec ts, String column, Map<String, String> fields) {
    for (ColumnSpec c : ts.columns()) {
      if (c.name().equals(column)) {
        return fields.get(c.field());
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + ts.name());
  }

  /**
   * Times the four COPYs, parents first, in one transaction: from the first COPY's start to the
   * fsync'd commit.
   */
  private Figure copyLoad(List<TableDef<TableRow>> tables, Map<String, Path> files, RaceDump.Stats s)
      throws Exception {
    BenchSupport.section("Baseline: COPY into the four tables, one transaction, timed to the commit");
    bench.checkpoint();
    bench.awaitQuiet();
    long total = 0;
    try (Connection c = bench.connect()) {
      c.setAutoCommit(false);
      c.isValid(5);
      BenchSupport.Cpu before = bench.cpu();
      long t0 = System.nanoTime();
      Map<String, Long> loaded = new LinkedHashMap<>();
      for (TableDef<TableRow> t : tables) {
        String cols =
            String.join(", ", t.writtenColumns().stream().map(col -> Sql.ident(col.name())).toList());
        try (InputStream in = Files.newInputStream(files.get(t.table()))) {
          long n =
              c.unwrap(PGConnection.class)
                  .getCopyAPI()
                  .copyIn("COPY " + t.qualifiedName() + " (" + cols + ") FROM STDIN", in, 1 << 16);
          loaded.put(t.table(), n);
          total += n;
        }
      }
      c.commit();
      double seconds = (System.nanoTime() - t0) / 1e9;
      BenchSupport.Cpu used = bench.cpu().minus(before);
      Figure f = new Figure("COPY, 4 tables, 1 transaction", total, seconds, used.others() / seconds);
      OUT.printf(
          Locale.ROOT,
          "  %s: %,d rows in %.2f s = %,.0f rows/s (%,.0f laps/s); postgres %.2f cores, this JVM"
              + " %.2f, other processes %.2f, iowait %.2f%n",
          loaded, total, seconds, f.rate(), s.laps() / seconds, used.postgres() / seconds,
          used.self() / seconds, f.others, used.iowait() / seconds);
      if (total != s.rows()) {
        OUT.printf(Locale.ROOT, "  MISMATCH: COPY loaded %,d rows, the season holds %,d%n", total, s.rows());
        failed = true;
      }
      return f;
    }
  }

  // ---------------------------------------------------------------- pgingest

  /** One pgingest run into {@code schema}, with the job's times from the Flink REST API. */
  private Load load(String label, Path specFile, Path input, String schema, List<String> more)
      throws Exception {
    List<String> extra = new ArrayList<>(List.of("--set", "target.schema=" + schema));
    if (cfg.checkpointInterval != null) {
      extra.addAll(List.of("--set", "checkpoint-interval=" + cfg.checkpointInterval));
    }
    for (String s : cfg.sets) {
      extra.addAll(List.of("--set", s));
    }
    extra.addAll(more);
    List<String> jvm = new ArrayList<>(cfg.jvmOptions);
    if (cfg.jfr) {
      Path rec = cfg.work.resolve("pgingest-laps-" + label + ".jfr");
      jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + rec + ",dumponexit=true");
    }
    JobTimes times = new JobTimes();
    BenchSupport.Run r =
        bench.pgingest(
            "laps-" + label, cfg.jar, cfg.xmx, jvm, specFile, input, extra,
            (p, t0, run) -> watch(p, t0, run, times, schema));
    Map<String, Map<String, Long>> tables = tableSummaries(r);
    Load l = new Load(label, r, times, tables);
    if (!l.ok()) {
      failed = true;
      OUT.printf(Locale.ROOT, "  FAILED: pgingest exited with %d after %.1f s; its own words:%n", r.exit, r.seconds);
      r.errors.forEach(e -> OUT.println("    " + e));
      OUT.println("  full output: " + r.log);
      return l;
    }
    if (times.jobStart < 0 && tables.isEmpty()) {
      OUT.printf(
          Locale.ROOT,
          "  wall %.2f s, no Flink job: every input file was loaded unchanged before%n", l.wall());
      return l;
    }
    OUT.printf(
        Locale.ROOT,
        "  wall %.2f s = start-up %s + Flink job %s + finish %s (pgingest's own run time %.2f s);"
            + " CPU: pgingest %.0f core-s, postgres %.0f, others %.2f cores%n",
        l.wall(), secs(times.startup()), secs(times.job()),
        secs(l.wall() - times.startup() - times.job()), l.runSeconds(), r.cpu.children(),
        r.cpu.postgres(), r.others());
    if (Double.isNaN(times.job())) {
      OUT.println(
          "  (the Flink job's times are unknown: "
              + (times.webUrl == null ? "no web UI address in the output" : "last state " + times.state)
              + ", " + times.polls + " REST polls)");
    }
    return l;
  }

  /**
   * While pgingest runs: the Flink REST API every 100 ms (the job's start and end), and every 5 s
   * the cores of pgingest, PostgreSQL and everything else and the rows written into the schema.
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
        double otherCores = Math.max(0, (machine - lastMachine - self + lastSelf) / dt - javaCores - pgCores);
        r.samples.add(new double[] {javaCores, pgCores});
        OUT.printf(
            Locale.ROOT,
            "    ~ t=%5.0fs  pgingest %.2f cores  postgres %.2f  others %.2f  rows written %,d"
                + " (+%,.0f/s)  job %s%n",
            (now - t0) / 1e9, javaCores, pgCores, otherCores, rows, (rows - lastRows) / dt,
            times.state == null ? "not yet submitted" : times.state.toLowerCase(Locale.ROOT));
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
      if (end.find() && Long.parseLong(end.group(1)) > 0 && isTerminal(times.state)) {
        times.jobEnd = Long.parseLong(end.group(1));
      }
    } catch (IOException e) {
      // Not up yet, or already shut down.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isTerminal(String state) {
    return List.of("FINISHED", "FAILED", "CANCELED").contains(state);
  }

  /** Inserts plus updates the statistics collector has seen on the schema's four tables. */
  private static long rowsWritten(Connection c, String schema) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables"
                    + " WHERE schemaname = '" + schema + "' AND relname IN ('events', 'races',"
                    + " 'race_results', 'laps')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The per-table figures of the summary JSON: read, rejected, inserted, updated, unchanged, … */
  private static Map<String, Map<String, Long>> tableSummaries(BenchSupport.Run r) throws IOException {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    Path summary = r.log.resolveSibling(r.log.getFileName().toString().replaceFirst("^pgingest-", "summary-").replaceFirst("\\.log$", ".json"));
    if (!Files.exists(summary)) {
      return out;
    }
    String json = Files.readString(summary);
    Matcher m = Pattern.compile("\"(\\w+)\": \\{([^}]*)\\}").matcher(json);
    while (m.find()) {
      Map<String, Long> figures = new LinkedHashMap<>();
      Matcher f = Pattern.compile("\"(\\w+)\": *(\\d+)(?![.\\d])").matcher(m.group(2));
      while (f.find()) {
        figures.put(f.group(1), Long.parseLong(f.group(2)));
      }
      out.put(m.group(1), figures);
    }
    return out;
  }

  // ---------------------------------------------------------------- checks

  /** Rows in the schema's tables and the progress table against the generator's counts. */
  private void checkCounts(Load l, String schema, RaceDump.Stats s) throws SQLException {
    long[] want = {s.events(), s.races(), s.results(), s.laps()};
    List<String> parts = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < TABLES.size(); i++) {
      long n = count(schema + "." + TABLES.get(i));
      parts.add(String.format(Locale.ROOT, "%s %,d", TABLES.get(i), n));
      ok &= n == want[i];
    }
    long complete = -1;
    try {
      complete = bench.queryLong(
          "SELECT count(*) FROM " + schema + ".race_ingest_status WHERE status = 'complete'");
    } catch (SQLException e) {
      OUT.println("  (race_ingest_status: " + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    ok &= complete == s.races();
    OUT.printf(
        Locale.ROOT,
        "  %s: %s; race_ingest_status complete %,d; generator: %,d / %,d / %,d / %,d  %s%n",
        schema, String.join(", ", parts), complete, s.events(), s.races(), s.results(), s.laps(),
        ok ? "OK" : "MISMATCH");
    if (!ok) {
      failed = true;
    }
    Map<String, Long> rejected = new LinkedHashMap<>();
    l.tables.forEach((t, m) -> rejected.put(t, m.getOrDefault("rejected", 0L)));
    if (rejected.values().stream().anyMatch(v -> v > 0)) {
      OUT.println("  rejected: " + rejected);
    }
  }

  /**
   * Each table of pgingest's schema against the COPY baseline's: keys on one side only, and rows
   * whose columns differ; the two were built by two paths (codec + pipeline, model), so any
   * difference is a bug in one of them.
   */
  private boolean compare(JobSpec spec, String schema, String copySchema) throws SQLException {
    boolean same = true;
    try (Connection c = bench.connect();
        Statement st = c.createStatement()) {
      for (TableSpec t : spec.tables()) {
        List<String> cols =
            t.columns().stream().filter(col -> col.sqlDefault() == null).map(ColumnSpec::name).toList();
        List<String> others = cols.stream().filter(col -> !t.key().contains(col)).toList();
        String on =
            String.join(" AND ", t.key().stream().map(k -> "a." + Sql.ident(k) + " = b." + Sql.ident(k)).toList());
        String k0 = Sql.ident(t.key().get(0));
        String differ =
            others.isEmpty()
                ? "false"
                : "ROW(" + String.join(", ", others.stream().map(o -> "a." + Sql.ident(o)).toList())
                    + ") IS DISTINCT FROM ROW("
                    + String.join(", ", others.stream().map(o -> "b." + Sql.ident(o)).toList()) + ")";
        String from =
            " FROM " + Sql.qualified(schema, t.name()) + " a FULL JOIN "
                + Sql.qualified(copySchema, t.name()) + " b ON " + on;
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE b." + k0 + " IS NULL), count(*) FILTER (WHERE a."
                    + k0 + " IS NULL), count(*) FILTER (WHERE a." + k0 + " IS NOT NULL AND b." + k0
                    + " IS NOT NULL AND " + differ + "), count(*)" + from)) {
          rs.next();
          long onlyOurs = rs.getLong(1);
          long onlyCopy = rs.getLong(2);
          long diff = rs.getLong(3);
          boolean ok = onlyOurs == 0 && onlyCopy == 0 && diff == 0;
          same &= ok;
          OUT.printf(
              Locale.ROOT,
              "  %-13s %,9d keys; only in pgingest's: %,d, only in COPY's: %,d, same key but"
                  + " different: %,d  %s%n",
              t.name(), rs.getLong(4), onlyOurs, onlyCopy, diff, ok ? "OK" : "MISMATCH");
        }
        if (!same) {
          try (ResultSet rs =
              st.executeQuery(
                  "SELECT row_to_json(a)::text, row_to_json(b)::text" + from + " WHERE a." + k0
                      + " IS NULL OR b." + k0 + " IS NULL OR " + differ + " LIMIT 3")) {
            while (rs.next()) {
              OUT.println("    pgingest: " + rs.getString(1));
              OUT.println("    COPY:     " + rs.getString(2));
            }
          }
        }
      }
    }
    if (!same) {
      failed = true;
    }
    return same;
  }

  private long count(String table) throws SQLException {
    try {
      return bench.queryLong("SELECT count(*) FROM " + table);
    } catch (SQLException e) {
      OUT.println("  (" + table + ": " + e.getMessage().lines().findFirst().orElse("") + ")");
      return -1;
    }
  }

  // ---------------------------------------------------------------- results

  private void results(
      Dump liveRc, List<Load> eventLoads, Season season, Season timing, Dump timingDump) {
    BenchSupport.section("Results (fsync on, synchronous_commit on)");
    if (!eventLoads.isEmpty()) {
      RaceDump.Stats s = RaceDump.count(RaceDump.event(liveRc.shape, 0));
      OUT.printf(
          Locale.ROOT,
          "  (a) one LiveRC event: %,d races, %,d results, %,d laps, %,d rows, %d pages%n",
          s.races(), s.results(), s.laps(), s.rows(), s.races() + 1);
      OUT.printf(
          Locale.ROOT,
          "  %-10s %8s %9s %8s %8s %9s %11s %14s %7s%n",
          "run", "wall s", "start-up", "job s", "finish", "run s", "laps/s job", "job s/10k laps", "others");
      List<Double> jobs = new ArrayList<>();
      List<Double> startups = new ArrayList<>();
      for (Load l : eventLoads) {
        if (!l.ok()) {
          OUT.printf(Locale.ROOT, "  %-10s FAILED (exit %d)%n", l.label, l.run.exit);
          continue;
        }
        double job = l.times.job();
        if (!Double.isNaN(job)) {
          jobs.add(job);
          startups.add(l.times.startup());
        }
        OUT.printf(
            Locale.ROOT,
            "  %-10s %8.2f %9s %8s %8s %9.2f %11s %14s %7.2f%s%n",
            l.label, l.wall(), num(l.times.startup()), num(job),
            num(l.wall() - l.times.startup() - job), l.runSeconds(),
            Double.isNaN(job) ? "n/a" : String.format(Locale.ROOT, "%,.0f", s.laps() / job),
            Double.isNaN(job) ? "n/a" : String.format(Locale.ROOT, "%.2f", job * 10_000 / s.laps()),
            l.run.others(), l.run.others() > CONTAMINATED ? " !" : "");
      }
      if (!jobs.isEmpty()) {
        double job = median(jobs);
        double per10k = job * 10_000 / s.laps();
        OUT.printf(
            Locale.ROOT,
            "  median: start-up %.2f s, job %.2f s = %.2f s of job time per 10,000 laps (goal < %.0f s):"
                + " %s%n",
            median(startups), job, per10k, GOAL_SECONDS_PER_10K_LAPS,
            per10k < GOAL_SECONDS_PER_10K_LAPS ? "MET" : "MISSED");
      }
      OUT.println(
          "  start-up: process start to the Flink job's start (JVM, MiniCluster, spec, tables, job"
              + " graph); job: the Flink job to FINISHED (final checkpoint included); finish: indexes,"
              + " counts, ANALYZE, exit; run s: pgingest's own summary seconds");
    }
    for (Season se : new Season[] {season, timing}) {
      if (se == null) {
        continue;
      }
      RaceDump.Stats s = se.dump.stats;
      OUT.println();
      OUT.printf(
          Locale.ROOT,
          "  (b) %s season: %,d events, %,d races, %,d results, %,d laps = %,d rows, %,d files,"
              + " %.1f MB%n",
          se.name.equals("liverc") ? "LiveRC" : "timing CSV", s.events(), s.races(), s.results(),
          s.laps(), s.rows(), s.files(), s.bytes() / 1e6);
      OUT.printf(
          Locale.ROOT,
          "  %-46s %9s %9s %10s %8s %7s%n", "load", "rows", "seconds", "rows/s", "vs COPY", "others");
      List<Figure> figs = new ArrayList<>();
      figs.add(se.copy);
      if (se.fresh != null && se.fresh.ok()) {
        Load f = se.fresh;
        figs.add(new Figure("pgingest fresh, run time (goal's figure)", s.rows(), f.runSeconds(), f.run.others()));
        if (!Double.isNaN(f.times.job())) {
          figs.add(new Figure("pgingest fresh, Flink job only", s.rows(), f.times.job(), f.run.others()));
        }
        figs.add(new Figure("pgingest fresh, wall (JVM start to exit)", s.rows(), f.wall(), f.run.others()));
      }
      if (se.reload != null && se.reload.ok()) {
        Load r = se.reload;
        figs.add(new Figure("pgingest re-load --force, run time", s.rows(), r.runSeconds(), r.run.others()));
        figs.add(new Figure("pgingest re-load --force, wall", s.rows(), r.wall(), r.run.others()));
      }
      for (Figure f : figs) {
        OUT.printf(
            Locale.ROOT,
            "  %-46s %,9d %9.2f %,10.0f %7.2fx %7.2f%s%n",
            f.label, f.rows, f.seconds, f.rate(), f.rate() / se.copy.rate(), f.others,
            f.others > CONTAMINATED ? " !" : "");
      }
      if (se.fresh != null && se.fresh.ok()) {
        double vs = s.rows() / se.fresh.runSeconds() / se.copy.rate();
        OUT.printf(
            Locale.ROOT,
            "  goal: >= %.0f%% of COPY's rows/s: %.0f%% (run time; %s job only, %.0f%% wall)  %s%n",
            GOAL_VS_COPY * 100, vs * 100,
            Double.isNaN(se.fresh.times.job())
                ? "n/a"
                : String.format(Locale.ROOT, "%.0f%%", 100 * s.rows() / se.fresh.times.job() / se.copy.rate()),
            100 * s.rows() / se.fresh.wall() / se.copy.rate(), vs >= GOAL_VS_COPY ? "MET" : "MISSED");
        OUT.printf(
            Locale.ROOT,
            "  fresh load: wall %.1f s = start-up %s + job %s + finish %s; cross-check against"
                + " COPY: %s%n",
            se.fresh.wall(), secs(se.fresh.times.startup()), secs(se.fresh.times.job()),
            secs(se.fresh.wall() - se.fresh.times.startup() - se.fresh.times.job()),
            se.same ? "same rows" : "DIFFERENT (see above)");
      }
      if (se.reload != null && se.reload.ok() && se.fresh.ok()) {
        OUT.printf(
            Locale.ROOT,
            "  re-load vs fresh load: %.2fx the run time (%.1f s vs %.1f s), inserted %,d, updated %,d%n",
            se.reload.runSeconds() / se.fresh.runSeconds(), se.reload.runSeconds(),
            se.fresh.runSeconds(), se.reload.sum("inserted"), se.reload.sum("updated"));
      }
      if (se.ledgerRerun != null && se.ledgerRerun.ok()) {
        OUT.printf(
            Locale.ROOT,
            "  the same command again (no --force): %.1f s wall, every file skipped by the ledger%n",
            se.ledgerRerun.wall());
      }
    }
    OUT.println();
    OUT.println(
        "  '!' marks a figure taken while other processes used more than " + CONTAMINATED
            + " core: it is low; re-run on a quiet machine");
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static String num(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f", s);
  }

  private static String secs(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.2f s", s);
  }
}
