import dev.pgingest.testutil.GenbankDump;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GenBank load benchmark: one division (the tests' GenbankDump) loaded by the BioSQL baseline
 * (Biopython, bench/biosql_load.py, on a prefix) and by pgingest with its heap capped at 512 MB, on
 * the same embedded PostgreSQL, in the same run. See bench/README.md.
 */
public final class GenbankBench {

  private static final PrintStream OUT = BenchSupport.OUT;

  private static final double CONTAMINATED = BenchSupport.CONTAMINATED;

  /** What the loader pgingest replaces parsed, in records/s, and the goals of the issue. */
  private static final double OLD_LOW = 200;

  private static final double OLD_HIGH = 500;
  private static final double GOAL_VS_OLD = 20;
  private static final double GOAL_VS_BIOSQL = 10;
  private static final long GOAL_HEAP_MB = 512;

  /** Seconds between the samples printed while pgingest runs. */
  private static final int SAMPLE_SECONDS = 5;

  /** Exit code when the pgingest half could not run because the spec does not exist yet. */
  private static final int NO_SPEC = 3;

  private static final List<String> TABLES = List.of("genbank_record", "genbank_feature");

  /** Command-line settings. */
  private record Config(
      long bytes,
      long records,
      long seed,
      int bigEvery,
      int files,
      boolean gz,
      Path work,
      Path jar,
      Path spec,
      String xmx,
      boolean biosql,
      int biosqlLimit,
      double biosqlTimeCap,
      Path schema,
      String python,
      Path biosqlScript,
      List<String> sets,
      List<String> jvmOptions,
      String objects,
      boolean keepDb,
      int quietWait) {

    static Config parse(String[] args) {
      long bytes = GenbankDump.DEFAULT_BYTES;
      long records = 0;
      long seed = GenbankDump.DEFAULT_SEED;
      int bigEvery = GenbankDump.DEFAULT_BIG_EVERY;
      int files = 1;
      boolean gz = false;
      Path work = Path.of("bench/work");
      Path jar = Path.of("target/pgingest.jar");
      Path spec = Path.of("jobs/genbank.yaml");
      String xmx = "512m";
      boolean biosql = true;
      int limit = 0;
      double cap = 180;
      Path schema = Path.of("/work/shared/peers/biosql/biosqldb-pg.sql");
      String python = "/usr/bin/python3";
      Path script = Path.of("bench/biosql_load.py");
      List<String> sets = new ArrayList<>();
      List<String> jvm = new ArrayList<>();
      boolean jfr = false;
      String objects = null;
      boolean keep = false;
      int quiet = 600;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--bytes" -> bytes = GenbankDump.parseSize(args[++i]);
          case "--records" -> records = Long.parseLong(args[++i].replace("_", ""));
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--big-every" -> bigEvery = Integer.parseInt(args[++i]);
          case "--files" -> files = Integer.parseInt(args[++i]);
          case "--gz" -> gz = true;
          case "--work" -> work = Path.of(args[++i]);
          case "--jar" -> jar = Path.of(args[++i]);
          case "--spec" -> spec = Path.of(args[++i]);
          case "--xmx" -> xmx = args[++i];
          case "--no-biosql" -> biosql = false;
          case "--biosql-limit" -> limit = Integer.parseInt(args[++i]);
          case "--biosql-time-cap" -> cap = Double.parseDouble(args[++i]);
          case "--schema" -> schema = Path.of(args[++i]);
          case "--python" -> python = args[++i];
          case "--biosql-script" -> script = Path.of(args[++i]);
          case "--set" -> sets.add(args[++i]);
          case "--jvm-opt" -> jvm.add(args[++i]);
          case "--jfr" -> jfr = true;
          case "--objects" -> objects = args[++i];
          case "--keep-db" -> keep = true;
          case "--quiet-wait" -> quiet = Integer.parseInt(args[++i]);
          default -> {
            if (a.startsWith("-")) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            bytes = GenbankDump.parseSize(a);
          }
        }
      }
      if (files < 1) {
        throw new IllegalArgumentException("--files must be >= 1");
      }
      if (jfr) {
        // A profile of the whole run, for `jfr print` / `jfr summary` or JDK Mission Control.
        Path rec = work.toAbsolutePath().normalize().resolve("pgingest-genbank.jfr");
        jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + rec + ",dumponexit=true");
      }
      return new Config(
          bytes,
          records,
          seed,
          bigEvery,
          files,
          gz,
          work.toAbsolutePath().normalize(),
          jar.toAbsolutePath().normalize(),
          spec.toAbsolutePath().normalize(),
          xmx,
          biosql,
          limit,
          cap,
          schema.toAbsolutePath().normalize(),
          python,
          script.toAbsolutePath().normalize(),
          List.copyOf(sets),
          List.copyOf(jvm),
          objects,
          keep,
          quiet);
    }
  }

  /** The division and what it holds. */
  private record Dump(Path path, GenbankDump.Stats stats) {}

  /** A load's figures; {@code bytes} are uncompressed GenBank text. */
  private record Figure(
      String label, long records, long features, long bytes, double seconds, double others) {
    double rate() {
      return records / seconds;
    }

    double featureRate() {
      return features / seconds;
    }

    double mbps() {
      return bytes / 1e6 / seconds;
    }
  }

  /** Heap of the pgingest JVM as jstat saw it, in KB. */
  private static final class Heap {
    volatile double maxUsed;
    volatile double maxOld;
    volatile double maxCommitted;
    volatile int samples;
    volatile String problem;
  }

  private final Config cfg;
  private final BenchSupport bench;

  private GenbankBench(Config cfg) {
    this.cfg = cfg;
    this.bench = new BenchSupport(cfg.work, cfg.keepDb, cfg.quietWait);
  }

  public static void main(String[] args) throws Exception {
    Config cfg =
        BenchSupport.configOrExit(
            "GenbankBench",
            "[BYTES, e.g. 1g] [--records N] [--seed S] [--big-every 2000]"
              + " [--files N] [--gz] [--xmx 512m] [--no-biosql] [--biosql-limit N]"
              + " [--biosql-time-cap 180] [--schema biosqldb-pg.sql] [--python /usr/bin/python3]"
              + " [--set K=V ...] [--jvm-opt OPT ...] [--jfr] [--objects URL|none] [--work DIR] [--jar JAR] [--spec YAML] [--keep-db]"
              + " [--quiet-wait SECONDS]",
            Config::parse,
            args);
    System.exit(new GenbankBench(cfg).run());
  }

  private int run() throws Exception {
    Files.createDirectories(cfg.work);
    OUT.printf(
        Locale.ROOT,
        "GenBank load benchmark: %s, a bacterial-size record every %,d, seed %d, %d file%s%s,"
            + " pgingest heap -Xmx%s, %d cores, jar %s%n",
        cfg.records > 0
            ? cfg.records + " records per file"
            : String.format(Locale.ROOT, "%,d bytes uncompressed", cfg.bytes),
        cfg.bigEvery,
        cfg.seed,
        cfg.files,
        cfg.files == 1 ? "" : "s",
        cfg.gz ? " (gzip)" : "",
        cfg.xmx,
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
              "work_mem"))) {
        return 1;
      }
      return measure(dump);
    } finally {
      bench.stopPostgres();
    }
  }

  private int measure(Dump dump) throws Exception {
    GenbankDump.Stats d = dump.stats;
    Figure biosql = cfg.biosql ? biosql(dump) : null;

    BenchSupport.section("pgingest on the whole division (subprocess, -Xmx" + cfg.xmx + ")");
    Figure pgingest = null;
    BenchSupport.Run run = null;
    Heap heap = new Heap();
    Map<String, Long> uploads = new LinkedHashMap<>();
    boolean ok = true;
    boolean skipped = false;
    if (!Files.exists(cfg.spec)) {
      skipped = true;
      OUT.println(
          "  SKIPPED: no job spec at "
              + cfg.spec
              + " (jobs/genbank.yaml, declaring genbank_record and genbank_feature, is not in this"
              + " checkout yet). The division and the BioSQL baseline above are measured; re-run"
              + " once the spec exists.");
    } else {
      List<String> extra = new ArrayList<>();
      if (cfg.objects == null) {
        // A fresh local object store, so every object of the run is a new upload.
        Path objects = cfg.work.resolve("objects");
        BenchSupport.deleteTree(objects);
        Files.createDirectories(objects);
        extra.addAll(List.of("--set", "target.objects=" + objects.toUri()));
      } else if (!cfg.objects.equals("none")) {
        extra.addAll(List.of("--set", "target.objects=" + cfg.objects));
      }
      for (String s : cfg.sets) {
        extra.add("--set");
        extra.add(s);
      }
      run =
          bench.pgingest(
              "genbank",
              cfg.jar,
              cfg.xmx,
              cfg.jvmOptions,
              cfg.spec,
              dump.path,
              extra,
              (p, t0, r) -> watch(p, t0, r, heap));
      if (run.exit == 0) {
        pgingest =
            new Figure(
                "pgingest -Xmx" + cfg.xmx + ", whole division",
                d.records(),
                d.features(),
                d.bytes(),
                run.seconds,
                run.others());
        uploads = uploadFigures(run);
        ok = crossCheck(d, run);
      } else {
        ok = false;
        OUT.printf(
            Locale.ROOT,
            "  FAILED: pgingest exited with %d after %.1f s; its own words:%n",
            run.exit,
            run.seconds);
        run.errors.forEach(l -> OUT.println("    " + l));
        OUT.println("  full output: " + run.log);
      }
    }

    BenchSupport.section(
        String.format(
            Locale.ROOT,
            "Results (%,d-byte division: %,d records, %,d of them bacterial-size, %,d features;"
                + " fsync on)",
            d.bytes(),
            d.records(),
            d.bigRecords(),
            d.features()));
    OUT.printf(
        Locale.ROOT,
        "  %-34s %8s %9s %8s %8s %10s %10s %7s %7s%n",
        "load",
        "records",
        "features",
        "MB",
        "seconds",
        "records/s",
        "features/s",
        "MB/s",
        "others");
    for (Figure f : new Figure[] {biosql, pgingest}) {
      if (f != null) {
        OUT.printf(
            Locale.ROOT,
            "  %-34s %,8d %,9d %8.1f %8.1f %,10.1f %,10.0f %7.2f %7.2f%s%n",
            f.label,
            f.records,
            f.features,
            f.bytes / 1e6,
            f.seconds,
            f.rate(),
            f.featureRate(),
            f.mbps(),
            f.others,
            f.others > CONTAMINATED ? " !" : "");
      }
    }
    if (biosql != null) {
      OUT.printf(
          Locale.ROOT,
          "  (BioSQL loads a prefix of the same division: its %,d records are %.1f%% of it; at"
              + " %,.0f records/s the whole would take %s)%n",
          biosql.records,
          100.0 * biosql.records / d.records(),
          biosql.rate(),
          duration(d.records() / biosql.rate()));
    }
    if (run != null && run.exit == 0) {
      OUT.printf(
          Locale.ROOT,
          "  pgingest wall time %.1f s (JVM and MiniCluster start to exit; its own summary: %.1f s)%n",
          run.seconds,
          run.summarySeconds);
    }
    if ((biosql != null && biosql.others > CONTAMINATED)
        || (pgingest != null && pgingest.others > CONTAMINATED)) {
      OUT.println("  ! other processes used CPU during a load marked '!': its figure is low; re-run");
    }

    BenchSupport.section("pgingest heap and uploads");
    if (heap.samples > 0) {
      OUT.printf(
          Locale.ROOT,
          "  peak heap used %.0f MB (old generation at most %.0f MB, committed at most %.0f MB),"
              + " from %,d jstat samples every 250 ms%n",
          heap.maxUsed / 1024,
          heap.maxOld / 1024,
          heap.maxCommitted / 1024,
          heap.samples);
    } else {
      OUT.println("  peak heap: not measured" + (heap.problem == null ? "" : " (" + heap.problem + ")"));
    }
    if (run != null && run.exit == 0) {
      Long up = uploads.get("uploaded");
      Long stored = uploads.get("already");
      Long bytesUp = uploads.get("bytes");
      Long concurrent = uploads.get("concurrent");
      OUT.printf(
          Locale.ROOT,
          "  objects uploaded %s, already stored %s, bytes uploaded %s%n",
          fmt(up),
          fmt(stored),
          fmt(bytesUp));
      OUT.printf(
          Locale.ROOT,
          "  uploads/s %s (over the wall time), concurrent-upload maximum %s%n",
          up == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", up / run.seconds),
          concurrent == null ? "n/a (pgingest's summary does not report it)" : fmt(concurrent));
    } else {
      OUT.println("  uploads: not measured (pgingest did not run to the end)");
    }

    BenchSupport.section("Goals");
    if (pgingest != null) {
      double r = pgingest.rate();
      OUT.printf(
          Locale.ROOT,
          "  >= %.0fx the old loader's %.0f-%.0f records/s end to end: %,.0f records/s = %.1fx-%.1fx"
              + "  %s%n",
          GOAL_VS_OLD,
          OLD_LOW,
          OLD_HIGH,
          r,
          r / OLD_HIGH,
          r / OLD_LOW,
          r >= GOAL_VS_OLD * OLD_HIGH
              ? "MET"
              : r >= GOAL_VS_OLD * OLD_LOW ? "MET against 200/s only" : "MISSED");
      boolean heapOk = run.errors.stream().noneMatch(l -> l.contains("OutOfMemoryError"));
      OUT.printf(
          Locale.ROOT,
          "  peak heap <= %d MB whatever the record sizes (largest record %s): %s, no"
              + " OutOfMemoryError: %s%n",
          GOAL_HEAP_MB,
          d.bigRecords() > 0 ? "2-6 Mb, bacterial" : "<= 30 kb: no bacterial-size record in this dump",
          heap.samples > 0 ? String.format(Locale.ROOT, "%.0f MB used at most", heap.maxUsed / 1024) : "n/a",
          heapOk ? "MET" : "MISSED");
      if (biosql != null) {
        double vs = pgingest.rate() / biosql.rate();
        double vsMb = pgingest.mbps() / biosql.mbps();
        OUT.printf(
            Locale.ROOT,
            "  >= %.0fx the BioSQL loader: %.1fx its records/s, %.1fx its MB/s  %s%n",
            GOAL_VS_BIOSQL,
            vs,
            vsMb,
            Math.min(vs, vsMb) >= GOAL_VS_BIOSQL ? "MET" : "MISSED");
      }
    } else {
      OUT.printf(
          Locale.ROOT,
          "  not measured: pgingest %s. For the record: >= %.0fx the old loader means >= %,.0f"
              + " records/s (>= %,.0f against 200/s)%s%n",
          skipped ? "was skipped (no spec)" : "failed",
          GOAL_VS_OLD,
          GOAL_VS_OLD * OLD_HIGH,
          GOAL_VS_OLD * OLD_LOW,
          biosql == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "; >= %.0fx BioSQL means >= %,.0f records/s and >= %.1f MB/s on this machine",
                  GOAL_VS_BIOSQL,
                  GOAL_VS_BIOSQL * biosql.rate(),
                  GOAL_VS_BIOSQL * biosql.mbps()));
    }
    if (skipped) {
      return NO_SPEC;
    }
    return ok ? 0 : 1;
  }

  // ---------------------------------------------------------------- dump

  private Dump dump() throws IOException {
    String size =
        cfg.records > 0
            ? cfg.records + "r"
            : cfg.bytes % (1L << 30) == 0
                ? (cfg.bytes >> 30) + "g"
                : cfg.bytes % (1L << 20) == 0 ? (cfg.bytes >> 20) + "m" : Long.toString(cfg.bytes);
    String name =
        "genbank-"
            + size
            + "-s"
            + cfg.seed
            + "-b"
            + cfg.bigEvery
            + (cfg.files > 1 ? "-f" + cfg.files + (cfg.gz ? "-gz" : "") : ".seq" + (cfg.gz ? ".gz" : ""));
    Path path = cfg.work.resolve(name);
    BenchSupport.section("Division " + path);
    GenbankDump.Options o =
        new GenbankDump.Options(cfg.bytes, cfg.records, cfg.seed, cfg.bigEvery, cfg.files, cfg.gz);
    long t0 = System.nanoTime();
    boolean[] reused = {false};
    GenbankDump.Stats s = GenbankDump.ensure(path, o, reused);
    OUT.printf(
        Locale.ROOT,
        "  %s: %s%n",
        reused[0] ? "reusing it" : String.format(Locale.ROOT, "generated in %.1f s", (System.nanoTime() - t0) / 1e9),
        s.describe());
    return new Dump(path, s);
  }

  // ---------------------------------------------------------------- BioSQL

  /**
   * Runs bench/biosql_load.py into a database {@code biosql} of the same server: Biopython parses
   * the division and BioSQL's loader writes it, one record after the other, on a prefix (time cap
   * or record limit) since the whole would take hours.
   */
  private Figure biosql(Dump dump) throws Exception {
    List<String> caps = new ArrayList<>();
    if (cfg.biosqlLimit > 0) {
      caps.add(String.format(Locale.ROOT, "the first %,d records", cfg.biosqlLimit));
    }
    if (cfg.biosqlTimeCap > 0) {
      caps.add(String.format(Locale.ROOT, "the records started within %.0f s", cfg.biosqlTimeCap));
    }
    BenchSupport.section(
        "Baseline: Biopython's BioSQL loader (bench/biosql_load.py) into database biosql, same"
            + " server: "
            + (caps.isEmpty()
                ? "the whole division"
                : String.join(" or ", caps) + (caps.size() > 1 ? ", whichever is fewer" : "")));
    if (!Files.exists(cfg.schema)) {
      OUT.println("  SKIPPED: no BioSQL schema at " + cfg.schema + " (--schema)");
      return null;
    }
    Matcher m = Pattern.compile("//([^:/]+):(\\d+)/\\w+\\?user=(\\w+)").matcher(bench.url());
    if (!m.find()) {
      OUT.println("  SKIPPED: cannot read host and port from " + bench.url());
      return null;
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                cfg.python,
                cfg.biosqlScript.toString(),
                "--input",
                dump.path.toString(),
                "--schema",
                cfg.schema.toString(),
                "--host",
                m.group(1),
                "--port",
                m.group(2),
                "--user",
                m.group(3),
                "--db",
                "biosql",
                "--fresh",
                "--limit",
                Integer.toString(Math.max(0, cfg.biosqlLimit)),
                "--time-cap",
                Double.toString(Math.max(0, cfg.biosqlTimeCap))));
    OUT.println("  $ " + String.join(" ", cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("PGPASSWORD");
    Path log = cfg.work.resolve("biosql.log");
    bench.checkpoint();
    bench.awaitQuiet();
    BenchSupport.Cpu before = bench.cpu();
    long t0 = System.nanoTime();
    Process p = pb.start();
    String json = null;
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        w.write(line);
        w.write('\n');
        if (line.startsWith("{\"loader\"")) {
          json = line;
        }
        OUT.printf(Locale.ROOT, "    | [%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, line);
      }
    }
    int exit = p.waitFor();
    double wall = (System.nanoTime() - t0) / 1e9;
    BenchSupport.Cpu used = bench.cpu().minus(before);
    if (exit != 0 || json == null) {
      OUT.println("  FAILED: biosql_load.py exited with " + exit + "; output in " + log);
      return null;
    }
    Map<String, String> j = new LinkedHashMap<>();
    Matcher jm = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[-\\d.]+)").matcher(json);
    while (jm.find()) {
      j.put(jm.group(1), jm.group(2).replace("\"", ""));
    }
    long records = Long.parseLong(j.get("records"));
    double seconds = Double.parseDouble(j.get("seconds"));
    Figure f =
        new Figure(
            "BioSQL (Biopython "
                + j.get("biopython")
                + ")"
                + ("none".equals(j.get("capped_by")) ? "" : ", prefix"),
            records,
            Long.parseLong(j.get("features")),
            Long.parseLong(j.get("bytes")),
            seconds,
            used.others() / wall);
    OUT.printf(
        Locale.ROOT,
        "  %,d records, %,d features, %.1f MB in %.1f s (stopped by: %s) = %,.1f records/s, %,.0f"
            + " features/s, %.3f MB/s; postgres %.2f cores, python %.2f, other processes %.2f%n",
        f.records,
        f.features,
        f.bytes / 1e6,
        f.seconds,
        j.get("capped_by"),
        f.rate(),
        f.featureRate(),
        f.mbps(),
        used.postgres() / wall,
        used.children() / wall,
        f.others);
    try (Connection c = bench.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT pg_database_size('biosql')")) {
      rs.next();
      OUT.printf(Locale.ROOT, "  database biosql now holds %,d bytes%n", rs.getLong(1));
    }
    return f;
  }

  // ---------------------------------------------------------------- pgingest

  /**
   * While pgingest runs: its heap from {@code jstat -gc PID 250} (used = S0U + S1U + EU + OU), and
   * every 5 s a line with the cores of pgingest, PostgreSQL and everything else and the rows written
   * into the two tables.
   */
  private void watch(Process p, long t0, BenchSupport.Run r, Heap heap) {
    Thread jstat = new Thread(() -> jstat(p, heap), "jstat");
    jstat.setDaemon(true);
    jstat.start();
    try (Connection c = bench.connect()) {
      long pid = p.pid();
      double lastJava = bench.runnerCpu(pid);
      double lastPg = bench.postgresCpu();
      double lastMachine = bench.machineCpu()[0];
      double lastSelf = bench.processCpu(ProcessHandle.current().pid());
      long lastT = System.nanoTime();
      long lastRows = rowsWritten(c);
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
        long rows = rowsWritten(c);
        double javaCores = (java - lastJava) / dt;
        double pgCores = (pgCpu - lastPg) / dt;
        double otherCores =
            Math.max(0, (machine - lastMachine - self + lastSelf) / dt - javaCores - pgCores);
        r.samples.add(new double[] {javaCores, pgCores});
        OUT.printf(
            Locale.ROOT,
            "    ~ t=%5.0fs  pgingest %.2f cores  postgres %.2f  others %.2f  heap %.0f MB (max %.0f)"
                + "  rows written %,d (+%,.0f/s)%n",
            (now - t0) / 1e9,
            javaCores,
            pgCores,
            otherCores,
            heap.samples == 0 ? 0 : lastUsed / 1024,
            heap.maxUsed / 1024,
            rows,
            (rows - lastRows) / dt);
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
      OUT.println("    ~ sampler stopped: " + e);
    } finally {
      jstat.interrupt();
    }
  }

  private volatile double lastUsed;

  /**
   * Follows {@code jstat -gc PID 250} while the process lives; restarted when it exits early (the
   * JVM's perf data appear only once it has started).
   */
  private void jstat(Process target, Heap heap) {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    if (!Files.isExecutable(jstat)) {
      heap.problem = "no " + jstat;
      return;
    }
    while (target.isAlive()) {
      Process j = null;
      try {
        j =
            new ProcessBuilder(jstat.toString(), "-gc", Long.toString(BenchSupport.runnerJvm(target)), "250")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader in =
            new BufferedReader(new InputStreamReader(j.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          int s0u = -1;
          int s1u = -1;
          int eu = -1;
          int ou = -1;
          int s0c = -1;
          int s1c = -1;
          int ec = -1;
          int oc = -1;
          while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            if (line.contains("S0U")) {
              List<String> h = List.of(f);
              s0u = h.indexOf("S0U");
              s1u = h.indexOf("S1U");
              eu = h.indexOf("EU");
              ou = h.indexOf("OU");
              s0c = h.indexOf("S0C");
              s1c = h.indexOf("S1C");
              ec = h.indexOf("EC");
              oc = h.indexOf("OC");
              continue;
            }
            if (ou < 0 || f.length <= Math.max(ou, oc)) {
              if (!line.isBlank() && heap.samples == 0) {
                heap.problem = "jstat: " + line.trim();
              }
              continue;
            }
            try {
              double used = d(f[s0u]) + d(f[s1u]) + d(f[eu]) + d(f[ou]);
              double committed = d(f[s0c]) + d(f[s1c]) + d(f[ec]) + d(f[oc]);
              lastUsed = used;
              heap.maxUsed = Math.max(heap.maxUsed, used);
              heap.maxOld = Math.max(heap.maxOld, d(f[ou]));
              heap.maxCommitted = Math.max(heap.maxCommitted, committed);
              heap.samples++;
            } catch (NumberFormatException e) {
              // a partial line as the target exits
            }
          }
        }
        j.waitFor();
        Thread.sleep(200);
      } catch (InterruptedException e) {
        break;
      } catch (IOException e) {
        heap.problem = "jstat: " + e.getMessage();
        break;
      } finally {
        if (j != null) {
          j.destroy();
        }
      }
    }
  }

  private static double d(String s) {
    return Double.parseDouble(s);
  }

  /** Inserts plus updates the statistics collector has seen on the two tables so far. */
  private static long rowsWritten(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables"
                    + " WHERE relname IN ('genbank_record', 'genbank_feature')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Object-store figures from the summary JSON and the printed summary lines, whatever the spec
   * names them: {@code uploaded} (objects uploaded), {@code already} (already stored), {@code
   * bytes} (bytes uploaded), {@code concurrent} (the most uploads in flight at once).
   */
  private static Map<String, Long> uploadFigures(BenchSupport.Run run) throws IOException {
    Map<String, Long> named = new LinkedHashMap<>();
    // "name": 123 in the summary JSON and "name: 123" lines in the output.
    Pattern kv = Pattern.compile("\"?([A-Za-z][\\w .-]*?)\"?\\s*:\\s*([\\d,]+)\\s*(,|\\}|$)");
    List<String> lines = new ArrayList<>();
    Path summary = run.log.resolveSibling("summary-genbank.json");
    if (Files.exists(summary)) {
      lines.addAll(List.of(Files.readString(summary).split("[{}\\n]|, ")));
    }
    if (Files.exists(run.log)) {
      for (String l : Files.readAllLines(run.log, StandardCharsets.UTF_8)) {
        lines.add(l.replaceFirst("^\\[ *[\\d.]+s\\] ", ""));
      }
    }
    for (String l : lines) {
      Matcher m = kv.matcher(l.trim());
      if (m.find()) {
        String k = m.group(1).toLowerCase(Locale.ROOT).replaceAll("[ _.-]+", " ").trim();
        named.putIfAbsent(k, Long.parseLong(m.group(2).replace(",", "")));
      }
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : named.entrySet()) {
      String k = e.getKey();
      if (k.contains("concurren") || k.contains("in flight") || k.contains("inflight")) {
        out.putIfAbsent("concurrent", e.getValue());
      } else if (k.contains("already")) {
        out.putIfAbsent("already", e.getValue());
      } else if (k.contains("bytes") && k.contains("upload")) {
        out.putIfAbsent("bytes", e.getValue());
      } else if (k.contains("upload")) {
        out.putIfAbsent("uploaded", e.getValue());
      }
    }
    return out;
  }

  /** Rows in the two tables against the division, and the records the summary counted. */
  private boolean crossCheck(GenbankDump.Stats d, BenchSupport.Run run)
      throws SQLException, IOException {
    BenchSupport.section("Cross-check (untimed)");
    long records = count("genbank_record");
    long features = count("genbank_feature");
    OUT.printf(Locale.ROOT, "  genbank_record: %,d rows (the division has %,d records)%n", records, d.records());
    OUT.printf(
        Locale.ROOT,
        "  genbank_feature: %,d rows (the division has %,d features, %,d of them CDS)%n",
        features,
        d.features(),
        d.cds());
    Path summary = run.log.resolveSibling("summary-genbank.json");
    if (Files.exists(summary)) {
      String json = Files.readString(summary);
      for (String t : TABLES) {
        Matcher m = Pattern.compile("\"" + t + "\": \\{([^}]*)\\}").matcher(json);
        if (m.find()) {
          OUT.println("  summary " + t + ": " + m.group(1));
        }
      }
    }
    boolean same = records == d.records();
    OUT.println(
        same
            ? "  OK: one genbank_record row per record of the division"
            : "  MISMATCH: genbank_record does not hold one row per record");
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

  // ---------------------------------------------------------------- plumbing

  private static String fmt(Long v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%,d", v);
  }

  private static String duration(double seconds) {
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 7200) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }
}
