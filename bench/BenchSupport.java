import dev.pgingest.cli.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the load benchmarks share: a fresh PostgreSQL, CPU use from /proc, pgingest runs. */
final class BenchSupport {

  static final PrintStream OUT = System.out;

  /** Average cores of outside processes above which a phase's figure is flagged. */
  static final double CONTAMINATED = 0.1;

  /** Flink warnings that say nothing about the load; kept in the log, not echoed. */
  private static final Pattern NOISE =
      Pattern.compile("WARN +(DefaultDelegationTokenManager|MetricGroup - Name collision)");

  /**
   * CPU seconds of this JVM, its reaped children (pgingest runs), the whole PostgreSQL server, and
   * the machine (busy and iowait), so a phase can tell whether something else competed for cores.
   */
  record Cpu(double self, double children, double postgres, double machine, double iowait) {
    Cpu minus(Cpu o) {
      return new Cpu(
          self - o.self,
          children - o.children,
          postgres - o.postgres,
          machine - o.machine,
          iowait - o.iowait);
    }

    /** Busy CPU seconds of everything that is neither this benchmark nor its PostgreSQL. */
    double others() {
      return Math.max(0, machine - self - children - postgres);
    }
  }

  /** One pgingest subprocess run. */
  static final class Run {
    int exit;
    double seconds;
    double summarySeconds;
    Map<String, Long> summary = Map.of();
    Path log;
    Cpu cpu;

    /** Lines pgingest printed about a failure, so a failed run can say why next to the figures. */
    final List<String> errors = new ArrayList<>();

    /** Cores of pgingest and PostgreSQL per sample, for a watcher that takes samples. */
    final List<double[]> samples = new ArrayList<>();

    /** Average cores of outside processes meanwhile; a failed run counts as clean, not retried. */
    double others() {
      return exit != 0 || cpu == null || seconds == 0 ? 0 : cpu.others() / seconds;
    }
  }

  /** Watches a running pgingest on a thread of its own; interrupted when the process has exited. */
  @FunctionalInterface
  interface Watcher {
    void watch(Process p, long t0, Run r);
  }

  private final Path work;
  private final boolean keepDb;
  private final int quietWait;
  private final double clockTick = clockTicksPerSecond();
  private final AtomicReference<Process> child = new AtomicReference<>();
  private LocalPostgres pg;
  private Path pgDir;
  private String url;

  /**
   * @param work where the PostgreSQL data directory and the pgingest homes go
   * @param keepDb keep the data directory when PostgreSQL stops
   * @param quietWait longest wait for a quiet machine before a timed phase, in seconds
   */
  BenchSupport(Path work, boolean keepDb, int quietWait) {
    this.work = work;
    this.keepDb = keepDb;
    this.quietWait = quietWait;
  }

  // ---------------------------------------------------------------- PostgreSQL

  /** A fresh embedded PostgreSQL in {@code work}, stopped by {@link #stopPostgres} or Ctrl-C. */
  void startPostgres() throws IOException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::emergencyStop, "bench-shutdown"));
    pgDir = Files.createTempDirectory(work, "pg-");
    section("PostgreSQL (fresh, data in " + pgDir + ")");
    pg = LocalPostgres.start(pgDir);
    url = pg.jdbcUrl();
    OUT.println("  " + url);
  }

  String url() {
    return url;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, new Properties());
  }

  /** Prints the settings {@code names}; false when fsync or synchronous_commit is off. */
  boolean checkSettings(List<String> names) throws SQLException {
    Map<String, String> s = new LinkedHashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String name : names) {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          s.put(name, rs.getString(1));
        }
      }
    }
    OUT.println(
        "  SHOW fsync = "
            + s.get("fsync")
            + ", synchronous_commit = "
            + s.get("synchronous_commit"));
    OUT.println("  " + s);
    if (!"on".equals(s.get("fsync")) || !"on".equals(s.get("synchronous_commit"))) {
      OUT.println(
          "  ABORT: fsync and synchronous_commit must be on, or every figure is flattered.");
      return false;
    }
    return true;
  }

  /** Flushes dirty buffers between phases, untimed, so no phase pays for the previous one's. */
  void checkpoint() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("CHECKPOINT");
    }
  }

  /** The first column of the first row {@code sql} returns. */
  long queryLong(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  synchronized void stopPostgres() {
    if (pg == null) {
      return;
    }
    try {
      pg.close();
    } catch (IOException e) {
      OUT.println("  (stopping PostgreSQL: " + e.getMessage() + ")");
    }
    pg = null;
    if (keepDb) {
      OUT.println("\nPostgreSQL data kept in " + pgDir);
    } else {
      deleteTree(pgDir);
    }
  }

  /** On Ctrl-C: no orphaned pgingest JVM or postgres server left behind. */
  private void emergencyStop() {
    Process p = child.get();
    if (p != null) {
      p.destroyForcibly();
    }
    stopPostgres();
  }

  // ---------------------------------------------------------------- pgingest

  /**
   * Runs {@code java -jar pgingest.jar run SPEC --input INPUT --jdbc-url URL} as its own process,
   * so the MiniCluster's JVM does not share heap, GC or JIT with this one; the time is the wall
   * clock a user waits for, from process start to exit. Its log and summary are named after
   * {@code label}.
   */
  Run pgingest(
      String label,
      Path jar,
      String xmx,
      Path spec,
      Path input,
      List<String> extraArgs,
      Watcher watcher)
      throws Exception {
    return pgingest(label, jar, xmx, List.of(), spec, input, extraArgs, watcher);
  }

  /** As above, with more options for the pgingest JVM (e.g. a JFR recording), before -jar. */
  Run pgingest(
      String label,
      Path jar,
      String xmx,
      List<String> jvmOptions,
      Path spec,
      Path input,
      List<String> extraArgs,
      Watcher watcher)
      throws Exception {
    Run r = new Run();
    Path home = Files.createTempDirectory(work, "home-");
    Path summary = work.resolve("summary-" + label + ".json");
    Files.deleteIfExists(summary);
    r.log = work.resolve("pgingest-" + label + ".log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx));
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
                "-jar",
                jar.toString(),
                "run",
                spec.toString(),
                "--input",
                input.toString(),
                "--jdbc-url",
                url,
                "--summary-json",
                summary.toString(),
                "--home",
                home.toString()));
    cmd.addAll(extraArgs);
    OUT.println("  $ " + String.join(" ", cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // The URL names the user; a PGUSER/PGPASSWORD/PGINGEST_HOME from the caller must not leak in.
    pb.environment().remove("PGUSER");
    pb.environment().remove("PGPASSWORD");
    pb.environment().remove("PGINGEST_HOME");
    checkpoint();
    awaitQuiet();
    Cpu before = cpu();
    long t0 = System.nanoTime();
    Process p = pb.start();
    child.set(p);
    Thread pump = new Thread(() -> pump(p, r, t0), "pgingest-output");
    pump.start();
    Thread watch = null;
    if (watcher != null) {
      watch = new Thread(() -> watcher.watch(p, t0, r), "pgingest-watcher");
      watch.setDaemon(true);
      watch.start();
    }
    r.exit = p.waitFor();
    r.seconds = (System.nanoTime() - t0) / 1e9;
    child.set(null);
    pump.join();
    if (watch != null) {
      watch.interrupt();
      watch.join();
    }
    r.cpu = cpu().minus(before);
    if (Files.exists(summary)) {
      String json = Files.readString(summary);
      Map<String, Long> m = new LinkedHashMap<>();
      // Per-table objects repeat the same names; the first table's figures are kept. So is its
      // seconds (the run's): after-load steps that follow the tables have seconds of their own.
      Matcher mm = Pattern.compile("\"(\\w+)\": *(\\d+)(\\.\\d+)?").matcher(json);
      boolean timed = false;
      while (mm.find()) {
        if (mm.group(1).equals("seconds")) {
          if (timed) {
            continue;
          }
          timed = true;
          r.summarySeconds =
              Double.parseDouble(mm.group(2) + (mm.group(3) == null ? "" : mm.group(3)));
        } else {
          m.putIfAbsent(mm.group(1), Long.parseLong(mm.group(2)));
        }
      }
      r.summary = m;
      OUT.println("  summary: " + json.replaceAll("\\s+", " ").trim());
    }
    deleteTree(home);
    return r;
  }

  /**
   * Copies the child's output to its log and ours, stamped with its time, and keeps the lines
   * pgingest prints about a failure.
   */
  private static void pump(Process p, Run r, long t0) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(r.log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String stamped =
            String.format(Locale.ROOT, "[%6.1fs] %s", (System.nanoTime() - t0) / 1e9, line);
        w.write(stamped);
        w.write('\n');
        w.flush();
        if (line.startsWith("pgingest: ") && !line.startsWith("pgingest: job ")
            || line.contains("Exception")) {
          r.errors.add(line);
        }
        if (!NOISE.matcher(line).find()) {
          OUT.println("    | " + stamped);
        }
      }
    } catch (IOException e) {
      OUT.println("    | (output lost: " + e.getMessage() + ")");
    }
  }

  // ---------------------------------------------------------------- CPU

  /**
   * Waits, up to {@code quietWait} seconds, until processes outside the benchmark leave the cores
   * alone: on a shared 2-core machine one build or test run halves any figure.
   */
  void awaitQuiet() throws InterruptedException {
    long t0 = System.nanoTime();
    boolean said = false;
    while (true) {
      Cpu a = cpu();
      long s0 = System.nanoTime();
      Thread.sleep(3000);
      double others = cpu().minus(a).others() / ((System.nanoTime() - s0) / 1e9);
      double waited = (System.nanoTime() - t0) / 1e9;
      if (others < CONTAMINATED) {
        if (said) {
          OUT.printf(Locale.ROOT, "  quiet after %.0f s%n", waited);
        }
        return;
      }
      if (waited >= quietWait) {
        OUT.printf(
            Locale.ROOT,
            "  ! still %.2f cores used by other processes after %.0f s; measuring anyway%n",
            others,
            waited);
        return;
      }
      if (!said) {
        OUT.printf(
            Locale.ROOT,
            "  waiting for a quiet machine (other processes use %.2f cores; --quiet-wait %d)%n",
            others,
            quietWait);
        said = true;
      }
    }
  }

  /** CPU seconds so far: this JVM, its reaped children (pgingest runs), all of PostgreSQL. */
  Cpu cpu() {
    long[] self = stat(Path.of("/proc/self/stat"));
    double[] machine = machineCpu();
    return new Cpu(
        self == null ? 0 : (self[0] + self[1]) / clockTick,
        self == null ? 0 : (self[2] + self[3]) / clockTick,
        postgresCpu(),
        machine[0],
        machine[1]);
  }

  /** Busy and iowait CPU seconds of the whole machine, from the first line of /proc/stat. */
  double[] machineCpu() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // user nice system idle iowait irq softirq steal; guest time is already in user.
      for (int i = 1; i <= 8 && i < f.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return new double[] {busy / clockTick, Long.parseLong(f[5]) / clockTick};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, 0};
    }
  }

  /** User and system CPU seconds of one live process, 0 when it is gone. */
  double processCpu(long pid) {
    long[] s = stat(Path.of("/proc", Long.toString(pid), "stat"));
    return s == null ? 0 : (s[0] + s[1]) / clockTick;
  }

  /**
   * CPU seconds of a pgingest run: its process, the JVMs it started and has reaped, and those
   * still running. {@code java -jar pgingest.jar run} does the work in a child JVM that maps the
   * runner's class-data archive (cli/Launcher), so the process alone would show almost nothing.
   */
  double runnerCpu(long pid) {
    long[] s = stat(Path.of("/proc", Long.toString(pid), "stat"));
    if (s == null) {
      return 0;
    }
    double cpu = (s[0] + s[1] + s[2] + s[3]) / clockTick;
    for (ProcessHandle d : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
      cpu += processCpu(d.pid());
    }
    return cpu;
  }

  /** The JVM that does a pgingest run's work: the launcher's child where there is one. */
  static long runnerJvm(Process p) {
    return p.descendants()
        .filter(d -> d.info().arguments().map(a -> List.of(a).contains("-Dpgingest.child=1")).orElse(false))
        .map(ProcessHandle::pid)
        .findFirst()
        .orElse(p.pid());
  }

  /**
   * The postmaster's own and reaped children's CPU plus that of its live children: backends come
   * and go, and an exited one's time moves into the postmaster's cutime/cstime.
   */
  double postgresCpu() {
    try {
      long postmaster =
          Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).trim());
      long[] pm = stat(Path.of("/proc", Long.toString(postmaster), "stat"));
      if (pm == null) {
        return 0;
      }
      long ticks = pm[0] + pm[1] + pm[2] + pm[3];
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path p : (Iterable<Path>) procs::iterator) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          long[] s = stat(p.resolve("stat"));
          if (s != null && s[4] == postmaster) {
            ticks += s[0] + s[1];
          }
        }
      }
      return ticks / clockTick;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime, stime, cutime, cstime, ppid from a /proc stat file, or null when it is gone. */
  private static long[] stat(Path p) {
    try {
      String s = Files.readString(p);
      // The command name may hold spaces and parentheses; fields are counted after the last ')'.
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return new long[] {
        Long.parseLong(f[11]),
        Long.parseLong(f[12]),
        Long.parseLong(f[13]),
        Long.parseLong(f[14]),
        Long.parseLong(f[1])
      };
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static double clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Double.parseDouble(s);
    } catch (Exception e) {
      return 100;
    }
  }

  // ---------------------------------------------------------------- text and files

  /** A bench's arguments parsed, or its usage printed and exit code 2: every bench's main starts so. */
  static <C> C configOrExit(String bench, String usage, java.util.function.Function<String[], C> parse, String[] args) {
    try {
      return parse.apply(args);
    } catch (RuntimeException e) {
      System.err.println(bench + ": " + e.getMessage());
      System.err.println("Usage: " + bench + " " + usage);
      System.exit(2);
      return null;
    }
  }

  static void section(String title) {
    OUT.println();
    OUT.println("== " + title);
  }

  /** COPY text format: backslash escapes for the characters that delimit fields and rows. */
  static void copyField(StringBuilder sb, String v) {
    if (v == null) {
      sb.append("\\N");
      return;
    }
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      switch (ch) {
        case '\\' -> sb.append("\\\\");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(ch);
      }
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      OUT.println("  (could not delete " + root + ": " + e.getMessage() + ")");
    }
  }
}
