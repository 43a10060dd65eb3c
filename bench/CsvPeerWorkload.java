import dev.pgingest.workload.profiles.ProfilesDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One profiles CSV into one table keyed by id (mode merge), loaded three ways into the same table
 * and index on the same server: COPY, pgloader and pgingest with bench/csv-peer.yaml.
 */
final class CsvPeerWorkload implements Workload {

  private static final long FIRST_ID = 1_000_000_000L;
  private static final long SEED = 20_261_102L;

  /** The table's columns: the CSV's fields, in its order, under their own names. */
  private static final List<String> COLUMNS = ProfilesDump.FIELDS;

  private static final List<String> TEXT = List.of("username", "full_name", "biography");

  private final int records;
  private Path csv;

  CsvPeerWorkload(int records) {
    this.records = records;
  }

  @Override
  public String name() {
    return "csv-peer";
  }

  @Override
  public String size() {
    return String.format(Locale.ROOT, "%,d rows", records);
  }

  @Override
  public String schema() {
    return "csv_peer_" + records;
  }

  private String pgloaderSchema() {
    return schema() + "_pgloader";
  }

  @Override
  public void prepare(Harness h) throws Exception {
    csv = h.work().resolve(String.format(Locale.ROOT, "csv-peer-%d-s%d.csv", records, SEED));
    Generated.ensure(
        csv,
        "records=" + records + " seed=" + SEED + " " + Generated.digest(ProfilesDump.class),
        () -> {
          // No repeated ids: COPY and pgloader cannot load two rows of one key into a keyed table.
          ProfilesDump.Stats s = ProfilesDump.write(csv, records, 0, FIRST_ID, SEED);
          return s.records() + " profiles, " + s.distinctIds() + " ids";
        });
    BenchSupport b = h.support();
    for (String schema : List.of(copySchema(), pgloaderSchema())) {
      b.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }
    // The table pgloader loads has its key from the start, as a user's existing table would;
    // pgloader's own "drop indexes" option then takes it off and puts it back around the load.
    b.execute(createTable(pgloaderSchema(), true), createTable(copySchema(), false));
  }

  private static String createTable(String schema, boolean key) {
    return "CREATE TABLE "
        + schema
        + ".profiles (id bigint NOT NULL, username text, full_name text, biography text,"
        + " follower_count bigint, following_count bigint, media_count bigint, is_private boolean,"
        + " is_verified boolean, scraped_at timestamptz"
        + (key ? ", CONSTRAINT profiles_pkey PRIMARY KEY (id))" : ")");
  }

  @Override
  public Invocation invocation(Harness h) {
    return new Invocation(h.benchFile("csv-peer.yaml"), csv, "2g", List.of());
  }

  /** The file itself is the prepared rows: COPY … WITH (FORMAT csv), then the primary key. */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    return h.support()
        .copyFresh(
            copySchema(),
            List.of(new BenchSupport.CopyFile("profiles", COLUMNS, csv, "FORMAT csv, HEADER true")),
            List.of(
                List.of(
                    "ALTER TABLE "
                        + copySchema()
                        + ".profiles ADD CONSTRAINT profiles_pkey PRIMARY KEY (id)"),
                List.of()));
  }

  @Override
  public List<Figures> peers(Harness h, BenchSupport.Timed copy) throws Exception {
    BenchSupport.section(name() + ": pgloader into schema " + pgloaderSchema());
    Path exe = Path.of("/usr/bin/pgloader");
    String label = "pgloader";
    if (!Files.isExecutable(exe)) {
      String why = "no /usr/bin/pgloader (as root: apt-get update && apt-get install -y pgloader)";
      BenchSupport.OUT.println("  SKIPPED: " + why);
      return List.of(Figures.skipped(name() + " " + size(), label, why));
    }
    Process v = new ProcessBuilder(exe.toString(), "--version").redirectErrorStream(true).start();
    String version = new String(v.getInputStream().readAllBytes()).lines().findFirst().orElse("");
    v.waitFor();
    label = "pgloader " + version.replaceAll(".*version \"?([^\" ]+)\"?.*", "$1");
    Path load = h.work().resolve("csv-peer-" + records + ".load");
    List<String> fields = new ArrayList<>();
    for (String c : COLUMNS) {
      fields.add(TEXT.contains(c) ? c + " [null if blanks]" : c);
    }
    Files.writeString(
        load,
        "LOAD CSV\n"
            + "  FROM '"
            + csv
            + "' ("
            + String.join(", ", fields)
            + ")\n"
            + "  INTO postgresql://postgres@127.0.0.1:"
            + h.support().port()
            + "/postgres?sslmode=disable\n"
            + "  TARGET TABLE "
            + pgloaderSchema()
            + ".profiles ("
            + String.join(", ", COLUMNS)
            + ")\n"
            + "  WITH skip header = 1,\n"
            + "       fields optionally enclosed by '\"',\n"
            + "       fields escaped by double-quote,\n"
            + "       fields terminated by ',',\n"
            + "       drop indexes,\n"
            + "       batch rows = 25000,\n"
            + "       workers = 2, concurrency = 1;\n");
    BenchSupport.Run run =
        h.support()
            .measure(
                new BenchSupport.Command(
                    "pgloader-" + records,
                    List.of(exe.toString(), load.toString()),
                    Map.of(),
                    false));
    long rows = h.support().queryLong("SELECT count(*) FROM " + pgloaderSchema() + ".profiles");
    boolean same =
        run.exit() == 0
            && h.support().compare(pgloaderSchema(), copySchema(), "profiles", List.of("id"), values());
    return List.of(
        new Figures(
            name() + " " + size(),
            label,
            rows,
            run.seconds(),
            Double.NaN,
            run.startup(),
            copy.seconds(),
            rows == 0 ? Double.NaN : run.clientCpu() * 1e6 / rows,
            rows == 0 ? Double.NaN : run.postgresCpu() * 1e6 / rows,
            Double.NaN,
            -1,
            Double.NaN,
            run.others(),
            run.exit() != 0 ? "FAILED (exit " + run.exit() + ")" : same ? "OK" : "MISMATCH"));
  }

  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    long copied = h.support().queryLong("SELECT count(*) FROM " + copySchema() + ".profiles");
    BenchSupport.OUT.printf(Locale.ROOT, "  COPY loaded %,d rows of %,d records%n", copied, records);
    return copied == records
        && h.support().compare(schema(), copySchema(), "profiles", List.of("id"), values());
  }

  private static List<String> values() {
    return COLUMNS.subList(1, COLUMNS.size());
  }
}
