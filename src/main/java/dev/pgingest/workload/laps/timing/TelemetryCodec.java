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
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decodes a raw lap-time telemetry dump (quoted, comma-delimited CSV with a header, many events and
 * sessions in one file) into one partial {@link Race} per line: one lap of one vehicle.
 *
 * <p>Fields are split by {@link CsvCodec} (Jackson's CSV parser); this class only matches columns
 * by header name and turns each row into a race holding one lap.
 *
 * <p>The rules it follows are in the package documentation.
 */
public final class TelemetryCodec implements LineCodec<Race> {

  /** The columns read, each of which the header must name. */
  static final List<String> REQUIRED =
      List.of("source", "event", "session", "vehicle_id", "lap", "lap_started_at", "lap_time_ms");

  private static final Pattern DECIMAL = Pattern.compile("-?\\d+(?:\\.\\d+)?");

  private final CsvRows csv = new CsvRows(',');

  private final RowHandler rows = new RowHandler();

  /** Where the columns sit; null until the header row has been read. */
  private Header header;

  /** Why every row is rejected (the header is unusable), or null. */
  private String headerProblem;

  @Override
  public void line(String text, long lineNumber, DecodeSink<Race> out) {
    rows.out = out;
    csv.line(text, lineNumber, rows);
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<Race> out) {
    rows.out = out;
    csv.end(lastLineNumber, rows);
  }

  /** {@code ms} milliseconds as exact decimal seconds; null for null; other text as given. */
  static String millisToSeconds(String ms) {
    if (ms == null || !DECIMAL.matcher(ms).matches()) {
      return ms;
    }
    return new BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  /** Turns each CSV row into a one-lap race for the sink of the current call. */
  private final class RowHandler implements CsvRows.Rows {

    private DecodeSink<Race> out;

    @Override
    public void row(List<String> fields, long lineNumber, String raw) {
      if (header == null && headerProblem == null) {
        try {
          header = Header.read(fields, REQUIRED, REQUIRED);
        } catch (IllegalArgumentException e) {
          headerProblem = "the header row is unusable: " + e.getMessage();
        }
        return;
      }
      if (headerProblem != null) {
        out.reject(lineNumber, headerProblem, raw);
        return;
      }
      String misfit = header.misfit(fields);
      if (misfit != null) {
        out.reject(lineNumber, misfit, raw);
        return;
      }
      Lap lap =
          new Lap(
              header.value(fields, "lap"),
              null,
              millisToSeconds(header.value(fields, "lap_time_ms")),
              null,
              null,
              List.of(),
              null,
              null,
              header.value(fields, "lap_started_at"),
              null,
              null,
              null);
      RaceResult result =
          new RaceResult(
              header.value(fields, "vehicle_id"),
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
              List.of(lap));
      String session = header.value(fields, "session");
      out.record(
          new Race(
              header.value(fields, "source"),
              header.value(fields, "event"),
              null,
              null,
              null,
              session,
              session,
              null,
              null,
              null,
              null,
              null,
              null,
              List.of(result),
              false,
              null),
          lineNumber);
    }

    @Override
    public void reject(long lineNumber, String reason, String raw) {
      if (header == null && headerProblem == null) {
        // The header row itself could not be split: no row can be matched to names.
        headerProblem = "the header row is unusable: " + reason;
        return;
      }
      out.reject(lineNumber, reason, raw);
    }
  }

  /**
   * Whether a file's first bytes are a telemetry dump: a comma-delimited header row naming every
   * column the codec reads.
   */
  public static boolean recognizes(byte[] head) {
    return Sniff.csvHeader(head, ',', '"').containsAll(REQUIRED);
  }
}
