import dev.pgingest.testutil.RaceDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Command line over the tests' {@link RaceDump}: writes or reuses one season of race input. */
public final class LapsDumpGenerator {

  private LapsDumpGenerator() {}

  public static void main(String[] args) throws IOException {
    RaceDump.Format format = RaceDump.Format.LIVERC;
    int events = 1;
    int races = 40;
    int drivers = 12;
    int laps = 30;
    long seed = RaceDump.DEFAULT_SEED;
    boolean force = false;
    Path out = null;
    RaceDump.Shape shape;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--format" -> format = RaceDump.Format.valueOf(args[++i].toUpperCase(Locale.ROOT));
          case "--events" -> events = Integer.parseInt(args[++i]);
          case "--races" -> races = Integer.parseInt(args[++i]);
          case "--drivers" -> drivers = Integer.parseInt(args[++i]);
          case "--laps" -> laps = Integer.parseInt(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--force" -> force = true;
          case "--out" -> out = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out is required");
      }
      shape = new RaceDump.Shape(format, events, races, drivers, laps, seed);
    } catch (RuntimeException e) {
      System.err.println("LapsDumpGenerator: " + e.getMessage());
      System.err.println(
          "Usage: LapsDumpGenerator --out DIR [--format liverc|timing] [--events 1] [--races 40]\n"
              + "    [--drivers 12] [--laps 30] [--seed S] [--force]\n"
              + "  writes a folder per event into DIR: LiveRC event and race pages, or timing\n"
              + "  CSV sessions; a finished season with the same settings (DIR.meta) is reused\n"
              + "  unless --force");
      System.exit(2);
      return;
    }
    if (force) {
      Files.deleteIfExists(RaceDump.metaOf(out));
    }
    long t0 = System.nanoTime();
    boolean[] reused = {false};
    RaceDump.Stats s = RaceDump.ensureSeason(out, shape, reused);
    System.out.printf(
        Locale.ROOT,
        "%s %s: %s%s%n",
        reused[0] ? "reused" : "wrote",
        out,
        s.describe(),
        reused[0] ? "" : String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - t0) / 1e9));
  }
}
