package dev.pgingest.workload.laps.liverc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link LiveRcCodec} on one small fixture per edge case. */
class LiveRcCodecTest {

  private static final String RIVERSIDE = "liverc:riversiderc.liverc.com";
  private static final String EVENT = "Spring Nitro Challenge 2024";
  private static final String CLUB = "Riverside RC Raceway";

  private static CodecFeed<Race> decode(String fixture) throws IOException {
    return decode(fixture, "/data/liverc/" + fixture);
  }

  /** Decodes a fixture as if it were the file at {@code path}. */
  private static CodecFeed<Race> decode(String fixture, String path) throws IOException {
    try (InputStream in =
        LiveRcCodecTest.class.getResourceAsStream("/workload/laps/liverc/" + fixture)) {
      return CodecFeed.read(new LiveRcCodec(path), in, fixture);
    }
  }

  /** The one race a fixture gives, after checking it is at line 1. */
  private static Race race(String fixture) throws IOException {
    CodecFeed<Race> feed = decode(fixture);
    Race race = feed.only();
    assertThat(feed.records.get(0).line()).isEqualTo(1);
    return race;
  }

  private static Lap lap(
      String n, String pos, String time, String paceLaps, String paceTime, String... segments) {
    return new Lap(
        n, pos, time, paceLaps, paceTime, List.of(segments), null, null, null, null, null, null);
  }

  private static RaceResult result(Race race, String driverId) {
    return race.results().stream().filter(r -> r.driverId().equals(driverId)).findFirst().get();
  }

  @Test
  void raceAMainIsOneWholeRace() throws Exception {
    Race race = race("race_a_main.html");
    assertThat(race)
        .extracting(
            Race::source,
            Race::eventId,
            Race::eventName,
            Race::club,
            Race::eventDate,
            Race::raceId,
            Race::raceName,
            Race::className,
            Race::round,
            Race::lengthKind,
            Race::lengthSeconds,
            Race::lengthLaps,
            Race::startedAt,
            Race::whole,
            Race::error)
        .containsExactly(
            RIVERSIDE,
            "9102",
            EVENT,
            CLUB,
            "2024-05-18",
            "412345",
            "1/8 Nitro Buggy A-Main",
            "1/8 Nitro Buggy",
            "A-Main",
            "timed",
            "180",
            null,
            null,
            true,
            null);
    // Table order, not script order; Marco's row and block differ in case and spacing.
    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::driverName,
            RaceResult::carNumber,
            RaceResult::position,
            RaceResult::laps,
            RaceResult::totalTime,
            RaceResult::fastLap,
            RaceResult::avgLap,
            RaceResult::consistency,
            r -> r.lapList().size())
        .containsExactly(
            tuple("88123", "Jane Doe", "3", "1", "5", "184.133", "36.589", "36.827", "97.85", 5),
            tuple(
                "88131", "Marco de Luca", "7", "2", "5", "186.520", "36.905", "37.304", "96.10", 5),
            tuple(
                "88107",
                "Kenji Watanabe",
                "12",
                "3",
                "5",
                "189.243",
                "37.221",
                "37.849",
                "94.77",
                5),
            tuple(
                "88140", "Luis Ortega", "21", "4", "4", "181.417", "38.850", "45.354", "71.40", 4));
    assertThat(race.results().get(0).lapList())
        .containsExactly(
            lap("1", "1", "36.958", "5", "184.790", "12.196", "11.457", "13.305"),
            lap("2", "1", "36.589", "5", "183.868", "12.074", "11.343", "13.172"),
            lap("3", "1", "37.010", "5", "184.262", "12.213", "11.473", "13.324"),
            lap("4", "1", "36.874", "5", "184.289", "12.168", "11.431", "13.275"),
            lap("5", "1", "36.702", "5", "184.133", "12.112", "11.378", "13.212"));
    assertThat(result(race, "88140").lapList().get(3))
        .isEqualTo(lap("4", "4", "62.337", "4", "181.417", "20.571", "19.324", "22.442"));
    assertThat(race.results())
        .allSatisfy(r -> assertThat(r.lapList()).extracting(Lap::lapNumber).doesNotContain("0"));
  }

  @Test
  void nonStarterHasNoStatsAndNoLaps() throws Exception {
    Race race = race("non_starter.html");
    assertThat(race.source()).isEqualTo(RIVERSIDE);
    assertThat(race.raceId()).isEqualTo("412346");
    assertThat(race.round()).isEqualTo("B-Main");
    assertThat(race.results())
        .extracting(RaceResult::driverId)
        .containsExactly("88160", "88161", "88150");
    assertThat(race.results().get(2))
        .isEqualTo(
            new RaceResult(
                "88150",
                "Oscar Lindqvist",
                "15",
                null,
                null,
                "3",
                null,
                null,
                null,
                null,
                null,
                List.of()));
  }

  @Test
  void lapZeroOnlyCountsNoLap() throws Exception {
    Race race = race("lap_zero_only.html");
    assertThat(race.className()).isEqualTo("1/8 Nitro Buggy");
    assertThat(race.round()).isEqualTo("C-Main");
    assertThat(result(race, "88172"))
        .isEqualTo(
            new RaceResult(
                "88172",
                "Priya Raman",
                "11",
                null,
                null,
                "3",
                "0",
                null,
                null,
                null,
                null,
                List.of()));
    assertThat(result(race, "88170").lapList())
        .extracting(Lap::lapNumber)
        .containsExactly("1", "2", "3");
  }

  @Test
  void truncatedJavascriptFailsTheRace() throws Exception {
    assertThat(race("truncated_javascript.html"))
        .isEqualTo(
            Race.failed(
                RIVERSIDE,
                "9102",
                "412350",
                "1/10 Electric Buggy Heat 1",
                "racerLaps[20412] (Tom Becker): the object literal ends before its closing brace"));
  }

  @Test
  void badJavascriptFailsTheRaceAtItsLine() throws Exception {
    Race race = race("bad_javascript.html");
    assertThat(race.whole()).isTrue();
    assertThat(race.results()).isEmpty();
    assertThat(List.of(race.source(), race.eventId(), race.raceId(), race.raceName()))
        .containsExactly(RIVERSIDE, "9102", "412351", "1/10 Electric Buggy Heat 2");
    // The rest is Jackson's wording.
    assertThat(race.error())
        .startsWith("racerLaps[20433] (Ana Sousa): invalid object literal at line 46: ")
        .contains("comma");
  }

  @Test
  void pageCutAfterABlockFailsTheRace() throws Exception {
    assertThat(race("cut_after_a_block.html"))
        .isEqualTo(
            Race.failed(
                RIVERSIDE,
                "9102",
                "412352",
                "1/10 Electric Buggy Heat 3",
                "the racerLaps script ends before its </script> tag: the page is cut short"));
  }

  @Test
  void raceWithNeitherTableNorLapsFails() throws Exception {
    assertThat(race("no_results_no_laps.html"))
        .isEqualTo(
            Race.failed(
                RIVERSIDE,
                "9102",
                "412420",
                "Mini-T Qualifier 2",
                "the race page has neither a results table nor racerLaps laps"));
  }

  @Test
  void valuesThatAreNoNumbersStayAsGiven() throws Exception {
    Race race = race("lap_not_a_number.html");
    RaceResult ruth = result(race, "30502");
    assertThat(ruth.driverName()).isEqualTo("Ruth Okafor");
    assertThat(ruth.carNumber()).isEqualTo("22");
    assertThat(ruth.lapList())
        .containsExactly(
            lap("1", "2", "31.900", "3", "95.700"),
            lap("2", "2", "abc", "3", "abc"),
            lap("3", "2", "31.672", "3", "96.027"));
    assertThat(result(race, "30501"))
        .extracting(RaceResult::driverName, RaceResult::carNumber, RaceResult::totalTime)
        .containsExactly("Sam Carter", "5", "93.091");
  }

  @Test
  void lengthInLaps() throws Exception {
    Race race = race("length_in_laps.html");
    assertThat(race)
        .extracting(
            Race::source,
            Race::raceId,
            Race::className,
            Race::round,
            Race::lengthKind,
            Race::lengthSeconds,
            Race::lengthLaps)
        .containsExactly(
            RIVERSIDE, "412370", "1/10 Stock Touring Car", "Qualifier Round 3", "laps", null, "5");
    assertThat(race.results().get(0).lapList().get(0))
        .isEqualTo(lap("1", "1", "14.212", "5", "71.060"));
  }

  @Test
  void minuteTimesBecomeSeconds() throws Exception {
    Race race = race("minute_lap_times.html");
    assertThat(race)
        .extracting(Race::eventDate, Race::className, Race::round, Race::lengthSeconds)
        .containsExactly("2024-06-01", "1/5 Scale Buggy", "A1-Main", "600");
    // Laps and total from the one "Laps/Time" column: 9/10:28.285.
    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::laps,
            RaceResult::totalTime,
            RaceResult::fastLap,
            RaceResult::avgLap,
            RaceResult::consistency)
        .containsExactly(
            tuple("50901", "9", "628.285", "62.345", "69.809", "90.85"),
            tuple("50904", "8", "575.224", "65.410", "71.903", "88.20"));
    assertThat(race.results().get(0).lapList())
        .startsWith(
            lap("1", "1", "62.345", "10", "623.450"),
            lap("2", "1", "68.904", "10", "656.245"),
            lap("3", "1", "70.220", "9", "604.407"))
        .hasSize(9);
  }

  @Test
  void eventPageListsItsRaces() throws Exception {
    CodecFeed<Race> feed = decode("event_page.html");
    assertThat(feed.rejects).isEmpty();
    assertThat(feed.values())
        .allSatisfy(
            r -> {
              assertThat(List.of(r.source(), r.eventId(), r.eventName(), r.club(), r.eventDate()))
                  .containsExactly(RIVERSIDE, "9102", EVENT, CLUB, "2024-05-18");
              assertThat(r.whole()).isFalse();
              assertThat(r.results()).isEmpty();
              assertThat(r.lengthKind()).isNull();
              assertThat(r.error()).isNull();
            });
    // Each race once, by its first link; the sidebar's second link to 412345 adds nothing.
    assertThat(feed.values())
        .extracting(Race::raceId, Race::raceName, Race::className, Race::round)
        .containsExactly(
            tuple("412340", "1/10 Electric Buggy Practice 2", "1/10 Electric Buggy", "Practice 2"),
            tuple(
                "412341",
                "1/10 Electric Buggy Qualifier Round 3",
                "1/10 Electric Buggy",
                "Qualifier Round 3"),
            tuple("412342", "1/8 Nitro Buggy Heat 1", "1/8 Nitro Buggy", "Heat 1"),
            tuple("412351", "1/8 Nitro Buggy Round 4", "1/8 Nitro Buggy", "Round 4"),
            tuple("412346", "1/8 Nitro Buggy B-Main", "1/8 Nitro Buggy", "B-Main"),
            tuple("412345", "1/8 Nitro Buggy A-Main", "1/8 Nitro Buggy", "A-Main"),
            tuple("412347", "1/8 Nitro Truggy Main", "1/8 Nitro Truggy", "Main"),
            tuple("412348", "Pro Stock Touring Final", "Pro Stock Touring", "Final"),
            tuple("412349", "Junior Exhibition Race", "Junior Exhibition Race", null),
            tuple("412352", "Qualifier 2", null, "Qualifier 2"));
    assertThat(feed.records).extracting(CodecFeed.Decoded::line).containsOnly(1L);
  }

  @Test
  void otherPagesAreRejected() throws Exception {
    CodecFeed<Race> feed = decode("not_a_liverc_page.html");
    assertThat(feed.records).isEmpty();
    assertThat(feed.rejects)
        .containsExactly(
            new CodecFeed.Rejected(
                1,
                "not a LiveRC page: no liverc.com address, no '… :: LiveRC' title and no racerLaps"
                    + " script",
                "<!DOCTYPE html>"));
  }

  @Test
  void raceIdFromFileName() throws Exception {
    for (String path :
        List.of(
            "race-123456.html",
            "/downloads/view_race_result&id=123456.html",
            "C:\\Users\\kim\\race_123456 (1).html",
            "s3://bucket/2024/123456.html")) {
      Race race = decode("race_id_from_file_name.html", path).only();
      assertThat(race)
          .as(path)
          .extracting(
              Race::source,
              Race::eventId,
              Race::eventName,
              Race::club,
              Race::raceId,
              Race::className,
              Race::round)
          .containsExactly(
              "liverc",
              "7731",
              "Club Race Night 14",
              "Lakeside Offroad",
              "123456",
              "1/10 2WD Stock Buggy",
              "Main");
      assertThat(race.results()).extracting(RaceResult::driverId).containsExactly("61001", "61002");
    }
    // Other digits are no race id.
    CodecFeed<Race> feed = decode("race_id_from_file_name.html", "results-2024-05-18.html");
    assertThat(feed.records).isEmpty();
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::line, CodecFeed.Rejected::reason)
        .containsExactly(
            tuple(
                1L,
                "no race id: no ?p=view_race_result&id=N address in the page and none in the"
                    + " file name (race-N.html)"));
  }

  @Test
  void crlfLineEndingsReadAsLf() throws Exception {
    try (InputStream in =
        LiveRcCodecTest.class.getResourceAsStream("/workload/laps/liverc/crlf_line_endings.html")) {
      assertThat(new String(in.readAllBytes(), UTF_8)).contains("\r\n").doesNotContain("\n\n");
    }
    Race race = race("crlf_line_endings.html");
    assertThat(race)
        .extracting(Race::raceId, Race::className, Race::round, Race::lengthSeconds)
        .containsExactly("412390", "Mini-T", "Heat 1", "30");
    assertThat(race.results().get(0))
        .isEqualTo(
            new RaceResult(
                "70001",
                "Aiko Tanaka",
                "27",
                null,
                null,
                "1",
                "2",
                "36.517",
                "18.115",
                "18.259",
                "96.60",
                List.of(
                    lap("1", "1", "18.402", "2", "36.804", "9.201", "9.201"),
                    lap("2", "1", "18.115", "2", "36.517", "9.058", "9.057"))));
  }

  @Test
  void withoutTableResultsComeFromTheLaps() throws Exception {
    Race race = race("no_results_table.html");
    assertThat(race.round()).isEqualTo("Practice 2");
    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::driverName,
            RaceResult::position,
            RaceResult::laps,
            RaceResult::totalTime,
            RaceResult::fastLap,
            RaceResult::avgLap,
            RaceResult::consistency)
        .containsExactly(
            tuple("80001", "Sofia Rossi", null, "3", null, "19.904", "20.009", "97.40"),
            tuple("80002", "Jonas Berg", null, "2", null, "20.331", "20.417", "95.90"));
    assertThat(race.results().get(1).lapList())
        .containsExactly(
            lap("1", "2", "20.502", "3", "61.506"), lap("2", "2", "20.331", "3", "61.250"));
  }

  @Test
  void rowsAndBlocksThatDoNotMatch() throws Exception {
    Race race = race("table_and_laps_disagree.html");
    // No link to the event: its name is its id.
    assertThat(race.eventId()).isEqualTo("Club Race Night 15");
    assertThat(race.source()).isEqualTo("liverc:lakesideoffroad.liverc.com");
    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::position,
            RaceResult::laps,
            RaceResult::fastLap,
            r -> r.lapList().size())
        .containsExactly(
            tuple("80101", "1", "2", "20.100", 2),
            tuple("Walter Huber", "2", "2", "20.650", 0),
            tuple("80103", null, "2", "21.020", 2));
  }

  @Test
  void emptyFileIsRejected() {
    for (CodecFeed<Race> feed :
        List.of(
            CodecFeed.lines(new LiveRcCodec("race-1.html")),
            CodecFeed.lines(new LiveRcCodec("race-1.html"), "", "  "))) {
      assertThat(feed.records).isEmpty();
      assertThat(feed.rejects).containsExactly(new CodecFeed.Rejected(1, "the file is empty", ""));
    }
  }

  @Test
  void notHtmlIsRejected() {
    CodecFeed<Race> feed =
        CodecFeed.lines(new LiveRcCodec("race-1.html"), "pos,driver,laps", "1,Jane Doe,17");
    assertThat(feed.rejects)
        .containsExactly(
            new CodecFeed.Rejected(
                1, "not an HTML page: it starts with 'p', not a tag", "pos,driver,laps"));
  }

  @Test
  void eventPageWithoutRacesIsRejected() {
    CodecFeed<Race> feed =
        CodecFeed.lines(
            new LiveRcCodec("event.html"),
            "<!-- saved from url=(0059)https://riversiderc.liverc.com/results/?p=view_event&id=9200"
                + " -->",
            "<html><head><title>Riverside RC Raceway :: Autumn Classic :: LiveRC</title></head>",
            "<body><p>No results yet.</p></body></html>");
    assertThat(feed.records).isEmpty();
    assertThat(feed.rejects)
        .extracting(CodecFeed.Rejected::reason)
        .containsExactly("the event page lists no races (no links to ?p=view_race_result&id=N)");
  }

  @Test
  void blockOfTheWrongShapeFailsTheRace() {
    CodecFeed<Race> feed =
        CodecFeed.lines(
            new LiveRcCodec("race-77.html"),
            "<html><head><title>Club :: Event :: Mini-T Heat 2 :: LiveRC</title></head><body>",
            "<script>racerLaps[5] = { 'driverName' : 'Kim Lee', 'laps' : 'none' };</script>",
            "</body></html>");
    assertThat(feed.only())
        .isEqualTo(
            Race.failed(
                "liverc",
                "Event",
                "77",
                "Mini-T Heat 2",
                "racerLaps[5] (Kim Lee): 'laps' is not a list"));
  }

  @Test
  void pageOverTheLimitIsRejected() {
    String mib = "x".repeat(1 << 20);
    CodecFeed<Race> feed =
        CodecFeed.lines(
            new LiveRcCodec("race-1.html"),
            Stream.concat(
                Stream.of("<html>"), Stream.generate(() -> mib).limit(LiveRcCodec.MAX_PAGE_MIB)));
    assertThat(feed.records).isEmpty();
    assertThat(feed.rejects)
        .containsExactly(new CodecFeed.Rejected(1, "the page is larger than 16 MiB", "<html>"));
  }

  @Test
  void classAndRoundSplit() {
    Map<String, List<String>> cases =
        Map.ofEntries(
            Map.entry("1/8 Nitro Buggy A-Main", List.of("1/8 Nitro Buggy", "A-Main")),
            Map.entry("1/8 Nitro Buggy A1-Main", List.of("1/8 Nitro Buggy", "A1-Main")),
            Map.entry("Stock Truck Main", List.of("Stock Truck", "Main")),
            Map.entry("Stock Truck - B-Main", List.of("Stock Truck", "B-Main")),
            Map.entry("17.5 Buggy Qualifier 2", List.of("17.5 Buggy", "Qualifier 2")),
            Map.entry("17.5 Buggy Qualifier Round 3", List.of("17.5 Buggy", "Qualifier Round 3")),
            Map.entry("Mod SCT Heat 1", List.of("Mod SCT", "Heat 1")),
            Map.entry("Mod SCT Practice 2", List.of("Mod SCT", "Practice 2")),
            Map.entry("Mod SCT Round 4", List.of("Mod SCT", "Round 4")),
            Map.entry("Pro Touring Final", List.of("Pro Touring", "Final")),
            Map.entry("A-Main", Arrays.asList(null, "A-Main")),
            Map.entry("Domain Cup", Arrays.asList("Domain Cup", null)));
    cases.forEach(
        (name, want) ->
            assertThat(LiveRcCodec.classAndRound(name)).as(name).containsExactlyElementsOf(want));
  }

  @Test
  void secondsFromDisplayTimes() {
    assertThat(
            Stream.of(
                    "36.589",
                    "1:02.345",
                    "10:28.285",
                    "30:00",
                    "1:02:03.5",
                    "abc",
                    "1:xx",
                    "1:2:3:4")
                .map(LiveRcCodec::seconds))
        .containsExactly("36.589", "62.345", "628.285", "1800", "3723.5", "abc", "1:xx", "1:2:3:4");
  }

  @Test
  void jsLiteralReadsWhatPagesWrite() throws Exception {
    String js =
        "var racerLaps = []; x = racerLaps[1].laps; myracerLaps[2] = {};\n"
            + "racerLaps[3] = racerLaps[3] || {}; if (racerLaps[4] == y) {}\n"
            + "racerLaps['7'] = { driverName : 'Sean O\\'Neil', /* note */ 'laps' : [ { 'lapNum' :"
            + " 1, }, ], 'n': null, };\n"
            + "racerLaps[8] = {};";
    JsLiteral.Assignment first = JsLiteral.nextAssignment(js, "racerLaps", 0);
    assertThat(first.key()).isEqualTo("7");
    JsLiteral.Read read = JsLiteral.object(js, first.valueStart());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("driverName", "Sean O'Neil");
    expected.put("laps", List.of(Map.of("lapNum", "1")));
    expected.put("n", null);
    assertThat(read.value()).containsExactlyEntriesOf(expected);
    assertThat(js.charAt(read.end() - 1)).isEqualTo('}');
    JsLiteral.Assignment second = JsLiteral.nextAssignment(js, "racerLaps", read.end());
    assertThat(second.key()).isEqualTo("8");
    assertThat(JsLiteral.object(js, second.valueStart()).value()).isEmpty();
    assertThat(JsLiteral.nextAssignment(js, "racerLaps", js.length() - 2)).isNull();
  }

  private static Race sample(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return CodecFeed.read(new LiveRcCodec(file.toString()), in, file.toString()).only();
    }
  }

  @Test
  void samplesAreOneEventOfSixRaces() throws Exception {
    Path dir = Path.of("jobs/samples/laps/liverc");
    List<Race> listed;
    try (InputStream in = Files.newInputStream(dir.resolve("event-8801.html"))) {
      listed = CodecFeed.read(new LiveRcCodec("event-8801.html"), in, "event").values();
    }
    assertThat(listed)
        .extracting(Race::raceId, Race::className, Race::round)
        .containsExactly(
            tuple("530101", "1/8 Nitro Buggy", "Qualifier Round 1"),
            tuple("530102", "1/8 Nitro Buggy", "Qualifier Round 2"),
            tuple("530111", "1/8 Nitro Buggy", "B-Main"),
            tuple("530112", "1/8 Nitro Buggy", "A-Main"),
            tuple("530103", "1/8 Electric Buggy", "Qualifier Round 1"),
            tuple("530115", "1/8 Electric Buggy", "A-Main"));
    for (Race event : listed) {
      Race race = sample(dir.resolve("race-" + event.raceId() + ".html"));
      assertThat(List.of(race.source(), race.eventId(), race.raceId(), race.raceName()))
          .containsExactly(
              "liverc:cedarvalleyrc.liverc.com", "8801", event.raceId(), event.raceName());
      if (race.raceId().equals("530103")) {
        assertThat(race.error())
            .isEqualTo(
                "racerLaps[3010304] (Hector Ruiz): the object literal ends before its closing"
                    + " brace");
        continue;
      }
      assertThat(race.error()).isNull();
      assertThat(race.results()).hasSizeBetween(6, 10);
      for (RaceResult r : race.results()) {
        boolean noLap =
            race.raceId().equals("530112") && r.driverName().equals("Derek Vaughn")
                || race.raceId().equals("530111") && r.driverName().equals("Sean Gallagher");
        if (noLap) {
          // The A-Main's non-starter and the B-Main's driver who crossed the start line only.
          assertThat(r.laps()).isEqualTo("0");
          assertThat(r.lapList()).isEmpty();
        } else {
          assertThat(r.lapList()).hasSizeBetween(8, 20);
          assertThat(r.laps()).isEqualTo(String.valueOf(r.lapList().size()));
        }
      }
    }
  }

  @Test
  void rescoredAMainSwapsTwoPositionsCorrectsOneLapAndDropsTwo() throws Exception {
    Race before = sample(Path.of("jobs/samples/laps/liverc/race-530112.html"));
    Race after =
        sample(Path.of("src/test/resources/workload/laps/liverc-rescored/race-530112.html"));
    assertThat(after.raceId()).isEqualTo(before.raceId());
    assertThat(after.results()).extracting(RaceResult::driverName).hasSize(10);
    assertThat(result(after, "3011205").position()).isEqualTo("3");
    assertThat(result(after, "3011203").position()).isEqualTo("4");
    assertThat(result(before, "3011202").lapList().get(10).lapTime()).isEqualTo("47.576");
    assertThat(result(after, "3011202").lapList().get(10).lapTime()).isEqualTo("46.576");
    // Tyler Brennan loses his last two laps: 16 in the table and the script, now 14.
    assertThat(result(before, "3011203").laps()).isEqualTo("16");
    assertThat(result(before, "3011203").lapList()).hasSize(16);
    assertThat(result(after, "3011203").laps()).isEqualTo("14");
    assertThat(result(after, "3011203").lapList())
        .isEqualTo(result(before, "3011203").lapList().subList(0, 14));
    // Nothing else changed: undo all three and the races are equal.
    List<RaceResult> undone = new ArrayList<>(after.results());
    Collections.swap(undone, 2, 3);
    undone.replaceAll(
        r ->
            switch (r.driverId()) {
              case "3011205" -> withPosition(r, "4");
              case "3011203" -> withPosition(result(before, "3011203"), "3");
              case "3011202" -> withLap(r, 10, "47.576");
              default -> r;
            });
    assertThat(undone).isEqualTo(before.results());
  }

  private static RaceResult withPosition(RaceResult r, String position) {
    return new RaceResult(
        r.driverId(),
        r.driverName(),
        r.carNumber(),
        r.team(),
        r.className(),
        position,
        r.laps(),
        r.totalTime(),
        r.fastLap(),
        r.avgLap(),
        r.consistency(),
        r.lapList());
  }

  private static RaceResult withLap(RaceResult r, int index, String lapTime) {
    List<Lap> laps = new ArrayList<>(r.lapList());
    Lap l = laps.get(index);
    laps.set(
        index,
        new Lap(
            l.lapNumber(),
            l.position(),
            lapTime,
            l.paceLaps(),
            l.paceTime(),
            l.segments(),
            l.elapsed(),
            l.kph(),
            l.crossedAt(),
            l.inPit(),
            l.pitTime(),
            l.driverNumber()));
    return new RaceResult(
        r.driverId(),
        r.driverName(),
        r.carNumber(),
        r.team(),
        r.className(),
        r.position(),
        r.laps(),
        r.totalTime(),
        r.fastLap(),
        r.avgLap(),
        r.consistency(),
        laps);
  }
}
