package dev.pgingest.workload.shop.export;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import dev.pgingest.format.csv.CsvRows;
import java.util.List;

/**
 * Decodes one shop export file into {@link ShopRow}s, choosing the export's reader by the file's
 * first line (see the package's documentation for the rules).
 *
 * <p>Fields are split by the CSV codec (Jackson's CSV parser, which takes quoted HTML bodies
 * spanning many lines) and bundle lines parsed by the JSONL codec; what is left is Shopify's, not
 * CSV's: telling the exports apart by their header, and forward-filling a product's (an order's)
 * fields, which Shopify writes on its first row only, onto the rows that follow it. An instance
 * reads one file and is not thread-safe, as {@link LineCodec} asks.
 */
public final class ShopExportCodec implements LineCodec<ShopRow> {

  /** Where reading the file is. */
  private enum Mode {
    /** Before the first non-blank line. */
    START,
    CSV,
    BUNDLES,
    /** The file was rejected as a whole: every later line is ignored. */
    REJECTED
  }

  private Mode mode = Mode.START;

  private boolean firstLine = true;

  private final CsvRows csv = new CsvRows(',');

  private final BundleLines bundles = new BundleLines();

  /** The sink of the call under way; the readers' output writes to it. */
  private DecodeSink<ShopRow> out;

  /** The text of the CSV record being decoded, for its rejects. */
  private String rowText;

  /** Null until the header row has been read. */
  private ShopHeader header;

  /** The reader of the export the header named. */
  private ExportRows rows;

  private final ExportRows.Out rowsOut =
      new ExportRows.Out() {
        @Override
        public void record(ShopRow row, long lineNumber) {
          out.record(row, lineNumber);
        }

        @Override
        public void reject(long lineNumber, String reason) {
          out.reject(lineNumber, reason, rowText);
        }
      };

  private final CsvRows.Rows csvRows =
      new CsvRows.Rows() {
        @Override
        public void row(List<String> fields, long lineNumber, String raw) {
          rowText = raw;
          ShopExportCodec.this.row(fields, lineNumber);
        }

        @Override
        public void reject(long lineNumber, String reason, String raw) {
          if (header == null) {
            mode = Mode.REJECTED;
            out.reject(lineNumber, "unusable header row: " + reason, raw);
          } else {
            out.reject(lineNumber, reason, raw);
          }
        }
      };

  @Override
  public void line(String text, long lineNumber, DecodeSink<ShopRow> out) {
    String line = text;
    if (firstLine) {
      firstLine = false;
      // LineReader drops a byte order mark and CRs; lines split elsewhere may still have them.
      if (line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (mode == Mode.REJECTED) {
      return;
    }
    if (mode == Mode.START) {
      if (line.isBlank()) {
        return;
      }
      mode = line.stripLeading().startsWith("{") ? Mode.BUNDLES : Mode.CSV;
    }
    if (mode == Mode.BUNDLES) {
      bundles.line(line, lineNumber, out);
      return;
    }
    this.out = out;
    try {
      csv.line(line, lineNumber, csvRows);
    } finally {
      this.out = null;
    }
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<ShopRow> out) {
    if (mode != Mode.CSV) {
      return;
    }
    this.out = out;
    try {
      csv.end(lastLineNumber, csvRows);
    } finally {
      this.out = null;
    }
  }

  /** A CSV record: the header row first, then one export row each. */
  private void row(List<String> fields, long lineNumber) {
    if (header == null) {
      try {
        header = ShopHeader.read(fields);
      } catch (IllegalArgumentException e) {
        mode = Mode.REJECTED;
        out.reject(lineNumber, e.getMessage(), rowText);
        return;
      }
      rows =
          switch (header.export) {
            case PRODUCTS -> new ProductRows(header);
            case INVENTORY -> new InventoryRows(header);
            case ORDERS -> new OrderRows(header);
            case BUNDLES -> throw new IllegalStateException("a bundles file has no header row");
          };
      return;
    }
    if (fields.size() != header.size()) {
      rowsOut.reject(
          lineNumber, "has " + fields.size() + " fields, the header names " + header.size());
      return;
    }
    String[] row = new String[fields.size()];
    for (int i = 0; i < row.length; i++) {
      String value = fields.get(i);
      row[i] = value.isEmpty() ? null : value;
    }
    rows.row(row, lineNumber, rowsOut);
  }

  /**
   * Whether a file's first bytes are a shop export: a CSV header row with the column set of the
   * products, inventory or orders export, or a JSON object line of bundles (with an {@code id} and
   * its handles).
   */
  public static boolean recognizes(byte[] head) {
    if (Sniff.startsWithObject(head)) {
      return Sniff.jsonHasKey(head, "id")
          && (Sniff.jsonHasKey(head, "handles") || Sniff.jsonHasKey(head, "product_handles"));
    }
    return ShopHeader.exportOf(Sniff.csvHeader(head, ',', '"')) != null;
  }
}
