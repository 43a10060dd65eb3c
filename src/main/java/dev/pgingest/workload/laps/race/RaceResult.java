package dev.pgingest.workload.laps.race;

import java.io.Serializable;
import java.util.List;

/**
 * One driver's (or car's) result in a race, with its laps; every stat is null when the source gives
 * none (a driver who did not start).
 *
 * @param driverId the driver's or car's id within the race: LiveRC's racer id, a timing export's
 *     car number ({@code 7}, and {@code 7#2} for a second car using number 7 in the same session),
 *     a telemetry vehicle id
 * @param driverName the driver's name, or null
 * @param carNumber the car (or transponder) number as shown, or null
 * @param team the team, or null
 * @param className the car's class when the race mixes classes, or null
 * @param position finishing position as given, or null
 * @param laps laps completed as given, or null
 * @param totalTime total race time in seconds, or null
 * @param fastLap fastest lap in seconds, or null
 * @param avgLap average lap in seconds, or null
 * @param consistency consistency in percent, or null
 * @param lapList the laps in order; lap 0 (the start line) is never one of them
 */
public record RaceResult(
    String driverId,
    String driverName,
    String carNumber,
    String team,
    String className,
    String position,
    String laps,
    String totalTime,
    String fastLap,
    String avgLap,
    String consistency,
    List<Lap> lapList)
    implements Serializable {

  public RaceResult {
    lapList = lapList == null ? List.of() : List.copyOf(lapList);
  }
}
