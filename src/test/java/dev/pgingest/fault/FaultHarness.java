package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.sink.Database;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TableDigest;
import dev.pgingest.workload.genbank.GenbankDump;
import dev.pgingest.workload.laps.RaceDump;
import dev.pgingest.workload.profiles.ProfilesDump;
import dev.pgingest.workload.shop.ShopExports;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a shipped job clean and under a fault on the same input, and compares what both left in the
 * database: every table's row count and content hash, and the run's counts.
 */
public final class FaultHarness {

  /** A shipped job the fault suite covers, with a generator of input shaped like its real input. */
  public interface Job {
    /** The spec under {@code jobs/}, without {@code .yaml}. */
    String spec();

    /** A file name the job reads as its usual format, e.g. {@code snps.gff3}. */
    String inputName();

    /** Writes a seeded input of {@code lines} records; returns what it holds. */
    Input writeInput(Path file, int lines, long seed) throws IOException;

    /** Columns that differ between two runs of the same input (run ids, load times). */
    default Set<String> runColumns() {
      return Set.of();
    }

    /** Overrides every run of the job needs, e.g. where it stores objects. */
    default Map<String, String> overrides() {
      return Map.of();
    }

    /**
     * The overrides that make a run store its objects in {@code folder}; none for a job that stores
     * no objects. Runs compared with each other each get a folder of their own, so each run uploads
     * what it needs and the stores can be compared.
     */
    default Map<String, String> objectStore(Path folder) {
      return Map.of();
    }

    /**
     * Per table, the column that holds the URI of a row's stored object; none without a store. The
     * URI names the run's store: runs with stores of their own compare these columns through {@link
     * #comparingObjectsByKey}.
     */
    default Map<String, String> objectColumns() {
      return Map.of();
    }
  }

  /** What a generated input holds: records read, and how many of them are malformed. */
  public record Input(long records, long malformed) {}

  /** The YBrowse variants job. */
  public static final Job YBROWSE =
      new Job() {
        @Override
        public String spec() {
          return "ybrowse-variants";
        }

        @Override
        public String inputName() {
          return "snps.gff3";
        }

        @Override
        public Input writeInput(Path file, int lines, long seed) throws IOException {
          YBrowseDump.Stats s = YBrowseDump.write(file, lines, seed);
          return new Input(s.dataLines(), s.malformed());
        }

        @Override
        public String toString() {
          return spec();
        }
      };

  /** The scraped profiles job: JSONL with 2% of ids repeated. */
  public static final Job PROFILES =
      new Job() {
        @Override
        public String spec() {
          return "profiles";
        }

        @Override
        public String inputName() {
          return "profiles.jsonl";
        }

        @Override
        public Input writeInput(Path file, int lines, long seed) throws IOException {
          ProfilesDump.Stats s = ProfilesDump.write(file, lines, 0.02, 7_000_000_000L, seed);
          return new Input(s.records(), 0);
        }

        @Override
        public Set<String> runColumns() {
          return Set.of("run_id", "first_seen_run", "created_at");
        }

        @Override
        public String toString() {
          return spec();
        }
      };

  /** The GenBank job: viral-size records, sequences stored in a local folder. */
  public static final Job GENBANK =
      new Job() {
        @Override
        public String spec() {
          return "genbank";
        }

        @Override
        public String inputName() {
          return "gbvrl1.seq";
        }

        @Override
        public Input writeInput(Path file, int lines, long seed) throws IOException {
          // A viral record is about 200 lines: a division of the same size in lines.
          GenbankDump.Stats s = GenbankDump.write(file, Math.max(1, lines / 200), seed);
          return new Input(s.records(), 0);
        }

        @Override
        public Map<String, String> overrides() {
          // A store of this harness's own (not the spec's folder relative to the working
          // directory), gone with mvn clean. Tests that compare runs give each its own store.
          return objectStore(
              Path.of("target", "fault-objects", UUID.randomUUID().toString()).toAbsolutePath());
        }

        @Override
        public Map<String, String> objectStore(Path folder) {
          return Map.of("target.objects", folder.toUri().toString());
        }

        @Override
        public Map<String, String> objectColumns() {
          return Map.of("genbank_record", "sequence_object");
        }

        @Override
        public String toString() {
          return spec();
        }
      };

  /**
   * The LiveRC laps job: a folder of one event, a page per race of 12 drivers, without the event
   * page. The event page feeds the races rows the race pages also write, from another file, and
   * after a failover that can count a race row as updated that a clean run counts as inserted (a
   * known defect, {@link #LAPS_LIVERC_WITH_EVENT_PAGE}); without it every fault's counts are exact.
   */
  public static final Job LAPS_LIVERC = liveRc(false);

  /**
   * The LiveRC laps job on a whole saved event: its event page and a page per race. R1 runs it in a
   * test of its own, disabled while the defect it shows is open.
   */
  public static final Job LAPS_LIVERC_WITH_EVENT_PAGE = liveRc(true);

  private static Job liveRc(boolean eventPage) {
    return new Job() {
      @Override
      public String spec() {
        return "laps-liverc";
      }

      @Override
      public String inputName() {
        return "event";
      }

      @Override
      public Input writeInput(Path dir, int lines, long seed) throws IOException {
        // A race of 12 drivers × 30 laps is about 360 laps: an event of about as many laps.
        int races = Math.max(2, Math.min(RaceDump.MAX_RACES, lines / 360));
        RaceDump.writeLiveRcEvent(dir, races, 12, 30, seed);
        if (eventPage) {
          // The event page is a record per race it lists, besides the race pages.
          return new Input(2L * races, 0);
        }
        try (var pages = Files.newDirectoryStream(dir, "event-*.html")) {
          for (Path page : pages) {
            Files.delete(page);
          }
        }
        return new Input(races, 0);
      }

      @Override
      public String toString() {
        return spec() + (eventPage ? " with its event page" : "");
      }
    };
  }

  /** The timing-export laps job: a folder of one event's sessions of 20 cars. */
  public static final Job LAPS_TIMING =
      new Job() {
        @Override
        public String spec() {
          return "laps-timing-csv";
        }

        @Override
        public String inputName() {
          return "event";
        }

        @Override
        public Input writeInput(Path dir, int lines, long seed) throws IOException {
          int sessions = Math.max(2, lines / 500);
          Files.createDirectories(dir);
          for (int i = 0; i < sessions; i++) {
            RaceDump.writeTimingSession(
                dir.resolve("session-" + (i + 1) + ".csv"), 20, 25, seed + i);
          }
          return new Input(sessions, 0);
        }

        @Override
        public String toString() {
          return spec();
        }
      };

  /**
   * The shop upload job: one folder of products, inventory and orders exports and bundles. A fault
   * inside the products or orders export lands between a product's (an order's) first row and its
   * continuation rows, whose fields the reader forward-fills.
   */
  public static final Job SHOP =
      new Job() {
        @Override
        public String spec() {
          return "shop-upload";
        }

        @Override
        public String inputName() {
          return "upload";
        }

        @Override
        public Input writeInput(Path dir, int lines, long seed) throws IOException {
          ShopExports.Stats s =
              ShopExports.write(
                  dir,
                  new ShopExports.Sizes(Math.max(5, lines / 40), Math.max(10, lines / 4), 2),
                  seed);
          return new Input(s.productRows() + s.inventoryRows() + s.orderLines() + s.bundles(), 0);
        }

        @Override
        public String toString() {
          return spec();
        }
      };

  /** Every shipped job; {@link JobCoverageTest} fails when a spec in {@code jobs/} is missing. */
  public static final List<Job> JOBS =
      List.of(YBROWSE, PROFILES, GENBANK, LAPS_LIVERC, LAPS_TIMING, SHOP);

  /** Columns that differ between two runs of the same input: ids and run stamps. */
  private static final Set<String> REJECT_RUN_COLUMNS = Set.of("run_id", "rejected_at");

  private static final Set<String> LEDGER_RUN_COLUMNS = Set.of("run_id", "recorded_at");

  private final Job job;
  private final Database db;
  private final List<Path> inputs;
  private final Map<String, String> overrides;
  private final Set<String> ignoredColumns = new HashSet<>();
  private boolean otherSources;

  /**
   * @param overrides {@code --set} overrides every run gets (target.schema is set per run)
   */
  public FaultHarness(Job job, Database db, List<Path> inputs, Map<String, String> overrides) {
    this.job = job;
    this.db = db;
    this.inputs = List.copyOf(inputs);
    this.overrides = new LinkedHashMap<>(job.overrides());
    this.overrides.putAll(overrides);
  }

  /** The overrides the suite's runs start from: frequent checkpoints, small batches. */
  public static Map<String, String> defaultOverrides() {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("checkpoint-interval", "500ms");
    o.put("flush-interval", "50ms");
    o.put("batch-rows", "500");
    // One restart: a failure still surfaces at once (the exponential strategy refuses 0).
    o.put("restart-attempts", "1");
    o.put("restart-delay", "100ms");
    // Backoff doubles per restart: capped, 20 injected faults stay seconds, not minutes.
    o.put("restart-max-delay", "500ms");
    return o;
  }

  /**
   * Leaves the job's object URI columns out of the table comparison, for runs that each store their
   * objects in a store of their own: the URIs then differ by the store's folder, and the caller
   * compares what they name instead ({@code ObjectStores}).
   */
  public FaultHarness comparingObjectsByKey() {
    ignoredColumns.addAll(job.objectColumns().values());
    return this;
  }

  /**
   * Keeps a spec's other sources at their shipped paths (the inputs go to its first source), as the
   * runner's {@code --set sources.NAME.paths=…} does; by default a run reads its first source
   * alone.
   */
  public FaultHarness keepingOtherSources() {
    otherSources = true;
    return this;
  }

  public Database database() {
    return db;
  }

  /** The job's spec writing into {@code schema}, with {@code extra} overrides on top. */
  public JobSpec spec(String schema, Map<String, String> extra) {
    Map<String, String> o = new LinkedHashMap<>(overrides);
    o.putAll(extra);
    o.put("target.schema", schema);
    JobSpec first = Specs.shipped(job.spec(), inputs, o);
    return otherSources
        ? Specs.shippedSources(job.spec(), Map.of(first.source().name(), inputs), o)
        : first;
  }

  /** A run into {@code schema} on this JVM's Flink (the MiniCluster of the calling test). */
  public IngestRun run(String schema, Map<String, String> extra) {
    return new IngestRun(spec(schema, extra), db);
  }

  /** Runs without a fault: the reference the faulted runs are compared with. */
  public RunResult clean(String schema) {
    return clean(schema, Map.of());
  }

  /** Runs without a fault, with {@code extra} overrides (e.g. a store of its own). */
  public RunResult clean(String schema, Map<String, String> extra) {
    return run(schema, extra).execute(env());
  }

  public static StreamExecutionEnvironment env() {
    return StreamExecutionEnvironment.getExecutionEnvironment();
  }

  /**
   * Digests of the target table (without id and run stamps), the rejects table and the file ledger;
   * the runs table holds timestamps and job ids only, its counts are compared through {@link
   * #assertSameCounts}.
   */
  public Map<String, TableDigest.Digest> digests(String schema) throws SQLException {
    JobSpec spec = spec(schema, Map.of());
    Map<String, TableDigest.Digest> out = new LinkedHashMap<>();
    for (TableDef<?> table : ResolvedJob.of(spec).tables()) {
      out.put(table.table(), TableDigest.of(db, table.schema(), table.table(), excluded(table)));
    }
    out.put(
        spec.target().rejectsTable(),
        TableDigest.of(db, schema, spec.target().rejectsTable(), REJECT_RUN_COLUMNS));
    out.put(
        SchemaBootstrap.FILES_TABLE,
        TableDigest.of(db, schema, SchemaBootstrap.FILES_TABLE, LEDGER_RUN_COLUMNS));
    return out;
  }

  private Set<String> excluded(TableDef<?> table) {
    Set<String> out = new HashSet<>(job.runColumns());
    out.addAll(ignoredColumns);
    if (table.stamped()) {
      out.addAll(Set.of(table.idColumn(), TableDef.CREATED_RUN, TableDef.UPDATED_RUN));
    }
    return out;
  }

  /**
   * Every table of {@code faulted} holds what the same table of {@code clean} holds: same count,
   * same md5; on a difference the message shows the first rows found in only one of them.
   *
   * @return rows compared, over all tables
   */
  public long assertSameAs(String clean, String faulted, String context) throws SQLException {
    Map<String, TableDigest.Digest> expected = digests(clean);
    Map<String, TableDigest.Digest> actual = digests(faulted);
    long rows = 0;
    for (Map.Entry<String, TableDigest.Digest> e : expected.entrySet()) {
      TableDigest.Digest a = actual.get(e.getKey());
      TableDigest.Digest x = e.getValue();
      if (!x.sameContent(a)) {
        throw new AssertionError(
            context
                + ": table "
                + e.getKey()
                + " differs from the clean run's\n  clean:   "
                + x
                + "\n  faulted: "
                + a
                + "\n  only in the clean run: "
                + TableDigest.onlyIn(db, clean, faulted, e.getKey(), x.columns(), 5)
                + "\n  only in the faulted run: "
                + TableDigest.onlyIn(db, faulted, clean, e.getKey(), x.columns(), 5));
      }
      rows += a.rows();
    }
    return rows;
  }

  /**
   * read, rejected, rows, duplicates, inserted, updated, unchanged, skipped of every table are
   * equal.
   */
  public static void assertSameCounts(RunResult clean, RunResult faulted, String context) {
    assertThat(faulted.tables().keySet()).as(context).isEqualTo(clean.tables().keySet());
    for (Map.Entry<String, TableSummary> e : clean.tables().entrySet()) {
      assertThat(counts(faulted.tables().get(e.getKey())))
          .as(
              "%s: counts of table %s (read, rejected, rows, duplicates, inserted, updated,"
                  + " unchanged, skipped)",
              context, e.getKey())
          .isEqualTo(counts(e.getValue()));
    }
  }

  /** The counts of a summary without its wall time. */
  public static List<Long> counts(TableSummary s) {
    return List.of(
        s.read(),
        s.rejected(),
        s.rows(),
        s.duplicates(),
        s.inserted(),
        s.updated(),
        s.unchanged(),
        s.skipped());
  }

  /** The single summary of a one-table job. */
  public static TableSummary only(RunResult r) {
    assertThat(r.tables()).hasSize(1);
    return first(r);
  }

  /** The first table's summary: its read and rejected counts are the job's. */
  public static TableSummary first(RunResult r) {
    return r.tables().values().iterator().next();
  }

  /** The write paths every fault runs on ({@code options.write-path}, docs/spec.md). */
  public static final List<String> PATHS = List.of("upsert", "copy");

  /** R2 to R5, numbered for {@link #pathFor}. */
  public static final int R2 = 2, R3 = 3, R4 = 4, R5 = 5;

  /**
   * The write path a job runs a fault on in the default build: rotated by job and fault, so each
   * fault covers every job once and each job meets both paths over the faults.
   */
  public static String pathFor(Job job, int fault) {
    return PATHS.get((JOBS.indexOf(job) + fault) % PATHS.size());
  }

  /**
   * The job × write path cases of a fault: every job on both paths under {@code
   * -Dfaults.full=true}, else every job on {@link #pathFor its path of the fault}. {@code
   * -Dfaults.jobs=a,b} keeps those specs only.
   */
  public static List<Map.Entry<Job, String>> matrix(int fault) {
    String only = System.getProperty("faults.jobs", "");
    Set<String> wanted =
        only.isBlank() ? Set.of() : new HashSet<>(List.of(only.trim().split("\\s*,\\s*")));
    List<Map.Entry<Job, String>> out = new java.util.ArrayList<>();
    for (Job j : JOBS) {
      if (!wanted.isEmpty() && !wanted.contains(j.spec())) {
        continue;
      }
      for (String p : full() ? PATHS : List.of(pathFor(j, fault))) {
        out.add(Map.entry(j, p));
      }
    }
    return out;
  }

  /** The job of a spec name. */
  public static Job job(String spec) {
    return JOBS.stream().filter(j -> j.spec().equals(spec)).findFirst().orElseThrow();
  }

  /** -Dfaults.full=true: the long form of the suite. */
  public static boolean full() {
    return Boolean.getBoolean("faults.full");
  }

  /** -Dfaults.seed=N replays a run's choices; otherwise a new seed each time, printed. */
  public static long seed() {
    String s = System.getProperty("faults.seed");
    return s != null && !s.isBlank() ? Long.parseLong(s.trim()) : System.nanoTime() % 1_000_000;
  }

  /** One line of figures on stdout, where the report and CI logs pick it up. */
  public static void figures(String test, String text) {
    System.out.println("[fault-suite] " + test + ": " + text);
  }
}
