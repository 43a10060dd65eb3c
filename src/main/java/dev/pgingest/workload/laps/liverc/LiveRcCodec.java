package dev.pgingest.workload.laps.liverc;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Comment;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Decodes a LiveRC results page saved from a browser (a race's result or an event's race list) into
 * {@link Race}s.
 *
 * <p>Our own because no library reads LiveRC pages: jsoup parses the HTML, Jackson the JavaScript
 * object literals that hold the laps (see {@link JsLiteral}). The page's lines are gathered (at
 * most {@value #MAX_PAGE_MIB} MiB) and parsed whole at the end.
 *
 * <p>What the pages hold, and how they become races, is in the package documentation.
 */
public final class LiveRcCodec implements LineCodec<Race> {

  static final int MAX_PAGE_MIB = 16;

  private static final int MAX_PAGE_CHARS = MAX_PAGE_MIB << 20;

  /** A reject keeps at most this much of the page's first line. */
  private static final int MAX_RAW = 200;

  private static final String RACE_PAGE = "view_race_result";
  private static final String EVENT_PAGE = "view_event";
  private static final String LAPS_VARIABLE = "racerLaps";

  /**
   * A race name's round: its last words when they are a main or final ({@code A-Main}, {@code
   * A1-Main}, {@code Main}, {@code Final}, {@code B-Final}), a qualifier ({@code Qualifier 2},
   * {@code Qualifier Round 3}, {@code Qualifying Round 3}, {@code Qual 2}), a heat ({@code Heat
   * 1}), a practice ({@code Practice}, {@code Practice 2}) or a round ({@code Round 4}), matched
   * without case and starting a word. The earliest such start wins, so {@code Qualifier Round 3} is
   * one round, not {@code Round 3}. The class is what comes before, less separating dashes or
   * colons; a name that is only a round has no class.
   */
  private static final Pattern ROUND =
      Pattern.compile(
          "(?i)^(.*?)[\\s\\-–:]*(?<![\\w/])((?:[a-z]\\d*-)?(?:main|final)"
              + "|(?:qualifier|qualifying|qual)(?: round)? \\d+|heat \\d+|practice(?: \\d+)?"
              + "|round \\d+)$");

  private static final Pattern LENGTH =
      Pattern.compile("(?i)\\bLength:\\s*(\\d+(?::\\d+){0,2}(?:\\.\\d+)?)\\s*(timed|laps?)\\b");
  private static final Pattern DATE =
      Pattern.compile(
          "(?i)\\bDate:\\s*(\\d{4}-\\d{2}-\\d{2}|[a-z]{3,9}\\.?\\s+\\d{1,2},?\\s+\\d{4})\\b");
  private static final DateTimeFormatter MONTH_DAY_YEAR =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("[MMMM][MMM] d[,] uuuu")
          .toFormatter(Locale.ENGLISH);
  private static final Pattern SAVED_FROM = Pattern.compile("saved from url=\\(\\d+\\)(\\S+)");
  private static final Pattern HOST = Pattern.compile("(?i)^https?://([^/?#:@]+)");
  private static final Pattern CAR_IN_TEXT = Pattern.compile("(?i)(?:#|\\bcar\\s*#?)\\s*(\\d+)");
  private static final Pattern DRIVER_NAME_NEAR =
      Pattern.compile("['\"]?driverName['\"]?\\s*:\\s*(['\"])(.*?)\\1");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Pattern ONLY_DIGITS = Pattern.compile("(\\d+)(?:\\.\\w+)*");
  private static final Pattern ZEROS = Pattern.compile("0+");
  private static final Pattern DECIMAL = Pattern.compile("\\d+(?:\\.\\d*)?");
  private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

  /** The results table's columns this codec reads, by their header texts. */
  private enum Column {
    POS("pos", "position"),
    DRIVER("driver", "name", "driver name"),
    CAR("car", "car #", "car no", "car number"),
    LAPS("laps"),
    LAPS_TIME("laps/time"),
    TIME("race time", "time", "total time"),
    FAST_LAP("fast lap", "fastest", "fastest lap", "best lap"),
    AVG_LAP("avg lap", "average lap", "avg"),
    CONSISTENCY("consistency");

    private final List<String> headers;

    Column(String... headers) {
      this.headers = List.of(headers);
    }

    /** The column of a header (lower case, single spaces, no trailing dot or colon), or null. */
    static Column of(String header) {
      for (Column column : values()) {
        if (column.headers.contains(header)) {
          return column;
        }
      }
      return null;
    }
  }

  private final String path;
  private final StringBuilder page = new StringBuilder();
  private String firstLine;
  private boolean tooLarge;

  /** A codec for the one file at {@code path} (as messages show it), which may give the race id. */
  public LiveRcCodec(String path) {
    this.path = path;
  }

  @Override
  public void line(String text, long lineNumber, DecodeSink<Race> out) {
    if (firstLine == null && !text.isBlank()) {
      firstLine = text.length() > MAX_RAW ? text.substring(0, MAX_RAW) : text;
    }
    if (tooLarge) {
      return;
    }
    if (page.length() + text.length() + 1 > MAX_PAGE_CHARS) {
      // Keep reading to the end, holding nothing, so the reject comes once at the end.
      tooLarge = true;
      page.setLength(0);
      page.trimToSize();
      return;
    }
    page.append(text).append('\n');
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<Race> out) {
    if (firstLine == null) {
      out.reject(1, "the file is empty", "");
    } else if (tooLarge) {
      out.reject(1, "the page is larger than " + MAX_PAGE_MIB + " MiB", firstLine);
    } else {
      String html = page.toString();
      page.setLength(0);
      String problem = decode(html, out);
      if (problem != null) {
        out.reject(1, problem, firstLine);
      }
    }
  }

  /** Emits the page's races, or returns why the page is rejected. */
  private String decode(String html, DecodeSink<Race> out) {
    int first = 0;
    while (first < html.length()
        && (Character.isWhitespace(html.charAt(first)) || html.charAt(first) == '\uFEFF')) {
      first++;
    }
    if (first == html.length()) {
      return "the file is empty";
    }
    if (html.charAt(first) != '<') {
      return "not an HTML page: it starts with '" + html.charAt(first) + "', not a tag";
    }
    Document doc = Jsoup.parse(html);
    Address address = address(doc);
    Title title = Title.of(doc.title());
    boolean hasLaps =
        doc.select("script").stream().anyMatch(s -> s.data().contains(LAPS_VARIABLE + "["));
    Element table = resultsTable(doc);
    Map<String, String> raceLinks = raceLinks(doc);
    boolean liveRcHost =
        address != null
            && (address.host().equals("liverc.com") || address.host().endsWith(".liverc.com"));
    if (!(liveRcHost || title.liveRc() || hasLaps)) {
      return "not a LiveRC page: no liverc.com address, no '… :: LiveRC' title and no "
          + LAPS_VARIABLE
          + " script";
    }
    String source = address == null ? "liverc" : "liverc:" + address.host();
    String pageKind = address == null ? null : address.page();
    boolean event =
        EVENT_PAGE.equals(pageKind)
            || !RACE_PAGE.equals(pageKind) && !hasLaps && table == null && !raceLinks.isEmpty();
    String text = doc.text();
    String date = date(text);
    if (event) {
      String eventId =
          EVENT_PAGE.equals(pageKind) && address.id() != null
              ? address.id()
              : either(idFromFileName("event"), title.event());
      return eventRaces(source, eventId, title, date, raceLinks, out);
    }
    String raceId =
        RACE_PAGE.equals(pageKind) && address.id() != null ? address.id() : idFromFileName("race");
    if (raceId == null) {
      return "no race id: no ?p="
          + RACE_PAGE
          + "&id=N address in the page and none in the file name (race-N.html)";
    }
    String eventId =
        doc.select("a[href*=" + EVENT_PAGE + "]").stream()
            .map(a -> query(a.attr("href")))
            .filter(q -> EVENT_PAGE.equals(q.get("p")) && !q.getOrDefault("id", "").isEmpty())
            .map(q -> q.get("id"))
            .findFirst()
            .orElse(title.event());
    String raceName = title.race();
    List<Racer> racers;
    try {
      racers = racers(doc, html);
    } catch (BadLaps e) {
      out.record(Race.failed(source, eventId, raceId, raceName, e.getMessage()), 1);
      return null;
    }
    if (racers.isEmpty() && table == null) {
      out.record(
          Race.failed(
              source,
              eventId,
              raceId,
              raceName,
              "the race page has neither a results table nor " + LAPS_VARIABLE + " laps"),
          1);
      return null;
    }
    String[] classRound = classAndRound(raceName);
    String[] length = length(text);
    out.record(
        new Race(
            source,
            eventId,
            title.event(),
            title.club(),
            date,
            raceId,
            raceName,
            classRound[0],
            classRound[1],
            length[0],
            length[1],
            length[2],
            null,
            results(table == null ? List.of() : rows(table), racers),
            true,
            null),
        1);
    return null;
  }

  /** One partial race per linked race, or why there is none. */
  private static String eventRaces(
      String source,
      String eventId,
      Title title,
      String date,
      Map<String, String> raceLinks,
      DecodeSink<Race> out) {
    if (raceLinks.isEmpty()) {
      return "the event page lists no races (no links to ?p=" + RACE_PAGE + "&id=N)";
    }
    raceLinks.forEach(
        (raceId, name) -> {
          String[] classRound = classAndRound(name);
          out.record(
              new Race(
                  source,
                  eventId,
                  title.event(),
                  title.club(),
                  date,
                  raceId,
                  name,
                  classRound[0],
                  classRound[1],
                  null,
                  null,
                  null,
                  null,
                  List.of(),
                  false,
                  null),
              1);
        });
    return null;
  }

  /** {kind, seconds, laps} of the page's {@code Length:}, all null when it gives none. */
  private static String[] length(String text) {
    Matcher m = LENGTH.matcher(text);
    if (!m.find()) {
      return new String[3];
    }
    return m.group(2).equalsIgnoreCase("timed")
        ? new String[] {"timed", seconds(m.group(1)), null}
        : new String[] {"laps", null, m.group(1)};
  }

  /**
   * A page's address.
   *
   * @param host lower case
   * @param page the {@code p} query parameter, or null
   * @param id the {@code id} query parameter, or null
   */
  private record Address(String host, String page, String id) {}

  /**
   * The page's address, from (in this order) the canonical link, {@code og:url} and the browser's
   * "saved from" comment; null when none is an http(s) address.
   */
  private static Address address(Document doc) {
    Stream<String> savedFrom =
        doc.nodeStream(Comment.class)
            .map(c -> SAVED_FROM.matcher(c.getData()))
            .filter(Matcher::find)
            .map(m -> m.group(1));
    return Stream.concat(
            Stream.of(
                doc.select("link[rel=canonical]").attr("href"),
                doc.select("meta[property=og:url]").attr("content")),
            savedFrom)
        .map(String::trim)
        .map(url -> Map.entry(url, HOST.matcher(url)))
        .filter(e -> e.getValue().find())
        .map(
            e -> {
              Map<String, String> q = query(e.getKey());
              return new Address(
                  e.getValue().group(1).toLowerCase(Locale.ROOT),
                  q.get("p"),
                  emptyToNull(q.get("id")));
            })
        .findFirst()
        .orElse(null);
  }

  /** The title's parts, less a last {@code LiveRC}; positions give club, event and race. */
  private record Title(String club, String event, String race, boolean liveRc) {
    static Title of(String title) {
      List<String> parts = new ArrayList<>();
      for (String part : title.split("::")) {
        if (!part.isBlank()) {
          parts.add(clean(part));
        }
      }
      boolean liveRc = !parts.isEmpty() && parts.get(parts.size() - 1).equalsIgnoreCase("LiveRC");
      if (liveRc) {
        parts.remove(parts.size() - 1);
      }
      return new Title(part(parts, 0), part(parts, 1), part(parts, 2), liveRc);
    }

    private static String part(List<String> parts, int i) {
      return i < parts.size() ? parts.get(i) : null;
    }
  }

  /** Race id → link text of every link to a race result, in page order, first text kept. */
  private static Map<String, String> raceLinks(Document doc) {
    Map<String, String> races = new LinkedHashMap<>();
    for (Element a : doc.select("a[href*=" + RACE_PAGE + "]")) {
      Map<String, String> q = query(a.attr("href"));
      String id = emptyToNull(q.get("id"));
      if (RACE_PAGE.equals(q.get("p")) && id != null) {
        races.putIfAbsent(id, emptyToNull(clean(a.text())));
      }
    }
    return races;
  }

  /** The query parameters of a link or address; {@code &amp;} is taken for {@code &}. */
  private static Map<String, String> query(String href) {
    Map<String, String> params = new HashMap<>();
    int q = href.indexOf('?');
    if (q < 0) {
      return params;
    }
    int hash = href.indexOf('#', q);
    String query = href.substring(q + 1, hash < 0 ? href.length() : hash).replace("&amp;", "&");
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.putIfAbsent(
          decodeUrl(eq < 0 ? pair : pair.substring(0, eq)),
          eq < 0 ? "" : decodeUrl(pair.substring(eq + 1)));
    }
    return params;
  }

  private static String decodeUrl(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /**
   * The id in this codec's file name: the digits after {@code id=} or after {@code word} and up to
   * three other characters ({@code race-123456.html}), or the name's when it is only digits; null
   * otherwise, as other digits (a date, a copy number) are no id.
   */
  private String idFromFileName(String word) {
    String name = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    Matcher m = Pattern.compile("(?i)(?:id(?:=|%3D)|" + word + "\\D{0,3})(\\d+)").matcher(name);
    if (m.find()) {
      return m.group(1);
    }
    m = ONLY_DIGITS.matcher(name);
    return m.matches() ? m.group(1) : null;
  }

  /** The event date as ISO, when the page says {@code Date:} and a date that parses. */
  private static String date(String text) {
    Matcher m = DATE.matcher(text);
    if (!m.find()) {
      return null;
    }
    String given = m.group(1).replace(".", "").replaceAll("\\s+", " ");
    try {
      return (given.contains("-") ? LocalDate.parse(given) : LocalDate.parse(given, MONTH_DAY_YEAR))
          .toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {class, round} of a race name; see {@link #ROUND}. */
  static String[] classAndRound(String name) {
    if (name == null) {
      return new String[] {null, null};
    }
    Matcher m = ROUND.matcher(name);
    return m.matches()
        ? new String[] {emptyToNull(m.group(1).trim()), m.group(2)}
        : new String[] {name, null};
  }

  /** The first table whose header row names a driver column and a position or laps column. */
  private static Element resultsTable(Document doc) {
    for (Element table : doc.select("table")) {
      Map<Column, Integer> columns = columns(table);
      if (columns != null
          && columns.containsKey(Column.DRIVER)
          && (columns.containsKey(Column.POS)
              || columns.containsKey(Column.LAPS)
              || columns.containsKey(Column.LAPS_TIME))) {
        return table;
      }
    }
    return null;
  }

  /** The table's own rows, not those of a table inside it. */
  private static List<Element> ownRows(Element table) {
    return table.select("tr").stream().filter(tr -> tr.closest("table") == table).toList();
  }

  /** Column → cell index, from the first row with header cells; null when there is none. */
  private static Map<Column, Integer> columns(Element table) {
    for (Element tr : ownRows(table)) {
      if (tr.selectFirst("> th") != null) {
        Map<Column, Integer> columns = new EnumMap<>(Column.class);
        List<Element> cells = tr.children();
        for (int i = 0; i < cells.size(); i++) {
          String h = clean(cells.get(i).text()).toLowerCase(Locale.ROOT).replaceAll("[.:]$", "");
          Column column = Column.of(h);
          if (column != null) {
            columns.putIfAbsent(column, i);
          }
        }
        return columns;
      }
    }
    return null;
  }

  /**
   * One row of the results table, values trimmed and {@code -} or empty as null; times not yet
   * converted.
   */
  private record Row(
      String name,
      String car,
      String pos,
      String laps,
      String time,
      String fast,
      String avg,
      String consistency) {}

  private static List<Row> rows(Element table) {
    Map<Column, Integer> columns = columns(table);
    List<Row> rows = new ArrayList<>();
    for (Element tr : ownRows(table)) {
      List<Element> cells = tr.select("> td");
      Element driver = cell(cells, columns, Column.DRIVER);
      if (driver == null) {
        continue;
      }
      String[] nameCar = nameAndCar(driver);
      if (nameCar[0] == null) {
        continue;
      }
      String laps = value(cell(cells, columns, Column.LAPS));
      String time = value(cell(cells, columns, Column.TIME));
      String lapsTime = value(cell(cells, columns, Column.LAPS_TIME));
      if (lapsTime != null) {
        // LiveRC's combined column: "17/10:28.285".
        int slash = lapsTime.indexOf('/');
        laps =
            laps != null
                ? laps
                : slash < 0 ? lapsTime : emptyToNull(lapsTime.substring(0, slash).trim());
        time = time != null || slash < 0 ? time : emptyToNull(lapsTime.substring(slash + 1).trim());
      }
      Element car = cell(cells, columns, Column.CAR);
      rows.add(
          new Row(
              nameCar[0],
              car != null ? value(car) : nameCar[1],
              value(cell(cells, columns, Column.POS)),
              laps,
              time,
              value(cell(cells, columns, Column.FAST_LAP)),
              value(cell(cells, columns, Column.AVG_LAP)),
              value(cell(cells, columns, Column.CONSISTENCY))));
    }
    return rows;
  }

  private static Element cell(List<Element> cells, Map<Column, Integer> columns, Column column) {
    Integer i = columns.get(column);
    return i == null || i >= cells.size() ? null : cells.get(i);
  }

  /**
   * {name, car number} of a driver cell: the name is a {@code .driver_name} (or similar) element's
   * text, else the first link's, else the cell's less a car number ({@code #7}, {@code Car 7}); the
   * car number is a {@code .car…} element's digits or that number.
   */
  private static String[] nameAndCar(Element cell) {
    String car = null;
    Element carElement = cell.selectFirst("[class*=car]");
    if (carElement != null) {
      Matcher digits = DIGITS.matcher(carElement.text());
      car = digits.find() ? digits.group() : null;
    }
    Element named = cell.selectFirst("[class*=name], a");
    String name;
    if (named != null) {
      name = clean(named.text());
    } else {
      name = clean(cell.text());
      Matcher m = CAR_IN_TEXT.matcher(name);
      if (m.find()) {
        car = car != null ? car : m.group(1);
        name = clean(name.substring(0, m.start()) + " " + name.substring(m.end()));
      }
    }
    return new String[] {emptyToNull(name), car};
  }

  /**
   * One racerLaps block.
   *
   * @param started whether its laps list has anything, lap 0 included
   * @param laps the laps after lap 0
   */
  private record Racer(
      String id,
      String name,
      String fastLap,
      String avgLap,
      String consistency,
      boolean started,
      List<Lap> laps) {}

  /** Why the lap script could not be read; the message names the block. */
  private static final class BadLaps extends Exception {
    private static final long serialVersionUID = 1L;

    BadLaps(String message) {
      super(message, null, false, false);
    }
  }

  /** Every racerLaps block of every script, in page order. */
  private static List<Racer> racers(Document doc, String html) throws BadLaps {
    List<Racer> racers = new ArrayList<>();
    for (Element script : doc.select("script")) {
      String js = script.data();
      if (!js.contains(LAPS_VARIABLE)) {
        continue;
      }
      int at = 0;
      while (true) {
        JsLiteral.Assignment assignment;
        JsLiteral.Read read;
        try {
          assignment = JsLiteral.nextAssignment(js, LAPS_VARIABLE, at);
        } catch (JsLiteral.Malformed e) {
          throw new BadLaps(malformed(e, html, js));
        }
        if (assignment == null) {
          break;
        }
        String label = LAPS_VARIABLE + "[" + assignment.key() + "]";
        try {
          read = JsLiteral.object(js, assignment.valueStart());
        } catch (JsLiteral.Malformed e) {
          int window = Math.min(js.length(), assignment.valueStart() + 2000);
          Matcher name = DRIVER_NAME_NEAR.matcher(js).region(assignment.valueStart(), window);
          throw new BadLaps(
              label
                  + (name.find() ? " (" + name.group(2) + ")" : "")
                  + ": "
                  + malformed(e, html, js));
        }
        racers.add(racer(assignment.key(), read.value(), label));
        at = read.end();
      }
      int start = html.indexOf(js);
      if (start >= 0 && !html.regionMatches(true, start + js.length(), "</script", 0, 8)) {
        throw new BadLaps(
            "the "
                + LAPS_VARIABLE
                + " script ends before its </script> tag: the page is cut short");
      }
    }
    return racers;
  }

  /** What is wrong, at which line of the page unless the script ended too soon, and the detail. */
  private static String malformed(JsLiteral.Malformed e, String html, String js) {
    int start = e.offset < js.length() ? html.indexOf(js) : -1;
    return e.getMessage()
        + (start < 0 ? "" : " at line " + lineAt(html, start + e.offset))
        + (e.detail == null ? "" : ": " + e.detail);
  }

  /** The 1-based page line of a character offset; lines were joined with {@code \n}. */
  private static int lineAt(String html, int offset) {
    int line = 1;
    for (int i = offset - 1; i >= 0; i--) {
      if (html.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static Racer racer(String id, Map<String, Object> block, String label) throws BadLaps {
    String name = text(block, "driverName", label);
    String where = label + (name == null ? "" : " (" + name + ")");
    Object lapsValue = block.get("laps");
    if (lapsValue != null && !(lapsValue instanceof List)) {
      throw new BadLaps(where + ": 'laps' is not a list");
    }
    List<?> given = lapsValue == null ? List.of() : (List<?>) lapsValue;
    List<Lap> laps = new ArrayList<>();
    for (Object item : given) {
      if (!(item instanceof Map<?, ?> lap)) {
        throw new BadLaps(where + ": a lap is not an object literal");
      }
      String number = text(lap, "lapNum", where);
      if (number != null && ZEROS.matcher(number).matches()) {
        continue;
      }
      String[] pace = pace(text(lap, "pace", where));
      List<String> segments = new ArrayList<>();
      Object segmentsValue = lap.get("segments");
      if (segmentsValue instanceof List<?> list) {
        for (Object segment : list) {
          if (segment != null && !(segment instanceof String)) {
            throw new BadLaps(where + ": lap " + number + " has a segment that is not a value");
          }
          // A segment with no time is left out: the list holds times only.
          String time = segment == null ? null : emptyToNull(clean((String) segment));
          if (time != null) {
            segments.add(seconds(time));
          }
        }
      } else if (segmentsValue != null) {
        throw new BadLaps(where + ": lap " + number + "'s 'segments' is not a list");
      }
      laps.add(
          new Lap(
              number,
              text(lap, "pos", where),
              seconds(text(lap, "time", where)),
              pace[0],
              pace[1],
              segments,
              null,
              null,
              null,
              null,
              null,
              null));
    }
    return new Racer(
        id,
        name,
        text(block, "fastLap", label),
        text(block, "avgLap", label),
        text(block, "consistency", label),
        !given.isEmpty(),
        laps);
  }

  /** A block's value as text, trimmed, {@code -} or empty as null. */
  private static String text(Map<?, ?> block, String key, String where) throws BadLaps {
    Object value = block.get(key);
    if (value != null && !(value instanceof String)) {
      throw new BadLaps(where + ": '" + key + "' is not a single value");
    }
    return value == null ? null : emptyToNull(clean((String) value));
  }

  /** {laps, seconds} of a pace {@code 17/10:28.285}; nulls for {@code 0} or none. */
  private static String[] pace(String pace) {
    if (pace == null || ZEROS.matcher(pace).matches()) {
      return new String[] {null, null};
    }
    int slash = pace.indexOf('/');
    return slash < 0
        ? new String[] {pace, null}
        : new String[] {
          emptyToNull(pace.substring(0, slash).trim()),
          seconds(emptyToNull(pace.substring(slash + 1).trim()))
        };
  }

  /** The results: table rows in order joined to their blocks, then blocks with no row. */
  private static List<RaceResult> results(List<Row> rows, List<Racer> racers) {
    Map<String, Deque<Racer>> byName = new HashMap<>();
    for (Racer racer : racers) {
      byName.computeIfAbsent(nameKey(racer.name()), k -> new ArrayDeque<>()).add(racer);
    }
    List<RaceResult> results = new ArrayList<>();
    for (Row row : rows) {
      Deque<Racer> same = byName.get(nameKey(row.name()));
      results.add(result(row, same == null ? null : same.poll()));
    }
    for (Racer racer : racers) {
      Deque<Racer> same = byName.get(nameKey(racer.name()));
      if (same.remove(racer)) {
        results.add(result(null, racer));
      }
    }
    return results;
  }

  private static RaceResult result(Row row, Racer racer) {
    String laps = row == null ? null : row.laps();
    if (laps == null && racer != null && racer.started()) {
      laps = String.valueOf(racer.laps().size());
    }
    return new RaceResult(
        racer != null ? racer.id() : row.name(),
        row != null ? row.name() : racer.name(),
        row == null ? null : row.car(),
        null,
        null,
        row == null ? null : row.pos(),
        laps,
        row == null ? null : seconds(row.time()),
        seconds(either(row == null ? null : row.fast(), racer == null ? null : racer.fastLap())),
        seconds(either(row == null ? null : row.avg(), racer == null ? null : racer.avgLap())),
        percent(
            either(
                row == null ? null : row.consistency(),
                racer == null ? null : racer.consistency())),
        racer == null ? List.of() : racer.laps());
  }

  private static String either(String first, String second) {
    return first != null ? first : second;
  }

  private static String nameKey(String name) {
    return name == null ? "" : clean(name).toLowerCase(Locale.ROOT);
  }

  /**
   * Seconds as decimal text: {@code 1:02.345} → {@code 62.345}, {@code 1:02:03.5} → {@code 3723.5};
   * text with no colon, or that is no time, stays as given.
   */
  static String seconds(String time) {
    if (time == null || time.indexOf(':') < 0) {
      return time;
    }
    String[] parts = time.split(":", -1);
    if (parts.length > 3) {
      return time;
    }
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < parts.length; i++) {
      Pattern form = i == parts.length - 1 ? DECIMAL : DIGITS;
      if (!form.matcher(parts[i]).matches()) {
        return time;
      }
      total = total.multiply(SIXTY).add(new BigDecimal(parts[i]));
    }
    return total.toPlainString();
  }

  private static String percent(String value) {
    return value != null && value.endsWith("%")
        ? emptyToNull(value.substring(0, value.length() - 1).trim())
        : value;
  }

  /** A cell's text, trimmed, {@code -} or empty as null. */
  private static String value(Element cell) {
    return cell == null ? null : emptyToNull(clean(cell.text()));
  }

  /** Single spaces, no-break spaces as spaces, trimmed. */
  private static String clean(String s) {
    // By hand: this runs for every value of every lap, and a regex here was a tenth of the codec.
    int n = s.length();
    boolean plain = n == 0 || (!white(s.charAt(0)) && !white(s.charAt(n - 1)));
    for (int k = 1; plain && k < n; k++) {
      char c = s.charAt(k);
      plain = !white(c) || (c == ' ' && s.charAt(k - 1) != ' ');
    }
    if (plain) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    boolean gap = false;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (white(c)) {
        gap = sb.length() > 0;
      } else {
        if (gap) {
          sb.append(' ');
          gap = false;
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** What trim() and a regex's \s take for white space, and the no-break space. */
  private static boolean white(char c) {
    return c <= ' ' || c == '\u00a0';
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() || s.equals("-") ? null : s;
  }

  /**
   * Whether a file's first bytes are a LiveRC page: HTML (a doctype or an {@code <html>} tag) that
   * names LiveRC (its address or its {@code … :: LiveRC} title) before the bytes end.
   */
  public static boolean recognizes(byte[] head) {
    String text = Sniff.text(head).toLowerCase(java.util.Locale.ROOT);
    return (text.contains("<!doctype html") || text.contains("<html")) && text.contains("liverc");
  }
}
