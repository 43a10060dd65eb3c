import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.ColumnSpec;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.workload.laps.RaceDump;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * jobs/laps-liverc.yaml: a season of LiveRC race pages into events, races, race_results and laps;
 * the COPY baseline's rows come from RaceDump's model, not from parsing the pages.
 */
final class LapsWorkload implements Workload {

  private static final long SEED = 20_240_518L;
  private static final int RACES = 40;
  private static final int DRIVERS = 12;
  private static final int LAPS = 30;

  private final int events;
  private RaceDump.Shape shape;
  private Path dir;
  private RaceDump.Stats stats;
  private JobSpec spec;
  private List<TableDef<TableRow>> tables;
  private final Map<String, Path> files = new LinkedHashMap<>();

  LapsWorkload(int events) {
    this.events = events;
  }

  @Override
  public String name() {
    return "laps";
  }

  @Override
  public String size() {
    return events + (events == 1 ? " event" : " events");
  }

  @Override
  public void prepare(Harness h) throws Exception {
    shape = new RaceDump.Shape(RaceDump.Format.LIVERC, events, RACES, DRIVERS, LAPS, SEED);
    dir =
        h.work()
            .resolve(
                String.format(
                    Locale.ROOT, "laps-liverc-e%d-r%d-d%d-l%d-s%d", events, RACES, DRIVERS, LAPS, SEED));
    boolean[] reused = {false};
    long t0 = System.nanoTime();
    stats = RaceDump.ensureSeason(dir, shape, reused);
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  input %s: %s (%s)%n",
        dir,
        reused[0] ? "reused" : String.format(Locale.ROOT, "generated in %.1f s", (System.nanoTime() - t0) / 1e9),
        stats.describe());
    Path specFile = h.jobSpec("laps-liverc.yaml");
    spec =
        JobSpecParser.parse(
            Files.readString(specFile, StandardCharsets.UTF_8),
            specFile.toString(),
            specFile.getParent(),
            Map.of("target.schema", copySchema()));
    tables = new DeclaredPipeline().tables(spec);
    writeRows(h.work());
    h.support().execute("DROP SCHEMA IF EXISTS " + copySchema() + " CASCADE");
  }

  /**
   * The rows pgingest would store, from RaceDump's model, in COPY text per table: each column
   * takes its spec field's value; rows of one key once (every race repeats its event).
   */
  private void writeRows(Path work) throws IOException {
    Map<String, TableSpec> specs = new LinkedHashMap<>();
    for (TableSpec t : spec.tables()) {
      specs.put(t.name(), t);
    }
    Map<String, Writer> writers = new LinkedHashMap<>();
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    try {
      for (TableDef<TableRow> t : tables) {
        Path f = work.resolve("laps-copy-" + t.table() + ".tsv");
        files.put(t.table(), f);
        writers.put(
            t.table(),
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(f), StandardCharsets.UTF_8), 1 << 20));
        keys.put(t.table(), new HashSet<>());
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
          shape,
          e -> {
            for (RaceDump.Race r : e.races()) {
              Map<String, String> race = RaceDump.raceFields(e, r);
              for (TableDef<TableRow> t : tables) {
                if (specs.get(t.table()).each() == null) {
                  row(sb, t, specs.get(t.table()), race, writers, keys, true);
                }
              }
              for (RaceDump.Result x : r.results()) {
                Map<String, String> result = RaceDump.resultFields(e, r, x);
                for (TableDef<TableRow> t : tables) {
                  if ("result".equals(specs.get(t.table()).each())) {
                    row(sb, t, specs.get(t.table()), result, writers, keys, false);
                  }
                }
                for (RaceDump.Lap l : x.laps()) {
                  Map<String, String> lap = RaceDump.lapFields(e, r, x, l);
                  for (TableDef<TableRow> t : tables) {
                    if ("lap".equals(specs.get(t.table()).each())) {
                      row(sb, t, specs.get(t.table()), lap, writers, keys, false);
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
  }

  /** One row of {@code t} from {@code fields}; {@code dedup} keeps a key's first row only. */
  private static void row(
      StringBuilder sb,
      TableDef<TableRow> t,
      TableSpec ts,
      Map<String, String> fields,
      Map<String, Writer> writers,
      Map<String, Set<String>> keys,
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
  }

  private static String fieldOf(TableSpec ts, String column, Map<String, String> fields) {
    for (ColumnSpec c : ts.columns()) {
      if (c.name().equals(column)) {
        return fields.get(c.field());
      }
    }
    throw new IllegalArgumentException("no column " + column + " in " + ts.name());
  }

  @Override
  public Invocation invocation(Harness h) {
    return new Invocation(h.jobSpec("laps-liverc.yaml"), dir, "2g", List.of());
  }

  /** The four tables' COPYs at once into bare twins, then keys and indexes, then foreign keys. */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    List<String> names = tables.stream().map(TableDef::table).toList();
    List<List<String>> deferred = b.bareTwins(schema(), copySchema(), names);
    List<BenchSupport.CopyFile> copies = new ArrayList<>();
    for (TableDef<TableRow> t : tables) {
      copies.add(
          new BenchSupport.CopyFile(
              t.table(),
              t.writtenColumns().stream().map(c -> SqlNames.ident(c.name())).toList(),
              files.get(t.table())));
    }
    BenchSupport.Timed t = b.copyFresh(copySchema(), copies, deferred);
    for (Path f : files.values()) {
      Files.deleteIfExists(f);
    }
    return t;
  }

  /** Each table against its COPY twin: built by separate paths, any difference is a bug in one. */
  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    BenchSupport.OUT.printf(Locale.ROOT, "  the season: %s%n", stats.describe());
    boolean same = true;
    for (TableSpec t : spec.tables()) {
      List<String> cols =
          t.columns().stream()
              .filter(c -> c.sqlDefault() == null)
              .map(c -> SqlNames.ident(c.name()))
              .filter(c -> !t.key().contains(c.replace("\"", "")))
              .toList();
      same &=
          h.support()
              .compare(
                  schema(),
                  copySchema(),
                  t.name(),
                  t.key().stream().map(SqlNames::ident).toList(),
                  cols);
    }
    return same;
  }
}
