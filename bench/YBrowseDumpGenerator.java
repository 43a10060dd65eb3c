import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a deterministic (seeded) GFF3 dump shaped like YBrowse's {@code snps_hg38.gff3}, for the
 * load benchmark.
 *
 * <p>What the real dump holds and this one imitates, per data line:
 *
 * <ul>
 *   <li>about 93% new named SNPs (prefixes BY, FGC, Y, FT, A, S, Z, CTS, PF, M, L, U, P, F, V),
 *       ~3% indels among them, placeholders ({@code .}, {@code TBD}, {@code not listed}, {@code
 *       n/a}, {@code NA}) in haplogroup, comment and yfull_node fields;
 *   <li>1.5% exact repeats of the previous line and 1.5% exact repeats of a line far back;
 *   <li>2.5% lines repeating an earlier SNP's name and haplogroup with extra {@code Alias} values
 *       and other counts: they merge into one row;
 *   <li>0.5% recurrent SNPs: an earlier name under another haplogroup, so a row of its own;
 *   <li>1% unnamed SNPs ({@code ID=.;Name=.}), keyed by their coordinates;
 *   <li>a fixed handful of malformed lines (wrong column count, non-numeric start, start after
 *       end, bad percent-escape), far below the spec's reject budget.
 * </ul>
 *
 * <p>Around them: the {@code ##gff-version 3} header, a few {@code #} comments and {@code ###}
 * markers. Positions are random over the male-specific region, not sorted: the engine keys rows by
 * hash, so file order does not change its work. A run is a pure function of (lines, seed).
 */
public final class YBrowseDumpGenerator {

  public static final long DEFAULT_LINES = 3_000_000L;
  public static final long DEFAULT_SEED = 20_180_606L;

  /** Malformed lines per dump, whatever its size: "a handful", as in the real file. */
  public static final int MALFORMED = 20;

  /** Bumped when the output for a given (lines, seed) changes, so cached dumps are rebuilt. */
  public static final int VERSION = 1;

  private static final String[] PREFIXES = {
    "BY", "FGC", "Y", "FT", "A", "S", "Z", "CTS", "PF", "M", "L", "U", "P", "F", "V"
  };

  /** Relative frequency of each prefix: the big-Y era prefixes dominate the real dump. */
  private static final int[] PREFIX_WEIGHTS = {18, 10, 16, 20, 6, 5, 6, 5, 4, 2, 2, 1, 1, 2, 2};

  private static final String[] YCC = {
    "A", "B", "C", "D", "E", "G", "H", "I", "I1", "I2", "J1", "J2", "L", "N", "O", "Q", "R1a",
    "R1b", "R1b", "R1b", "R1b", "T"
  };

  private static final String[] PLACEHOLDERS = {".", "TBD", "not listed", "n/a", "NA"};

  private static final String[] REFS = {
    "Rik Harper (2018)",
    "YFull (2020)",
    "FTDNA (2016)",
    "ISOGG (2015)",
    "Big Y (2019)",
    "Full Genomes Corp (2014)",
    "Chromo2 (2015)",
    "Thomas Krahn (2013)",
    "Poznik et al. (2016)",
    "Hallast et al. (2015)%3B YFull",
    "Jüri Kask (2019)",
    "."
  };

  private static final String[] COMMENTS = {
    "found in 2 of 3 kits",
    "private",
    "recurrent%3B also in E-M96",
    "low quality%2C needs review",
    "palindromic region",
    "TBD",
    "not listed",
    ""
  };

  private static final char[] BASES = {'A', 'C', 'G', 'T'};

  /** chrY male-specific region in hg38, where YBrowse SNPs sit. */
  private static final int REGION_START = 2_781_480;

  private static final int REGION_END = 56_887_902;

  /** Earlier SNPs that far repeats, merging repeats and recurrent SNPs pick from. */
  private static final int RESERVOIR = 8192;

  /** What a run wrote. */
  public record Stats(
      long dataLines,
      long otherLines,
      long bytes,
      long newNamed,
      long unnamed,
      long adjacentRepeats,
      long farRepeats,
      long merging,
      long recurrent,
      long malformed) {

    public String describe() {
      return String.format(
          Locale.ROOT,
          "%,d data lines (%,d new named, %,d unnamed, %,d adjacent + %,d far exact repeats,"
              + " %,d merging, %,d recurrent, %,d malformed) + %,d header/comment lines, %,d bytes"
              + " (%.0f bytes/line)",
          dataLines,
          newNamed,
          unnamed,
          adjacentRepeats,
          farRepeats,
          merging,
          recurrent,
          malformed,
          otherLines,
          bytes,
          (double) bytes / Math.max(1, dataLines + otherLines));
    }
  }

  /** One SNP as written, kept so later lines can repeat or extend it. */
  private record Snp(
      String name,
      String type,
      int start,
      String anc,
      String der,
      String ycc,
      String isogg,
      String yfull,
      String line) {}

  private final SplittableRandom rnd;
  private final int[] nextNumber = new int[PREFIXES.length];
  private final int prefixWeightTotal;
  private final String[] branchNames = new String[2048];
  private final Snp[] reservoir = new Snp[RESERVOIR];
  private int reservoirSize;
  private final StringBuilder sb = new StringBuilder(512);

  private YBrowseDumpGenerator(long seed) {
    rnd = new SplittableRandom(seed);
    int total = 0;
    for (int i = 0; i < PREFIXES.length; i++) {
      total += PREFIX_WEIGHTS[i];
      // Start each prefix somewhere plausible so names look like the real ones (BY32772, M269).
      nextNumber[i] = 1 + rnd.nextInt(PREFIXES[i].length() == 1 ? 2_000 : 20_000);
    }
    prefixWeightTotal = total;
    for (int i = 0; i < branchNames.length; i++) {
      branchNames[i] = PREFIXES[rnd.nextInt(PREFIXES.length)] + (1 + rnd.nextInt(60_000));
    }
  }

  public static void main(String[] args) throws IOException {
    long lines = DEFAULT_LINES;
    long seed = DEFAULT_SEED;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println(
              "Usage: YBrowseDumpGenerator --out FILE[.gz] [--lines N] [--seed S]\n"
                  + "  writes N data lines (default 3000000) of a YBrowse-like GFF3 dump;"
                  + " .gz compresses");
          System.exit(2);
        }
      }
    }
    if (out == null) {
      System.err.println("YBrowseDumpGenerator: --out FILE is required");
      System.exit(2);
    }
    long t0 = System.nanoTime();
    Stats s = generate(out, lines, seed);
    System.out.printf(
        Locale.ROOT,
        "wrote %s: %s in %.1f s%n",
        out,
        s.describe(),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Writes {@code lines} data lines to {@code out} ({@code .gz} compresses), through a temporary
   * file renamed at the end so a half-written dump is never mistaken for a finished one.
   */
  public static Stats generate(Path out, long lines, long seed) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".part");
    Stats stats;
    try (OutputStream file = Files.newOutputStream(tmp);
        CountingStream counted = new CountingStream(file);
        OutputStream maybeGz =
            out.toString().endsWith(".gz")
                ? new GZIPOutputStream(counted, 1 << 16)
                : new BufferedOutputStream(counted, 1 << 20);
        CountingStream raw = new CountingStream(maybeGz);
        Writer w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 20)) {
      stats = new YBrowseDumpGenerator(seed).write(w, lines, raw);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return stats;
  }

  private Stats write(Writer w, long lines, CountingStream raw) throws IOException {
    long other = 0;
    for (String h :
        new String[] {
          "##gff-version 3",
          "##sequence-region chrY 1 57227415",
          "# YBrowse-like SNP dump, synthetic: written by pgingest bench/YBrowseDumpGenerator",
          "# seqid source type start end score strand phase attributes"
        }) {
      w.write(h);
      w.write('\n');
      other++;
    }
    long newNamed = 0;
    long unnamed = 0;
    long adjacent = 0;
    long far = 0;
    long merging = 0;
    long recurrent = 0;
    long malformed = 0;
    int malformedLeft = (int) Math.min(MALFORMED, lines);
    // Malformed lines sit at evenly spaced places so every part of a big file has some.
    long malformedStride = Math.max(1, lines / Math.max(1, malformedLeft));
    String previous = null;
    for (long i = 0; i < lines; i++) {
      if (i > 0 && i % 250_000 == 0) {
        w.write("###\n");
        other++;
        if (i % 1_000_000 == 0) {
          w.write("# next block of features\n");
          other++;
        }
      }
      String line;
      if (malformedLeft > 0 && i % malformedStride == malformedStride / 2) {
        line = malformed(malformedLeft--);
        malformed++;
      } else {
        int roll = rnd.nextInt(1000);
        if (previous != null && roll < 15) {
          line = previous;
          adjacent++;
        } else if (reservoirSize > 0 && roll < 30) {
          line = pick().line;
          far++;
        } else if (reservoirSize > 0 && roll < 55) {
          line = mergingLine(pick());
          merging++;
        } else if (reservoirSize > 0 && roll < 60) {
          line = recurrentLine(pick());
          recurrent++;
        } else if (roll < 70) {
          line = newSnp(false).line;
          unnamed++;
        } else {
          Snp s = newSnp(true);
          remember(s);
          line = s.line;
          newNamed++;
        }
        previous = line;
      }
      w.write(line);
      w.write('\n');
    }
    w.flush();
    return new Stats(
        lines, other, raw.count, newNamed, unnamed, adjacent, far, merging, recurrent, malformed);
  }

  private Snp pick() {
    return reservoir[rnd.nextInt(reservoirSize)];
  }

  /** Reservoir sampling keeps a uniform mix of early and recent SNPs for "far apart" repeats. */
  private void remember(Snp s) {
    if (reservoirSize < RESERVOIR) {
      reservoir[reservoirSize++] = s;
    } else if (rnd.nextInt(8) == 0) {
      reservoir[rnd.nextInt(RESERVOIR)] = s;
    }
  }

  private Snp newSnp(boolean named) {
    String name = named ? freshName() : ".";
    boolean indel = rnd.nextInt(100) < 3;
    String anc;
    String der;
    if (indel) {
      der = String.valueOf(base());
      anc = der + bases(1 + rnd.nextInt(4));
    } else {
      char a = base();
      char d;
      do {
        d = base();
      } while (d == a);
      anc = String.valueOf(a);
      der = String.valueOf(d);
    }
    int start = REGION_START + rnd.nextInt(REGION_END - REGION_START);
    String clade = YCC[rnd.nextInt(YCC.length)];
    String ycc = rnd.nextInt(100) < 15 ? placeholder() : clade;
    String root = clade.substring(0, 1);
    String isogg = rnd.nextInt(100) < 35 ? placeholder() : root + "-" + branch();
    String yfull = rnd.nextInt(100) < 40 ? placeholder() : root + "-" + freshLookingName();
    String type = indel ? "indel" : "snp";
    String line = render(name, type, start, anc, der, ycc, isogg, yfull, null, null);
    return new Snp(name, type, start, anc, der, ycc, isogg, yfull, line);
  }

  /** Same name and haplogroup as {@code s}, plus aliases and newer counts: one merged row. */
  private String mergingLine(Snp s) {
    int n = 1 + rnd.nextInt(2);
    StringBuilder aliases = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        aliases.append(',');
      }
      aliases.append(freshLookingName());
    }
    return render(
        s.name, s.type, s.start, s.anc, s.der, s.ycc, s.isogg, s.yfull, aliases.toString(), REFS[1]);
  }

  /** Same name under another haplogroup: a recurrent mutation, which is a separate row. */
  private String recurrentLine(Snp s) {
    String ycc = YCC[rnd.nextInt(YCC.length)];
    String isogg = ycc.charAt(0) + "-" + branch() + "." + (1 + rnd.nextInt(9));
    return render(s.name, s.type, s.start, s.anc, s.der, ycc, isogg, ".", null, null);
  }

  private String render(
      String name,
      String type,
      int start,
      String anc,
      String der,
      String ycc,
      String isogg,
      String yfull,
      String aliases,
      String ref) {
    StringBuilder b = sb;
    b.setLength(0);
    int end = start + anc.length() - 1;
    b.append("chrY\tpoint\t").append(type).append('\t').append(start).append('\t').append(end);
    b.append("\t.\t+\t.\tID=").append(name).append(";Name=").append(name);
    if (aliases != null) {
      b.append(";Alias=").append(aliases);
    }
    b.append(";allele_anc=").append(anc).append(";allele_der=").append(der);
    b.append(";primer_f=");
    primer(b);
    b.append(";primer_r=");
    primer(b);
    b.append(";ycc_haplogroup=").append(ycc).append(";isogg_haplogroup=").append(isogg);
    b.append(";mutation=").append(anc).append(" to ").append(der);
    int tested = 1 + rnd.nextInt(40);
    b.append(";count_tested=").append(tested);
    b.append(";count_derived=").append(rnd.nextInt(tested + 1));
    b.append(";ref=").append(ref != null ? ref : REFS[rnd.nextInt(REFS.length)]);
    b.append(";comment=");
    b.append(rnd.nextInt(100) < 85 ? "." : COMMENTS[rnd.nextInt(COMMENTS.length)]);
    b.append(";yfull_node=").append(yfull);
    return b.toString();
  }

  /** The kinds of breakage seen in hand-edited dumps; each one a reject with a reason. */
  private String malformed(int k) {
    String good = newSnp(true).line;
    String[] cols = good.split("\t", -1);
    return switch (k % 4) {
      case 0 -> String.join("\t", cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[8]);
      case 1 -> good.replaceFirst("\t" + cols[3] + "\t", "\t" + cols[3].substring(0, 3) + "l" + cols[3].substring(4) + "\t");
      case 2 -> String.join(
          "\t", cols[0], cols[1], cols[2], cols[4] + "9", cols[4], cols[5], cols[6], cols[7], cols[8]);
      default -> good.replace(";comment=", ";comment=%G1 ");
    };
  }

  /** A name no other line uses: per-prefix counters only grow. */
  private String freshName() {
    int p = weightedPrefix();
    nextNumber[p] += 1 + rnd.nextInt(3);
    return PREFIXES[p] + nextNumber[p];
  }

  /** A plausible name for aliases and YFull nodes; may coincide with a SNP name, as in reality. */
  private String freshLookingName() {
    return PREFIXES[weightedPrefix()] + (1 + rnd.nextInt(400_000));
  }

  private int weightedPrefix() {
    int r = rnd.nextInt(prefixWeightTotal);
    for (int i = 0; i < PREFIX_WEIGHTS.length; i++) {
      r -= PREFIX_WEIGHTS[i];
      if (r < 0) {
        return i;
      }
    }
    return 0;
  }

  private String branch() {
    return branchNames[rnd.nextInt(branchNames.length)];
  }

  private String placeholder() {
    return PLACEHOLDERS[rnd.nextInt(PLACEHOLDERS.length)];
  }

  private void primer(StringBuilder b) {
    // Most SNPs found by sequencing were never assayed by PCR, so they have no primers.
    if (rnd.nextInt(100) < 60) {
      b.append('.');
      return;
    }
    int n = 18 + rnd.nextInt(5);
    for (int i = 0; i < n; i++) {
      b.append(base());
    }
  }

  private char base() {
    return BASES[rnd.nextInt(4)];
  }

  private String bases(int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = base();
    }
    return new String(c);
  }

  /** Counts bytes passing through, for the dump's size as written (compressed or not). */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    long count;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
