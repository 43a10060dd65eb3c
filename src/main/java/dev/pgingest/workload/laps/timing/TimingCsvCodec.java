package dev.pgingest.workload.laps.timing;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import dev.pgingest.format.csv.CsvCodec;
import dev.pgingest.format.csv.CsvRows;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes one timing-system lap export (Al Kamel style: {@code ;}-delimited, one row per lap, one
 * file per session) into one whole {@link Race}.
 *
 * <p>Fields are split by {@link CsvCodec} (Jackson's CSV parser); this class only matches columns
 * by header name and assembles the session's laps into cars, results and positions, which no CSV
 * library does.
 *
 * <p>The rules it follows are in the package documentation.
 */
public final class TimingCsvCodec implements LineCodec<Race> {

  /** The {@link Race#source()} of every race this codec reads. */
  public static final String SOURCE = "timing";

  /** Most laps one session may hold: some 20 times a 24-hour race with 60 cars. */
  static final int MAX_LAPS = 500_000;

  /** Joins a car's driver names, in order of first appearance. */
  static final String NAME_SEPARATOR = " / ";

  /** The columns read; each constant's name is the header name. */
  private enum Column {
    NUMBER,
    DRIVER_NUMBER,
    LAP_NUMBER,
    LAP_TIME,
    CROSSING_FINISH_LINE_IN_PIT,
    S1,
    S2,
    S3,
    KPH,
    ELAPSED,
    HOUR,
    DRIVER_NAME,
    PIT_TIME,
    CLASS,
    TEAM
  }

  private static final List<String> COLUMNS =
      Arrays.stream(Column.values()).map(Column::name).toList();

  private static final List<String> REQUIRED =
      List.of(Column.NUMBER.name(), Column.LAP_NUMBER.name());

  private static final Column[] SECTORS = {Column.S1, Column.S2, Column.S3};

  /** {@code [[h:]m:]s[.fff]}: hours and minutes are whole numbers, seconds may have decimals. */
  private static final Pattern TIME = Pattern.compile("(?:(?:(\\d+):)?(\\d+):)?(\\d+(?:\\.\\d+)?)");

  private static final Pattern LAP_ONE = Pattern.compile("0*1");

  private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

  private static final BigDecimal HOUR_SECONDS = BigDecimal.valueOf(3600);

  private final String eventId;
  private final String raceId;
  private final int maxLaps;

  private final CsvRows csv = new CsvRows(';');

  /** Turns the CSV codec's output into laps and rejects for the sink of the current call. */
  private final RowHandler rows = new RowHandler();

  /** Where the columns sit; null until the header row has been read. */
  private Header header;

  /** Set once the file is rejected as a whole: every later row is ignored. */
  private boolean fileRejected;

  /** Line at which the session passed {@link #maxLaps}, or 0. */
  private long overflowLine;

  private String headerText = "";
  private long lapCount;

  /** Entries in order of first appearance. */
  private final List<Entry> entries = new ArrayList<>();

  /** The entry the next row of a (number, team) pair goes to, unless it is a lap 1. */
  private final Map<CarKey, Entry> current = new HashMap<>();

  /** How many entries each car number has had so far, for the {@code #2} of the next one. */
  private final Map<String, Integer> entriesPerNumber = new HashMap<>();

  /**
   * @param path the file as messages show it, a local path or a URI: its folder names the event,
   *     its name without {@code .csv} and {@code .gz} the race
   * @throws IllegalArgumentException when the path has no folder or no file name to name them
   */
  public TimingCsvCodec(String path) {
    this(path, MAX_LAPS);
  }

  /** As {@link #TimingCsvCodec(String)}, with another session limit (for tests). */
  TimingCsvCodec(String path, int maxLaps) {
    String[] folderAndName = folderAndName(path);
    this.eventId = folderAndName[0];
    this.raceId = folderAndName[1];
    this.maxLaps = maxLaps;
  }

  @Override
  public void line(String text, long lineNumber, DecodeSink<Race> out) {
    if (fileRejected || overflowLine > 0) {
      return;
    }
    rows.out = out;
    csv.line(text, lineNumber, rows);
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<Race> out) {
    if (fileRejected) {
      return;
    }
    if (overflowLine > 0) {
      out.reject(
          1,
          "the session holds more than "
              + maxLaps
              + " laps (line "
              + overflowLine
              + " is one more); the race is not loaded",
          headerText);
      return;
    }
    rows.out = out;
    csv.end(lastLineNumber, rows);
    if (fileRejected || header == null) {
      return;
    }
    out.record(
        new Race(
            SOURCE, eventId, null, null, null, raceId, raceId, null, null, null, null, null, null,
            results(), true, null),
        1);
  }

  /** The event (the parent folder) and race (the base name) a file path names. */
  static String[] folderAndName(String path) {
    String rest = path;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      // A URI's authority (an s3 bucket, a host) is not a folder.
      int pathStart = rest.indexOf('/', scheme + 3);
      rest = pathStart < 0 ? "" : rest.substring(pathStart);
    }
    rest = rest.replace('\\', '/');
    int slash = rest.lastIndexOf('/');
    String name = rest.substring(slash + 1);
    String folderPath = slash < 0 ? "" : rest.substring(0, slash);
    String folder = folderPath.substring(folderPath.lastIndexOf('/') + 1);
    String base = stripSuffix(stripSuffix(name, ".gz"), ".csv");
    if (folder.isEmpty() || base.isEmpty()) {
      throw new IllegalArgumentException(
          "a timing export is read as <event folder>/<session>.csv; "
              + path
              + " has no "
              + (folder.isEmpty() ? "folder to name the event" : "file name to name the session"));
    }
    return new String[] {folder, base};
  }

  private static String stripSuffix(String name, String suffix) {
    return name.toLowerCase(Locale.ROOT).endsWith(suffix)
        ? name.substring(0, name.length() - suffix.length())
        : name;
  }

  /**
   * A time ({@code 58.9}, {@code 1:45.123}, {@code 1:02:03.456}) in decimal seconds with the given
   * precision; null for null; any other text as given. Minutes and seconds after a colon must be
   * below 60; the leading part may be any size ({@code 75:12.3} is an elapsed time).
   */
  static String seconds(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = TIME.matcher(text);
    if (!m.matches()) {
      return text;
    }
    BigDecimal seconds = new BigDecimal(m.group(3));
    if (m.group(2) == null) {
      return seconds.toPlainString();
    }
    BigDecimal minutes = new BigDecimal(m.group(2));
    if (seconds.compareTo(SIXTY) >= 0 || (m.group(1) != null && minutes.compareTo(SIXTY) >= 0)) {
      return text;
    }
    BigDecimal total = seconds.add(minutes.multiply(SIXTY));
    if (m.group(1) != null) {
      total = total.add(new BigDecimal(m.group(1)).multiply(HOUR_SECONDS));
    }
    return total.toPlainString();
  }

  /** A decimal as written by {@link #seconds}, or null when the text is not one. */
  private static BigDecimal decimal(String text) {
    if (text == null || !TIME.matcher(text).matches() || text.indexOf(':') >= 0) {
      return null;
    }
    return new BigDecimal(text);
  }

  /** Receives the CSV codec's rows: the header first, then one lap per row. */
  private final class RowHandler implements CsvRows.Rows {

    private DecodeSink<Race> out;

    @Override
    public void row(List<String> fields, long lineNumber, String raw) {
      if (header == null) {
        header(fields, lineNumber, raw);
      } else if (!fileRejected && overflowLine == 0) {
        lap(fields, lineNumber, raw);
      }
    }

    @Override
    public void reject(long lineNumber, String reason, String raw) {
      if (header == null) {
        fileRejected = true;
        out.reject(lineNumber, "unusable header row: " + reason, raw);
      } else {
        out.reject(lineNumber, reason, raw);
      }
    }

    private void header(List<String> names, long lineNumber, String raw) {
      try {
        header = Header.read(names, COLUMNS, REQUIRED);
        headerText = raw;
      } catch (IllegalArgumentException e) {
        reject(lineNumber, e.getMessage(), raw);
      }
    }

    private void lap(List<String> fields, long lineNumber, String raw) {
      String misfit = header.misfit(fields);
      if (misfit != null) {
        out.reject(lineNumber, misfit, raw);
        return;
      }
      String number = value(fields, Column.NUMBER);
      String lapNumber = value(fields, Column.LAP_NUMBER);
      if (number == null || lapNumber == null) {
        out.reject(
            lineNumber,
            "no " + (number == null ? "NUMBER" : "LAP_NUMBER") + ": no car or lap",
            raw);
        return;
      }
      if (++lapCount > maxLaps) {
        // Let go of the session at once: the memory is what the limit is for.
        overflowLine = lineNumber;
        entries.clear();
        current.clear();
        entriesPerNumber.clear();
        return;
      }
      String team = value(fields, Column.TEAM);
      CarKey key = new CarKey(number, team);
      Entry entry = current.get(key);
      if (entry == null || LAP_ONE.matcher(lapNumber).matches()) {
        int nth = entriesPerNumber.merge(number, 1, Integer::sum);
        entry = new Entry(nth == 1 ? number : number + "#" + nth, number, team);
        entries.add(entry);
        current.put(key, entry);
      }
      entry.add(
          new Lap(
              lapNumber,
              null,
              seconds(value(fields, Column.LAP_TIME)),
              null,
              null,
              segments(fields),
              seconds(value(fields, Column.ELAPSED)),
              value(fields, Column.KPH),
              value(fields, Column.HOUR),
              inPit(fields),
              seconds(value(fields, Column.PIT_TIME)),
              value(fields, Column.DRIVER_NUMBER),
              header.others(fields)),
          value(fields, Column.DRIVER_NAME),
          value(fields, Column.CLASS));
    }

    private List<String> segments(List<String> fields) {
      // One per sector the header names, null where empty, so each keeps its position; none when
      // all are empty.
      List<String> segments = new ArrayList<>(3);
      boolean any = false;
      for (Column sector : SECTORS) {
        if (header.has(sector.name())) {
          String time = value(fields, sector);
          any |= time != null;
          segments.add(seconds(time));
        }
      }
      return any ? segments : List.of();
    }

    private Boolean inPit(List<String> fields) {
      if (!header.has(Column.CROSSING_FINISH_LINE_IN_PIT.name())) {
        return null;
      }
      String flag = value(fields, Column.CROSSING_FINISH_LINE_IN_PIT);
      return flag == null ? Boolean.FALSE : flag.equals("B") ? Boolean.TRUE : null;
    }

    private String value(List<String> fields, Column column) {
      return header.value(fields, column.name());
    }
  }

  /** Every entry's result, in position order. */
  private List<RaceResult> results() {
    List<Entry> ranked = new ArrayList<>(entries);
    ranked.sort(
        Comparator.comparingInt((Entry e) -> -e.laps.size())
            .thenComparing(Entry::totalSeconds, Comparator.nullsLast(Comparator.naturalOrder())));
    List<RaceResult> results = new ArrayList<>(ranked.size());
    for (int i = 0; i < ranked.size(); i++) {
      results.add(ranked.get(i).result(i + 1));
    }
    return results;
  }

  /** A car as the session tells cars apart before lap numbers restart. */
  private record CarKey(String number, String team) {}

  /** One car entry being gathered: its laps, drivers and class. */
  private static final class Entry {
    final String driverId;
    final String number;
    final String team;
    final List<Lap> laps = new ArrayList<>();
    final Set<String> drivers = new LinkedHashSet<>();
    String className;

    Entry(String driverId, String number, String team) {
      this.driverId = driverId;
      this.number = number;
      this.team = team;
    }

    void add(Lap lap, String driverName, String carClass) {
      laps.add(lap);
      if (driverName != null) {
        drivers.add(driverName);
      }
      if (className == null) {
        className = carClass;
      }
    }

    String totalTime() {
      return laps.get(laps.size() - 1).elapsed();
    }

    BigDecimal totalSeconds() {
      return decimal(totalTime());
    }

    RaceResult result(int position) {
      BigDecimal fastest = null;
      String fastLap = null;
      BigDecimal sum = BigDecimal.ZERO;
      int timed = 0;
      for (Lap lap : laps) {
        if (lap.lapTime() == null) {
          continue;
        }
        BigDecimal time = decimal(lap.lapTime());
        if (time == null) {
          // One lap time that is not a time makes both unknowable; its column fails the race.
          fastLap = null;
          timed = 0;
          break;
        }
        if (fastest == null || time.compareTo(fastest) < 0) {
          fastest = time;
          fastLap = lap.lapTime();
        }
        sum = sum.add(time);
        timed++;
      }
      String avgLap =
          timed == 0
              ? null
              : sum.divide(BigDecimal.valueOf(timed), 3, RoundingMode.HALF_UP).toPlainString();
      return new RaceResult(
          driverId,
          drivers.isEmpty() ? null : String.join(NAME_SEPARATOR, drivers),
          number,
          team,
          className,
          Integer.toString(position),
          Integer.toString(laps.size()),
          totalTime(),
          fastLap,
          avgLap,
          null,
          laps);
    }
  }

  /**
   * Whether a file's first bytes are a timing export: a {@code ;}-delimited header row naming the
   * columns every export has ({@code NUMBER}, {@code LAP_NUMBER}), padded names trimmed.
   */
  public static boolean recognizes(byte[] head) {
    List<String> names = Sniff.csvHeader(head, ';', '"');
    return names.containsAll(REQUIRED);
  }
}
