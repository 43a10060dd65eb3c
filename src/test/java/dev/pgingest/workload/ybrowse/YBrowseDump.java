package dev.pgingest.workload.ybrowse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A small seeded GFF3 dump shaped like YBrowse's: named chrY SNPs with repeats near and far,
 * merging aliases, unnamed SNPs and a few malformed lines; a pure function of (lines, seed).
 */
public final class YBrowseDump {

  /**
   * What a dump holds.
   *
   * @param dataLines lines after the header, malformed ones included
   * @param malformed lines the codec must reject
   * @param bytes file size
   */
  public record Stats(long dataLines, long malformed, long bytes) {}

  private static final String[] PREFIXES = {
    "BY", "FGC", "Y", "FT", "A", "S", "Z", "CTS", "PF", "M"
  };
  private static final String[] ISOGG = {
    "R-M269", "R-U106", "R-L21", "R-Z2103", "I-M253", "J-M172", "E-V13", "Q-M242", "G-L497", "."
  };
  private static final String[] YCC = {"R1b", "I", "J", "E", "Q", "G", "N", "not listed"};
  private static final String[] REFS = {
    "ISOGG (2015)", "YFull (2020)", "FTDNA (2016)", "Big Y (2019)"
  };
  private static final char[] BASES = {'A', 'C', 'G', 'T'};

  /** chrY male-specific region in hg38. */
  private static final int REGION_START = 2_781_480;

  private static final int REGION_SIZE = 54_000_000;

  /** One in this many data lines is malformed: far below the shipped reject budget. */
  private static final int MALFORMED_EVERY = 500;

  private YBrowseDump() {}

  /** Writes {@code lines} data lines after the GFF3 header; {@code .gz} names are compressed. */
  public static Stats write(Path file, int lines, long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> earlier = new ArrayList<>();
    long malformed = 0;
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      w.write("##gff-version 3\n##sequence-region chrY 1 57227415\n");
      String previous = null;
      for (int i = 0; i < lines; i++) {
        String line;
        int dice = rnd.nextInt(1000);
        if (i % MALFORMED_EVERY == MALFORMED_EVERY - 1) {
          // Written and counted here only: a repeat of it would be one more reject than counted.
          w.write(malformed(rnd, i));
          w.write('\n');
          malformed++;
          continue;
        }
        if (dice < 30 && previous != null) {
          line = previous;
        } else if (dice < 50 && !earlier.isEmpty()) {
          line = earlier.get(rnd.nextInt(earlier.size()));
        } else if (dice < 75 && !earlier.isEmpty()) {
          line = withAlias(earlier.get(rnd.nextInt(earlier.size())), rnd, i);
        } else if (dice < 85) {
          line = unnamed(rnd);
        } else {
          line = named(rnd, i);
          if (earlier.size() < 4096) {
            earlier.add(line);
          } else {
            earlier.set(rnd.nextInt(earlier.size()), line);
          }
        }
        w.write(line);
        w.write('\n');
        previous = line;
      }
    }
    return new Stats(lines, malformed, Files.size(file));
  }

  private static String named(SplittableRandom rnd, int i) {
    String name = PREFIXES[rnd.nextInt(PREFIXES.length)] + (1000 + i);
    int pos = REGION_START + rnd.nextInt(REGION_SIZE);
    int a = rnd.nextInt(4);
    char anc = BASES[a];
    char der = BASES[(a + 1 + rnd.nextInt(3)) % 4];
    return "chrY\tpoint\tsnp\t"
        + pos
        + "\t"
        + pos
        + "\t.\t+\t.\tID="
        + name
        + ";Name="
        + name
        + ";allele_anc="
        + anc
        + ";allele_der="
        + der
        + ";ycc_haplogroup="
        + YCC[rnd.nextInt(YCC.length)]
        + ";isogg_haplogroup="
        + ISOGG[rnd.nextInt(ISOGG.length)]
        + ";mutation="
        + anc
        + " to "
        + der
        + ";count_tested="
        + rnd.nextInt(50)
        + ";count_derived="
        + rnd.nextInt(10)
        + ";ref="
        + REFS[rnd.nextInt(REFS.length)]
        + ";comment=.;yfull_node=n/a";
  }

  /** An earlier SNP again with one more alias and other counts: merges into the same row. */
  private static String withAlias(String line, SplittableRandom rnd, int i) {
    return line.replace(";allele_anc=", ";Alias=FGC" + (500_000 + i) + ";allele_anc=")
        .replaceFirst("count_tested=\\d+", "count_tested=" + rnd.nextInt(50));
  }

  private static String unnamed(SplittableRandom rnd) {
    int pos = REGION_START + rnd.nextInt(REGION_SIZE);
    return "chrY\tpoint\tsnp\t"
        + pos
        + "\t"
        + pos
        + "\t.\t+\t.\tID=.;Name=.;allele_anc="
        + BASES[rnd.nextInt(2)]
        + ";allele_der="
        + BASES[2 + rnd.nextInt(2)]
        + ";count_tested="
        + rnd.nextInt(9);
  }

  private static String malformed(SplittableRandom rnd, int i) {
    int pos = REGION_START + rnd.nextInt(REGION_SIZE);
    return switch (rnd.nextInt(3)) {
      case 0 -> "chrY\tpoint\tsnp\t" + pos + "\tID=BROKEN" + i;
      case 1 -> "chrY\tpoint\tsnp\t" + pos + "\tnot-a-number\t.\t+\t.\tID=BAD" + i;
      default -> "chrY\tpoint\tsnp\t" + (pos + 10) + "\t" + pos + "\t.\t+\t.\tID=BACKWARDS" + i;
    };
  }
}
