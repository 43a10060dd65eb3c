import dev.pgingest.cli.LocalPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * What every workload of the harness shares: one fsync-on PostgreSQL, CPU from /proc, the quiet
 * machine wait, measured subprocess runs, the strongest COPY route and the row-for-row compare.
 */
final class BenchSupport {

  static final PrintStream OUT = System.out;

  /** Average cores of outside processes above which a figure is flagged as contaminated. */
  static final double CONTAMINATED = 0.1;

  /** Flink warnings that say nothing about the load; kept in the log, not echoed. */
  private static final Pattern NOISE =
      Pattern.compile("WARN +(DefaultDelegationTokenManager|MetricGroup - Name collision)");

  private static final Pattern WEB_UI = Pattern.compile("Flink web UI: (http\\S+)");

  /**
   * CPU seconds of this JVM, its reaped children, the whole PostgreSQL server, and the machine
   * (busy and iowait), so a phase can tell whether something else competed for the cores.
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

    /** Busy CPU seconds of everything that is neither this harness, its children nor PostgreSQL. */
    double others() {
      return Math.max(0, machine - self - children - postgres);
    }
  }

  /** How to start one measured process: its label (log name), command and environment. */
  record Command(String label, List<String> argv, Map<String, String> env, boolean jvm) {}

  /**
   * One measured process run.
   *
   * @param seconds wall time, process start to exit
   * @param startup process start to the first row-writing statement PostgreSQL saw (NaN: none)
   * @param clientCpu CPU seconds of the process tree (launcher and child JVM, or pgloader)
   * @param postgresCpu CPU seconds of the whole PostgreSQL server meanwhile
   * @param others average cores used meanwhile by processes outside the harness
   * @param peakHeapMb the child JVM's largest used heap (eden + survivors + old), NaN when unknown
   * @param checkpoints completed Flink checkpoints (-1: the REST API never answered)
   * @param checkpointMb the largest checkpoint's state size in MB (NaN when unknown)
   */
  record Run(
      String label,
      int exit,
      double seconds,
      double startup,
      double clientCpu,
      double postgresCpu,
      double others,
      double peakHeapMb,
      int checkpoints,
      double checkpointMb,
      Path log,
      List<String> errors) {}

  /** A statement or COPY on a connection of its own; steps of one phase may run in parallel. */
  @FunctionalInterface
  interface Step {
    void run(Connection c) throws Exception;
  }

  /** A timed phase: wall seconds and the CPU it used. */
  record Timed(double seconds, Cpu cpu) {
    double others() {
      return seconds == 0 ? 0 : cpu.others() / seconds;
    }
  }

  /**
   * Prepared rows for one table: the columns they fill in order and COPY's options (empty: text
   * format).
   */
  record CopyFile(String table, List<String> columns, Path file, String options) {
    CopyFile(String table, List<String> columns, Path file) {
      this(table, columns, file, "");
    }
  }

  private final Path work;
  private final boolean keepDb;
  private final int quietWait;
  private final double clockTick = clockTicksPerSecond();
  private final AtomicReference<Process> child = new AtomicReference<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private LocalPostgres pg;
  private Path pgDir;
  private String url;

  /**
   * @param work where the PostgreSQL data directory, logs and pgingest homes go
   * @param keepDb keep the data directory when PostgreSQL stops
   * @param quietWait longest wait for a quiet machine before a timed phase, in seconds
   */
  BenchSupport(Path work, boolean keepDb, int quietWait) {
    this.work = work;
    this.keepDb = keepDb;
    this.quietWait = quietWait;
  }

  // ---------------------------------------------------------------- PostgreSQL

  /** A fresh embedded PostgreSQL (fsync on) in {@code work}, stopped by {@link #stopPostgres}. */
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

  /** Port of the server, for clients that take no JDBC URL (pgloader). */
  int port() {
    Matcher m = Pattern.compile(":(\\d+)/").matcher(url);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, new Properties());
  }

  /** Prints the settings that matter; false when fsync or synchronous_commit is off. */
  boolean checkSettings() throws SQLException {
    Map<String, String> s = new LinkedHashMap<>();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String name :
          List.of(
              "server_version",
              "fsync",
              "synchronous_commit",
              "full_page_writes",
              "shared_buffers",
              "max_wal_size",
              "maintenance_work_mem",
              "max_parallel_maintenance_workers")) {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          s.put(name, rs.getString(1));
        }
      }
    }
    OUT.println("  " + s);
    if (!"on".equals(s.get("fsync")) || !"on".equals(s.get("synchronous_commit"))) {
      OUT.println("  ABORT: fsync and synchronous_commit must be on, or every figure is flattered.");
      return false;
    }
    return true;
  }

  void execute(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
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
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    stopPostgres();
  }

  // ---------------------------------------------------------------- measured processes

  /**
   * Runs {@code cmd} after a CHECKPOINT and a quiet-machine wait, and measures it: wall time from
   * process start to exit, start-up to the first row-writing statement PostgreSQL saw, CPU of the
   * process tree and of PostgreSQL, and for a pgingest JVM its peak heap (jstat on the launcher's
   * child) and its checkpoints (the MiniCluster's REST API, whose address pgingest prints).
   */
  Run measure(Command cmd) throws Exception {
    Path log = work.resolve("run-" + cmd.label() + ".log");
    OUT.println("  $ " + String.join(" ", cmd.argv()));
    ProcessBuilder pb = new ProcessBuilder(cmd.argv()).redirectErrorStream(true);
    // The URL names the user; a PGUSER/PGPASSWORD/PGINGEST_HOME of the caller must not leak in.
    pb.environment().remove("PGUSER");
    pb.environment().remove("PGPASSWORD");
    pb.environment().remove("PGINGEST_HOME");
    pb.environment().putAll(cmd.env());
    execute("CHECKPOINT");
    awaitQuiet();
    Monitor mon = new Monitor();
    Cpu before = cpu();
    long startMillis = System.currentTimeMillis();
    long t0 = System.nanoTime();
    Process p = pb.start();
    child.set(p);
    List<String> errors = new ArrayList<>();
    Thread pump = new Thread(() -> pump(p, log, t0, errors, mon), "bench-output");
    pump.start();
    Thread watch = new Thread(() -> watch(p, cmd.jvm(), mon), "bench-watcher");
    watch.setDaemon(true);
    watch.start();
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    child.set(null);
    pump.join();
    watch.interrupt();
    watch.join();
    Cpu used = cpu().minus(before);
    // jstat is this harness's child too: its CPU is not the run's.
    double client = Math.max(0, used.children() - mon.jstatCpu);
    double startup =
        mon.firstWriteMillis > 0 ? (mon.firstWriteMillis - startMillis) / 1e3 : Double.NaN;
    double others = seconds == 0 ? 0 : Math.max(0, used.others() - mon.jstatCpu) / seconds;
    return new Run(
        cmd.label(),
        exit,
        seconds,
        startup,
        client,
        used.postgres(),
        others,
        mon.peakHeapKb < 0 ? Double.NaN : mon.peakHeapKb / 1024,
        mon.checkpoints,
        mon.checkpointBytes < 0 ? Double.NaN : mon.checkpointBytes / 1e6,
        log,
        errors);
  }

  /** What the watcher learns while a run is under way. */
  private static final class Monitor {
    volatile String webUrl;
    volatile long firstWriteMillis = -1;
    volatile double peakHeapKb = -1;
    volatile double jstatCpu;
    volatile int checkpoints = -1;
    volatile double checkpointBytes = -1;
  }

  /** Copies the child's output to its log and ours, stamped, and keeps lines about a failure. */
  private static void pump(Process p, Path log, long t0, List<String> errors, Monitor mon) {
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String stamped =
            String.format(Locale.ROOT, "[%6.1fs] %s", (System.nanoTime() - t0) / 1e9, line);
        w.write(stamped);
        w.write('\n');
        w.flush();
        Matcher web = WEB_UI.matcher(line);
        if (web.find()) {
          mon.webUrl = web.group(1).endsWith("/") ? web.group(1) : web.group(1) + "/";
        }
        if (line.startsWith("pgingest: ") && !line.startsWith("pgingest: job ")
            || line.contains("Exception")
            || line.contains("FATAL")) {
          errors.add(line);
        }
        if (!NOISE.matcher(line).find()) {
          OUT.println("    | " + stamped);
        }
      }
    } catch (IOException e) {
      OUT.println("    | (output lost: " + e.getMessage() + ")");
    }
  }

  /**
   * Every 100 ms until interrupted: the first row-writing statement (its own query_start, so the
   * poll interval does not blur it), the child JVM to start jstat on, and every 500 ms the Flink
   * job's checkpoint statistics.
   */
  private void watch(Process p, boolean jvm, Monitor mon) {
    Process jstat = null;
    String jobId = null;
    long nextRest = 0;
    long watchStart = System.nanoTime();
    try (Connection c = connect()) {
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        while (!Thread.currentThread().isInterrupted() && p.isAlive()) {
          if (mon.firstWriteMillis < 0) {
            try (ResultSet rs =
                st.executeQuery(
                    "SELECT (extract(epoch FROM min(query_start)) * 1000)::bigint FROM"
                        + " pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type ="
                        + " 'client backend' AND query ~* '^\\s*(COPY|INSERT|WITH|MERGE)'"
                        + " AND query !~* '(ingest_runs|ingest_rejects|ingest_files)'")) {
              if (rs.next() && rs.getLong(1) > 0) {
                mon.firstWriteMillis = rs.getLong(1);
              }
            }
          }
          if (jvm && jstat == null) {
            long pid = runnerJvm(p);
            // Without a launcher child (PGINGEST_CDS=off) the process itself is the runner.
            if (pid != p.pid() || System.nanoTime() - watchStart > 3_000_000_000L) {
              jstat = startJstat(pid, mon);
            }
          }
          if (jstat != null && jstat.isAlive()) {
            mon.jstatCpu = Math.max(mon.jstatCpu, processCpu(jstat.pid()));
          }
          long now = System.currentTimeMillis();
          if (mon.webUrl != null && now >= nextRest) {
            nextRest = now + 500;
            if (jobId == null) {
              Matcher m = Pattern.compile("\"jid\"\\s*:\\s*\"(\\w+)\"").matcher(get(mon.webUrl + "jobs/overview"));
              jobId = m.find() ? m.group(1) : null;
            }
            if (jobId != null) {
              checkpoints(get(mon.webUrl + "jobs/" + jobId + "/checkpoints"), mon);
            }
          }
          Thread.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      OUT.println("  (watcher: " + e.getMessage() + ")");
    } finally {
      if (jstat != null) {
        jstat.destroy();
      }
    }
  }

  private static final Pattern COMPLETED = Pattern.compile("\"completed\"\\s*:\\s*(\\d+)");
  private static final Pattern STATE_MAX =
      Pattern.compile("\"(?:checkpointed_size|state_size)\"\\s*:\\s*\\{[^}]*\"max\"\\s*:\\s*(\\d+)");

  private static void checkpoints(String json, Monitor mon) {
    Matcher n = COMPLETED.matcher(json);
    if (n.find()) {
      mon.checkpoints = Math.max(mon.checkpoints, Integer.parseInt(n.group(1)));
    }
    Matcher s = STATE_MAX.matcher(json);
    while (s.find()) {
      mon.checkpointBytes = Math.max(mon.checkpointBytes, Double.parseDouble(s.group(1)));
    }
  }

  private String get(String uri) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** One long-lived {@code jstat -gc PID 250}: starting a JVM per sample would cost more CPU. */
  private Process startJstat(long pid, Monitor mon) {
    Path exe = Path.of(System.getProperty("java.home"), "bin", "jstat");
    if (!Files.isExecutable(exe)) {
      return null;
    }
    try {
      Process j =
          new ProcessBuilder(exe.toString(), "-gc", Long.toString(pid), "250")
              .redirectErrorStream(true)
              .start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(j.getInputStream(), StandardCharsets.UTF_8))) {
                  List<String> head = List.of();
                  String line;
                  while ((line = in.readLine()) != null) {
                    String[] f = line.trim().split("\\s+");
                    if (line.contains("S0U")) {
                      head = List.of(f);
                      continue;
                    }
                    int ou = head.indexOf("OU");
                    if (ou < 0 || f.length != head.size()) {
                      continue;
                    }
                    try {
                      double used =
                          Double.parseDouble(f[head.indexOf("S0U")])
                              + Double.parseDouble(f[head.indexOf("S1U")])
                              + Double.parseDouble(f[head.indexOf("EU")])
                              + Double.parseDouble(f[ou]);
                      mon.peakHeapKb = Math.max(mon.peakHeapKb, used);
                    } catch (NumberFormatException e) {
                      // a partial line as the target exits
                    }
                  }
                } catch (IOException e) {
                  // jstat ends with its target
                }
              },
              "bench-jstat");
      reader.setDaemon(true);
      reader.start();
      return j;
    } catch (IOException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- CPU

  /**
   * Waits, up to {@code quietWait} seconds, until processes outside the harness leave the cores
   * alone: on a shared 2-core machine one build or test run halves any figure.
   */
  void awaitQuiet() throws InterruptedException {
    long t0 = System.nanoTime();
    boolean said = false;
    while (true) {
      Cpu a = cpu();
      long s0 = System.nanoTime();
      Thread.sleep(2000);
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

  /** CPU seconds so far: this JVM, its reaped children, all of PostgreSQL, the machine. */
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
  private double[] machineCpu() {
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

  /** The JVM that does a pgingest run's work: the launcher's child where there is one. */
  static long runnerJvm(Process p) {
    return p.descendants()
        .filter(
            d ->
                d.info()
                    .arguments()
                    .map(a -> List.of(a).contains("-Dpgingest.child=1"))
                    .orElse(false))
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

  // ---------------------------------------------------------------- COPY baselines

  /**
   * Runs {@code steps} at once, each on a connection of its own (autocommit, so each fsync'd
   * commit is inside), after a CHECKPOINT and a quiet-machine wait; times them from the first
   * start to the last end. CPU is read while the connections are open, so no exiting backend's
   * time is lost between its end and the postmaster reaping it.
   */
  Timed parallel(List<Step> steps) throws Exception {
    execute("CHECKPOINT");
    awaitQuiet();
    return timedParallel(steps);
  }

  /** {@link #parallel} without the CHECKPOINT and the wait: a later part of one timed phase. */
  Timed timedParallel(List<Step> steps) throws Exception {
    List<Connection> conns = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, steps.size()));
    try {
      for (int i = 0; i < steps.size(); i++) {
        Connection c = connect();
        c.isValid(5);
        conns.add(c);
      }
      Cpu before = cpu();
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        Connection c = conns.get(i);
        done.add(
            pool.submit(
                () -> {
                  s.run(c);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Timed(seconds, cpu().minus(before));
    } finally {
      pool.shutdownNow();
      for (Connection c : conns) {
        c.close();
      }
    }
  }

  /** A step that runs {@code sql} one statement after the other, taking them from a queue. */
  static Step drain(ConcurrentLinkedQueue<String> sql) {
    return c -> {
      try (Statement st = c.createStatement()) {
        String s;
        while ((s = sql.poll()) != null) {
          st.execute(s);
        }
      }
    };
  }

  /** {@code COPY table (columns) FROM STDIN} of a COPY text file; returns the rows loaded. */
  static long copyIn(Connection c, String table, List<String> columns, Path file, String options)
      throws Exception {
    String sql =
        "COPY "
            + table
            + (columns.isEmpty() ? "" : " (" + String.join(", ", columns) + ")")
            + " FROM STDIN"
            + (options.isEmpty() ? "" : " WITH (" + options + ")");
    try (InputStream in = Files.newInputStream(file)) {
      return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in, 1 << 16);
    }
  }

  /**
   * The baseline of a workload whose rows no other tool makes: pgingest's own rows of {@code
   * tables}, exported untimed into files in {@code work}, COPYed at once into bare twins in {@code
   * copySchema}, keys, indexes and foreign keys after ({@link #copyFresh}).
   */
  Timed copyOwnRows(Path work, String schema, String copySchema, List<String> tables)
      throws Exception {
    List<List<String>> deferred = bareTwins(schema, copySchema, tables);
    List<CopyFile> files = new ArrayList<>();
    for (String t : tables) {
      List<String> cols = writableColumns(schema, t);
      Path f = work.resolve(schema + "-copy-" + t + ".tsv");
      copyOut(schema, t, cols, f);
      files.add(new CopyFile(t, cols, f));
    }
    Timed timed = copyFresh(copySchema, files, deferred);
    for (CopyFile f : files) {
      Files.deleteIfExists(f.file());
    }
    return timed;
  }

  /** Exports {@code SELECT cols FROM schema.table} as COPY text, for a baseline of the same rows. */
  void copyOut(String schema, String table, List<String> columns, Path file) throws Exception {
    try (Connection c = connect();
        OutputStream out = Files.newOutputStream(file)) {
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              "COPY (SELECT "
                  + String.join(", ", columns)
                  + " FROM "
                  + schema
                  + "."
                  + table
                  + ") TO STDOUT",
              out);
    }
  }

  /** Columns of a table in order, without identity and generated ones (COPY fills them itself). */
  List<String> writableColumns(String schema, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = '"
                    + schema
                    + "' AND table_name = '"
                    + table
                    + "' AND is_identity = 'NO' AND is_generated = 'NEVER'"
                    + " ORDER BY ordinal_position")) {
      while (rs.next()) {
        out.add("\"" + rs.getString(1) + "\"");
      }
    }
    return out;
  }

  /** Columns of a table's primary key (or else its first unique key), quoted. */
  List<String> keyColumns(String schema, String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT a.attname FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid"
                    + " JOIN pg_namespace n ON n.oid = r.relnamespace"
                    + " CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY u(attnum, i)"
                    + " JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = u.attnum"
                    + " WHERE n.nspname = '"
                    + schema
                    + "' AND r.relname = '"
                    + table
                    + "' AND k.contype IN ('p', 'u')"
                    + " AND k.oid = (SELECT k2.oid FROM pg_constraint k2 WHERE k2.conrelid = r.oid"
                    + " AND k2.contype IN ('p', 'u') ORDER BY k2.contype, k2.conname LIMIT 1)"
                    + " ORDER BY u.i")) {
      while (rs.next()) {
        out.add("\"" + rs.getString(1) + "\"");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException(schema + "." + table + " has no key to compare by");
    }
    return out;
  }

  /**
   * Bare twins in {@code twin} of {@code tables} of {@code source} (columns, defaults, identity,
   * NOT NULL), and the DDL that gives them the source's keys, indexes and foreign keys: the
   * indexes and unique keys (first list) build fastest after the COPY and in parallel, the foreign
   * keys (second list) need the keys they reference.
   */
  List<List<String>> bareTwins(String source, String twin, List<String> tables)
      throws SQLException {
    List<String> keysAndIndexes = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + twin);
      for (String t : tables) {
        st.execute(
            "CREATE TABLE "
                + twin
                + "."
                + t
                + " (LIKE "
                + source
                + "."
                + t
                + " INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)");
      }
      // Definitions unqualified where the search path allows, so they name the twins below.
      st.execute("SET search_path = " + source);
      String in = "'" + String.join("', '", tables) + "'";
      try (ResultSet rs =
          st.executeQuery(
              "SELECT r.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)"
                  + " FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid"
                  + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = '"
                  + source
                  + "' AND r.relname IN ("
                  + in
                  + ") AND c.contype IN ('p', 'u', 'f', 'c', 'x') ORDER BY c.contype, r.relname")) {
        while (rs.next()) {
          String ddl =
              "ALTER TABLE "
                  + twin
                  + "."
                  + rs.getString(1)
                  + " ADD CONSTRAINT \""
                  + rs.getString(2)
                  + "\" "
                  + rs.getString(4);
          (rs.getString(3).equals("f") ? foreign : keysAndIndexes).add(ddl);
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x"
                  + " JOIN pg_class r ON r.oid = x.indrelid JOIN pg_namespace n ON n.oid ="
                  + " r.relnamespace WHERE n.nspname = '"
                  + source
                  + "' AND r.relname IN ("
                  + in
                  + ") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid ="
                  + " x.indexrelid) ORDER BY 1")) {
        while (rs.next()) {
          keysAndIndexes.add(rs.getString(1).replace(" ON " + source + ".", " ON " + twin + "."));
        }
      }
      st.execute("RESET search_path");
    }
    return List.of(keysAndIndexes, foreign);
  }

  /**
   * The strongest COPY route into empty tables: every table's prepared rows COPYed at once, one
   * connection per table, into bare twins; then the keys and indexes built on as many connections
   * as there are cores, then the foreign keys. Timed as one phase, from the first COPY to the last
   * DDL's commit. Returns the seconds and the CPU used.
   */
  Timed copyFresh(String twin, List<CopyFile> files, List<List<String>> deferred)
      throws Exception {
    List<Step> copies = new ArrayList<>();
    for (CopyFile f : files) {
      copies.add(c -> copyIn(c, twin + "." + f.table(), f.columns(), f.file(), f.options()));
    }
    Timed load = parallel(copies);
    ConcurrentLinkedQueue<String> ddl = new ConcurrentLinkedQueue<>(deferred.get(0));
    int workers = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, ddl.size()));
    List<Step> builders = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      builders.add(drain(ddl));
    }
    Timed indexes = timedParallel(builders);
    Timed fks =
        deferred.get(1).isEmpty()
            ? new Timed(0, new Cpu(0, 0, 0, 0, 0))
            : timedParallel(List.of(drain(foreignKeys(twin, deferred.get(1)))));
    OUT.printf(
        Locale.ROOT,
        "  COPY baseline: %d table(s) in parallel %.2f s + %d keys/indexes on %d connections %.2f s"
            + " + %d foreign keys %.2f s%n",
        files.size(),
        load.seconds(),
        deferred.get(0).size(),
        workers,
        indexes.seconds(),
        deferred.get(1).size(),
        fks.seconds());
    return new Timed(
        load.seconds() + indexes.seconds() + fks.seconds(),
        add(add(load.cpu(), indexes.cpu()), fks.cpu()));
  }

  /** The foreign keys, after a search path on which their unqualified references name the twins. */
  private static ConcurrentLinkedQueue<String> foreignKeys(String twin, List<String> fks) {
    ConcurrentLinkedQueue<String> q = new ConcurrentLinkedQueue<>();
    q.add("SET search_path = " + twin);
    q.addAll(fks);
    return q;
  }

  static Cpu add(Cpu a, Cpu b) {
    return new Cpu(
        a.self() + b.self(),
        a.children() + b.children(),
        a.postgres() + b.postgres(),
        a.machine() + b.machine(),
        a.iowait() + b.iowait());
  }

  // ---------------------------------------------------------------- cross-check

  /**
   * Compares {@code a.table} with {@code b.table} row for row: keys on one side only, and rows of
   * one key whose {@code columns} (names, or expressions such as {@code ({}a IS NULL)}) differ.
   * Prints the counts and up to three differing rows.
   */
  boolean compare(String a, String b, String table, List<String> key, List<String> columns)
      throws SQLException {
    String on =
        String.join(" AND ", key.stream().map(k -> "x." + k + " = y." + k).toList());
    String k0 = key.get(0);
    String differ =
        columns.isEmpty()
            ? "false"
            : "ROW("
                + String.join(", ", columns.stream().map(o -> qualify("x", o)).toList())
                + ") IS DISTINCT FROM ROW("
                + String.join(", ", columns.stream().map(o -> qualify("y", o)).toList())
                + ")";
    String from =
        " FROM " + a + "." + table + " x FULL JOIN " + b + "." + table + " y ON " + on;
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      long onlyA;
      long onlyB;
      long diff;
      long n;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FILTER (WHERE y."
                  + k0
                  + " IS NULL), count(*) FILTER (WHERE x."
                  + k0
                  + " IS NULL), count(*) FILTER (WHERE x."
                  + k0
                  + " IS NOT NULL AND y."
                  + k0
                  + " IS NOT NULL AND "
                  + differ
                  + "), count(*)"
                  + from)) {
        rs.next();
        onlyA = rs.getLong(1);
        onlyB = rs.getLong(2);
        diff = rs.getLong(3);
        n = rs.getLong(4);
      }
      boolean ok = onlyA == 0 && onlyB == 0 && diff == 0;
      OUT.printf(
          Locale.ROOT,
          "  %-24s %,10d keys; only in %s: %,d, only in %s: %,d, same key but different: %,d  %s%n",
          table,
          n,
          a,
          onlyA,
          b,
          onlyB,
          diff,
          ok ? "OK" : "MISMATCH");
      if (!ok) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT row_to_json(x)::text, row_to_json(y)::text"
                    + from
                    + " WHERE x."
                    + k0
                    + " IS NULL OR y."
                    + k0
                    + " IS NULL OR "
                    + differ
                    + " LIMIT 3")) {
          while (rs.next()) {
            OUT.println("    " + a + ": " + abbreviate(rs.getString(1)));
            OUT.println("    " + b + ": " + abbreviate(rs.getString(2)));
          }
        }
      }
      return ok;
    }
  }

  /** A column of one side of the compare; an expression names its column as {@code {}col}. */
  private static String qualify(String alias, String column) {
    return column.contains("{}") ? column.replace("{}", alias + ".") : alias + "." + column;
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 400 ? s : s.substring(0, 400) + "…";
  }

  // ---------------------------------------------------------------- text and files

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
