import dev.pgingest.workload.profiles.ProfilesDump;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.yaml.snakeyaml.Yaml;

/**
 * jobs/profiles.yaml: every scraped profile appended to raw_scraped_profiles, new ids inserted
 * into global_usernames, which already knows 10% of them.
 */
final class ProfilesWorkload implements Workload {

  /** First id of the dump: ten-digit ids, as the platforms hand out. */
  private static final long FIRST_ID = 1_000_000_000L;

  private static final long SEED = 20_261_101L;
  private static final double REPEATED = 0.02;
  private static final double PRELOAD = 0.10;

  /** run_id of the baseline's rows; any constant does, the key only has to be unique. */
  private static final long COPY_RUN = 1;

  /** Null tokens of jobs/profiles.yaml: COPY gets NULL where pgingest stores one. */
  private static final Set<String> NULL_TOKENS = Set.of("", "null", "NULL");

  private static final List<String> RAW_COLUMNS =
      List.of(
          "run_id",
          "source_file",
          "line_number",
          "profile_id",
          "username",
          "full_name",
          "biography",
          "follower_count",
          "following_count",
          "media_count",
          "is_private",
          "is_verified",
          "scraped_at",
          "record");

  private final int records;
  private Path dump;
  private long distinctIds;
  private long preloaded;
  private Path rawRows;
  private Path globalRows;

  ProfilesWorkload(int records) {
    this.records = records;
  }

  @Override
  public String name() {
    return "profiles";
  }

  @Override
  public String size() {
    return String.format(Locale.ROOT, "%,d records", records);
  }

  @Override
  public void prepare(Harness h) throws Exception {
    dump = h.work().resolve(String.format(Locale.ROOT, "profiles-%d-s%d.jsonl", records, SEED));
    String what =
        Generated.ensure(
            dump,
            "records=" + records + " repeated=" + REPEATED + " seed=" + SEED + " "
                + Generated.digest(ProfilesDump.class),
            () -> {
              ProfilesDump.Stats s = ProfilesDump.write(dump, records, REPEATED, FIRST_ID, SEED);
              return s.records() + " records " + s.distinctIds() + " ids";
            });
    distinctIds = Long.parseLong(what.replaceAll(".* (\\d+) ids", "$1"));
    BenchSupport b = h.support();
    for (String s : List.of(schema(), copySchema())) {
      b.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE", "CREATE SCHEMA " + s);
      b.execute(globalUsernamesDdl(h.jobSpec("profiles.yaml"), s).toArray(String[]::new));
    }
    // Both tables start with the same known profiles, so both loads skip the same ids.
    Path ids = h.work().resolve("profiles-preload-ids.csv");
    preloaded = ProfilesDump.writeIds(ids, FIRST_ID, distinctIds, PRELOAD);
    try (Connection c = b.connect()) {
      for (String s : List.of(schema(), copySchema())) {
        BenchSupport.copyIn(
            c,
            s + ".global_usernames",
            List.of("id", "username", "full_name"),
            ids,
            "FORMAT csv, HEADER true");
      }
    }
    Files.deleteIfExists(ids);
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  %,d of %,d ids pre-loaded into %s.global_usernames and its twin%n",
        preloaded,
        distinctIds,
        schema());
    rawRows = h.work().resolve("profiles-raw.tsv");
    globalRows = h.work().resolve("profiles-global.tsv");
    writeCopyRows();
  }

  /**
   * global_usernames as the spec declares it (columns, types, defaults, NOT NULL for key and
   * required columns, the key as primary key, the declared indexes): it must exist, pre-loaded,
   * before pgingest runs.
   */
  @SuppressWarnings("unchecked")
  private static List<String> globalUsernamesDdl(Path spec, String schema) throws Exception {
    Map<String, Object> root = new Yaml().load(Files.readString(spec));
    for (Object o : (List<?>) root.get("tables")) {
      Map<String, Object> t = (Map<String, Object>) o;
      if (!"global_usernames".equals(t.get("name"))) {
        continue;
      }
      List<String> key = ((List<?>) t.get("key")).stream().map(String::valueOf).toList();
      List<String> cols = new ArrayList<>();
      for (Map<String, Object> c : (List<Map<String, Object>>) t.get("columns")) {
        String col = c.get("name") + " " + c.get("type");
        if (key.contains((String) c.get("name")) || Boolean.TRUE.equals(c.get("required"))) {
          col += " NOT NULL";
        }
        if (c.get("default") != null) {
          col += " DEFAULT " + c.get("default");
        }
        cols.add(col);
      }
      cols.add("PRIMARY KEY (" + String.join(", ", key) + ")");
      List<String> sql = new ArrayList<>();
      sql.add("CREATE TABLE " + schema + ".global_usernames (" + String.join(", ", cols) + ")");
      Object indexes = t.get("indexes");
      for (Map<String, Object> idx : indexes == null ? List.<Map<String, Object>>of() : (List<Map<String, Object>>) indexes) {
        // SnakeYAML reads YAML 1.1, where a bare `on:` key is the boolean true.
        Object on = idx.containsKey("on") ? idx.get("on") : ((Map<?, ?>) idx).get(Boolean.TRUE);
        sql.add("CREATE INDEX " + idx.get("name") + " ON " + schema + ".global_usernames " + on);
      }
      return sql;
    }
    throw new IllegalArgumentException(spec + " declares no table global_usernames");
  }

  /**
   * The rows pgingest would write, from the generator's own records (the same the dump holds): raw
   * rows in the spec's column order, and (id, username, full_name) for the staging table.
   */
  private void writeCopyRows() throws Exception {
    String file = dump.toString();
    try (Writer rw =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(rawRows), StandardCharsets.UTF_8),
                1 << 20);
        Writer gw =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(globalRows), StandardCharsets.UTF_8),
                1 << 20)) {
      StringBuilder r = new StringBuilder(1024);
      StringBuilder g = new StringBuilder(128);
      ProfilesDump.generate(
          records,
          REPEATED,
          FIRST_ID,
          SEED,
          ProfilesDump.Format.JSONL,
          p -> {
            r.setLength(0);
            g.setLength(0);
            r.append(COPY_RUN).append('\t');
            BenchSupport.copyField(r, file);
            r.append('\t').append(p.line()).append('\t').append(p.id()).append('\t');
            BenchSupport.copyField(r, nulled(p.username()));
            r.append('\t');
            BenchSupport.copyField(r, nulled(p.fullName()));
            r.append('\t');
            BenchSupport.copyField(r, nulled(p.biography()));
            r.append('\t').append(p.followerCount());
            r.append('\t').append(p.followingCount());
            r.append('\t').append(p.mediaCount());
            r.append('\t').append(p.isPrivate());
            r.append('\t').append(p.isVerified());
            r.append('\t').append(p.scrapedAt()).append('\t');
            BenchSupport.copyField(r, p.json());
            r.append('\n');
            g.append(p.id()).append('\t');
            BenchSupport.copyField(g, nulled(p.username()));
            g.append('\t');
            BenchSupport.copyField(g, nulled(p.fullName()));
            g.append('\n');
            try {
              rw.append(r);
              gw.append(g);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }

  private static String nulled(String v) {
    return v == null || NULL_TOKENS.contains(v) ? null : v;
  }

  @Override
  public Invocation invocation(Harness h) {
    return new Invocation(h.jobSpec("profiles.yaml"), dump, "2g", List.of());
  }

  /**
   * Both tables at once: COPY into a bare twin of raw_scraped_profiles (its key after), and for
   * the insert-if-new table COPY into a TEMP staging table + INSERT … ON CONFLICT (id) DO NOTHING
   * into the pre-loaded twin of global_usernames, whose indexes a user's live table has.
   */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    List<List<String>> deferred =
        b.bareTwins(schema(), copySchema(), List.of("raw_scraped_profiles"));
    BenchSupport.Timed load =
        b.parallel(
            List.of(
                c ->
                    BenchSupport.copyIn(
                        c, copySchema() + ".raw_scraped_profiles", RAW_COLUMNS, rawRows, ""),
                c -> {
                  try (Statement st = c.createStatement()) {
                    st.execute(
                        "CREATE TEMP TABLE profiles_stage (id bigint, username text, full_name text)");
                    BenchSupport.copyIn(c, "profiles_stage", List.of(), globalRows, "");
                    st.executeUpdate(
                        "INSERT INTO "
                            + copySchema()
                            + ".global_usernames (id, username, full_name, first_seen_run)"
                            + " SELECT id, username, full_name, "
                            + COPY_RUN
                            + " FROM profiles_stage ON CONFLICT (id) DO NOTHING");
                    st.execute("DROP TABLE profiles_stage");
                  }
                }));
    BenchSupport.Timed keys =
        b.timedParallel(List.of(BenchSupport.drain(new ConcurrentLinkedQueue<>(deferred.get(0)))));
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  COPY raw + staged INSERT … ON CONFLICT DO NOTHING in parallel %.2f s, raw's key %.2f s%n",
        load.seconds(),
        keys.seconds());
    Files.deleteIfExists(rawRows);
    Files.deleteIfExists(globalRows);
    return new BenchSupport.Timed(
        load.seconds() + keys.seconds(), BenchSupport.add(load.cpu(), keys.cpu()));
  }

  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    long untouched =
        b.queryLong(
            "SELECT count(*) FROM " + schema() + ".global_usernames WHERE first_seen_run IS NULL");
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  pre-loaded rows untouched: %,d of %,d; summary: inserted_raw %,d, added_to_global %,d"
            + " (expected %,d and %,d)%n",
        untouched,
        preloaded,
        summary.get("raw_scraped_profiles", "inserted"),
        summary.get("global_usernames", "inserted"),
        records,
        distinctIds - preloaded);
    boolean same =
        b.compare(
            schema(),
            copySchema(),
            "raw_scraped_profiles",
            List.of("line_number"),
            RAW_COLUMNS.subList(3, RAW_COLUMNS.size()));
    same &=
        b.compare(
            schema(),
            copySchema(),
            "global_usernames",
            List.of("id"),
            List.of("username", "full_name", "({}first_seen_run IS NULL)"));
    return same && untouched == preloaded;
  }
}
