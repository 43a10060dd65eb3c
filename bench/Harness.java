import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: for every workload, generate → pgingest → strongest COPY route → row for
 * row cross-check, on one fsync-on PostgreSQL, then one table of figures. See bench/HARNESS.md.
 */
public final class Harness {

  private static final String USAGE =
      "Harness [--quick] [--only NAME[,NAME]] [--keep-db] [--quiet-wait S] [--work DIR]"
          + " [--jar JAR] [--jobs DIR] [--bench DIR]";

  /** Command-line settings. */
  private record Config(
      boolean quick,
      List<String> only,
      boolean keepDb,
      int quietWait,
      Path work,
      Path jar,
      Path jobs,
      Path bench) {

    static Config parse(String[] args) {
      boolean quick = false;
      List<String> only = List.of();
      boolean keep = false;
      Integer quiet = null;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path jobs = Path.of("jobs");
      Path bench = Path.of("bench");
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--quick" -> quick = true;
          case "--only" -> only = List.of(args[++i].split(","));
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(args[++i]);
          case "--work" -> work = Path.of(args[++i]);
          case "--jar" -> jar = Path.of(args[++i]);
          case "--jobs" -> jobs = Path.of(args[++i]);
          case "--bench" -> bench = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Config(
          quick,
          only,
          keep,
          quiet != null ? quiet : quick ? 60 : 600,
          work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(),
          jobs.toAbsolutePath().normalize(),
          bench.toAbsolutePath().normalize());
    }
  }

  private final Config cfg;
  private final BenchSupport support;
  private final List<String> warmed = new ArrayList<>();

  private Harness(Config cfg) {
    this.cfg = cfg;
    this.support = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
  }

  /** Every workload at the size a run of this mode uses, in the order they run. */
  private List<Workload> workloads() {
    if (cfg.quick) {
      return List.of(
          new YBrowseWorkload(100_000),
          new ProfilesWorkload(50_000),
          new LapsWorkload(2),
          new GenbankWorkload("12m", 300),
          new ShopWorkload(1_000, 10_000),
          new CsvPeerWorkload(100_000));
    }
    return List.of(
        new YBrowseWorkload(3_000_000),
        new ProfilesWorkload(500_000),
        new LapsWorkload(50),
        new GenbankWorkload("1g", 2000),
        new ShopWorkload(10_000, 100_000),
        new CsvPeerWorkload(400_000),
        new CsvPeerWorkload(4_000_000));
  }

  public static void main(String[] args) throws Exception {
    Config cfg;
    try {
      cfg = Config.parse(args);
    } catch (RuntimeException e) {
      System.err.println("Harness: " + e.getMessage());
      System.err.println("Usage: " + USAGE);
      System.exit(2);
      return;
    }
    System.exit(new Harness(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    List<Workload> chosen = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (Workload w : workloads()) {
      if (!known.contains(w.name())) {
        known.add(w.name());
      }
      if (cfg.only.isEmpty() || cfg.only.contains(w.name())) {
        chosen.add(w);
      }
    }
    for (String n : cfg.only) {
      if (!known.contains(n)) {
        System.err.println("Harness: no workload " + n + "; there are " + known);
        return 2;
      }
    }
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "pgingest bench harness: %s, workloads %s, %d cores, jar %s%n",
        cfg.quick ? "--quick (a check, not figures to quote)" : "quotable sizes",
        chosen.stream().map(Workload::name).toList(),
        Runtime.getRuntime().availableProcessors(),
        cfg.jar);
    List<Workload.Figures> figures = new ArrayList<>();
    boolean ok = true;
    support.startPostgres();
    try {
      if (!support.checkSettings()) {
        return 1;
      }
      for (Workload w : chosen) {
        List<Workload.Figures> f = runOne(w);
        figures.addAll(f);
        ok &= f.stream().allMatch(x -> x.check().equals("OK") || x.check().startsWith("SKIPPED"));
      }
    } finally {
      support.stopPostgres();
    }
    Report.print(figures, cfg.quick);
    Report.write(figures, cfg.work, cfg.quick);
    return ok ? 0 : 1;
  }

  /** One workload, start to end; a failure in it becomes its line's check, not the end of the run. */
  private List<Workload.Figures> runOne(Workload w) throws Exception {
    BenchSupport.section("Workload " + w.name() + " (" + w.size() + ")");
    List<Workload.Figures> out = new ArrayList<>();
    String label = "pgingest";
    BenchSupport.Run run = null;
    Workload.Summary summary = null;
    try {
      w.prepare(this);
      Workload.Invocation inv = w.invocation(this);
      warmUp(inv.xmx());
      BenchSupport.section(w.name() + ": pgingest into schema " + w.schema());
      Path summaryFile = cfg.work.resolve("summary-" + w.name() + ".json");
      Files.deleteIfExists(summaryFile);
      run = pgingest(w.name(), inv, w.schema(), summaryFile);
      summary = Workload.Summary.read(summaryFile);
      if (run.exit() != 0) {
        BenchSupport.OUT.println("  FAILED: pgingest exited with " + run.exit() + "; its words:");
        run.errors().forEach(l -> BenchSupport.OUT.println("    " + l));
        out.add(figures(w, label, run, summary, Double.NaN, "FAILED (exit " + run.exit() + ")"));
        return out;
      }
      BenchSupport.section(w.name() + ": COPY baseline into schema " + w.copySchema());
      BenchSupport.Timed copy = w.baseline(this, summary);
      BenchSupport.OUT.printf(
          Locale.ROOT,
          "  COPY baseline %.2f s; postgres %.2f cores, other processes %.2f%n",
          copy.seconds(),
          copy.cpu().postgres() / copy.seconds(),
          copy.others());
      List<Workload.Figures> peers = w.peers(this, copy);
      BenchSupport.section(w.name() + ": cross-check (untimed)");
      boolean same = w.check(this, summary);
      out.add(figures(w, label, run, summary, copy.seconds(), same ? "OK" : "MISMATCH"));
      out.addAll(peers);
    } catch (Exception e) {
      BenchSupport.OUT.println("  FAILED: " + e);
      e.printStackTrace(BenchSupport.OUT);
      String why = "FAILED: " + e.getMessage();
      // pgingest's own figures stay on the line when a later step (baseline, check) failed.
      out.add(
          run != null && summary != null
              ? figures(w, label, run, summary, Double.NaN, why)
              : Workload.Figures.skipped(w.name(), label, "error").withCheck(why));
    }
    return out;
  }

  private Workload.Figures figures(
      Workload w,
      String label,
      BenchSupport.Run run,
      Workload.Summary summary,
      double copySeconds,
      String check) {
    long rows = summary.written();
    return new Workload.Figures(
        w.name() + " " + w.size(),
        label,
        rows,
        run.seconds(),
        summary.seconds(),
        run.startup(),
        copySeconds,
        rows == 0 ? Double.NaN : run.clientCpu() * 1e6 / rows,
        rows == 0 ? Double.NaN : run.postgresCpu() * 1e6 / rows,
        run.peakHeapMb(),
        run.checkpoints(),
        run.checkpointMb(),
        run.others(),
        check);
  }

  // ---------------------------------------------------------------- what workloads use

  BenchSupport support() {
    return support;
  }

  Path work() {
    return cfg.work;
  }

  boolean quick() {
    return cfg.quick;
  }

  /** A job spec of the repository, from the snapshot run.sh took. */
  Path jobSpec(String file) {
    return cfg.jobs.resolve(file);
  }

  /** A file of bench/ (the csv-peer spec). */
  Path benchFile(String file) {
    return cfg.bench.resolve(file);
  }

  /**
   * Runs {@code java -Xmx… -jar pgingest.jar run SPEC --input IN …} into {@code schema} as its own
   * process, measured by {@link BenchSupport#measure}. The class-data archive the launcher keeps
   * lives in bench/work/pgingest-home, so runs of this harness share it and no one else's.
   */
  BenchSupport.Run pgingest(String label, Workload.Invocation inv, String schema, Path summary)
      throws Exception {
    Path home = Files.createTempDirectory(cfg.work, "home-");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + inv.xmx(),
                "-jar",
                cfg.jar.toString(),
                "run",
                inv.spec().toString(),
                "--input",
                inv.input().toString(),
                "--jdbc-url",
                support.url(),
                "--summary-json",
                summary.toString(),
                "--home",
                home.toString(),
                "--set",
                "target.schema=" + schema));
    cmd.addAll(inv.args());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGINGEST_HOME", cfg.work.resolve("pgingest-home").toString());
    try {
      return support.measure(new BenchSupport.Command(label, cmd, env, true));
    } finally {
      BenchSupport.deleteTree(home);
    }
  }

  /**
   * The launcher's first run with a given jar and JVM options writes its class-data archive, which
   * every later run maps: a user's start-up is the later one. So before the first measured run of a
   * heap size, an untimed load of a small CSV makes the archive.
   */
  private void warmUp(String xmx) throws Exception {
    Path marker =
        cfg.work
            .resolve("pgingest-home")
            .resolve(
                String.format(
                    Locale.ROOT,
                    "warm-%d-%d-%s",
                    Files.size(cfg.jar),
                    Files.getLastModifiedTime(cfg.jar).toMillis(),
                    xmx));
    if (warmed.contains(xmx) || Files.exists(marker)) {
      return;
    }
    BenchSupport.section("Warm-up (untimed): the launcher's class-data archive for -Xmx" + xmx);
    Path csv = cfg.work.resolve("warmup.csv");
    if (!Files.exists(csv)) {
      dev.pgingest.workload.profiles.ProfilesDump.write(csv, 2_000, 0, 1_000_000_000L, 7);
    }
    Workload.Invocation inv =
        new Workload.Invocation(benchFile("csv-peer.yaml"), csv, xmx, List.of("--force"));
    BenchSupport.Run r = pgingest("warmup", inv, "warmup", cfg.work.resolve("summary-warmup.json"));
    support.execute("DROP SCHEMA IF EXISTS warmup CASCADE");
    if (r.exit() == 0) {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "");
    }
    warmed.add(xmx);
  }
}
