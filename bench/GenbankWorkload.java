import dev.pgingest.workload.genbank.GenbankDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * jobs/genbank.yaml: a GenBank division into genbank_record and genbank_feature, sequences stored
 * as objects, the heap capped at 512 MB. The COPY baseline loads the rows pgingest wrote (exported
 * untimed): no other tool turns GenBank text into these rows, so COPY is the floor, not a peer.
 */
final class GenbankWorkload implements Workload {

  private static final long SEED = 20_250_215L;
  private static final List<String> TABLES = List.of("genbank_record", "genbank_feature");

  private final String bytes;
  private final int bigEvery;
  private Path division;
  private GenbankDump.Stats stats;
  private Path objects;

  GenbankWorkload(String bytes, int bigEvery) {
    this.bytes = bytes;
    this.bigEvery = bigEvery;
  }

  @Override
  public String name() {
    return "genbank";
  }

  @Override
  public String size() {
    return bytes + " division";
  }

  @Override
  public void prepare(Harness h) throws Exception {
    division =
        h.work().resolve(String.format(Locale.ROOT, "genbank-%s-s%d-b%d.seq", bytes, SEED, bigEvery));
    GenbankDump.Options o =
        new GenbankDump.Options(GenbankDump.parseSize(bytes), 0, SEED, bigEvery, 1, false);
    boolean[] reused = {false};
    long t0 = System.nanoTime();
    stats = GenbankDump.ensure(division, o, reused);
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  input %s: %s (%s)%n",
        division,
        reused[0] ? "reused" : String.format(Locale.ROOT, "generated in %.1f s", (System.nanoTime() - t0) / 1e9),
        stats.describe());
    objects = h.work().resolve("genbank-objects");
    BenchSupport.deleteTree(objects);
    Files.createDirectories(objects);
    h.support().execute("DROP SCHEMA IF EXISTS " + copySchema() + " CASCADE");
  }

  @Override
  public Invocation invocation(Harness h) {
    return new Invocation(
        h.jobSpec("genbank.yaml"),
        division,
        "512m",
        List.of("--set", "target.objects=" + objects.toUri()));
  }

  /** pgingest's rows exported untimed, COPYed at once into bare twins, keys and indexes after. */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    return h.support().copyOwnRows(h.work(), schema(), copySchema(), TABLES);
  }

  /** One record row per record of the division, one feature row per feature of it. */
  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    long records = b.queryLong("SELECT count(*) FROM " + schema() + ".genbank_record");
    long features = b.queryLong("SELECT count(*) FROM " + schema() + ".genbank_feature");
    long stored;
    try (var s = Files.walk(objects)) {
      stored = s.filter(Files::isRegularFile).count();
    }
    boolean ok = records == stats.records() && features == stats.features();
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  genbank_record %,d rows (the division has %,d records), genbank_feature %,d rows (%,d"
            + " features); %,d objects stored  %s%n",
        records,
        stats.records(),
        features,
        stats.features(),
        stored,
        ok ? "OK" : "MISMATCH");
    boolean same = true;
    for (String t : TABLES) {
      List<String> cols = b.writableColumns(schema(), t);
      same &= b.compare(schema(), copySchema(), t, b.keyColumns(schema(), t), cols);
    }
    return ok && same;
  }
}
