package dev.pgingest.workload.laps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.LineCodec;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.workload.laps.RaceDump.Event;
import dev.pgingest.workload.laps.RaceDump.Format;
import dev.pgingest.workload.laps.RaceDump.Shape;
import dev.pgingest.workload.laps.RaceDump.Start;
import dev.pgingest.workload.laps.RaceDump.Stats;
import dev.pgingest.workload.laps.liverc.LiveRcCodec;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import dev.pgingest.workload.laps.timing.TimingCsvCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The race generator: the same seed gives the same bytes, the counts it reports are those of the
 * text it wrote, and the LiveRC and timing codecs read its files to exactly its model's values.
 */
class RaceDumpTest {

  /** A seed whose small shapes below hold every case: both non-starters, a shared car number. */
  private static final long SEED = 12;

  /** Big enough to hold non-starters of both kinds, retirements and races with segments. */
  private static final int RACES = 10;

  private static final int DRIVERS = 12;
  private static final int LAPS = 30;

  private static final Pattern BLOCK = Pattern.compile("racerLaps\\[(\\d+)\\] = \\{");
  private static final Pattern LAP =
      Pattern.compile("\\{ 'lapNum' : '(\\d+)'[^}]*'segments' : \\[([^\\]]*)\\]");

  @TempDir Path dir;

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
    Stats a = RaceDump.writeLiveRcEvent(dir.resolve("a"), 4, 8, 12, SEED);
    Stats b = RaceDump.writeLiveRcEvent(dir.resolve("b"), 4, 8, 12, SEED);
    Stats c = RaceDump.writeLiveRcEvent(dir.resolve("c"), 4, 8, 12, SEED + 1);

    assertThat(b).isEqualTo(a);
    assertThat(contents(dir.resolve("b"))).isEqualTo(contents(dir.resolve("a")));
    assertThat(contents(dir.resolve("c"))).isNotEqualTo(contents(dir.resolve("a")));

    Path s1 = dir.resolve("x/ev/fp1.csv");
    Path s2 = dir.resolve("y/ev/fp1.csv");
    Path s3 = dir.resolve("z/ev/fp1.csv");
    assertThat(RaceDump.writeTimingSession(s2, 20, 15, SEED))
        .isEqualTo(RaceDump.writeTimingSession(s1, 20, 15, SEED));
    RaceDump.writeTimingSession(s3, 20, 15, SEED + 1);
    assertThat(Files.readString(s2)).isEqualTo(Files.readString(s1));
    assertThat(Files.readString(s3)).isNotEqualTo(Files.readString(s1));
  }

  @Test
  void liveRcCountsAreThoseOfTheWrittenPages() throws IOException {
    Path event = dir.resolve("event");
    Stats stats = RaceDump.writeLiveRcEvent(event, RACES, DRIVERS, LAPS, SEED);

    long races = 0;
    long results = 0;
    long nonStarters = 0;
    long laps = 0;
    long segmented = 0;
    long bytes = 0;
    List<Path> files = files(event);
    for (Path f : files) {
      String page = Files.readString(f, StandardCharsets.UTF_8);
      bytes += Files.size(f);
      if (!f.getFileName().toString().startsWith("race-")) {
        continue;
      }
      races++;
      // One block per driver; its laps are the entries up to the next block.
      Matcher blocks = BLOCK.matcher(page);
      List<Integer> starts = new ArrayList<>();
      while (blocks.find()) {
        starts.add(blocks.start());
      }
      starts.add(page.indexOf("$(document)"));
      for (int i = 0; i + 1 < starts.size(); i++) {
        results++;
        Matcher lap = LAP.matcher(page.substring(starts.get(i), starts.get(i + 1)));
        int real = 0;
        while (lap.find()) {
          if (!lap.group(1).equals("0")) {
            real++;
            if (!lap.group(2).isBlank()) {
              segmented++;
            }
          }
        }
        laps += real;
        if (real == 0) {
          nonStarters++;
        }
      }
    }

    assertThat(files).hasSize(RACES + 1);
    assertThat(new long[] {races, results, nonStarters, laps, segmented, files.size(), bytes})
        .containsExactly(
            stats.races(),
            stats.results(),
            stats.nonStarters(),
            stats.laps(),
            stats.segmentedLaps(),
            stats.files(),
            stats.bytes());
    assertThat(stats.events()).isEqualTo(1);
    assertThat(stats.results()).isEqualTo((long) RACES * DRIVERS);
    // The shape the bench relies on: about drivers x laps per race, some of it missing.
    assertThat(stats.laps())
        .isBetween(RACES * DRIVERS * (LAPS - 3L), (long) RACES * DRIVERS * LAPS);
    assertThat(stats.nonStarters()).isPositive();
    assertThat(stats.segmentedLaps()).isPositive().isLessThan(stats.laps());
  }

  @Test
  void liveRcPagesDecodeToTheModel() throws IOException {
    Shape shape = new Shape(Format.LIVERC, 1, RACES, DRIVERS, LAPS, SEED);
    Path folder = dir.resolve("season");
    Stats stats = RaceDump.writeSeason(folder, shape);
    Event model = RaceDump.event(shape, 0);
    Path eventDir = folder.resolve(model.folder());

    // Both kinds of non-starter are in this event, so both are checked below.
    Set<Start> starts = new HashSet<>();
    model.races().forEach(r -> r.results().forEach(x -> starts.add(x.start())));
    assertThat(starts).containsExactlyInAnyOrder(Start.values());

    List<Race> listed =
        decode(
            new LiveRcCodec(eventDir.resolve("event-" + model.eventId() + ".html").toString()),
            eventDir.resolve("event-" + model.eventId() + ".html"));
    assertThat(listed).hasSize(RACES);
    for (int i = 0; i < RACES; i++) {
      Race got = listed.get(i);
      RaceDump.Race want = model.races().get(i);
      Map<String, String> fields = RaceDump.raceFields(model, want);
      // An event page lists races: their names and the event, nothing about how they went.
      fields
          .keySet()
          .retainAll(
              List.of(
                  "source",
                  "event_id",
                  "event_name",
                  "club",
                  "event_date",
                  "race_id",
                  "race_name",
                  "class_name",
                  "round"));
      assertThat(raceFields(got)).containsAllEntriesOf(fields);
      assertThat(got.whole()).isFalse();
    }

    long laps = 0;
    for (RaceDump.Race want : model.races()) {
      Path page = eventDir.resolve(want.fileName());
      List<Race> got = decode(new LiveRcCodec(page.toString()), page);
      assertThat(got).hasSize(1);
      laps += assertSame(got.get(0), model, want);
    }
    assertThat(laps).isEqualTo(stats.laps());
  }

  @Test
  void timingSessionsDecodeToTheModel() throws IOException {
    Shape shape = new Shape(Format.TIMING, 2, 4, 24, 25, SEED);
    Path folder = dir.resolve("season");
    Stats stats = RaceDump.writeSeason(folder, shape);

    long laps = 0;
    long results = 0;
    long dataLines = 0;
    Set<String> cases = new HashSet<>();
    for (int e = 0; e < shape.events(); e++) {
      Event model = RaceDump.event(shape, e);
      for (RaceDump.Race want : model.races()) {
        cases.add(want.segments() ? "sectors" : "no sectors");
        for (RaceDump.Result x : want.results()) {
          cases.add(x.driverId().contains("#") ? "shared car number" : "car");
          cases.add(x.driverName().contains(" / ") ? "driver change" : "one driver");
          x.laps().forEach(l -> cases.add(l.pitMillis() != null ? "pit stop" : "lap"));
        }
        Path file = folder.resolve(model.folder()).resolve(want.fileName());
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo(RaceDump.TIMING_HEADER);
        dataLines += lines.size() - 1;
        List<Race> got = decode(new TimingCsvCodec(file.toString()), file);
        assertThat(got).hasSize(1);
        results += got.get(0).results().size();
        laps += assertSame(got.get(0), model, want);
      }
    }
    assertThat(cases)
        .containsExactlyInAnyOrder(
            "sectors",
            "no sectors",
            "shared car number",
            "car",
            "driver change",
            "one driver",
            "pit stop",
            "lap");
    assertThat(new long[] {results, laps, dataLines})
        .containsExactly(stats.results(), stats.laps(), stats.laps());
    assertThat(stats.events()).isEqualTo(shape.events());
    assertThat(stats.races()).isEqualTo(shape.events() * shape.races());
    assertThat(stats.nonStarters()).isZero();
  }

  @Test
  void singleFilesAreTheirOwnEvent() throws IOException {
    Path page = dir.resolve("race-1.html");
    Stats s = RaceDump.writeLiveRcRace(page, DRIVERS, LAPS, SEED);
    Event model = RaceDump.liveRcRace(DRIVERS, LAPS, SEED);
    List<Race> got = decode(new LiveRcCodec(page.toString()), page);
    assertThat(got).hasSize(1);
    assertThat(assertSame(got.get(0), model, model.races().get(0))).isEqualTo(s.laps());
    assertThat(s.files()).isEqualTo(1);
    assertThat(s.bytes()).isEqualTo(Files.size(page));

    Path csv = dir.resolve("spa-2024/race.csv");
    Stats t = RaceDump.writeTimingSession(csv, 30, 40, SEED);
    Event session = RaceDump.timingSession(csv, 30, 40, SEED);
    List<Race> read = decode(new TimingCsvCodec(csv.toString()), csv);
    assertThat(read).hasSize(1);
    assertThat(read.get(0).eventId()).isEqualTo("spa-2024");
    assertThat(read.get(0).raceId()).isEqualTo("race");
    assertThat(assertSame(read.get(0), session, session.races().get(0))).isEqualTo(t.laps());
  }

  @Test
  void aSeasonIsReusedOnlyWhenItsSettingsMatch() throws IOException {
    Path season = dir.resolve("season");
    Shape shape = new Shape(Format.LIVERC, 2, 3, 4, 5, SEED);
    boolean[] reused = {true};
    Stats first = RaceDump.ensureSeason(season, shape, reused);
    assertThat(reused[0]).isFalse();
    assertThat(RaceDump.ensureSeason(season, shape, reused)).isEqualTo(first);
    assertThat(reused[0]).isTrue();
    RaceDump.ensureSeason(season, new Shape(Format.LIVERC, 2, 3, 4, 6, SEED), reused);
    assertThat(reused[0]).isFalse();
    assertThat(files(season)).hasSize(2 * (3 + 1));
  }

  /**
   * Every value a decoded race gives to the laps tables equals the model's; returns the laps
   * compared.
   */
  private static long assertSame(Race got, Event event, RaceDump.Race want) {
    assertThat(got.error()).isNull();
    assertThat(got.whole()).isTrue();
    assertThat(raceFields(got)).isEqualTo(RaceDump.raceFields(event, want));
    assertThat(got.results()).hasSameSizeAs(want.results());
    long laps = 0;
    for (int i = 0; i < want.results().size(); i++) {
      RaceResult x = got.results().get(i);
      RaceDump.Result w = want.results().get(i);
      Map<String, String> expected = RaceDump.resultFields(event, want, w);
      assertThat(resultFields(got, x)).as("result %s", w.driverId()).isEqualTo(expected);
      assertThat(x.lapList()).hasSameSizeAs(w.laps());
      for (int k = 0; k < w.laps().size(); k++) {
        assertThat(lapFields(got, x, x.lapList().get(k)))
            .as("driver %s lap %d", w.driverId(), k + 1)
            .isEqualTo(RaceDump.lapFields(event, want, w, w.laps().get(k)));
        laps++;
      }
    }
    return laps;
  }

  // The decoded records as the laps pipeline names their fields: its own LapsFields, so the
  // model is compared with what the pipeline maps.

  private static Map<String, String> raceFields(Race r) {
    return LapsFields.race(r, false).fields();
  }

  private static Map<String, String> resultFields(Race r, RaceResult x) {
    return LapsFields.result(r, x, false).fields();
  }

  /** A lap's fields but {@code extra}: the model has no columns outside the model. */
  private static Map<String, String> lapFields(Race r, RaceResult x, Lap l) {
    Map<String, String> f = new LinkedHashMap<>(LapsFields.lap(r, x, l, false).fields());
    f.remove("extra");
    return f;
  }

  private static List<Race> decode(LineCodec<Race> codec, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      CodecFeed<Race> feed = CodecFeed.read(codec, in, file.toString());
      assertThat(feed.rejects).as("rejects of %s", file).isEmpty();
      return feed.values();
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Path f : files(root)) {
      out.put(root.relativize(f).toString(), Files.readString(f, StandardCharsets.UTF_8));
    }
    return out;
  }
}
