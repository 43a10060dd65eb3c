package dev.pgingest.workload.laps;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Seeded race timing input for tests and the laps bench: LiveRC result pages (an event page and one
 * page per race) and timing-system CSV sessions (one file per session, a folder per event).
 *
 * <p>Each race is simulated before it is written: drivers of one class lap around a mean with
 * noise, the odd crash or pit stop and the odd retirement; a timed race ends for everyone on the
 * lap after the leader's last; positions per lap and at the finish follow from the times, so the
 * results table and the laps agree. Some drivers do not start (no laps, empty stats; on LiveRC
 * sometimes a lap 0 only), some races have lap segments. The model holds every value as the laps
 * specs store it ({@link #raceFields}, {@link #resultFields}, {@link #lapFields}: decimal seconds
 * as text, lap 0 left out), so a COPY baseline needs no parsing and a test can compare a codec's
 * output with it. Plain Java (no Flink, no test libraries), since the bench compiles it alone. The
 * same arguments give the same bytes: {@link Random}'s algorithm is fixed by its Javadoc.
 */
public final class RaceDump {

  public static final long DEFAULT_SEED = 20_240_518L;

  /** Bumped when the output for given settings changes, so cached dumps are rebuilt. */
  public static final int VERSION = 1;

  /** Most races one event may hold: race ids are the event id and three digits. */
  public static final int MAX_RACES = 999;

  /** Which files a dump holds. */
  public enum Format {
    /** LiveRC pages: {@code event-ID.html} and {@code race-ID.html} per event folder. */
    LIVERC,
    /** Timing-system {@code ;}-delimited lap exports, one {@code .csv} per session. */
    TIMING
  }

  /**
   * A season's shape: {@code events} events of {@code races} races of {@code drivers} × {@code
   * laps}.
   */
  public record Shape(Format format, int events, int races, int drivers, int laps, long seed) {
    public Shape {
      if (events < 1 || races < 1 || races > MAX_RACES || drivers < 1 || laps < 1) {
        throw new IllegalArgumentException(
            "events, drivers and laps must be >= 1 and races 1.." + MAX_RACES + ": " + this);
      }
    }

    String identity() {
      return "version="
          + VERSION
          + " format="
          + format
          + " events="
          + events
          + " races="
          + races
          + " drivers="
          + drivers
          + " laps="
          + laps
          + " seed="
          + seed;
    }
  }

  /**
   * What a dump holds, counted as the laps specs store it: {@code results} includes drivers who did
   * not start ({@code nonStarters}, results with no lap), {@code laps} leaves lap 0 out; {@code
   * segments} counts laps that have segment times.
   */
  public record Stats(
      long files,
      long bytes,
      long events,
      long races,
      long results,
      long nonStarters,
      long laps,
      long segmentedLaps) {

    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0);

    public Stats plus(Stats o) {
      return new Stats(
          files + o.files,
          bytes + o.bytes,
          events + o.events,
          races + o.races,
          results + o.results,
          nonStarters + o.nonStarters,
          laps + o.laps,
          segmentedLaps + o.segmentedLaps);
    }

    /** Rows of the four tables: events, races, race_results and laps. */
    public long rows() {
      return events + races + results + laps;
    }

    public String describe() {
      return String.format(
          Locale.ROOT,
          "%,d events, %,d races, %,d results (%,d non-starters), %,d laps (%,d with segments);"
              + " %,d rows in all; %,d files, %,d bytes",
          events,
          races,
          results,
          nonStarters,
          laps,
          segmentedLaps,
          rows(),
          files,
          bytes);
    }

    String toMeta() {
      return "files="
          + files
          + " bytes="
          + bytes
          + " events="
          + events
          + " races="
          + races
          + " results="
          + results
          + " nonStarters="
          + nonStarters
          + " laps="
          + laps
          + " segmentedLaps="
          + segmentedLaps;
    }

    static Stats fromMeta(String s) {
      Matcher m =
          Pattern.compile(
                  "files=(\\d+) bytes=(\\d+) events=(\\d+) races=(\\d+) results=(\\d+)"
                      + " nonStarters=(\\d+) laps=(\\d+) segmentedLaps=(\\d+)")
              .matcher(s);
      if (!m.find()) {
        return null;
      }
      long[] v = new long[8];
      for (int i = 0; i < v.length; i++) {
        v[i] = Long.parseLong(m.group(i + 1));
      }
      return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }
  }

  // ------------------------------------------------------------------------------------ model

  /**
   * One event as stored; {@code host} and {@code folder} say where it was written.
   *
   * @param source {@code liverc:HOST} or {@code timing}
   * @param folder the event's folder in a season
   */
  public record Event(
      Format format,
      String source,
      String eventId,
      String eventName,
      String club,
      String eventDate,
      String host,
      String folder,
      LocalDate date,
      List<Race> races) {}

  /**
   * One race (a LiveRC race page, a timing session file).
   *
   * @param fileName the file it is written to, in its event's folder
   * @param lengthMinutes the timed length the page gives
   * @param segments whether its laps carry segment (sector) times
   * @param startMillis time of day the race started, for clock columns
   */
  public record Race(
      String raceId,
      String raceName,
      String className,
      String round,
      int lengthMinutes,
      boolean segments,
      String fileName,
      long startMillis,
      List<Result> results) {}

  /** How a driver's race went: started, or not (LiveRC shows a non-starter two ways). */
  public enum Start {
    STARTED,
    /** No laps at all, dashes in the table. */
    DID_NOT_START,
    /** Only lap 0 (the start line) and empty cells: still no lap stored, but 0 laps. */
    LAP_ZERO_ONLY
  }

  /**
   * One driver's (car's) result; times in milliseconds, null where there are none.
   *
   * @param tableName the name as the results table writes it (maybe with a double space)
   * @param grid starting position (LiveRC's qualifying column and lap 0 position)
   */
  public record Result(
      String driverId,
      String driverName,
      String tableName,
      String carNumber,
      String team,
      String manufacturer,
      String className,
      int position,
      int grid,
      Start start,
      List<Lap> laps,
      Long totalMillis,
      Long fastMillis,
      Long avgMillis,
      String consistency,
      int profileId) {

    public boolean started() {
      return start == Start.STARTED;
    }
  }

  /**
   * One lap (never lap 0); times in milliseconds.
   *
   * @param position position at the end of the lap, or null when the source gives none
   * @param paceLaps LiveRC's projected laps, or 0 when none
   * @param segmentsMillis segment or sector times; empty when none
   * @param kph a timing export's average speed as written, or null
   * @param inPit whether the lap ended in the pit lane (timing exports), or null
   * @param pitMillis pit time spent on this lap, or null
   * @param driverNumber which of the car's drivers drove it (timing exports), or 0
   * @param driverName that driver (timing exports), or null
   */
  public record Lap(
      int number,
      Integer position,
      long millis,
      int paceLaps,
      long paceMillis,
      long[] segmentsMillis,
      long elapsedMillis,
      String kph,
      Boolean inPit,
      Long pitMillis,
      int driverNumber,
      String driverName,
      String topSpeed) {}

  // ----------------------------------------------------------------- stored values (spec fields)

  /**
   * A race's (and its event's) fields as the laps pipeline names them ({@code field:} in
   * jobs/laps-*.yaml), valued as pgingest stores them.
   */
  public static Map<String, String> raceFields(Event e, Race r) {
    Map<String, String> f = new LinkedHashMap<>();
    boolean liveRc = e.format == Format.LIVERC;
    f.put("source", e.source);
    f.put("event_id", e.eventId);
    f.put("event_name", e.eventName);
    f.put("club", e.club);
    f.put("event_date", e.eventDate);
    f.put("race_id", r.raceId);
    f.put("race_name", r.raceName);
    f.put("class_name", r.className);
    f.put("round", r.round);
    f.put("length_kind", liveRc ? "timed" : null);
    f.put("length_seconds", liveRc ? Integer.toString(r.lengthMinutes * 60) : null);
    f.put("length_laps", null);
    f.put("started_at", null);
    f.put("result_count", Integer.toString(r.results.size()));
    return f;
  }

  /** A driver's result fields, valued as pgingest stores them. */
  public static Map<String, String> resultFields(Event e, Race r, Result x) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("source", e.source);
    f.put("event_id", e.eventId);
    f.put("race_id", r.raceId);
    f.put("driver_id", x.driverId);
    f.put("driver_name", x.driverName);
    f.put("car_number", x.carNumber);
    f.put("team", x.team);
    f.put("class_name", e.format == Format.TIMING ? x.className : null);
    f.put("position", Integer.toString(x.position));
    f.put(
        "laps",
        switch (x.start) {
          case STARTED -> Integer.toString(x.laps.size());
          case LAP_ZERO_ONLY -> "0";
          case DID_NOT_START -> null;
        });
    f.put("total_time", seconds(x.totalMillis));
    f.put("fast_lap", seconds(x.fastMillis));
    f.put("avg_lap", seconds(x.avgMillis));
    f.put("consistency", x.consistency);
    f.put("lap_count", Integer.toString(x.laps.size()));
    return f;
  }

  /** A lap's fields, valued as pgingest stores them; {@code segments} as JSON, null when none. */
  public static Map<String, String> lapFields(Event e, Race r, Result x, Lap l) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("source", e.source);
    f.put("event_id", e.eventId);
    f.put("race_id", r.raceId);
    f.put("driver_id", x.driverId);
    f.put("lap_number", Integer.toString(l.number));
    f.put("position", l.position == null ? null : l.position.toString());
    f.put("lap_time", seconds(l.millis));
    f.put("pace_laps", l.paceLaps == 0 ? null : Integer.toString(l.paceLaps));
    f.put("pace_time", l.paceLaps == 0 ? null : seconds(l.paceMillis));
    f.put("segments", segmentsJson(l.segmentsMillis));
    boolean timing = e.format == Format.TIMING;
    f.put("elapsed", timing ? seconds(l.elapsedMillis) : null);
    f.put("kph", l.kph);
    f.put("crossed_at", timing ? dayClock(r.startMillis + l.elapsedMillis) : null);
    f.put("in_pit", l.inPit == null ? null : l.inPit.toString());
    f.put("pit_time", l.pitMillis == null ? null : seconds(l.pitMillis));
    f.put("driver_number", l.driverNumber == 0 ? null : Integer.toString(l.driverNumber));
    return f;
  }

  /** The segment times as the JSON array of decimal-seconds strings pgingest stores. */
  static String segmentsJson(long[] segments) {
    if (segments.length == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < segments.length; i++) {
      sb.append(i == 0 ? "\"" : ",\"").append(seconds(segments[i])).append('"');
    }
    return sb.append(']').toString();
  }

  /** Counts of one event's stored rows; files and bytes are the writer's to add. */
  public static Stats count(Event e) {
    long results = 0;
    long nonStarters = 0;
    long laps = 0;
    long segmented = 0;
    for (Race r : e.races) {
      for (Result x : r.results) {
        results++;
        if (x.laps.isEmpty()) {
          nonStarters++;
        }
        laps += x.laps.size();
        for (Lap l : x.laps) {
          if (l.segmentsMillis.length > 0) {
            segmented++;
          }
        }
      }
    }
    return new Stats(0, 0, 1, e.races.size(), results, nonStarters, laps, segmented);
  }

  // ------------------------------------------------------------------------------- writing

  /**
   * Writes one LiveRC event into {@code dir}: {@code event-ID.html} listing its races and {@code
   * race-ID.html} per race, each with {@code drivers} entries and about {@code laps} laps for the
   * winner. The same as event 0 of a LiveRC season of the same seed.
   */
  public static Stats writeLiveRcEvent(Path dir, int races, int drivers, int laps, long seed)
      throws IOException {
    Shape shape = new Shape(Format.LIVERC, 1, races, drivers, laps, seed);
    return writeEvent(dir, event(shape, 0));
  }

  /** Writes one LiveRC race page (the only race of an event of its own) to {@code file}. */
  public static Stats writeLiveRcRace(Path file, int drivers, int laps, long seed)
      throws IOException {
    Event e = event(new Shape(Format.LIVERC, 1, 1, drivers, laps, seed), 0);
    long bytes = writeText(file, liveRcRacePage(e, e.races.get(0)));
    Stats s = count(e);
    return new Stats(1, bytes, 1, 1, s.results, s.nonStarters, s.laps, s.segmentedLaps);
  }

  /** The model of {@link #writeLiveRcRace}'s page, with {@code file}'s name. */
  public static Event liveRcRace(int drivers, int laps, long seed) {
    return event(new Shape(Format.LIVERC, 1, 1, drivers, laps, seed), 0);
  }

  /**
   * Writes one timing session to {@code file} ({@code <event folder>/<session>.csv}, the names the
   * codec takes event and race from): {@code cars} entries, about {@code laps} laps for the winner.
   */
  public static Stats writeTimingSession(Path file, int cars, int laps, long seed)
      throws IOException {
    Event e = timingSession(file, cars, laps, seed);
    long bytes = writeText(file, timingCsv(e.races.get(0)));
    Stats s = count(e);
    return new Stats(1, bytes, 1, 1, s.results, s.nonStarters, s.laps, s.segmentedLaps);
  }

  /** The model of the session {@link #writeTimingSession} writes to {@code file}. */
  public static Event timingSession(Path file, int cars, int laps, long seed) {
    Path folder = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString();
    String race =
        name.toLowerCase(Locale.ROOT).endsWith(".csv")
            ? name.substring(0, name.length() - 4)
            : name;
    Random rnd = new Random(mix(seed, 0));
    Track track = TRACKS[rnd.nextInt(TRACKS.length)];
    LocalDate date = LocalDate.of(2024, 4, 6).plusDays(rnd.nextInt(180));
    Race r = timingRace(rnd, race, name, track, cars, laps, 0);
    String eventId =
        folder == null || folder.getFileName() == null ? "event" : folder.getFileName().toString();
    return new Event(
        Format.TIMING, "timing", eventId, null, null, null, null, eventId, date, List.of(r));
  }

  /** Writes a season into {@code dir}: a folder per event, as {@link #event} describes them. */
  public static Stats writeSeason(Path dir, Shape shape) throws IOException {
    Files.createDirectories(dir);
    Stats total = Stats.ZERO;
    for (int i = 0; i < shape.events; i++) {
      Event e = event(shape, i);
      total = total.plus(writeEvent(dir.resolve(e.folder), e));
    }
    return total;
  }

  /** {@link #writeSeason} with {@code events} events of the given size. */
  public static Stats writeSeason(
      Path dir, Format format, int events, int races, int drivers, int laps, long seed)
      throws IOException {
    return writeSeason(dir, new Shape(format, events, races, drivers, laps, seed));
  }

  /** Every event of the season, made one at a time (a season's laps need not fit in memory). */
  public static void forEachEvent(Shape shape, Consumer<Event> action) {
    for (int i = 0; i < shape.events; i++) {
      action.accept(event(shape, i));
    }
  }

  /** {@code out.meta}, next to the folder. */
  public static Path metaOf(Path out) {
    return out.resolveSibling(out.getFileName() + ".meta");
  }

  /**
   * The season at {@code dir} for {@code shape}: reused when its .meta says it was finished with
   * the same settings and its bytes on disk still match, written anew otherwise. {@code reused[0]}
   * tells which.
   */
  public static Stats ensureSeason(Path dir, Shape shape, boolean[] reused) throws IOException {
    Path meta = metaOf(dir);
    if (Files.exists(meta) && Files.isDirectory(dir)) {
      String[] parts = Files.readString(meta).trim().split(" \\| ", 2);
      Stats s = parts.length == 2 ? Stats.fromMeta(parts[1]) : null;
      if (s != null && parts[0].equals(shape.identity()) && diskBytes(dir) == s.bytes) {
        reused[0] = true;
        return s;
      }
    }
    reused[0] = false;
    Files.deleteIfExists(meta);
    deleteTree(dir);
    Stats s = writeSeason(dir, shape);
    Files.writeString(meta, shape.identity() + " | " + s.toMeta() + "\n");
    return s;
  }

  /** Event {@code index} of a season: the same whatever the season's length. */
  public static Event event(Shape shape, int index) {
    return shape.format == Format.LIVERC ? liveRcEvent(shape, index) : timingEvent(shape, index);
  }

  private static Stats writeEvent(Path dir, Event e) throws IOException {
    Files.createDirectories(dir);
    long bytes = 0;
    int files = 0;
    if (e.format == Format.LIVERC) {
      bytes += writeText(dir.resolve("event-" + e.eventId + ".html"), liveRcEventPage(e));
      files++;
      for (Race r : e.races) {
        bytes += writeText(dir.resolve(r.fileName), liveRcRacePage(e, r));
        files++;
      }
    } else {
      for (Race r : e.races) {
        bytes += writeText(dir.resolve(r.fileName), timingCsv(r));
        files++;
      }
    }
    Stats s = count(e);
    return new Stats(
        files, bytes, s.events, s.races, s.results, s.nonStarters, s.laps, s.segmentedLaps);
  }

  /** Writes through a temporary name, so a half-written file is never taken for a whole one. */
  private static long writeText(Path file, CharSequence text) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return bytes.length;
  }

  private static long diskBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      long n = 0;
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".part")) {
          n += Files.size(p);
        }
      }
      return n;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  // ------------------------------------------------------------------------------ LiveRC model

  /** A LiveRC club: name and results host. */
  private record Club(String name, String host) {}

  private static final Club[] CLUBS = {
    new Club("Riverside RC Raceway", "riversiderc.liverc.com"),
    new Club("Thunder Alley RC", "thunderalley.liverc.com"),
    new Club("Dirt & Gravel RC Park", "dirtgravel.liverc.com"),
    new Club("North Coast Off-Road", "northcoast.liverc.com"),
    new Club("Mesa Hobby Speedway", "mesahobby.liverc.com"),
    new Club("Lakeside Model Car Club", "lakesidemcc.liverc.com"),
  };

  private static final String[] EVENT_NAMES = {
    "Spring Nitro Challenge", "Club Points Series Round", "Summer Shootout", "Night Race",
    "Regional Championship", "Winter Indoor Series Round", "Memorial Cup", "Open Practice Day",
    "Fall Classic", "Electric Off-Road Nationals Qualifier",
  };

  /** A class and its typical lap time. */
  private record RcClass(String name, long lapMillis) {}

  private static final RcClass[] RC_CLASSES = {
    new RcClass("1/8 Nitro Buggy", 37_200),
    new RcClass("1/8 Electric Buggy", 36_400),
    new RcClass("1/8 Nitro Truggy", 38_900),
    new RcClass("1/10 2WD Buggy", 24_300),
    new RcClass("1/10 4WD Buggy", 23_100),
    new RcClass("1/10 Short Course", 26_500),
    new RcClass("1/10 Stock Touring", 15_400),
    new RcClass("1/12 Pan Car", 13_600),
  };

  private static final String[] FIRST = {
    "Jane", "Marco", "Kenji", "Luis", "Hannah", "Diego", "Oscar", "Felix", "Chloe", "Priya", "Tom",
    "Ines", "Sam", "Piet", "Anna", "Rui", "Eli", "Jan", "Noah", "Mia", "Lucas", "Emma", "Ryan",
    "Sofia", "Ethan", "Zoé", "Mateo", "Léa", "Aiden", "Yuki", "Carlos", "Nina", "Owen", "Greta",
    "Ravi", "Ava", "Björn", "Chen", "Maya", "Tyler", "Kofi", "Elena", "Jack", "Sara", "Mason",
    "Aisha", "Liam", "Olga", "Dylan", "Hugo", "Ella", "Kai", "Ruby", "Max", "Iris",
  };

  private static final String[] LAST = {
    "Doe",
    "De Luca",
    "Watanabe",
    "Ortega",
    "Brooks",
    "Alvarez",
    "Lindqvist",
    "Wagner",
    "Martin",
    "Raman",
    "Hale",
    "Roth",
    "Okafor",
    "Dams",
    "Kovac",
    "Costa",
    "Vance",
    "Moser",
    "Smith",
    "Johnson",
    "Müller",
    "García",
    "Nguyen",
    "Kim",
    "Schmidt",
    "O'Neill",
    "Rossi",
    "Dubois",
    "Novak",
    "Sato",
    "Larsen",
    "Silva",
    "Cohen",
    "Petrov",
    "Hughes",
    "Fischer",
    "Kowalski",
    "Moreau",
    "Tanaka",
    "Bauer",
    "Jensen",
    "Ferreira",
    "Walsh",
    "Ito",
    "Nakamura",
    "Becker",
    "Reyes",
    "Andersson",
    "Khan",
    "Murphy",
    "Yilmaz",
    "Santos",
    "Weber",
    "Park",
    "Cruz",
  };

  private static Event liveRcEvent(Shape shape, int index) {
    Random rnd = new Random(mix(shape.seed, index));
    Club club = CLUBS[rnd.nextInt(CLUBS.length)];
    LocalDate date = LocalDate.of(2024, 3, 2).plusWeeks(index).plusDays(rnd.nextInt(2));
    String name =
        EVENT_NAMES[rnd.nextInt(EVENT_NAMES.length)]
            + (rnd.nextBoolean() ? " " + (1 + index % 12) : "")
            + " "
            + date.getYear();
    String eventId = Long.toString(eventIdBase(shape.seed) + index);
    int classes = Math.min(RC_CLASSES.length, Math.max(1, (shape.races + 7) / 8));
    List<RcClass> pool = new ArrayList<>(Arrays.asList(RC_CLASSES));
    List<RcClass> eventClasses = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      eventClasses.add(pool.remove(rnd.nextInt(pool.size())));
    }
    // One roster per class: the same people race every round of their class, with their skill.
    List<List<Driver>> rosters = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (int c = 0; c < classes; c++) {
      rosters.add(roster(rnd, shape.drivers, taken));
    }
    int stages = (shape.races + classes - 1) / classes;
    List<Race> races = new ArrayList<>(shape.races);
    long clock = 9 * 3_600_000L + 30 * 60_000L;
    for (int i = 0; i < shape.races; i++) {
      int c = i % classes;
      String round = roundName(i / classes, stages);
      RcClass rc = eventClasses.get(c);
      String raceId = eventId + String.format(Locale.ROOT, "%03d", i + 1);
      races.add(
          liveRcRace(
              new Random(mix(mix(shape.seed, index), i + 1)),
              raceId,
              rc,
              round,
              rosters.get(c),
              shape.laps,
              clock));
      clock += 15 * 60_000L;
    }
    return new Event(
        Format.LIVERC,
        "liverc:" + club.host,
        eventId,
        name,
        club.name,
        date.toString(),
        club.host,
        "event-" + eventId,
        date,
        races);
  }

  /** Event ids of a season: consecutive from a base the seed picks. */
  private static long eventIdBase(long seed) {
    return 10_000 + Math.floorMod(mix(seed, -1), 800L) * 100;
  }

  /** Practice first, qualifiers, then the mains (the A-Main last). */
  private static String roundName(int stage, int stages) {
    int fromEnd = stages - 1 - stage;
    if (fromEnd == 0) {
      return "A-Main";
    }
    if (fromEnd == 1 && stages >= 3) {
      return "B-Main";
    }
    if (fromEnd == 2 && stages >= 6) {
      return "C-Main";
    }
    if (stage == 0 && stages >= 2) {
      return "Practice 1";
    }
    return "Qualifier Round " + stage;
  }

  /** A person in a class roster: racer id, profile id, names, car and skill (lap time factor). */
  private record Driver(int racerId, int profileId, String name, String car, double skill) {}

  private static List<Driver> roster(Random rnd, int n, Set<String> taken) {
    List<Driver> out = new ArrayList<>(n);
    Set<Integer> cars = new HashSet<>();
    while (out.size() < n) {
      String name = FIRST[rnd.nextInt(FIRST.length)] + " " + LAST[rnd.nextInt(LAST.length)];
      if (taken.size() >= FIRST.length * LAST.length / 2) {
        // A class bigger than the name pool: numbered names keep them apart.
        name = name + " " + (taken.size() + 1);
      }
      if (!taken.add(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      int car = 1 + rnd.nextInt(Math.max(99, n * 2));
      while (!cars.add(car)) {
        car = car % Math.max(99, n * 2) + 1;
      }
      int profile = 100 + taken.size() * 7 + rnd.nextInt(7);
      double skill = 1 + Math.max(-0.06, Math.min(0.08, rnd.nextGaussian() * 0.022));
      out.add(new Driver(80_000 + profile, profile, name, Integer.toString(car), skill));
    }
    return out;
  }

  private static Race liveRcRace(
      Random rnd,
      String raceId,
      RcClass rc,
      String round,
      List<Driver> roster,
      int laps,
      long startMillis) {
    int n = roster.size();
    boolean segments = rnd.nextInt(10) < 4;
    // The grid: qualifying order, by skill with some luck.
    Integer[] order = new Integer[n];
    double[] gridKey = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      gridKey[i] = roster.get(i).skill + rnd.nextGaussian() * 0.01;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> gridKey[i]));
    int[] grid = new int[n];
    for (int g = 0; g < n; g++) {
      grid[order[g]] = g + 1;
    }
    Start[] start = new Start[n];
    long[][] times = new long[n][];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      start[i] = u < 0.02 ? Start.DID_NOT_START : u < 0.03 ? Start.LAP_ZERO_ONLY : Start.STARTED;
      // Retirements stop a driver's laps; the rest run two laps more than the winner can use.
      int run = laps + 2;
      if (start[i] == Start.STARTED && laps > 1 && rnd.nextDouble() < 0.04) {
        run = 1 + rnd.nextInt(laps - 1);
      }
      double mean = rc.lapMillis * roster.get(i).skill;
      times[i] = new long[start[i] == Start.STARTED ? run : 0];
      for (int k = 0; k < times[i].length; k++) {
        double t = mean * (1 + rnd.nextGaussian() * 0.012);
        if (k == 0) {
          // The first lap from a standing start, further back on the grid slower.
          t = t * 1.04 + grid[i] * 180;
        }
        if (rnd.nextDouble() < 0.05) {
          // A crash, a flip, a marshal: seconds lost.
          t += 2_000 + rnd.nextInt(10_000);
        }
        times[i][k] = Math.max(Math.round(mean * 0.85), Math.round(t));
      }
    }
    Cut cut = cut(times, laps);
    int lengthMinutes = (int) Math.max(1, Math.round(cut.cutoff / 60_000.0));
    long length = lengthMinutes * 60_000L;
    // Finishing order: laps, then total time; non-starters last, in grid order.
    Integer[] finish = new Integer[n];
    for (int i = 0; i < n; i++) {
      finish[i] = i;
    }
    Arrays.sort(
        finish,
        Comparator.<Integer>comparingInt(i -> start[i] == Start.STARTED ? 0 : 1)
            .thenComparingInt(i -> -cut.count[i])
            .thenComparingLong(i -> cut.count[i] == 0 ? 0 : cut.elapsed[i][cut.count[i] - 1])
            .thenComparingInt(i -> grid[i]));
    int[] position = new int[n];
    for (int p = 0; p < n; p++) {
      position[finish[p]] = p + 1;
    }
    List<Result> results = new ArrayList<>(n);
    for (int p = 0; p < n; p++) {
      int i = finish[p];
      Driver d = roster.get(i);
      int count = cut.count[i];
      List<Lap> lapList = new ArrayList<>(count);
      long sum = 0;
      long fast = Long.MAX_VALUE;
      for (int k = 1; k <= count; k++) {
        long t = times[i][k - 1];
        long el = cut.elapsed[i][k - 1];
        sum += t;
        fast = Math.min(fast, t);
        int paceLaps = (int) ((length * k + el - 1) / el);
        long paceMillis = (2 * paceLaps * el + k) / (2L * k);
        lapList.add(
            new Lap(
                k,
                cut.position(i, k),
                t,
                paceLaps,
                paceMillis,
                segments ? split(rnd, t, SEGMENT_SHARES) : new long[0],
                el,
                null,
                null,
                null,
                0,
                null,
                null));
      }
      Long total = count == 0 ? null : cut.elapsed[i][count - 1];
      String tableName = rnd.nextInt(20) == 0 ? d.name.replaceFirst(" ", "  ") : d.name;
      results.add(
          new Result(
              Integer.toString(d.racerId),
              d.name,
              tableName,
              d.car,
              null,
              null,
              rc.name,
              position[i],
              grid[i],
              start[i],
              lapList,
              total,
              count == 0 ? null : fast,
              count == 0 ? null : Math.round((double) sum / count),
              count == 0 ? null : consistency(times[i], count),
              d.profileId));
    }
    return new Race(
        raceId,
        rc.name + " " + round,
        rc.name,
        round,
        lengthMinutes,
        segments,
        "race-" + raceId + ".html",
        startMillis,
        results);
  }

  private static final double[] SEGMENT_SHARES = {0.33, 0.31, 0.36};

  /** Splits a lap into parts of about {@code shares}, the last taking what is left. */
  private static long[] split(Random rnd, long lap, double[] shares) {
    long[] parts = new long[shares.length];
    long left = lap;
    for (int s = 0; s < shares.length - 1; s++) {
      parts[s] = Math.round(lap * shares[s] * (1 + rnd.nextGaussian() * 0.01));
      left -= parts[s];
    }
    parts[shares.length - 1] = left;
    return parts;
  }

  /** LiveRC-like consistency: 100 less a multiple of the laps' coefficient of variation. */
  private static String consistency(long[] times, int count) {
    double mean = 0;
    for (int k = 0; k < count; k++) {
      mean += times[k];
    }
    mean /= count;
    double var = 0;
    for (int k = 0; k < count; k++) {
      var += (times[k] - mean) * (times[k] - mean);
    }
    double cv = Math.sqrt(var / count) / mean;
    return String.format(Locale.ROOT, "%.2f", Math.max(0, Math.min(100, 100 - cv * 250)));
  }

  /**
   * Where a timed race ends: the leader starts its last lap ({@code laps}) before the cutoff and
   * nobody starts one after it, so everyone finishes the lap under way; {@code count[i]} laps each,
   * {@code elapsed[i][k-1]} at the end of lap k.
   */
  private static final class Cut {
    long cutoff = Long.MAX_VALUE;
    int[] count;
    long[][] elapsed;

    /** 1 + the drivers who finished lap {@code k} before {@code i} did. */
    int position(int i, int k) {
      long t = elapsed[i][k - 1];
      int ahead = 0;
      for (int j = 0; j < count.length; j++) {
        if (j != i && count[j] >= k && (elapsed[j][k - 1] < t || elapsed[j][k - 1] == t && j < i)) {
          ahead++;
        }
      }
      return ahead + 1;
    }
  }

  private static Cut cut(long[][] times, int laps) {
    Cut c = new Cut();
    int n = times.length;
    c.elapsed = new long[n][];
    for (int i = 0; i < n; i++) {
      c.elapsed[i] = new long[times[i].length];
      long el = 0;
      for (int k = 0; k < times[i].length; k++) {
        el += times[i][k];
        c.elapsed[i][k] = el;
      }
      if (times[i].length >= laps) {
        c.cutoff = Math.min(c.cutoff, (laps == 1 ? 0 : c.elapsed[i][laps - 2]) + 1);
      }
    }
    c.count = new int[n];
    for (int i = 0; i < n; i++) {
      int k = 0;
      // Lap k+1 counts when it was started (lap k ended) before the cutoff.
      while (k < times[i].length && (k == 0 ? 0 : c.elapsed[i][k - 1]) < c.cutoff) {
        k++;
      }
      c.count[i] = k;
    }
    if (c.cutoff == Long.MAX_VALUE) {
      // Everyone retired: the race ran as long as its longest run.
      long longest = 0;
      for (int i = 0; i < n; i++) {
        if (c.count[i] > 0) {
          longest = Math.max(longest, c.elapsed[i][c.count[i] - 1]);
        }
      }
      c.cutoff = Math.max(60_000, longest);
    }
    return c;
  }

  // ---------------------------------------------------------------------------- LiveRC pages

  private static final String ASSETS =
      "<link rel=\"stylesheet\" href=\"./results_files/bootstrap.min.css\">\n"
          + "<link rel=\"stylesheet\" href=\"./results_files/results.css\">\n";

  private static void head(StringBuilder sb, String url, String title) {
    sb.append("<!DOCTYPE html>\n<!-- saved from url=(")
        .append(String.format(Locale.ROOT, "%04d", url.length()))
        .append(')')
        .append(url)
        .append(
            " -->\n<html lang=\"en\"><head><meta http-equiv=\"Content-Type\""
                + " content=\"text/html; charset=UTF-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        .append(html(title))
        .append("</title>\n")
        .append(ASSETS)
        .append("</head>\n<body>\n");
  }

  private static void nav(StringBuilder sb, Event e) {
    String base = "https://" + e.host + "/";
    sb.append(
            "<nav class=\"navbar navbar-inverse\"><div class=\"container\">\n  <a class=\"navbar-brand\" href=\"")
        .append(base)
        .append("\">")
        .append(html(e.club))
        .append("</a>\n  <ul class=\"nav navbar-nav\"><li><a href=\"")
        .append(base)
        .append("results/\">Results</a></li><li><a href=\"")
        .append(base)
        .append("schedule/\">Schedule</a></li></ul>\n</div></nav>\n<div class=\"container\">\n");
  }

  private static void foot(StringBuilder sb) {
    sb.append(
        "</div>\n<footer class=\"footer\"><div class=\"container\"><p class=\"text-muted\">"
            + "Timing &amp; scoring by <a href=\"https://www.liverc.com/\">LiveRC</a></p></div>"
            + "</footer>\n</body></html>\n");
  }

  private static String longDate(LocalDate d) {
    return d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
        + " "
        + d.getDayOfMonth()
        + ", "
        + d.getYear();
  }

  /** The event page: its races with links, as {@code ?p=view_event&id=N} shows them. */
  public static String liveRcEventPage(Event e) {
    StringBuilder sb = new StringBuilder(4096 + 300 * e.races.size());
    String base = "https://" + e.host + "/results/";
    head(sb, base + "?p=view_event&id=" + e.eventId, e.club + " :: " + e.eventName + " :: LiveRC");
    nav(sb, e);
    int entries = 0;
    Set<String> people = new HashSet<>();
    for (Race r : e.races) {
      for (Result x : r.results) {
        if (people.add(x.driverName)) {
          entries++;
        }
      }
    }
    sb.append("<h3 class=\"page-header\">")
        .append(html(e.eventName))
        .append("</h3>\n")
        .append("<p class=\"event_info\">Date: ")
        .append(longDate(e.date))
        .append(" &middot; Entries: ")
        .append(entries)
        .append("</p>\n")
        .append("<table class=\"table table-striped event_races\">\n")
        .append(
            "  <thead><tr><th>Race</th><th>Time</th><th>Results</th></tr></thead>\n  <tbody>\n");
    for (Race r : e.races) {
      String link = base + "?p=view_race_result&amp;id=" + r.raceId;
      sb.append("    <tr><td><a href=\"")
          .append(link)
          .append("\">")
          .append(html(r.raceName))
          .append("</a></td><td>")
          .append(amPm(r.startMillis))
          .append("</td><td><a href=\"")
          .append(link)
          .append("\">View</a></td></tr>\n");
    }
    sb.append("  </tbody>\n</table>\n");
    foot(sb);
    return sb.toString();
  }

  /** A race page: results table and the racerLaps script, as {@code ?p=view_race_result} shows. */
  public static String liveRcRacePage(Event e, Race r) {
    StringBuilder sb = new StringBuilder(8192 + r.results.size() * 3500);
    String base = "https://" + e.host + "/results/";
    head(
        sb,
        base + "?p=view_race_result&id=" + r.raceId,
        e.club + " :: " + e.eventName + " :: " + r.raceName + " :: LiveRC");
    nav(sb, e);
    sb.append("<ol class=\"breadcrumb\"><li><a href=\"")
        .append(base)
        .append("\">Results</a></li><li><a href=\"")
        .append(base)
        .append("?p=view_event&amp;id=")
        .append(e.eventId)
        .append("\">")
        .append(html(e.eventName))
        .append("</a></li><li class=\"active\">")
        .append(html(r.raceName))
        .append("</li></ol>\n")
        .append("<h3 class=\"page-header\">")
        .append(html(r.raceName))
        .append("</h3>\n")
        .append("<div class=\"race_info\"><span>Date: ")
        .append(longDate(e.date))
        .append("</span> <span>Length: ")
        .append(r.lengthMinutes)
        .append(":00 Timed</span>")
        .append(" <span>Round: ")
        .append(r.round.endsWith("Main") ? "Mains" : html(r.round))
        .append("</span></div>\n")
        .append("<table class=\"table table-striped race_result\" id=\"race_result\">\n")
        .append(
            "  <thead><tr><th>Pos</th><th>Driver</th><th>Qual</th><th>Laps</th>"
                + "<th>Race Time</th><th>Behind</th><th>Fast Lap</th><th>Avg Lap</th>"
                + "<th>Avg Top 5</th><th>Consistency</th></tr></thead>\n  <tbody>\n");
    Result winner = r.results.get(0);
    for (Result x : r.results) {
      sb.append("    <tr><td>")
          .append(x.position)
          .append("</td><td><a class=\"driver_name\" href=\"");
      if (x.started()) {
        sb.append(base).append("?p=view_profile&amp;id=").append(x.profileId);
      } else {
        sb.append('#');
      }
      sb.append("\">")
          .append(html(x.tableName))
          .append("</a> <span class=\"car_num\">#")
          .append(x.carNumber)
          .append("</span></td><td>")
          .append(x.grid)
          .append("</td>");
      if (x.started()) {
        cell(sb, Integer.toString(x.laps.size()));
        cell(sb, clock(x.totalMillis));
        cell(sb, behind(winner, x));
        cell(sb, seconds(x.fastMillis));
        cell(sb, seconds(x.avgMillis));
        cell(sb, topFive(x));
        cell(sb, x.consistency + "%");
      } else {
        // LiveRC shows a non-starter with dashes, or (a lap 0 only) with empty cells.
        String none = x.start == Start.DID_NOT_START ? "-" : "";
        for (int c = 0; c < 7; c++) {
          cell(sb, c == 2 || c == 5 ? "" : none);
        }
      }
      sb.append("</tr>\n");
    }
    sb.append("  </tbody>\n</table>\n<script type=\"text/javascript\">\nvar racerLaps = [];\n");
    List<Result> byId = new ArrayList<>(r.results);
    byId.sort(Comparator.comparing(Result::driverId));
    for (Result x : byId) {
      sb.append("racerLaps[")
          .append(x.driverId)
          .append("] = {\n    'driverName' : '")
          .append(js(x.driverName))
          .append("',\n    'fastLap' : '")
          .append(x.fastMillis == null ? "" : seconds(x.fastMillis))
          .append("',\n    'avgLap' : '")
          .append(x.avgMillis == null ? "" : seconds(x.avgMillis))
          .append("',\n    'consistency' : '")
          .append(x.consistency == null ? "" : x.consistency)
          .append("',\n    'laps' : [");
      if (x.start == Start.DID_NOT_START) {
        sb.append(" ]\n};\n");
        continue;
      }
      sb.append("\n        { 'lapNum' : '0', 'pos' : '")
          .append(x.grid)
          .append("', 'time' : '0', 'pace' : '0', 'segments' : [ ] }");
      for (Lap l : x.laps) {
        sb.append(",\n        { 'lapNum' : '")
            .append(l.number)
            .append("', 'pos' : '")
            .append(l.position)
            .append("', 'time' : '")
            .append(seconds(l.millis))
            .append("', 'pace' : '")
            .append(l.paceLaps)
            .append('/')
            .append(clock(l.paceMillis))
            .append("', 'segments' : [");
        if (l.segmentsMillis.length == 0) {
          sb.append(" ]");
        } else {
          for (int s = 0; s < l.segmentsMillis.length; s++) {
            sb.append(s == 0 ? " '" : ", '").append(seconds(l.segmentsMillis[s])).append('\'');
          }
          sb.append(" ]");
        }
        sb.append(" }");
      }
      sb.append("\n    ]\n};\n");
    }
    sb.append(
        "$(document).on('click', '.driver_laps', function () {\n"
            + "    var id = $(this).data('driver-id');\n"
            + "    showLaps(id, racerLaps[id].driverName, racerLaps[id].laps);\n});\n</script>\n");
    foot(sb);
    return sb.toString();
  }

  private static void cell(StringBuilder sb, String v) {
    sb.append("<td>").append(v).append("</td>");
  }

  /** The gap to the winner: empty for the winner, laps down, or seconds on the same lap. */
  private static String behind(Result winner, Result x) {
    if (x == winner) {
      return "";
    }
    int down = winner.laps.size() - x.laps.size();
    if (down > 0) {
      return down + (down == 1 ? " Lap" : " Laps");
    }
    return seconds(x.totalMillis - winner.totalMillis);
  }

  private static String topFive(Result x) {
    if (x.laps.size() < 5) {
      return "";
    }
    long[] t = x.laps.stream().mapToLong(Lap::millis).sorted().toArray();
    return seconds(Math.round((t[0] + t[1] + t[2] + t[3] + t[4]) / 5.0));
  }

  private static String amPm(long dayMillis) {
    long minutes = dayMillis / 60_000;
    long h = minutes / 60 % 24;
    return String.format(
        Locale.ROOT, "%d:%02d %s", h % 12 == 0 ? 12 : h % 12, minutes % 60, h < 12 ? "AM" : "PM");
  }

  private static String html(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** A single-quoted JavaScript string's content. */
  private static String js(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  // ------------------------------------------------------------------------------ timing model

  /** A circuit: name, length in km, a hypercar's lap, and its sectors' shares of a lap. */
  private record Track(String name, double km, long lapMillis, double[] sectors) {}

  private static final Track[] TRACKS = {
    new Track("spa", 7.004, 125_300, new double[] {0.26, 0.47, 0.27}),
    new Track("monza", 5.793, 96_800, new double[] {0.30, 0.37, 0.33}),
    new Track("le-mans", 13.626, 208_500, new double[] {0.18, 0.47, 0.35}),
    new Track("silverstone", 5.891, 108_200, new double[] {0.31, 0.38, 0.31}),
    new Track("portimao", 4.653, 95_400, new double[] {0.31, 0.35, 0.34}),
    new Track("imola", 4.909, 95_900, new double[] {0.32, 0.36, 0.32}),
    new Track("fuji", 4.563, 92_700, new double[] {0.40, 0.25, 0.35}),
    new Track("bahrain", 5.412, 110_300, new double[] {0.29, 0.39, 0.32}),
    new Track("sebring", 6.019, 115_700, new double[] {0.33, 0.34, 0.33}),
    new Track("cota", 5.513, 110_900, new double[] {0.32, 0.36, 0.32}),
  };

  /** A class of car: name, group letter and lap time factor. */
  private record CarClass(String name, String group, double factor) {}

  private static final CarClass[] CAR_CLASSES = {
    new CarClass("HYPERCAR", "H", 1.0),
    new CarClass("LMP2", "P", 1.045),
    new CarClass("LMGT3", "G", 1.13),
  };

  private static final String[][] TEAMS = {
    {"Sable Racing", "Alpine"}, {"Fenice Corse", "Ferrari"}, {"Nord Endurance", "Porsche"},
    {"Lumen Motorsport", "Toyota"}, {"Alpha Racing", "BMW"}, {"Kappa Motorsport", "Cadillac"},
    {"Bravo Racing", "Peugeot"}, {"Thor Team", "Aston Martin"}, {"Équipe Vallée", "Alpine"},
    {"Iron Dames", "Lamborghini"}, {"Orbit Racing", "McLaren"}, {"Heart of Racing", "Ford"},
    {"Meridian GT", "Corvette"}, {"Rapid Nation", "Lexus"}, {"Delta Prototypes", "Oreca"},
  };

  private static Event timingEvent(Shape shape, int index) {
    Random rnd = new Random(mix(shape.seed, index));
    Track track = TRACKS[rnd.nextInt(TRACKS.length)];
    LocalDate date = LocalDate.of(2024, 3, 2).plusWeeks(index).plusDays(rnd.nextInt(2));
    String folder = date + "-" + track.name;
    List<Race> races = new ArrayList<>(shape.races);
    for (int i = 0; i < shape.races; i++) {
      String kind = i % 4 == 0 ? "free_practice" : i % 4 == 3 ? "race" : "qualifying";
      String name = String.format(Locale.ROOT, "%02d_%s_%d", i + 1, kind, i / 4 + 1);
      races.add(
          timingRace(
              new Random(mix(mix(shape.seed, index), i + 1)),
              name,
              name + ".csv",
              track,
              shape.drivers,
              shape.laps,
              i));
    }
    return new Event(Format.TIMING, "timing", folder, null, null, null, null, folder, date, races);
  }

  /** A car entry of a session, before its laps are cut. */
  private record Car(
      String number,
      String team,
      String manufacturer,
      CarClass cls,
      String[] drivers,
      double pace) {}

  private static Race timingRace(
      Random rnd, String raceId, String fileName, Track track, int cars, int laps, int slot) {
    boolean sectors = rnd.nextInt(10) != 0;
    long startMillis = (10 * 60 + slot * 35L % (10 * 60)) * 60_000L + rnd.nextInt(60) * 1000L;
    List<Car> entry = new ArrayList<>(cars);
    Set<String> numbers = new HashSet<>();
    Set<String> names = new HashSet<>();
    boolean sharedNumber = cars >= 4 && rnd.nextInt(10) == 0;
    for (int c = 0; c < cars; c++) {
      CarClass cls = CAR_CLASSES[Math.min(CAR_CLASSES.length - 1, c * CAR_CLASSES.length / cars)];
      String[] team = TEAMS[(c + rnd.nextInt(3)) % TEAMS.length];
      String number;
      if (sharedNumber && c == cars - 1) {
        // Two groups sharing the session, two cars with one number: only the team tells them apart.
        Car first = entry.get(0);
        number = first.number;
        team = TEAMS[(teamIndex(first.team) + 1) % TEAMS.length];
      } else {
        do {
          int n = 1 + rnd.nextInt(99);
          number = n < 10 && rnd.nextInt(4) == 0 ? "0" + n : Integer.toString(n);
        } while (!numbers.add(number.replaceFirst("^0+", "")));
      }
      int drivers = 1 + rnd.nextInt(3);
      String[] who = new String[drivers];
      for (int d = 0; d < drivers; d++) {
        String name;
        do {
          name =
              FIRST[rnd.nextInt(FIRST.length)]
                  + " "
                  + LAST[rnd.nextInt(LAST.length)].toUpperCase(Locale.ROOT);
        } while (!names.add(name) && names.size() < FIRST.length * LAST.length / 2);
        who[d] = name;
      }
      double pace = cls.factor * (1 + Math.max(-0.03, Math.min(0.05, rnd.nextGaussian() * 0.012)));
      entry.add(new Car(number, team[0], team[1], cls, who, pace));
    }
    long[][] times = new long[cars][];
    long[][] pits = new long[cars][];
    boolean[][] pitIn = new boolean[cars][];
    int[][] driverOf = new int[cars][];
    boolean[] started = new boolean[cars];
    for (int c = 0; c < cars; c++) {
      Car car = entry.get(c);
      started[c] = rnd.nextInt(50) != 0;
      int run = laps + 2;
      if (laps > 1 && rnd.nextInt(25) == 0) {
        run = 1 + rnd.nextInt(laps - 1);
      }
      if (!started[c]) {
        run = 0;
      }
      times[c] = new long[run];
      pits[c] = new long[run];
      pitIn[c] = new boolean[run];
      driverOf[c] = new int[run];
      double mean = track.lapMillis * car.pace;
      int stint = 18 + rnd.nextInt(12);
      int driver = 0;
      for (int k = 0; k < run; k++) {
        double t = mean * (1 + rnd.nextGaussian() * 0.006);
        if (k == 0) {
          t *= 1.06;
        }
        if (rnd.nextDouble() < 0.02) {
          // Traffic, a lock-up, a slow zone.
          t += 1_000 + rnd.nextInt(6_000);
        }
        driverOf[c][k] = driver;
        if ((k + 1) % stint == 0 && k + 1 < run) {
          // In through the pit lane; the out-lap carries the stop.
          pitIn[c][k] = true;
          t += 14_000 + rnd.nextInt(4_000);
        }
        if (k > 0 && pitIn[c][k - 1]) {
          long stop = 32_000 + rnd.nextInt(50_000);
          pits[c][k] = stop;
          t += stop + 9_000;
          if (car.drivers.length > 1 && rnd.nextBoolean()) {
            driver = (driver + 1) % car.drivers.length;
            driverOf[c][k] = driver;
          }
        }
        times[c][k] = Math.round(t);
      }
    }
    Cut cut = cut(times, laps);
    // Laps in the order cars cross the line, which is the order of an export's rows.
    List<long[]> crossings = new ArrayList<>();
    for (int c = 0; c < cars; c++) {
      for (int k = 1; k <= cut.count[c]; k++) {
        crossings.add(new long[] {cut.elapsed[c][k - 1], c, k});
      }
    }
    crossings.sort(Comparator.<long[]>comparingLong(x -> x[0]).thenComparingLong(x -> x[1]));
    // Driver ids as the codec gives them: a number's first car by appearance keeps it, later ones
    // get #2, #3.
    List<Integer> appearance = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (long[] x : crossings) {
      if (seen.add((int) x[1])) {
        appearance.add((int) x[1]);
      }
    }
    String[] ids = new String[cars];
    Map<String, Integer> perNumber = new HashMap<>();
    for (int c : appearance) {
      int nth = perNumber.merge(entry.get(c).number, 1, Integer::sum);
      ids[c] = nth == 1 ? entry.get(c).number : entry.get(c).number + "#" + nth;
    }
    List<Result> results = new ArrayList<>();
    for (int c : appearance) {
      Car car = entry.get(c);
      int count = cut.count[c];
      List<Lap> lapList = new ArrayList<>(count);
      Set<String> drove = new LinkedHashSet<>();
      long fast = Long.MAX_VALUE;
      long sum = 0;
      for (int k = 1; k <= count; k++) {
        long t = times[c][k - 1];
        String name = car.drivers[driverOf[c][k - 1]];
        drove.add(name);
        fast = Math.min(fast, t);
        sum += t;
        double kph = track.km * 3_600_000.0 / t;
        double top = kph * (1.22 + rnd.nextGaussian() * 0.01);
        lapList.add(
            new Lap(
                k,
                null,
                t,
                0,
                0,
                sectors ? split(rnd, t, track.sectors) : new long[0],
                cut.elapsed[c][k - 1],
                tenths(kph),
                pitIn[c][k - 1],
                pits[c][k - 1] == 0 ? null : pits[c][k - 1],
                driverOf[c][k - 1] + 1,
                name,
                tenths(top)));
      }
      // The mean as the codec rounds it: half up to the millisecond.
      long avg =
          BigDecimal.valueOf(sum)
              .divide(BigDecimal.valueOf(count), 0, RoundingMode.HALF_UP)
              .longValue();
      results.add(
          new Result(
              ids[c],
              String.join(" / ", drove),
              null,
              car.number,
              car.team,
              car.manufacturer,
              car.cls.name,
              0,
              0,
              Start.STARTED,
              lapList,
              cut.elapsed[c][count - 1],
              fast,
              avg,
              null,
              0));
    }
    // Positions as the codec ranks them: laps, then total time, ties in order of appearance.
    List<Result> ranked = new ArrayList<>(results);
    ranked.sort(
        Comparator.<Result>comparingInt(x -> -x.laps.size())
            .thenComparingLong(Result::totalMillis));
    List<Result> placed = new ArrayList<>(ranked.size());
    for (int p = 0; p < ranked.size(); p++) {
      Result x = ranked.get(p);
      placed.add(
          new Result(
              x.driverId,
              x.driverName,
              null,
              x.carNumber,
              x.team,
              x.manufacturer,
              x.className,
              p + 1,
              0,
              x.start,
              x.laps,
              x.totalMillis,
              x.fastMillis,
              x.avgMillis,
              null,
              0));
    }
    return new Race(
        raceId,
        raceId,
        null,
        null,
        (int) Math.max(1, Math.round(cut.cutoff / 60_000.0)),
        sectors,
        fileName,
        startMillis,
        placed);
  }

  private static int teamIndex(String name) {
    for (int i = 0; i < TEAMS.length; i++) {
      if (TEAMS[i][0].equals(name)) {
        return i;
      }
    }
    return 0;
  }

  /** The header of a timing export, with the spaces real exports put after some delimiters. */
  public static final String TIMING_HEADER =
      "NUMBER; DRIVER_NUMBER; LAP_NUMBER; LAP_TIME; LAP_IMPROVEMENT; CROSSING_FINISH_LINE_IN_PIT;"
          + " S1; S1_IMPROVEMENT; S2; S2_IMPROVEMENT; S3; S3_IMPROVEMENT; KPH; ELAPSED;"
          + " HOUR;S1_LARGE;S2_LARGE;S3_LARGE;TOP_SPEED;DRIVER_NAME;PIT_TIME;CLASS;GROUP;TEAM;"
          + "MANUFACTURER";

  /** A session's export: one row per lap, in the order cars cross the line. */
  public static String timingCsv(Race r) {
    List<Object[]> rows = new ArrayList<>();
    for (Result x : r.results) {
      for (Lap l : x.laps) {
        rows.add(new Object[] {l.elapsedMillis, x, l});
      }
    }
    rows.sort(Comparator.comparingLong(o -> (Long) o[0]));
    StringBuilder sb = new StringBuilder(256 + rows.size() * 190);
    sb.append(TIMING_HEADER).append('\n');
    long best = Long.MAX_VALUE;
    Map<String, Long> personal = new HashMap<>();
    for (Object[] row : rows) {
      Result x = (Result) row[1];
      Lap l = (Lap) row[2];
      long pb = personal.getOrDefault(x.driverId, Long.MAX_VALUE);
      int improvement = l.millis < best ? 2 : l.millis < pb ? 1 : 0;
      best = Math.min(best, l.millis);
      personal.put(x.driverId, Math.min(pb, l.millis));
      sb.append(x.carNumber)
          .append(';')
          .append(l.driverNumber)
          .append(';')
          .append(l.number)
          .append(';')
          .append(lapTime(l.millis))
          .append(';')
          .append(improvement)
          .append(';')
          .append(Boolean.TRUE.equals(l.inPit) ? "B" : "")
          .append(';');
      for (int s = 0; s < 3; s++) {
        if (l.segmentsMillis.length > s) {
          sb.append(lapTime(l.segmentsMillis[s]));
        }
        sb.append(";0;");
      }
      sb.append(l.kph)
          .append(';')
          .append(hms(l.elapsedMillis))
          .append(';')
          .append(dayClock(r.startMillis + l.elapsedMillis))
          .append(';');
      for (int s = 0; s < 3; s++) {
        if (l.segmentsMillis.length > s) {
          sb.append(clock(l.segmentsMillis[s]));
        }
        sb.append(';');
      }
      sb.append(l.topSpeed)
          .append(';')
          .append(l.driverName)
          .append(';')
          .append(l.pitMillis == null ? "" : lapTime(l.pitMillis))
          .append(';')
          .append(x.className)
          .append(';')
          .append(groupOf(x.className))
          .append(';')
          .append(x.team)
          .append(';')
          .append(x.manufacturer)
          .append('\n');
    }
    return sb.toString();
  }

  private static String groupOf(String cls) {
    for (CarClass c : CAR_CLASSES) {
      if (c.name.equals(cls)) {
        return c.group;
      }
    }
    return "";
  }

  // ------------------------------------------------------------------------------- time text

  /** Decimal seconds with milliseconds, as pgingest stores times: {@code 62.337}; null for null. */
  public static String seconds(Long millis) {
    if (millis == null) {
      return null;
    }
    long ms = millis;
    StringBuilder sb = new StringBuilder(12);
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    sb.append(ms / 1000).append('.');
    long frac = ms % 1000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    return sb.append(frac).toString();
  }

  /** {@code m:ss.fff}, minutes unbounded: {@code 3:04.790}, {@code 0:36.958}. */
  static String clock(long millis) {
    long s = millis / 1000;
    String sec = seconds(millis % 60_000);
    return (s / 60) + ":" + (sec.indexOf('.') == 1 ? "0" : "") + sec;
  }

  /** A timing export's lap time: {@code ss.fff} under a minute, {@code m:ss.fff} from one on. */
  private static String lapTime(long millis) {
    return millis < 60_000 ? seconds(millis) : clock(millis);
  }

  /** Elapsed time: {@code m:ss.fff}, and {@code h:mm:ss.fff} from an hour on. */
  private static String hms(long millis) {
    if (millis < 3_600_000) {
      return clock(millis);
    }
    long h = millis / 3_600_000;
    String rest = clock(millis % 3_600_000);
    return h + ":" + (rest.indexOf(':') == 1 ? "0" : "") + rest;
  }

  /** Time of day {@code hh:mm:ss.fff}, past midnight wrapped. */
  static String dayClock(long millis) {
    long m = Math.floorMod(millis, 86_400_000L);
    long h = m / 3_600_000;
    String rest = clock(m % 3_600_000);
    return (h < 10 ? "0" : "") + h + ":" + (rest.indexOf(':') == 1 ? "0" : "") + rest;
  }

  /** A positive number with one decimal, as exports write speeds: {@code 201.2}. */
  private static String tenths(double v) {
    long t = Math.round(v * 10);
    return (t / 10) + "." + (t % 10);
  }

  /** SplitMix64 of a seed and an index: independent streams per event and race. */
  static long mix(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private RaceDump() {}
}
