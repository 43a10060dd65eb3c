/**
 * The laps workload's LiveRC codec ({@link LiveRcCodec}): results pages saved from a browser.
 *
 * <p>What the pages hold:
 *
 * <ul>
 *   <li>The page's address, {@code https://CLUB.liverc.com/results/?p=view_race_result&id=N} for a
 *       race and {@code …?p=view_event&id=N} for an event, is in the browser's {@code <!-- saved
 *       from url=(0071)… -->} comment, {@code <link rel="canonical">} or {@code <meta
 *       property="og:url">}. The source is {@code liverc:} and its host.
 *   <li>{@code <title>} is {@code Club :: Event :: Race name :: LiveRC} ({@code Club :: Event ::
 *       LiveRC} for an event); the race name splits into class and round (see {@link
 *       LiveRcCodec#ROUND}).
 *   <li>Page text says {@code Length: 30:00 Timed} or {@code Length: 25 Laps}, and may say {@code
 *       Date: 2024-05-18} or {@code Date: May 18, 2024}.
 *   <li>A results table, its columns known by header text ({@code Pos}, {@code Driver}, {@code
 *       Laps}, {@code Race Time}, {@code Fast Lap}, {@code Avg Lap}, {@code Consistency}, …; others
 *       ignored), lists the drivers; a race page links to its event ({@code ?p=view_event&id=N}).
 *   <li>An inline script holds {@code racerLaps[ID] = {'driverName' : …, 'fastLap' : …, 'avgLap' :
 *       …, 'consistency' : …, 'laps' : [{'lapNum', 'pos', 'time', 'pace' : '17/10:28.285',
 *       'segments' : […]}, …]};} per driver, every value a string. Lap 0 is the start line, not a
 *       lap; a driver who did not start has no laps at all.
 * </ul>
 *
 * <p>Table rows and racerLaps blocks are joined by driver name (case and spacing aside); the driver
 * id is the racerLaps id, or the name when the table has no block for the driver. Stats come from
 * the table, else the block. Times become decimal seconds ({@code 10:28.285} → {@code 628.285}); a
 * value that is no time stays as given for the typed columns to reject.
 *
 * <p>A race page gives one whole {@link Race}; one whose laps cannot be read (a cut-short or
 * malformed literal) or that has neither table nor laps gives {@link Race#failed}, so the race is
 * marked failed rather than the file rejected. An event page gives one partial {@link Race} per
 * race it links to, with no results. Anything else is rejected at line 1. Every record is at line
 * 1: the page is read as one.
 */
package dev.pgingest.workload.laps.liverc;
