package dev.pgingest.run;

import java.util.Locale;

/**
 * What a run did to one target table.
 *
 * @param read records read from the inputs (including rejected ones)
 * @param rejected records sent to the rejects table
 * @param duplicates records whose key was already seen in this run, merged into its row
 * @param inserted rows this run created
 * @param updated existing rows this run changed
 * @param unchanged keys this run wrote that were already in the table as they are
 * @param seconds wall time of the run
 */
public record TableSummary(
    long read,
    long rejected,
    long duplicates,
    long inserted,
    long updated,
    long unchanged,
    double seconds) {

  /** The JSON object {@code --summary-json} writes per table. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"read\": %d, \"rejected\": %d, \"duplicates\": %d, \"inserted\": %d, \"updated\": %d,"
            + " \"unchanged\": %d, \"seconds\": %.3f}",
        read,
        rejected,
        duplicates,
        inserted,
        updated,
        unchanged,
        seconds);
  }
}
