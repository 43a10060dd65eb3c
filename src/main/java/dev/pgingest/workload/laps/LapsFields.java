package dev.pgingest.workload.laps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A race, a driver's result and a lap as the named fields that a job spec's columns take ({@code
 * field: lap_time}); every result and lap carries its race's key fields, so child tables can write
 * their parents' keys.
 */
public final class LapsFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Field names of a race (its event's fields included), one row per race. */
  static final List<String> RACE =
      List.of(
          "source",
          "event_id",
          "event_name",
          "club",
          "event_date",
          "race_id",
          "race_name",
          "class_name",
          "round",
          "length_kind",
          "length_seconds",
          "length_laps",
          "started_at",
          "result_count");

  /** Field names of a driver's result ({@code each: result}). */
  static final List<String> RESULT =
      List.of(
          "source",
          "event_id",
          "race_id",
          "driver_id",
          "driver_name",
          "car_number",
          "team",
          "class_name",
          "position",
          "laps",
          "total_time",
          "fast_lap",
          "avg_lap",
          "consistency",
          "lap_count");

  /** Field names of a lap ({@code each: lap}). */
  static final List<String> LAP =
      List.of(
          "source",
          "event_id",
          "race_id",
          "driver_id",
          "lap_number",
          "position",
          "lap_time",
          "pace_laps",
          "pace_time",
          "segments",
          "elapsed",
          "kph",
          "crossed_at",
          "in_pit",
          "pit_time",
          "driver_number",
          "extra");

  private LapsFields() {}

  public static FieldRecord race(Race r, boolean withJson) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("source", r.source());
    f.put("event_id", r.eventId());
    f.put("event_name", r.eventName());
    f.put("club", r.club());
    f.put("event_date", r.eventDate());
    f.put("race_id", r.raceId());
    f.put("race_name", r.raceName());
    f.put("class_name", r.className());
    f.put("round", r.round());
    f.put("length_kind", r.lengthKind());
    f.put("length_seconds", r.lengthSeconds());
    f.put("length_laps", r.lengthLaps());
    f.put("started_at", r.startedAt());
    // A page that lists a race (an event page) says nothing about its results: no count then.
    f.put("result_count", r.whole() ? Integer.toString(r.results().size()) : null);
    return new FieldRecord(f, withJson ? json(f) : null);
  }

  public static FieldRecord result(Race r, RaceResult x, boolean withJson) {
    Map<String, String> f = new LinkedHashMap<>();
    raceKey(r, f);
    f.put("driver_id", x.driverId());
    f.put("driver_name", x.driverName());
    f.put("car_number", x.carNumber());
    f.put("team", x.team());
    f.put("class_name", x.className());
    f.put("position", x.position());
    f.put("laps", x.laps());
    f.put("total_time", x.totalTime());
    f.put("fast_lap", x.fastLap());
    f.put("avg_lap", x.avgLap());
    f.put("consistency", x.consistency());
    f.put("lap_count", r.whole() ? Integer.toString(x.lapList().size()) : null);
    return new FieldRecord(f, withJson ? json(f) : null);
  }

  public static FieldRecord lap(Race r, RaceResult x, Lap l, boolean withJson) {
    Map<String, String> f = new LinkedHashMap<>();
    raceKey(r, f);
    f.put("driver_id", x.driverId());
    f.put("lap_number", l.lapNumber());
    f.put("position", l.position());
    f.put("lap_time", l.lapTime());
    f.put("pace_laps", l.paceLaps());
    f.put("pace_time", l.paceTime());
    f.put("segments", l.segments().isEmpty() ? null : json(l.segments()));
    f.put("elapsed", l.elapsed());
    f.put("kph", l.kph());
    f.put("crossed_at", l.crossedAt());
    f.put("in_pit", l.inPit() == null ? null : l.inPit().toString());
    f.put("pit_time", l.pitTime());
    f.put("driver_number", l.driverNumber());
    // Sorted by name, as the shop workload's extra; null when the source has none.
    f.put("extra", l.extra().isEmpty() ? null : json(new TreeMap<>(l.extra())));
    return new FieldRecord(f, withJson ? json(f) : null);
  }

  private static void raceKey(Race r, Map<String, String> f) {
    f.put("source", r.source());
    f.put("event_id", r.eventId());
    f.put("race_id", r.raceId());
  }

  private static String json(Object v) {
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
