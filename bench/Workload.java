import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One workload of the harness: its input, its pgingest run, its COPY baseline and its cross-check.
 * The harness calls them in this order: {@link #prepare}, pgingest with {@link #invocation},
 * {@link #baseline}, {@link #peers}, {@link #check}; each workload loads into schemas of its own.
 */
interface Workload {

  /** The name {@code --only} takes. */
  String name();

  /** A few words on the size, for the result table. */
  String size();

  /** Generates the input (or reuses a finished one) and does the untimed set-up in PostgreSQL. */
  void prepare(Harness h) throws Exception;

  /** The pgingest run: spec, input, heap and further arguments. */
  Invocation invocation(Harness h) throws Exception;

  /**
   * The strongest COPY route to the same rows in the same tables, timed. Runs after pgingest, so
   * twins can take pgingest's tables' exact keys and indexes.
   */
  BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception;

  /** Other loaders measured side by side (pgloader); none by default. */
  default List<Figures> peers(Harness h, BenchSupport.Timed copy) throws Exception {
    return List.of();
  }

  /** The row-for-row cross-check, untimed; prints what it compared and returns whether it held. */
  boolean check(Harness h, Summary summary) throws Exception;

  /** Schema pgingest loads into. */
  default String schema() {
    return name().replace('-', '_');
  }

  /** Schema of the COPY baseline's twins. */
  default String copySchema() {
    return schema() + "_copy";
  }

  /** How pgingest is started for a workload. */
  record Invocation(Path spec, Path input, String xmx, List<String> args) {}

  /**
   * pgingest's {@code --summary-json}: per table its figures, and the job's own seconds.
   *
   * @param tables per table: read, rejected, inserted, updated, … (the numbers it reports)
   * @param seconds the first table's seconds, which is the run's (after-load steps come apart)
   */
  record Summary(Map<String, Map<String, Long>> tables, double seconds) {

    private static final Pattern TABLE = Pattern.compile("\"(\\w+)\": \\{(\"read\"[^}]*)\\}");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (\\d+)(\\.\\d+)?");

    static Summary read(Path file) throws Exception {
      Map<String, Map<String, Long>> tables = new LinkedHashMap<>();
      double seconds = Double.NaN;
      if (!Files.exists(file)) {
        return new Summary(tables, seconds);
      }
      Matcher t = TABLE.matcher(Files.readString(file));
      while (t.find()) {
        Map<String, Long> f = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(t.group(2));
        while (m.find()) {
          if (m.group(1).equals("seconds")) {
            if (Double.isNaN(seconds)) {
              seconds = Double.parseDouble(m.group(2) + (m.group(3) == null ? "" : m.group(3)));
            }
          } else {
            f.put(m.group(1), Long.parseLong(m.group(2)));
          }
        }
        tables.put(t.group(1), f);
      }
      return new Summary(tables, seconds);
    }

    long sum(String figure) {
      return tables.values().stream().mapToLong(m -> m.getOrDefault(figure, 0L)).sum();
    }

    long get(String table, String figure) {
      return tables.getOrDefault(table, Map.of()).getOrDefault(figure, -1L);
    }

    /** Rows the run wrote: inserted plus updated, over every table. */
    long written() {
      return sum("inserted") + sum("updated");
    }
  }

  /**
   * One line of the result table.
   *
   * @param copySeconds the COPY baseline's seconds (NaN on a COPY-less line)
   * @param clientUsPerRow CPU of the loader's process tree (pgingest's JVMs, or pgloader) per row
   * @param check OK, MISMATCH, FAILED or SKIPPED with a reason
   */
  record Figures(
      String workload,
      String label,
      long rows,
      double wall,
      double job,
      double startup,
      double copySeconds,
      double clientUsPerRow,
      double postgresUsPerRow,
      double peakHeapMb,
      int checkpoints,
      double checkpointMb,
      double others,
      String check) {

    /** COPY seconds over the loader's wall seconds: 1.0 is as fast as COPY. */
    double ratio() {
      return copySeconds / wall;
    }

    Figures withCheck(String c) {
      return new Figures(
          workload, label, rows, wall, job, startup, copySeconds, clientUsPerRow,
          postgresUsPerRow, peakHeapMb, checkpoints, checkpointMb, others, c);
    }

    static Figures skipped(String workload, String label, String why) {
      return new Figures(
          workload, label, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN, -1, Double.NaN, 0, "SKIPPED: " + why);
    }
  }
}
