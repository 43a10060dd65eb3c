package dev.pgingest.workload.laps.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.format.LineReader;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.testutil.CodecFeed.Decoded;
import dev.pgingest.testutil.CodecFeed.Rejected;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link TelemetryCodec}, one fixture per edge case, fed as {@link LineReader} feeds
 * it.
 */
class TelemetryCodecTest {

  static CodecFeed<Race> feedFile(String name) throws IOException {
    try (InputStream in =
        TelemetryCodecTest.class.getResourceAsStream("/workload/laps/timing/" + name)) {
      return CodecFeed.read(new TelemetryCodec(), in, name);
    }
  }

  @Test
  void everyLineIsOneLapJunkIncludedAndPassesThroughUnchanged() throws IOException {
    CodecFeed<Race> out = feedFile("telemetry_junk.csv");

    assertThat(out.rejects).isEmpty();
    assertThat(out.records)
        .extracting(Decoded::line)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    assertThat(out.values())
        .extracting(Race::source, Race::eventId, Race::raceId, Race::raceName, Race::whole)
        .containsOnly(
            tuple("trackbox-2", "kart-cup-r3", "heat-1", "heat-1", false),
            tuple("trackbox-2", "kart-cup-r3", "heat-2", "heat-2", false));
    assertThat(out.values())
        .extracting(
            r -> r.results().get(0).driverId(),
            r -> lap(r).lapNumber(),
            r -> lap(r).lapTime(),
            r -> lap(r).crossedAt())
        .containsExactly(
            tuple("4471823", "1", "36.958", "2024-05-11T09:13:25.353Z"),
            tuple("4471823", "2", "37.012", "2024-05-11T09:14:02.311Z"),
            tuple("4471823", "32768", "37.1", "2024-05-11T09:14:39.323Z"),
            tuple("4471823", "3", "0", "2024-05-11T09:15:16.423Z"),
            tuple("4471823", "4", "0.044", "2024-05-11T09:15:16.423Z"),
            tuple("4471823", "5", "36.89", "2024-05-11T09:15:16.467Z"),
            tuple("4471823", "5", "36.89", "2024-05-11T09:15:16.467Z"),
            tuple("4471823", "6", "n/a", "2024-05-11T09:15:53.357Z"),
            tuple("5520019", "1", "35.88", "2024-05-11T10:02:00.221Z"),
            tuple("5520019", "2", "36.95", "2024-05-11T10:02:36.101Z"));
  }

  @Test
  void aLineIsARaceWithOneResultHoldingOneLapAndNothingElse() throws IOException {
    Race first = feedFile("telemetry_junk.csv").values().get(0);

    assertThat(first)
        .isEqualTo(
            new Race(
                "trackbox-2",
                "kart-cup-r3",
                null,
                null,
                null,
                "heat-1",
                "heat-1",
                null,
                null,
                null,
                null,
                null,
                null,
                List.of(
                    new RaceResult(
                        "4471823",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(
                            new Lap(
                                "1",
                                null,
                                "36.958",
                                null,
                                null,
                                List.of(),
                                null,
                                null,
                                "2024-05-11T09:13:25.353Z",
                                null,
                                null,
                                null)))),
                false,
                null));
  }

  @Test
  void columnsAreMatchedByNameInAnyOrderAndExtraOnesIgnored() throws IOException {
    Race race = feedFile("telemetry_reordered_columns.csv").only();

    assertThat(race)
        .extracting(Race::source, Race::eventId, Race::raceId)
        .containsExactly("decoder-east", "club-night-14", "final");
    assertThat(race.results().get(0).driverId()).isEqualTo("880134");
    assertThat(lap(race))
        .extracting(Lap::lapNumber, Lap::lapTime, Lap::crossedAt)
        .containsExactly("7", "41.207", "2024-05-18T19:41:10.044Z");
  }

  @Test
  void withoutARequiredColumnEveryRowIsRejected() throws IOException {
    CodecFeed<Race> out = feedFile("telemetry_missing_column.csv");

    assertThat(out.records).isEmpty();
    assertThat(out.rejects)
        .extracting(Rejected::line, Rejected::reason)
        .containsExactly(
            tuple(2L, "the header row is unusable: no lap_time_ms column"),
            tuple(3L, "the header row is unusable: no lap_time_ms column"));
    assertThat(out.rejects.get(0).raw())
        .isEqualTo(
            "\"decoder-east\",\"2024-05-18T19:41:51.300Z\",\"2024-05-18T19:41:10.044Z\","
                + "\"club-night-14\",\"final\",\"880134\",\"7\"");
  }

  @Test
  void aRowTheCsvParserRejectsIsRejectedAtItsLineAndTheRestLoads() {
    CodecFeed<Race> out =
        CodecFeed.text(
            new TelemetryCodec(),
            "\"source\",\"lap_started_at\",\"event\",\"session\",\"vehicle_id\",\"lap\",\"lap_time_ms\"\n"
                + "\"s\",\"t0\",\"e\",\"q\",\"v\",\"1\"\n"
                + "\"s\",\"t1\",\"e\",\"q\",\"v\",\"2\",\"\"\n");

    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                2, "has 6 fields, the header names 7", "\"s\",\"t0\",\"e\",\"q\",\"v\",\"1\""));
    assertThat(out.records).extracting(Decoded::line).containsExactly(3L);
    assertThat(lap(out.values().get(0)).lapTime()).isNull();
  }

  @Test
  void aRejectedRowSpanningLinesKeepsAllItsLinesAndAByteOrderMarkIsDropped() {
    CodecFeed<Race> out =
        CodecFeed.lines(
            new TelemetryCodec(),
            "\uFEFF\"source\",\"lap_started_at\",\"event\",\"session\",\"vehicle_id\",\"lap\",\"lap_time_ms\"",
            "",
            "\"s\",\"t0\",\"e\",\"heat",
            "",
            "one\",\"v\",\"1\"",
            "\"s\",\"t1\",\"e\",\"q\",\"v\",\"2\",\"40000\"");

    assertThat(out.rejects)
        .containsExactly(
            new Rejected(
                3,
                "has 6 fields, the header names 7",
                "\"s\",\"t0\",\"e\",\"heat\n\none\",\"v\",\"1\""));
    assertThat(out.records).extracting(Decoded::line).containsExactly(6L);
    assertThat(out.values().get(0).source()).isEqualTo("s");
  }

  @Test
  void millisecondsBecomeExactDecimalSeconds() {
    assertThat(TelemetryCodec.millisToSeconds("36958")).isEqualTo("36.958");
    assertThat(TelemetryCodec.millisToSeconds("44")).isEqualTo("0.044");
    assertThat(TelemetryCodec.millisToSeconds("0")).isEqualTo("0");
    assertThat(TelemetryCodec.millisToSeconds("36950")).isEqualTo("36.95");
    assertThat(TelemetryCodec.millisToSeconds("1234.5")).isEqualTo("1.2345");
    assertThat(TelemetryCodec.millisToSeconds("-5")).isEqualTo("-0.005");
    assertThat(TelemetryCodec.millisToSeconds("1e3")).isEqualTo("1e3");
    assertThat(TelemetryCodec.millisToSeconds(null)).isNull();
  }

  private static Lap lap(Race race) {
    return race.results().get(0).lapList().get(0);
  }
}
