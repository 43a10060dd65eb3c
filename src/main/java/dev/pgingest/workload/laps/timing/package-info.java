/**
 * The laps workload's CSV codecs: timing-system lap exports ({@link TimingCsvCodec}) and raw lap
 * telemetry dumps ({@link TelemetryCodec}).
 *
 * <h2>Timing exports ({@link TimingCsvCodec})</h2>
 *
 * <p>Choices, each made so that a bad value reaches a typed column and fails the race with the
 * value in the reason rather than being loaded with another meaning:
 *
 * <ul>
 *   <li>Columns are matched by header name, trimmed (exports pad some names with spaces). {@code
 *       NUMBER} and {@code LAP_NUMBER} are required, else the file is rejected once, at its header.
 *       Other columns are optional. Named columns the codec does not read ({@code TOP_SPEED},
 *       {@code GROUP}, {@code MANUFACTURER}, {@code S1_LARGE} …) go into the lap's {@code extra}
 *       map under their header name (trimmed; the first of two same names), with the value trimmed
 *       and nothing else done to it, empty values left out, as the shop codec does. Unnamed columns
 *       are allowed: real exports end every line with a {@code ;}, which adds an empty last column;
 *       a row must still have as many fields as the header, else it alone is rejected.
 *   <li>Values are trimmed; an empty value is absent (null). A row with no {@code NUMBER} or no
 *       {@code LAP_NUMBER} is rejected, as it cannot belong to a car or a lap.
 *   <li>Times ({@code ss.fff}, {@code m:ss.fff}, {@code h:mm:ss.fff}) become decimal seconds with
 *       the given precision, exactly ({@code 1:45.123} → {@code 105.123}); a value that is not such
 *       a time stays as given.
 *   <li>Car identity: a car entry is ({@code NUMBER}, {@code TEAM}), since two groups sharing a
 *       session may use the same number; within one such pair, a row with {@code LAP_NUMBER} 1
 *       starts a new entry (a second group's laps restart at 1). The first entry of number 7 has
 *       driver id {@code 7}, later ones {@code 7#2}, {@code 7#3}, in order of first appearance,
 *       whatever their team.
 *   <li>Sectors: one segment per {@code S1}, {@code S2}, {@code S3} column the header names, in
 *       that order, null where the value is empty, so each keeps its position: an empty {@code S2}
 *       gives {@code [s1, null, s3]} (a JSON {@code null} in the {@code segments} array). A lap
 *       whose sectors are all empty has no segments.
 *   <li>{@code CROSSING_FINISH_LINE_IN_PIT}: {@code B} is in the pit lane, empty is not, anything
 *       else (or no such column) is unknown.
 *   <li>Results: laps counted, total time is the last lap's {@code ELAPSED}, fastest and mean lap
 *       (rounded to 3 decimals) over the laps with a time; both are null when a lap time is not a
 *       time. Positions go by laps, then total time; an entry whose total time is missing or not a
 *       time ranks after those with as many laps and a time. Ties keep the order of appearance.
 *   <li>A session of more than {@value TimingCsvCodec#MAX_LAPS} laps is rejected whole, at line 1,
 *       rather than held in memory. A file without a header row (an empty file) yields nothing.
 * </ul>
 *
 * <p>The race is put out by {@link TimingCsvCodec#end}, at line 1, after the rejects of its bad
 * rows.
 *
 * <h2>Telemetry dumps ({@link TelemetryCodec})</h2>
 *
 * <p>Choices:
 *
 * <ul>
 *   <li>Columns are matched by trimmed header name in any order; extra ones ({@code received_at},
 *       which no race field holds) are ignored. Without one of {@code source, event, session,
 *       vehicle_id, lap, lap_started_at, lap_time_ms} every row is rejected, naming the missing
 *       columns. A row with another field count than the header is rejected alone.
 *   <li>Values are trimmed; an empty value is absent (null).
 *   <li>{@code lap_time_ms} becomes exact decimal seconds ({@code 36958} → {@code 36.958}, {@code
 *       0} → {@code 0}); a value that is not a decimal number stays as given, for the typed column
 *       to reject.
 *   <li>Junk (lap 32768, a 0 ms lap, a lap sent twice) passes through unchanged: the job's range
 *       rules reject it, and repeats merge by key downstream.
 * </ul>
 */
package dev.pgingest.workload.laps.timing;
