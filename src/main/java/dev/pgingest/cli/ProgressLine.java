package dev.pgingest.cli;

import dev.pgingest.run.Progress;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints records read, share of input bytes and rate while a job runs: rewritten in place on a
 * terminal, one line every few seconds otherwise (logs and CI).
 */
final class ProgressLine implements Progress {
  private final PrintStream err;
  private final boolean terminal = System.console() != null;
  private long lastPrint;
  private boolean printed;
  private long firstRead = -1;
  private double firstSeconds;

  ProgressLine(PrintStream err) {
    this.err = err;
  }

  @Override
  public void update(
      long read, long bytes, long totalBytes, int filesDone, int totalFiles, double seconds) {
    if (firstRead < 0) {
      // A resumed run starts with the records its checkpoint covered: they were not read now.
      firstRead = read;
      firstSeconds = seconds;
    }
    if (!due()) {
      return;
    }
    double pct = totalBytes > 0 ? Math.min(100.0, 100.0 * bytes / totalBytes) : 0;
    String line =
        String.format(
            Locale.ROOT,
            "progress: %s records read, %.0f%% of %s, %s records/s",
            HumanUnits.count(read),
            pct,
            HumanUnits.bytes(totalBytes),
            HumanUnits.count(
                seconds > firstSeconds
                    ? (long) ((read - firstRead) / (seconds - firstSeconds))
                    : 0));
    // With several files (divisions of one dump, say) how many are done tells more than bytes
    // alone.
    show(
        totalFiles > 1
            ? line + String.format(Locale.ROOT, ", %d of %d files done", filesDone, totalFiles)
            : line);
  }

  @Override
  public void waiting(String why) {
    if (due()) {
      show(why);
    }
  }

  /** Always on a terminal (rewritten in place); every five seconds in logs and CI. */
  private boolean due() {
    long now = System.nanoTime();
    if (!terminal && now - lastPrint < 5_000_000_000L) {
      return false;
    }
    lastPrint = now;
    return true;
  }

  private void show(String line) {
    if (terminal) {
      err.print("\r" + line + "   ");
    } else {
      err.println(line);
    }
    printed = true;
  }

  /** A note on its own line (not overwritten by the progress line). */
  void note(PrintStream out, String note) {
    if (terminal && printed) {
      err.println();
      printed = false;
    }
    out.println("pgingest: " + note);
  }

  void done() {
    if (terminal && printed) {
      err.println();
    }
  }
}
