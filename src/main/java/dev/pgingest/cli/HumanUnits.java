package dev.pgingest.cli;

import java.util.Locale;

/** Human-readable sizes and counts for terminal output. */
final class HumanUnits {
  private HumanUnits() {}

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
