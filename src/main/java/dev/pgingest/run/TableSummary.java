package dev.pgingest.run;

import java.util.Locale;

/**
 * What a run did to one target table.
 *
 * @param read records read from the inputs (including rejected ones), over the whole job
 * @param rejected records sent to the rejects table, over the whole job
 * @param rows rows the records produced for this table
 * @param duplicates rows whose key was already seen in this run, merged into its row or dropped
 * @param inserted rows this run created
 * @param updated existing rows this run changed
 * @param unchanged keys this run wrote that were already in the table as they are
 * @param skipped rows not written because their key was already there (insert-if-new, append) or
 *     repeated within the run
 * @param seconds wall time of the run
 */
public record TableSummary(
    long read,
    long rejected,
    long rows,
    long duplicates,
    long inserted,
    long updated,
    long unchanged,
    long skipped,
    double seconds) {

  /**
   * The count a spec's {@code summary} names: rows, inserted, updated, unchanged, skipped,
   * duplicates.
   */
  public long count(String name) {
    return switch (name) {
      case "rows" -> rows;
      case "inserted" -> inserted;
      case "updated" -> updated;
      case "unchanged" -> unchanged;
      case "skipped" -> skipped;
      case "duplicates" -> duplicates;
      default -> throw new IllegalArgumentException("no count named " + name);
    };
  }

  /** The JSON object {@code --summary-json} writes per table. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"read\": %d, \"rejected\": %d, \"rows\": %d, \"duplicates\": %d, \"inserted\": %d,"
            + " \"updated\": %d, \"unchanged\": %d, \"skipped\": %d, \"seconds\": %.3f}",
        read,
        rejected,
        rows,
        duplicates,
        inserted,
        updated,
        unchanged,
        skipped,
        seconds);
  }
}
