package dev.pgingest.workload.laps.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.LineReader;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Rejected;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link TimingCsvCodec}, one fixture per edge case, fed as {@link LineReader} feeds
 * it.
 */
class TimingCsvCodecTest {

  /** As the fixtures' folder is {@code timing}, so is every fixture race's event id. */
  private static final String FOLDER = "src/test/resources/workload/laps/timing/";

  private static final String HEADER = "NUMBER; DRIVER_NUMBER; LAP_NUMBER; LAP_TIME; TEAM; ELAPSED";

  static CodecFeed<Race> feedFile(String name) throws IOException {
    return feedFile(new TimingCsvCodec(FOLDER + name), name);
  }

  static CodecFeed<Race> feedFile(TimingCsvCodec codec, String name) throws IOException {
    try (InputStream in =
        TimingCsvCodecTest.class.getResourceAsStream("/workload/laps/timing/" + name)) {
      return CodecFeed.read(codec, in, name);
    }
  }

  private static String text(String name) throws IOException {
    try (InputStream in =
        TimingCsvCodecTest.class.getResourceAsStream("/workload/laps/timing/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Race race(CodecFeed<Race> out) {
    assertThat(out.records).hasSize(1);
    assertThat(out.records.get(0).line()).isEqualTo(1);
    return out.records.get(0).record();
  }

  private static Lap lap(
      String number,
      String time,
      List<String> segments,
      String elapsed,
      String kph,
      String hour,
      Boolean inPit,
      String pitTime,
      String driver) {
    return new Lap(
        number, null, time, null, null, segments, elapsed, kph, hour, inPit, pitTime, driver);
  }

  /** The race with every lap's {@code extra} left out, for tests of the model's columns. */
  private static Race withoutExtra(Race r) {
    return new Race(
        r.source(),
        r.eventId(),
        r.eventName(),
        r.club(),
        r.eventDate(),
        r.raceId(),
        r.raceName(),
        r.className(),
        r.round(),
        r.lengthKind(),
        r.lengthSeconds(),
        r.lengthLaps(),
        r.startedAt(),
        r.results().stream().map(TimingCsvCodecTest::withoutExtra).toList(),
        r.whole(),
        r.error());
  }

  private static RaceResult withoutExtra(RaceResult x) {
    return new RaceResult(
        x.driverId(),
        x.driverName(),
        x.carNumber(),
        x.team(),
        x.className(),
        x.position(),
        x.laps(),
        x.totalTime(),
        x.fastLap(),
        x.avgLap(),
        x.consistency(),
        x.lapList().stream().map(TimingCsvCodecTest::withoutExtra).toList());
  }

  private static Lap withoutExtra(Lap l) {
    return new Lap(
        l.lapNumber(),
        l.position(),
        l.lapTime(),
        l.paceLaps(),
        l.paceTime(),
        l.segments(),
        l.elapsed(),
        l.kph(),
        l.crossedAt(),
        l.inPit(),
        l.pitTime(),
        l.driverNumber());
  }

  @Test
  void columnsOutsideTheModelAreKeptInExtraByHeaderName() throws IOException {
    Race race = race(feedFile("padded_header.csv"));

    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("LAP_IMPROVEMENT", "0");
    extra.put("S1_IMPROVEMENT", "0");
    extra.put("S2_IMPROVEMENT", "0");
    extra.put("S3_IMPROVEMENT", "0");
    extra.put("S1_LARGE", "0:33.120");
    extra.put("S2_LARGE", "0:56.790");
    extra.put("S3_LARGE", "0:35.400");
    extra.put("TOP_SPEED", "318.4");
    extra.put("GROUP", "H");
    extra.put("MANUFACTURER", "Alpine");
    assertThat(race.results().get(0).lapList().get(0).extra()).containsExactlyEntriesOf(extra);
    // Empty values are left out, and so is the unnamed column a trailing ';' makes.
    RaceResult car = race(feedFile("empty_fields.csv")).results().get(0);
    assertThat(car.lapList().get(1).extra())
        .containsOnly(
            Map.entry("LAP_IMPROVEMENT", "0"),
            Map.entry("S1_IMPROVEMENT", "0"),
            Map.entry("S2_IMPROVEMENT", "0"),
            Map.entry("S3_IMPROVEMENT", "0"),
            Map.entry("S1_LARGE", "0:33.000"),
            Map.entry("S3_LARGE", "0:35.500"));
  }

  @Test
  void paddedHeaderNamesMatchTheirColumnsAndTheSessionIsOneWholeRace() throws IOException {
    Race race = withoutExtra(race(feedFile("padded_header.csv")));

    List<Lap> car7 =
        List.of(
            lap(
                "1",
                "125.310",
                List.of("33.120", "56.790", "35.400"),
                "125.310",
                "201.2",
                "12:02:05.310",
                false,
                null,
                "1"),
            lap(
                "2",
                "123.874",
                List.of("32.905", "56.100", "34.869"),
                "249.184",
                "203.5",
                "12:04:09.184",
                false,
                null,
                "1"));
    List<Lap> car51 =
        List.of(
            lap(
                "1",
                "126.002",
                List.of("33.400", "57.002", "35.600"),
                "126.002",
                "200.1",
                "12:02:06.002",
                false,
                null,
                "1"),
            lap(
                "2",
                "124.118",
                List.of("33.010", "56.508", "34.600"),
                "250.120",
                "203.1",
                "12:04:10.120",
                false,
                null,
                "1"));
    assertThat(race)
        .isEqualTo(
            new Race(
                "timing",
                "timing",
                null,
                null,
                null,
                "padded_header",
                "padded_header",
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(
                    new RaceResult(
                        "7",
                        "Anna KOVAC",
                        "7",
                        "Sable Racing",
                        "HYPERCAR",
                        "1",
                        "2",
                        "249.184",
                        "123.874",
                        "124.592",
                        null,
                        car7),
                    new RaceResult(
                        "51",
                        "Marco RIVA",
                        "51",
                        "Fenice Corse",
                        "HYPERCAR",
                        "2",
                        "2",
                        "250.120",
                        "124.118",
                        "125.060",
                        null,
                        car51)),
                true,
                null));
  }

  @Test
  void minuteAndSecondTimesBecomeSecondsWithTheGivenPrecision() throws IOException {
    RaceResult car = race(feedFile("minute_and_second_lap_times.csv")).results().get(0);

    assertThat(car.lapList())
        .extracting(Lap::lapTime, Lap::elapsed, Lap::segments)
        .containsExactly(
            tuple("61.5", "3483.1", List.of("19.8", "21.2", "20.5")),
            tuple("58.9", "3542.0", List.of("18.9", "20.5", "19.5")),
            tuple("59.900", "3601.900", List.of("19.250", "20.400", "20.250")));
    assertThat(car)
        .extracting(
            RaceResult::laps, RaceResult::totalTime, RaceResult::fastLap, RaceResult::avgLap)
        .containsExactly("3", "3601.900", "58.9", "60.100");
  }

  @Test
  void timesInEveryFormParseExactlyAndAnythingElseStaysAsGiven() {
    assertThat(TimingCsvCodec.seconds("1:45.123")).isEqualTo("105.123");
    assertThat(TimingCsvCodec.seconds("58.9")).isEqualTo("58.9");
    assertThat(TimingCsvCodec.seconds("0:19.250")).isEqualTo("19.250");
    assertThat(TimingCsvCodec.seconds("1:02:03.456")).isEqualTo("3723.456");
    assertThat(TimingCsvCodec.seconds("75:12.3")).isEqualTo("4512.3");
    assertThat(TimingCsvCodec.seconds("1:45")).isEqualTo("105");
    assertThat(TimingCsvCodec.seconds("1:60.000")).isEqualTo("1:60.000");
    assertThat(TimingCsvCodec.seconds("1:60:00.000")).isEqualTo("1:60:00.000");
    assertThat(TimingCsvCodec.seconds("-1.5")).isEqualTo("-1.5");
    assertThat(TimingCsvCodec.seconds("1:4x.123")).isEqualTo("1:4x.123");
    assertThat(TimingCsvCodec.seconds(null)).isNull();
  }

  @Test
  void emptyFieldsAreAbsentAndAnEmptySectorKeepsItsPlace() throws IOException {
    CodecFeed<Race> out = feedFile("empty_fields.csv");

    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                5,
                "no NUMBER: no car or lap",
                ";1;4;2:05.100;0;;33.300;0;56.300;0;35.500;0;203.6;8:24.600;10:08:24.600;0:33.300;"
                    + "0:56.300;0:35.500;;Lena BERG;;LMGT3;;;"));
    RaceResult car = withoutExtra(race(out).results().get(0));
    assertThat(car.lapList())
        .containsExactly(
            lap("1", null, List.of(), "130.000", null, null, false, null, null),
            lap(
                "2",
                "124.500",
                // An empty S2 is a null in its place: S3 stays the third segment.
                Arrays.asList("33.000", null, "35.500"),
                "254.500",
                "204.6",
                "10:04:14.500",
                false,
                null,
                "1"),
            lap(
                "3",
                "125.000",
                Arrays.asList("33.200", "56.300", null),
                "379.500",
                "203.8",
                "10:06:19.500",
                false,
                null,
                "1"));
    assertThat(car)
        .isEqualTo(
            new RaceResult(
                "12",
                "Lena BERG",
                "12",
                null,
                "LMGT3",
                "1",
                "3",
                "379.500",
                "124.500",
                "124.750",
                null,
                car.lapList()));
  }

  @Test
  void aSecondCarWithTheSameNumberIsTheNextEntryOfThatNumber() throws IOException {
    Race race = race(feedFile("duplicate_car_number.csv"));

    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::carNumber,
            RaceResult::team,
            RaceResult::driverName,
            RaceResult::className,
            RaceResult::position,
            RaceResult::laps,
            RaceResult::totalTime,
            RaceResult::fastLap,
            RaceResult::avgLap)
        .containsExactly(
            tuple(
                "7",
                "7",
                "Alpha Racing",
                "Tom HALE",
                "GT3",
                "1",
                "3",
                "298.800",
                "99.200",
                "99.600"),
            tuple(
                "12",
                "12",
                "Kappa Motorsport",
                "Ines ROTH",
                "GT3",
                "2",
                "3",
                "300.900",
                "99.900",
                "100.300"),
            tuple(
                "7#2",
                "7",
                "Bravo Racing",
                "Sam OKAFOR",
                "GT4",
                "3",
                "2",
                "216.000",
                "107.700",
                "108.000"),
            tuple(
                "12#2",
                "12",
                "Kappa Motorsport",
                "Piet DAMS",
                "GT4",
                "4",
                "2",
                "217.000",
                "108.000",
                "108.500"));
    assertThat(race.results())
        .allSatisfy(
            r ->
                assertThat(r.lapList())
                    .extracting(Lap::lapNumber)
                    .isEqualTo(List.of("1", "2", "3").subList(0, r.lapList().size())));
  }

  @Test
  void entriesOfOneNumberAreNumberedInOrderOfAppearanceAcrossTeams() {
    Race race =
        race(
            CodecFeed.text(
                new TimingCsvCodec("/data/club/heats.csv"),
                HEADER
                    + "\n7;1;1;1:00.000;Red;1:00.000"
                    + "\n7;1;1;1:01.000;Blue;1:01.000"
                    + "\n7;1;2;1:00.000;Red;2:00.000"
                    + "\n7;1;1;1:02.000;Red;1:02.000"
                    + "\n7;1;2;1:00.500;Blue;2:01.500\n"));

    assertThat(race.results())
        .extracting(RaceResult::driverId, RaceResult::team, RaceResult::laps, RaceResult::position)
        .containsExactly(
            tuple("7", "Red", "2", "1"),
            tuple("7#2", "Blue", "2", "2"),
            tuple("7#3", "Red", "1", "3"));
    assertThat(race)
        .extracting(Race::source, Race::eventId, Race::raceId, Race::raceName, Race::whole)
        .containsExactly("timing", "club", "heats", "heats", true);
  }

  @Test
  void pitLapsAreMarkedAndPitTimesInSeconds() throws IOException {
    Race race = race(feedFile("pit_laps.csv"));

    RaceResult car36 = race.results().get(0);
    assertThat(car36.driverId()).isEqualTo("36");
    assertThat(car36.driverName()).isEqualTo("Jan MOSER / Eli VANCE");
    assertThat(car36.lapList())
        .extracting(Lap::lapNumber, Lap::inPit, Lap::pitTime, Lap::driverNumber, Lap::lapTime)
        .containsExactly(
            tuple("1", false, null, "1", "126.500"),
            tuple("2", true, null, "1", "141.400"),
            tuple("3", false, "65.2", "2", "192.800"),
            tuple("4", false, null, "2", "126.000"));
    RaceResult car38 = race.results().get(1);
    assertThat(car38.lapList())
        .extracting(Lap::inPit, Lap::pitTime)
        .containsExactly(tuple(true, null), tuple(false, "58.413"));
    assertThat(race.results())
        .extracting(
            RaceResult::driverId, RaceResult::position, RaceResult::laps, RaceResult::totalTime)
        .containsExactly(tuple("36", "1", "4", "586.700"), tuple("38", "2", "2", "321.000"));
  }

  @Test
  void withoutThePitColumnWhetherALapEndedInThePitIsUnknown() {
    Race race =
        race(
            CodecFeed.text(
                new TimingCsvCodec("/d/e/r.csv"), HEADER + "\n1;1;1;1:00.000;T;1:00.000\n"));

    assertThat(race.results().get(0).lapList().get(0).inPit()).isNull();
  }

  @Test
  void byteOrderMarkAndCrlfAreNotPartOfAnyValue() throws IOException {
    Race read = race(feedFile("bom_and_crlf.csv"));
    // Lines split elsewhere may keep the mark and the carriage returns: the codec drops them too.
    Race split =
        race(
            CodecFeed.lines(
                new TimingCsvCodec(FOLDER + "bom_and_crlf.csv"),
                text("bom_and_crlf.csv").split("\n")));

    assertThat(split).isEqualTo(read);
    assertThat(read.results())
        .extracting(
            RaceResult::driverId, RaceResult::team, RaceResult::driverName, RaceResult::totalTime)
        .containsExactly(tuple("22", "Équipe Vallée", "Zoé FAURE", "256.000"));
    assertThat(read.results().get(0).lapList())
        .extracting(Lap::crossedAt)
        .containsExactly("14:02:08.250", "14:04:16.000");
  }

  @Test
  void aValueThatIsNotATimeStaysAsGivenAndRankingFallsBackToLaps() throws IOException {
    CodecFeed<Race> out = feedFile("lap_time_not_a_number.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(race(out).results())
        .extracting(
            RaceResult::driverId,
            RaceResult::position,
            RaceResult::laps,
            RaceResult::totalTime,
            RaceResult::fastLap,
            RaceResult::avgLap)
        .containsExactly(
            tuple("3", "1", "2", "265.000", null, null),
            tuple("5", "2", "2", "n/a", "129.000", "129.500"),
            tuple("8", "3", "1", "132.000", "132.000", "132.000"));
    assertThat(race(out).results().get(0).lapList())
        .extracting(Lap::lapTime)
        .containsExactly("131.000", "abc");
  }

  @Test
  void aLineWithTheWrongFieldCountIsRejectedAndTheRestLoads() throws IOException {
    CodecFeed<Race> out = feedFile("short_line.csv");

    assertThat(out.rejects)
        .containsExactly(new Rejected(3, "has 4 fields, the header names 25", "9;1;2;2:01.000"));
    RaceResult car = race(out).results().get(0);
    assertThat(car.lapList()).extracting(Lap::lapNumber).containsExactly("1", "3");
    assertThat(car)
        .extracting(
            RaceResult::laps, RaceResult::totalTime, RaceResult::fastLap, RaceResult::avgLap)
        .containsExactly("2", "364.500", "121.500", "121.750");
  }

  @Test
  void withoutALapNumberColumnTheFileIsRejectedOnce() throws IOException {
    CodecFeed<Race> out = feedFile("missing_lap_number_column.csv");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(1L, "unusable header row: no LAP_NUMBER column"));
    assertThat(out.rejects.get(0).raw()).startsWith("NUMBER; DRIVER_NUMBER; LAP_TIME;");
  }

  @Test
  void aHeaderNamingAReadColumnTwiceRejectsTheFile() {
    CodecFeed<Race> out =
        CodecFeed.text(new TimingCsvCodec("/d/e/r.csv"), "NUMBER;LAP_NUMBER; NUMBER\n1;1;1\n");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(tuple(1L, "unusable header row: 'NUMBER' names columns 1 and 3"));
  }

  @Test
  void theTrailingSemicolonOfRealExportsIsAnUnnamedColumn() throws IOException {
    Race race = race(feedFile("trailing_semicolon.csv"));

    assertThat(race.results())
        .extracting(
            RaceResult::driverId,
            RaceResult::carNumber,
            RaceResult::team,
            RaceResult::laps,
            RaceResult::totalTime)
        .containsExactly(tuple("007", "007", "Thor Team", "2", "228.300"));
    assertThat(race.results().get(0).lapList().get(1).segments())
        .containsExactly("29.480", "40.197", "44.071");
  }

  @Test
  void aSessionOverTheLimitIsOneRejectAtLineOne() throws IOException {
    CodecFeed<Race> out = feedFile(new TimingCsvCodec(FOLDER + "pit_laps.csv", 5), "pit_laps.csv");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(
                1L,
                "the session holds more than 5 laps (line 7 is one more); the race is not loaded"));
  }

  @Test
  void aHeaderWithoutLapsIsARaceWithoutResultsAndAnEmptyFileIsNothing() {
    assertThat(race(CodecFeed.text(new TimingCsvCodec("/d/e/r.csv"), HEADER + "\n")).results())
        .isEmpty();
    CodecFeed<Race> empty = CodecFeed.text(new TimingCsvCodec("/d/e/r.csv"), "");
    assertThat(empty.records).isEmpty();
    assertThat(empty.rejects).isEmpty();
  }

  @Test
  void theFolderNamesTheEventAndTheFileTheSession() {
    assertThat(TimingCsvCodec.folderAndName("/data/spa-6h-2024/race.csv"))
        .containsExactly("spa-6h-2024", "race");
    assertThat(TimingCsvCodec.folderAndName("s3://laps/timing/spa-6h-2024/FP1.CSV.gz"))
        .containsExactly("spa-6h-2024", "FP1");
    assertThat(TimingCsvCodec.folderAndName("file:///data/spa/q.csv")).containsExactly("spa", "q");
    assertThat(TimingCsvCodec.folderAndName("C:\\timing\\spa\\race.csv"))
        .containsExactly("spa", "race");
    assertThatThrownBy(() -> new TimingCsvCodec("s3://laps/race.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no folder to name the event");
    assertThatThrownBy(() -> new TimingCsvCodec("/data/spa/.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no file name to name the session");
  }
}
