import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The harness's one table of figures: printed, and written as Markdown and JSON into bench/work. */
final class Report {

  private static final String[] HEAD = {
    "workload", "loader", "rows", "wall s", "job s", "start-up s", "COPY s", "ratio",
    "JVM µs/row", "PG µs/row", "heap MB", "ckpts", "ckpt MB", "others", "check"
  };

  private Report() {}

  static void print(List<Workload.Figures> figures, boolean quick) {
    BenchSupport.section(
        "Results"
            + (quick ? " (--quick: a check of the set-up, not figures to quote)" : "")
            + "; fsync on; ratio = COPY s / wall s");
    List<String[]> rows = new ArrayList<>();
    rows.add(HEAD);
    figures.forEach(f -> rows.add(cells(f)));
    int[] w = new int[HEAD.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder sb = new StringBuilder(" ");
      for (int i = 0; i < r.length; i++) {
        String cell = i <= 1 || i == r.length - 1 ? pad(r[i], w[i], true) : pad(r[i], w[i], false);
        sb.append(' ').append(cell);
      }
      BenchSupport.OUT.println(sb.toString().stripTrailing());
    }
    for (Workload.Figures peer : figures) {
      if (!peer.label().startsWith("pgloader") || Double.isNaN(peer.wall())) {
        continue;
      }
      figures.stream()
          .filter(f -> f.workload().equals(peer.workload()) && f.label().equals("pgingest"))
          .findFirst()
          .ifPresent(
              f -> {
                double x = peer.wall() / f.wall();
                BenchSupport.OUT.printf(
                    Locale.ROOT,
                    "  %s: pgingest %.1f s vs %s %.1f s wall = %.2fx pgloader's speed (goal >= 2x:"
                        + " %s)%n",
                    f.workload(),
                    f.wall(),
                    peer.label(),
                    peer.wall(),
                    x,
                    x >= 2 ? "MET" : "MISSED");
              });
    }
    if (figures.stream().anyMatch(f -> f.others() > BenchSupport.CONTAMINATED)) {
      BenchSupport.OUT.println(
          "  ! 'others' above 0.10: other processes used CPU meanwhile, so that line is low");
    }
  }

  /** bench/work/results.md (the table) and results.json (one object per line of it). */
  static void write(List<Workload.Figures> figures, Path work, boolean quick) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("| ").append(String.join(" | ", HEAD)).append(" |\n|");
    for (int i = 0; i < HEAD.length; i++) {
      md.append(i <= 1 || i == HEAD.length - 1 ? "---|" : "---:|");
    }
    md.append('\n');
    for (Workload.Figures f : figures) {
      md.append("| ").append(String.join(" | ", cells(f))).append(" |\n");
    }
    Files.writeString(work.resolve("results.md"), md.toString());
    List<String> json = new ArrayList<>();
    for (Workload.Figures f : figures) {
      json.add(
          String.format(
              Locale.ROOT,
              "  {\"workload\": \"%s\", \"loader\": \"%s\", \"rows\": %d, \"wall_s\": %s,"
                  + " \"job_s\": %s, \"startup_s\": %s, \"copy_s\": %s, \"ratio\": %s,"
                  + " \"client_cpu_us_per_row\": %s, \"postgres_cpu_us_per_row\": %s,"
                  + " \"peak_heap_mb\": %s, \"checkpoints\": %d, \"checkpoint_mb\": %s,"
                  + " \"others_cores\": %s, \"check\": \"%s\"}",
              f.workload(), f.label(), f.rows(), num(f.wall()), num(f.job()), num(f.startup()),
              num(f.copySeconds()), num(f.ratio()), num(f.clientUsPerRow()),
              num(f.postgresUsPerRow()), num(f.peakHeapMb()), f.checkpoints(),
              num(f.checkpointMb()), num(f.others()), f.check().replace("\"", "'")));
    }
    Files.writeString(
        work.resolve("results.json"),
        "{\"quick\": " + quick + ", \"figures\": [\n" + String.join(",\n", json) + "\n]}\n");
    BenchSupport.OUT.println("  written: " + work.resolve("results.md") + ", " + work.resolve("results.json"));
  }

  private static String[] cells(Workload.Figures f) {
    return new String[] {
      f.workload(),
      f.label(),
      String.format(Locale.ROOT, "%,d", f.rows()),
      fixed(f.wall(), 1),
      fixed(f.job(), 1),
      fixed(f.startup(), 1),
      fixed(f.copySeconds(), 1),
      fixed(f.ratio(), 2),
      fixed(f.clientUsPerRow(), 0),
      fixed(f.postgresUsPerRow(), 0),
      fixed(f.peakHeapMb(), 0),
      f.checkpoints() < 0 ? "–" : Integer.toString(f.checkpoints()),
      fixed(f.checkpointMb(), 1),
      fixed(f.others(), 2) + (f.others() > BenchSupport.CONTAMINATED ? "!" : ""),
      f.check()
    };
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? "–"
        : String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pad(String s, int w, boolean left) {
    String fill = " ".repeat(Math.max(0, w - s.length()));
    return left ? s + fill : fill + s;
  }
}
