import dev.pgingest.testutil.GenbankDump;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Command line over the tests' {@link GenbankDump}: writes or reuses one bench division. */
public final class GenbankDumpGenerator {

  private GenbankDumpGenerator() {}

  public static void main(String[] args) throws IOException {
    long bytes = GenbankDump.DEFAULT_BYTES;
    long records = 0;
    long seed = GenbankDump.DEFAULT_SEED;
    int bigEvery = GenbankDump.DEFAULT_BIG_EVERY;
    int files = 1;
    boolean gz = false;
    boolean force = false;
    Path out = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--bytes" -> bytes = GenbankDump.parseSize(args[++i]);
          case "--records" -> records = Long.parseLong(args[++i].replace("_", ""));
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--big-every" -> bigEvery = Integer.parseInt(args[++i]);
          case "--files" -> files = Integer.parseInt(args[++i]);
          case "--gz" -> gz = true;
          case "--force" -> force = true;
          case "--out" -> out = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out is required");
      }
      if (files < 1) {
        throw new IllegalArgumentException("--files must be >= 1");
      }
    } catch (RuntimeException e) {
      System.err.println("GenbankDumpGenerator: " + e.getMessage());
      System.err.println(
          "Usage: GenbankDumpGenerator --out FILE[.gz] | --out DIR --files N [--gz]\n"
              + "    [--bytes 1g] [--records N] [--seed S] [--big-every 2000] [--force]\n"
              + "  --bytes: target uncompressed size (k/m/g suffixes), default 1g; over all files\n"
              + "  --records: exact record count per file instead of a size\n"
              + "  --big-every N: every N-th record is a 2-6 Mb bacterial genome (0: none)\n"
              + "  --files N: write gbvrl1.seq .. gbvrlN.seq into the folder DIR\n"
              + "  a finished dump with the same settings (its .meta) is reused unless --force");
      System.exit(2);
      return;
    }
    if (files == 1 && out.toString().endsWith(".gz")) {
      gz = true;
    }
    GenbankDump.Options o = new GenbankDump.Options(bytes, records, seed, bigEvery, files, gz);
    if (force) {
      Files.deleteIfExists(GenbankDump.metaOf(out));
    }
    long t0 = System.nanoTime();
    boolean[] reused = {false};
    GenbankDump.Stats s = GenbankDump.ensure(out, o, reused);
    System.out.printf(
        Locale.ROOT,
        "%s %s: %s%s%n",
        reused[0] ? "reused" : "wrote",
        out,
        s.describe(),
        reused[0] ? "" : String.format(Locale.ROOT, " in %.1f s", (System.nanoTime() - t0) / 1e9));
  }
}
