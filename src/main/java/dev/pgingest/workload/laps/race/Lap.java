package dev.pgingest.workload.laps.race;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One lap of one driver: numbers as given (text), so that a lap that is not a number reaches the
 * declared column's type check and fails its race with the value in the reason.
 *
 * @param lapNumber the lap number as given, from 1
 * @param position the driver's position at the end of the lap, or null
 * @param lapTime the lap time in seconds ({@code "36.958"}), or null
 * @param paceLaps laps projected over the race length (LiveRC's pace {@code 17/10:28.285} → 17)
 * @param paceTime the projected time in seconds (→ {@code "628.285"}), or null
 * @param segments sector or segment times in seconds, in order, null where the source gives a
 *     sector no time (so each keeps its position); empty when none
 * @param elapsed time since the start at the end of the lap, in seconds, or null
 * @param kph average speed over the lap in km/h, or null
 * @param crossedAt wall-clock time the lap ended as given ({@code 14:03:25.123}), or null
 * @param inPit whether the lap ended in the pit lane, or null when unknown
 * @param pitTime time spent in the pits on this lap in seconds, or null
 * @param driverNumber which of the car's drivers drove the lap (endurance exports), or null
 * @param extra the source's columns the model does not name ({@code TOP_SPEED}, {@code GROUP},
 *     {@code MANUFACTURER} …), by header name, values as given, empty ones left out; empty when
 *     none or the source has no such columns
 */
public record Lap(
    String lapNumber,
    String position,
    String lapTime,
    String paceLaps,
    String paceTime,
    List<String> segments,
    String elapsed,
    String kph,
    String crossedAt,
    Boolean inPit,
    String pitTime,
    String driverNumber,
    Map<String, String> extra)
    implements Serializable {

  public Lap {
    // Not List.copyOf: a sector the source leaves empty is a null in its place.
    segments =
        segments == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(segments));
    extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /** A lap without columns outside the model. */
  public Lap(
      String lapNumber,
      String position,
      String lapTime,
      String paceLaps,
      String paceTime,
      List<String> segments,
      String elapsed,
      String kph,
      String crossedAt,
      Boolean inPit,
      String pitTime,
      String driverNumber) {
    this(
        lapNumber,
        position,
        lapTime,
        paceLaps,
        paceTime,
        segments,
        elapsed,
        kph,
        crossedAt,
        inPit,
        pitTime,
        driverNumber,
        Map.of());
  }
}
