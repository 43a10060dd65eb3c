package dev.pgingest.format.csv;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds lines to a {@link CsvCodec} reading without header names and hands each row on as its
 * fields and its text, so that a codec of a CSV dialect with header rules of its own can match
 * columns by them and reject a row with the row as the file had it.
 *
 * <p>Fields are split by the CSV codec (Jackson's parser), not here. This class only keeps the
 * lines of the row being read, as the CSV codec gives a row's fields but not its text, and drops a
 * byte order mark and a stray carriage return at line ends, which arrive when lines are split by
 * something other than {@link dev.pgingest.format.LineReader}.
 */
public final class CsvRows {

  /** What the CSV codec made of the lines: rows with their text, and the rejects it wrote. */
  public interface Rows {

    /** A row, the header included, that started on {@code lineNumber}; {@code raw} is its text. */
    void row(List<String> fields, long lineNumber, String raw);

    /** A row the CSV parser could not split, with its reason. */
    void reject(long lineNumber, String reason, String raw);
  }

  private final CsvCodec csv;

  /**
   * The lines of the row being read. Without header names the CSV codec puts out a row or a reject
   * for every row it completes and skips blank lines between rows, so this holds exactly the text
   * of what it puts out next, and is empty between rows.
   */
  private final StringBuilder rowText = new StringBuilder();

  private boolean started;

  /** The target while one call is under way; the CSV codec writes to {@link #sink}. */
  private Rows target;

  private boolean wrote;

  private final DecodeSink<FieldRecord> sink =
      new DecodeSink<>() {
        @Override
        public void record(FieldRecord value, long lineNumber) {
          wrote = true;
          target.row(new ArrayList<>(csv.values()), lineNumber, rowText.toString());
        }

        @Override
        public void reject(long lineNumber, String reason, String raw) {
          wrote = true;
          target.reject(lineNumber, reason, raw);
        }
      };

  /**
   * @param delimiter separates fields; {@code "} quotes them
   */
  public CsvRows(char delimiter) {
    this.csv = CsvCodec.positional(delimiter);
  }

  public void line(String text, long lineNumber, Rows to) {
    String line = text;
    if (!started) {
      started = true;
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (rowText.length() > 0) {
      rowText.append('\n').append(line);
    } else if (!line.isBlank()) {
      rowText.append(line);
    }
    call(to);
    csv.line(line, lineNumber, sink);
    done();
  }

  public void end(long lastLineNumber, Rows to) {
    call(to);
    csv.end(lastLineNumber, sink);
    done();
  }

  private void call(Rows to) {
    target = to;
    wrote = false;
  }

  private void done() {
    // The CSV codec puts out at most one row or reject per line: the row that line completed.
    if (wrote) {
      rowText.setLength(0);
    }
    target = null;
  }
}
