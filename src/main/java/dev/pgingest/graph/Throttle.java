package dev.pgingest.graph;

/** Paces a caller to a number of events per second by sleeping; 0 means no limit. */
final class Throttle {
  private final long perSecond;
  private long start;
  private long count;

  Throttle(long perSecond) {
    this.perSecond = perSecond;
  }

  void acquire() throws InterruptedException {
    if (perSecond <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (count == 0) {
      start = now;
    }
    count++;
    long due = start + count * 1_000_000_000L / perSecond;
    if (due > now) {
      long ms = (due - now) / 1_000_000L;
      if (ms > 0) {
        Thread.sleep(ms);
      }
    }
  }
}
