package dev.pgingest.workload.laps.race;

import java.io.Serializable;
import java.util.List;

/**
 * One race as a timing source gives it: its event, the race itself and each driver's result with
 * laps; or, for sources read line by line (telemetry dumps), one lap of one race.
 *
 * <p>Times are decimal seconds as text ({@code "36.958"}), never display text, so the mapping
 * stores them exactly as {@code numeric}. A value the source gives but that does not parse stays as
 * given, so the declared column's type check rejects the race with the value in the reason.
 *
 * @param source the timing source, e.g. {@code liverc:myclub.liverc.com}, {@code timing}, or a
 *     telemetry dump's source column; first part of every key
 * @param eventId the event's id within the source
 * @param eventName the event's name, or null
 * @param club the club or organiser, or null
 * @param eventDate the event's date as ISO {@code yyyy-mm-dd}, or null
 * @param raceId the race's id within the event's source
 * @param raceName the race's name as shown (e.g. {@code 1/8 Nitro Buggy A-Main}), or null
 * @param className the class (e.g. {@code 1/8 Nitro Buggy}), or null
 * @param round the round (e.g. {@code A-Main}, {@code Qualifier 2}), or null
 * @param lengthKind {@code timed} or {@code laps}, or null when not given
 * @param lengthSeconds a timed race's length in seconds, or null
 * @param lengthLaps a race over a number of laps, or null
 * @param startedAt when the race started, ISO-8601 with offset, or null
 * @param results each driver's result, in finishing order as given
 * @param whole whether this record is the whole race (a page, a session file) rather than a part of
 *     it (one telemetry line); a whole race that fails is marked failed
 * @param error why the race could not be read (truncated JavaScript, …), null when it was read; a
 *     race with an error still carries the identity fields the source gave
 */
public record Race(
    String source,
    String eventId,
    String eventName,
    String club,
    String eventDate,
    String raceId,
    String raceName,
    String className,
    String round,
    String lengthKind,
    String lengthSeconds,
    String lengthLaps,
    String startedAt,
    List<RaceResult> results,
    boolean whole,
    String error)
    implements Serializable {

  public Race {
    results = results == null ? List.of() : List.copyOf(results);
  }

  /** A whole race that could not be read, with as much identity as the source gave. */
  public static Race failed(
      String source, String eventId, String raceId, String raceName, String error) {
    return new Race(
        source, eventId, null, null, null, raceId, raceName, null, null, null, null, null, null,
        List.of(), true, error);
  }
}
