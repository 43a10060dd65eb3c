package dev.pgingest.workload.genbank;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Seeded GenBank division files shaped like NCBI's {@code gbvrl1.seq}, for tests and the bench. */
public final class GenbankDump {

  /*
   * A file starts with the release header (GBVRL1.SEQ, date, release number, "Viral Sequences
   * (Part 1)", the loci/bases line with the file's real counts) and holds mostly viral records of
   * 1-30 kb (log-uniform, so most are a few kb), 2-12 features each: source, gene + CDS pairs and a
   * few 5'UTR, 3'UTR, mat_peptide, misc_feature; CDS with join() (ribosomal frameshifts, splices)
   * and complement() locations, a third of the records partial (<1..>N, /codon_start); a
   * /translation of every CDS wrapped at column 79, /product, /protein_id, repeated /db_xref,
   * word-wrapped /note. Every big-every-th record is a bacterial genome of 2-6 Mb (BCT, circular),
   * one gene per ~1.1 kb: thousands of gene + CDS pairs, some tRNA/rRNA and pseudogenes.
   *
   * The LOCUS line is column-exact and its length equals the ORIGIN letter count, so a reader that
   * checks either finds no fault the generator put there. Records are planned first (kind and
   * length, from a random stream of their own) until an estimate of their text reaches the target,
   * so the header can state the exact loci and bases before the records are written. The result is
   * a pure function of the settings: cached bench dumps and test expectations depend on it.
   */

  public static final long DEFAULT_BYTES = 1L << 30;
  public static final long DEFAULT_SEED = 20_250_215L;
  public static final int DEFAULT_BIG_EVERY = 2000;

  /** Bumped when the output for given settings changes, so cached dumps are rebuilt. */
  public static final int VERSION = 1;

  private static final int WIDTH = 79;
  private static final String INDENT = "                     "; // 21 spaces

  /** Settings; {@code records > 0} overrides {@code bytes}. */
  public record Options(long bytes, long records, long seed, int bigEvery, int files, boolean gz) {
    String identity() {
      return "version="
          + VERSION
          + " bytes="
          + bytes
          + " records="
          + records
          + " seed="
          + seed
          + " bigEvery="
          + bigEvery
          + " files="
          + files
          + " gz="
          + gz;
    }
  }

  /**
   * What a run wrote, summed over its files; {@code bytes} is uncompressed, {@code size} on disk.
   */
  public record Stats(
      long records,
      long bigRecords,
      long features,
      long cds,
      long bases,
      long bytes,
      long size,
      int files,
      long bigBytes) {

    Stats plus(Stats o) {
      return new Stats(
          records + o.records,
          bigRecords + o.bigRecords,
          features + o.features,
          cds + o.cds,
          bases + o.bases,
          bytes + o.bytes,
          size + o.size,
          files + o.files,
          bigBytes + o.bigBytes);
    }

    public String describe() {
      return String.format(
          Locale.ROOT,
          "%,d records (%,d bacterial-size, %.0f%% of the bytes), %,d features (%,d CDS), %,d bases,"
              + " %,d bytes uncompressed (%,d on disk) in %d file%s",
          records,
          bigRecords,
          100.0 * bigBytes / Math.max(1, bytes),
          features,
          cds,
          bases,
          bytes,
          size,
          files,
          files == 1 ? "" : "s");
    }

    String toMeta() {
      return "records="
          + records
          + " big="
          + bigRecords
          + " features="
          + features
          + " cds="
          + cds
          + " bases="
          + bases
          + " bytes="
          + bytes
          + " files="
          + files
          + " bigBytes="
          + bigBytes
          + " size="
          + size;
    }

    static Stats fromMeta(String s) {
      Matcher m =
          Pattern.compile(
                  "records=(\\d+) big=(\\d+) features=(\\d+) cds=(\\d+) bases=(\\d+) bytes=(\\d+)"
                      + " files=(\\d+) bigBytes=(\\d+) size=(\\d+)")
              .matcher(s);
      if (!m.find()) {
        return null;
      }
      return new Stats(
          Long.parseLong(m.group(1)),
          Long.parseLong(m.group(2)),
          Long.parseLong(m.group(3)),
          Long.parseLong(m.group(4)),
          Long.parseLong(m.group(5)),
          Long.parseLong(m.group(6)),
          Long.parseLong(m.group(9)),
          Integer.parseInt(m.group(7)),
          Long.parseLong(m.group(8)));
    }
  }

  /** Most records {@link #write} takes: its accessions number records in six digits. */
  public static final int MAX_TEST_RECORDS = 1_000_000;

  /**
   * Accession slots of {@link #write}: seeds that differ modulo this (s and s + 1 always do) give
   * files that share no accession.
   */
  public static final int SEED_SLOTS = 676 * 100;

  /**
   * Writes {@code records} viral-size records (no bacterial-size ones) to {@code file}, gzipped
   * when its name ends in {@code .gz}, after the release header. The same arguments give the same
   * bytes; accessions are two letters and eight digits keyed by the seed, so files of different
   * seeds can be loaded into one database side by side (see {@link #SEED_SLOTS}).
   */
  public static Stats write(Path file, int records, long seed) throws IOException {
    if (records < 1 || records > MAX_TEST_RECORDS) {
      throw new IllegalArgumentException(
          "records must be 1.." + MAX_TEST_RECORDS + ", not " + records);
    }
    boolean gz = file.getFileName().toString().endsWith(".gz");
    Options o = new Options(0, records, seed, 0, 1, gz);
    return writeFile(file, o, 0, 0, (int) Math.floorMod(seed, (long) SEED_SLOTS));
  }

  /** A size such as {@code 1g}, {@code 20m}, {@code 512k} or {@code 1_000_000} in bytes. */
  public static long parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long mult = 1;
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
      case 'k' -> mult = 1L << 10;
      case 'm' -> mult = 1L << 20;
      case 'g' -> mult = 1L << 30;
      default -> mult = 1;
    }
    if (mult > 1) {
      t = t.substring(0, t.length() - 1);
    }
    return Math.round(Double.parseDouble(t) * mult);
  }

  /** {@code out.meta}, next to the file or folder. */
  public static Path metaOf(Path out) {
    return out.resolveSibling(out.getFileName() + ".meta");
  }

  /** Names of the division files of a folder dump, in order. */
  static List<String> fileNames(Options o) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= o.files; i++) {
      names.add("gbvrl" + i + ".seq" + (o.gz ? ".gz" : ""));
    }
    return names;
  }

  /**
   * The dump at {@code out} for {@code o}: reused when its .meta says it was finished with the same
   * settings and its size on disk still matches, written otherwise (a folder when {@code files >
   * 1}). {@code reused[0]} tells which.
   */
  public static Stats ensure(Path out, Options o, boolean[] reused) throws IOException {
    Path meta = metaOf(out);
    if (Files.exists(meta) && Files.exists(out)) {
      String m = Files.readString(meta).trim();
      String[] parts = m.split(" \\| ", 2);
      Stats s = parts.length == 2 ? Stats.fromMeta(parts[1]) : null;
      if (s != null && parts[0].equals(o.identity()) && diskSize(out) == s.size) {
        reused[0] = true;
        return s;
      }
    }
    reused[0] = false;
    Files.deleteIfExists(meta);
    Stats total;
    if (o.files == 1) {
      total = writeFile(out, o, 0, o.bytes, -1);
    } else {
      Files.createDirectories(out);
      total = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0);
      List<String> names = fileNames(o);
      for (int i = 0; i < o.files; i++) {
        total = total.plus(writeFile(out.resolve(names.get(i)), o, i, o.bytes / o.files, -1));
      }
    }
    Files.writeString(meta, o.identity() + " | " + total.toMeta() + "\n");
    return total;
  }

  private static long diskSize(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return Files.size(out);
    }
    long n = 0;
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".part")) {
          n += Files.size(p);
        }
      }
    }
    return n;
  }

  /**
   * One division file, through a temporary name renamed at the end; {@code slot} is the seed's
   * accession slot of {@link #write}, or -1 for the bench's per-file accession blocks.
   */
  static Stats writeFile(Path out, Options o, int fileIndex, long targetBytes, int slot)
      throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".part");
    Stats s;
    try (OutputStream file = Files.newOutputStream(tmp);
        CountingStream disk = new CountingStream(file);
        OutputStream sink = o.gz ? fastGzip(disk) : new BufferedOutputStream(disk, 1 << 16)) {
      GenbankDump g =
          new GenbankDump(o.seed * 0x9E3779B97F4A7C15L + fileIndex, fileIndex, o.bigEvery, slot);
      g.plan(targetBytes, o.records);
      ByteOut w = new ByteOut(sink);
      g.write(w, fileIndex + 1);
      w.flush();
      sink.flush();
      if (sink instanceof GZIPOutputStream z) {
        z.finish();
      }
      sink.close();
      s =
          new Stats(
              g.records,
              g.bigRecords,
              g.features,
              g.cds,
              g.totalBases,
              w.count,
              disk.count,
              1,
              g.bigBytes);
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return s;
  }

  /**
   * gzip at level 1: the default level takes minutes for a 1 GB dump of near-random bases, and the
   * level does not change how a reader decompresses.
   */
  private static GZIPOutputStream fastGzip(OutputStream out) throws IOException {
    return new GZIPOutputStream(out, 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }

  // ------------------------------------------------------------------------------------ content

  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };

  private static final String[] MONTH_NAMES = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };

  /** Accession prefixes GenBank assigns to viral submissions; folder dumps use one per file. */
  private static final String[] PREFIXES = {
    "MN", "MT", "MW", "MZ", "OK", "OL", "OM", "ON", "OP", "OQ", "OR", "PP", "PQ", "AB", "KX", "KY",
    "KU", "KT", "KP", "KM", "KJ", "KF", "KC", "JX", "JQ", "HQ", "GU", "FJ", "EU", "EF", "DQ", "AY"
  };

  /** A virus: name, molecule ("RNA"/"DNA"), strandedness, taxon, host, lineage, products, genes. */
  private record Virus(
      String name,
      String mol,
      String strand,
      int taxon,
      String host,
      String lineage,
      String[] products,
      String[] genes) {}

  private static final Virus[] VIRUSES = {
    new Virus(
        "Severe acute respiratory syndrome coronavirus 2",
        "RNA",
        "ss-",
        2697049,
        "Homo sapiens",
        "Viruses; Riboviria; Orthornavirae; Pisuviricota; Pisoniviricetes; Nidovirales;"
            + " Cornidovirineae; Coronaviridae; Orthocoronavirinae; Betacoronavirus;"
            + " Sarbecovirus.",
        new String[] {
          "ORF1ab polyprotein", "surface glycoprotein", "ORF3a protein", "envelope protein",
          "membrane glycoprotein", "ORF6 protein", "ORF7a protein", "ORF8 protein",
          "nucleocapsid phosphoprotein", "ORF10 protein"
        },
        new String[] {"ORF1ab", "S", "ORF3a", "E", "M", "ORF6", "ORF7a", "ORF8", "N", "ORF10"}),
    new Virus(
        "Influenza A virus (A/California/07/2009(H1N1))",
        "RNA",
        "ss-",
        641809,
        "Homo sapiens",
        "Viruses; Riboviria; Orthornavirae; Negarnaviricota; Polyploviricotina;"
            + " Insthoviricetes; Articulavirales; Orthomyxoviridae; Alphainfluenzavirus.",
        new String[] {
          "hemagglutinin",
          "neuraminidase",
          "matrix protein 1",
          "matrix protein 2",
          "nonstructural protein 1",
          "nuclear export protein",
          "polymerase PB2",
          "polymerase PB1",
          "polymerase PA",
          "nucleocapsid protein"
        },
        new String[] {"HA", "NA", "M1", "M2", "NS1", "NEP", "PB2", "PB1", "PA", "NP"}),
    new Virus(
        "Human immunodeficiency virus 1",
        "RNA",
        "ss-",
        11676,
        "Homo sapiens",
        "Viruses; Riboviria; Pararnavirae; Artverviricota; Revtraviricetes; Ortervirales;"
            + " Retroviridae; Orthoretrovirinae; Lentivirus.",
        new String[] {
          "Gag protein",
          "Pol protein",
          "Vif protein",
          "Vpr protein",
          "Tat protein",
          "Rev protein",
          "Vpu protein",
          "envelope glycoprotein",
          "Nef protein"
        },
        new String[] {"gag", "pol", "vif", "vpr", "tat", "rev", "vpu", "env", "nef"}),
    new Virus(
        "Hepatitis B virus",
        "DNA",
        "   ",
        10407,
        "Homo sapiens",
        "Viruses; Riboviria; Pararnavirae; Artverviricota; Revtraviricetes; Blubervirales;"
            + " Hepadnaviridae; Orthohepadnavirus.",
        new String[] {"polymerase", "large S protein", "precore/core protein", "X protein"},
        new String[] {"P", "S", "C", "X"}),
    new Virus(
        "Norovirus GII",
        "RNA",
        "ss-",
        122929,
        "Homo sapiens",
        "Viruses; Riboviria; Orthornavirae; Pisuviricota; Pisoniviricetes; Picornavirales;"
            + " Caliciviridae; Norovirus.",
        new String[] {"nonstructural polyprotein", "VP1", "VP2", "RNA-dependent RNA polymerase"},
        new String[] {"ORF1", "ORF2", "ORF3", "RdRp"}),
    new Virus(
        "Dengue virus 2",
        "RNA",
        "ss-",
        11060,
        "Homo sapiens",
        "Viruses; Riboviria; Orthornavirae; Kitrinoviricota; Flasuviricetes; Amarillovirales;"
            + " Flaviviridae; Orthoflavivirus; Orthoflavivirus denguei.",
        new String[] {
          "polyprotein",
          "envelope protein",
          "capsid protein",
          "nonstructural protein NS1",
          "nonstructural protein NS3",
          "nonstructural protein NS5"
        },
        new String[] {"POLY", "E", "C", "NS1", "NS3", "NS5"}),
    new Virus(
        "Rotavirus A",
        "RNA",
        "ds-",
        28875,
        "Sus scrofa",
        "Viruses; Riboviria; Orthornavirae; Duplornaviricota; Resentoviricetes; Reovirales;"
            + " Sedoreoviridae; Rotavirus.",
        new String[] {"VP4", "VP6", "VP7", "NSP4", "VP1", "NSP3"},
        new String[] {"VP4", "VP6", "VP7", "NSP4", "VP1", "NSP3"}),
    new Virus(
        "Feline panleukopenia virus",
        "DNA",
        "   ",
        10786,
        "Felis catus",
        "Viruses; Monodnaviria; Shotokuvirae; Cossaviricota; Quintoviricetes; Piccovirales;"
            + " Parvoviridae; Parvovirinae; Protoparvovirus; Protoparvovirus carnivoran1.",
        new String[] {"nonstructural protein 1", "nonstructural protein 2", "VP1", "VP2"},
        new String[] {"NS1", "NS2", "VP1", "VP2"}),
    new Virus(
        "Escherichia phage T4",
        "DNA",
        "   ",
        10665,
        "Escherichia coli",
        "Viruses; Duplodnaviria; Heunggongvirae; Uroviricota; Caudoviricetes; Straboviridae;"
            + " Tevenvirinae; Tequatrovirus.",
        new String[] {
          "major capsid protein",
          "tail sheath protein",
          "DNA polymerase",
          "baseplate wedge",
          "hypothetical protein",
          "terminase large subunit",
          "portal protein"
        },
        new String[] {"gp23", "gp18", "gp43", "gp6", "orf", "gp17", "gp20"}),
    new Virus(
        "Rabies lyssavirus",
        "RNA",
        "ss-",
        11292,
        "Canis lupus familiaris",
        "Viruses; Riboviria; Orthornavirae; Negarnaviricota; Haploviricotina; Monjiviricetes;"
            + " Mononegavirales; Rhabdoviridae; Alpharhabdovirinae; Lyssavirus.",
        new String[] {
          "nucleoprotein", "phosphoprotein", "matrix protein", "glycoprotein", "large protein"
        },
        new String[] {"N", "P", "M", "G", "L"}),
  };

  private record Bacterium(String name, String tag, int taxon, String lineage) {}

  private static final Bacterium[] BACTERIA = {
    new Bacterium(
        "Escherichia coli",
        "ECOLI",
        562,
        "Bacteria; Pseudomonadati; Pseudomonadota; Gammaproteobacteria; Enterobacterales;"
            + " Enterobacteriaceae; Escherichia."),
    new Bacterium(
        "Staphylococcus aureus",
        "SAUR",
        1280,
        "Bacteria; Bacillati; Bacillota; Bacilli; Bacillales; Staphylococcaceae; Staphylococcus."),
    new Bacterium(
        "Pseudomonas aeruginosa",
        "PAER",
        287,
        "Bacteria; Pseudomonadati; Pseudomonadota; Gammaproteobacteria; Pseudomonadales;"
            + " Pseudomonadaceae; Pseudomonas."),
    new Bacterium(
        "Mycobacterium tuberculosis",
        "MTB",
        1773,
        "Bacteria; Bacillati; Actinomycetota; Actinomycetes; Mycobacteriales;"
            + " Mycobacteriaceae; Mycobacterium; Mycobacterium tuberculosis complex."),
    new Bacterium(
        "Klebsiella pneumoniae",
        "KPN",
        573,
        "Bacteria; Pseudomonadati; Pseudomonadota; Gammaproteobacteria; Enterobacterales;"
            + " Enterobacteriaceae; Klebsiella/Raoultella group; Klebsiella; Klebsiella"
            + " pneumoniae complex."),
  };

  private static final String[] BACTERIAL_PRODUCTS = {
    "hypothetical protein",
    "hypothetical protein",
    "hypothetical protein",
    "DNA gyrase subunit A",
    "DNA-directed RNA polymerase subunit beta",
    "ABC transporter ATP-binding protein",
    "ABC transporter permease",
    "LysR family transcriptional regulator",
    "TetR/AcrR family transcriptional regulator",
    "30S ribosomal protein S12",
    "50S ribosomal protein L2",
    "elongation factor Tu",
    "chaperonin GroEL",
    "NADH-quinone oxidoreductase subunit N",
    "MFS transporter",
    "two-component system sensor histidine kinase",
    "response regulator transcription factor",
    "glutamate--tRNA ligase",
    "ATP-dependent protease ATPase subunit HslU",
    "SDR family oxidoreductase",
    "GNAT family N-acetyltransferase",
    "IS3 family transposase",
    "outer membrane protein assembly factor BamA",
    "type I secretion system permease/ATPase",
    "bifunctional aspartate kinase/homoserine" + " dehydrogenase I"
  };

  private static final String[] COUNTRIES = {
    "USA: California",
    "China: Wuhan",
    "Japan: Hokkaido",
    "Brazil",
    "India: Kerala",
    "South Africa",
    "Germany",
    "Viet Nam",
    "Kenya",
    "Peru: Lima",
    "Australia: Victoria"
  };

  private static final String[] SURNAMES = {
    "Wu",
    "Zhao",
    "Horiuchi",
    "Smith",
    "Garcia",
    "Muller",
    "Nguyen",
    "Okafor",
    "Ivanova",
    "Tanaka",
    "Silva",
    "Kumar",
    "Johansson",
    "Rossi",
    "Kim",
    "Cohen"
  };

  private static final String[] TITLE_WORDS = {
    "genetic",
    "diversity",
    "of",
    "novel",
    "strains",
    "circulating",
    "in",
    "the",
    "complete",
    "genome",
    "sequence",
    "phylogenetic",
    "analysis",
    "molecular",
    "characterization",
    "emergence",
    "surveillance",
    "recombinant",
    "isolated",
    "from",
    "patients",
    "with",
    "respiratory",
    "disease",
    "outbreak",
    "during",
    "evolution",
    "and",
    "host",
    "adaptation"
  };

  private static final String[] NOTES = {
    "frameshift at the slippery sequence; translated by -1 ribosomal frameshift",
    "similar to the reference strain; contains a 12 nt insertion relative to the prototype",
    "putative; predicted by sequence similarity, no experimental evidence of expression",
    "derived by automated computational analysis using gene prediction method: Protein Homology",
    "nonfunctional due to frameshift; internal stop codons"
  };

  /** Amino acids by their frequency in UniProt, as a 1024-entry table indexed by 10 random bits. */
  private static final byte[] AMINO = aminoTable();

  private static final byte[] BASES = {'a', 'c', 'g', 't'};

  private final SplittableRandom plan;
  private final SplittableRandom rnd;
  private final int fileIndex;
  private final int bigEvery;

  /** {@link #write}'s accession slot, or -1 for the bench's layout, kept so its dumps stay put. */
  private final int slot;

  /** The planned records: 0 for viral, 1 for bacterial, and their lengths. */
  private byte[] kinds = new byte[1024];

  private int[] lengths = new int[1024];
  private int planned;

  long records;
  long bigRecords;
  long features;
  long cds;
  long totalBases;
  long bigBytes;
  private long proteinCounter;
  private final byte[] seqLine = new byte[80];

  private GenbankDump(long seed, int fileIndex, int bigEvery, int slot) {
    SplittableRandom root = new SplittableRandom(seed);
    this.plan = root.split();
    this.rnd = root.split();
    this.fileIndex = fileIndex;
    this.bigEvery = bigEvery;
    this.slot = slot;
  }

  /**
   * Chooses kind and length of every record until the estimated text reaches {@code targetBytes}
   * (or exactly {@code count} records when positive). Big records sit in the middle of each block
   * of {@code bigEvery}, so any prefix of a few blocks has the file's mix.
   */
  private void plan(long targetBytes, long count) {
    long estimate = 600;
    while (count > 0 ? planned < count : estimate < targetBytes) {
      boolean big = bigEvery > 0 && planned % bigEvery == bigEvery / 2;
      int len;
      if (big) {
        len = 2_000_000 + plan.nextInt(4_000_001);
        // Sequence text, one gene + CDS pair per ~1.1 kb with its translation, headers.
        estimate += (long) (len * 1.267) + (long) (len * 0.866) + 3_000;
      } else {
        len = (int) Math.round(Math.exp(Math.log(1000) + plan.nextDouble() * Math.log(30)));
        estimate += (long) (len * 1.267) + (long) (len * 0.445) + 2_160;
      }
      if (planned == kinds.length) {
        kinds = Arrays.copyOf(kinds, planned * 2);
        lengths = Arrays.copyOf(lengths, planned * 2);
      }
      kinds[planned] = (byte) (big ? 1 : 0);
      lengths[planned] = len;
      planned++;
    }
  }

  private void write(ByteOut w, int part) throws IOException {
    long bases = 0;
    for (int i = 0; i < planned; i++) {
      bases += lengths[i];
    }
    int y = 2025;
    int month = rnd.nextInt(12);
    w.text(String.format(Locale.ROOT, "GBVRL%d.SEQ          Genetic Sequence Data Bank\n", part));
    w.text(
        String.format(
            Locale.ROOT, "                          %s %d %d\n", MONTH_NAMES[month], 15, y));
    w.nl();
    w.text("                NCBI-GenBank Flat File Release 265.0\n");
    w.nl();
    w.text(String.format(Locale.ROOT, "                     Viral Sequences (Part %d)\n", part));
    w.nl();
    w.text(
        String.format(
            Locale.ROOT,
            "%8d loci, %11d bases, from %8d reported sequences\n",
            planned,
            bases,
            planned));
    w.nl();
    for (int i = 0; i < planned; i++) {
      long before = w.count;
      if (kinds[i] == 1) {
        bacterial(w, i, lengths[i]);
        bigRecords++;
        bigBytes += w.count - before;
      } else {
        viral(w, i, lengths[i]);
      }
      records++;
      totalBases += lengths[i];
    }
  }

  // ------------------------------------------------------------------------------------ records

  private String accession(int n, boolean big) {
    if (slot >= 0) {
      // Tests load files of several seeds into one database: the seed picks the letters and the
      // top two of eight digits (GenBank's newer 2+8 form), the record number the other six.
      return String.format(
          Locale.ROOT,
          "%c%c%08d",
          (char) ('A' + slot / 26 % 26),
          (char) ('A' + slot % 26),
          slot / 676 * 1_000_000L + n);
    }
    if (big) {
      return "CP"
          + String.format(Locale.ROOT, "%06d", (fileIndex * 40_000 + bigRecords) % 1_000_000);
    }
    int pair = fileIndex * 4 + n / 1_000_000;
    String prefix =
        pair < PREFIXES.length
            ? PREFIXES[pair]
            : "" + (char) ('D' + (pair / 26) % 22) + (char) ('A' + pair % 26);
    return prefix + String.format(Locale.ROOT, "%06d", n % 1_000_000);
  }

  private String date() {
    return String.format(
        Locale.ROOT,
        "%02d-%s-%d",
        1 + rnd.nextInt(28),
        MONTHS[rnd.nextInt(12)],
        1995 + rnd.nextInt(30));
  }

  private void locus(
      ByteOut w, String name, int len, String strand, String mol, String topo, String div)
      throws IOException {
    StringBuilder b = new StringBuilder(80);
    b.append("LOCUS       ").append(name);
    String l = Integer.toString(len);
    // Name from column 13, the length right-justified to end at column 40.
    while (b.length() < 40 - l.length()) {
      b.append(' ');
    }
    if (b.length() > 40 - l.length()) {
      b.append(' ');
    }
    b.append(l).append(" bp ").append(strand);
    b.append(pad(mol, 7)).append(' ').append(pad(topo, 8)).append(' ').append(div).append(' ');
    b.append(date()).append('\n');
    w.text(b);
  }

  private static String pad(String s, int n) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < n) {
      b.append(' ');
    }
    return b.toString();
  }

  private void viral(ByteOut w, int n, int len) throws IOException {
    Virus v = VIRUSES[rnd.nextInt(VIRUSES.length)];
    String acc = accession(n, false);
    boolean partial = rnd.nextInt(3) == 0;
    String isolate =
        (v.mol.equals("RNA") ? "isolate " : "strain ")
            + SURNAMES[rnd.nextInt(SURNAMES.length)].toUpperCase(Locale.ROOT).charAt(0)
            + "-"
            + (1 + rnd.nextInt(9999))
            + "/"
            + (1995 + rnd.nextInt(30));
    int geneChoice = rnd.nextInt(v.genes.length);
    locus(w, acc, len, v.strand, v.mol, "linear", "VRL");
    String def =
        v.name
            + " "
            + isolate
            + (partial
                ? " " + v.genes[geneChoice] + " gene, partial cds."
                : len > 8000
                    ? ", complete genome."
                    : " " + v.products[geneChoice] + " gene, complete cds.");
    field(w, "DEFINITION  ", def);
    w.text("ACCESSION   ").text(acc).nl();
    w.text("VERSION     ")
        .text(acc)
        .text(".")
        .num(1 + (rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(2) : 0))
        .nl();
    w.text("KEYWORDS    ").text(rnd.nextInt(4) == 0 ? "RefSeq." : ".").nl();
    w.text("SOURCE      ").text(v.name).nl();
    w.text("  ORGANISM  ").text(v.name).nl();
    field(w, "            ", v.lineage);
    references(w, len);
    if (rnd.nextInt(3) == 0) {
      w.text("COMMENT     ##Assembly-Data-START##\n");
      w.text("            Assembly Method       :: SPAdes v. 3.15\n");
      w.text("            Sequencing Technology :: Illumina\n");
      w.text("            ##Assembly-Data-END##\n");
    }
    w.text("FEATURES             Location/Qualifiers\n");
    int target = 2 + rnd.nextInt(11);
    int feats = 0;
    // source
    feature(w, "source", "1.." + len);
    qual(w, "organism", v.name, true);
    qual(w, "mol_type", v.mol.equals("RNA") ? "genomic RNA" : "genomic DNA", true);
    qual(
        w,
        v.mol.equals("RNA") ? "isolate" : "strain",
        isolate.substring(isolate.indexOf(' ') + 1),
        true);
    qual(w, "host", v.host, true);
    qual(w, "db_xref", "taxon:" + v.taxon, true);
    if (rnd.nextBoolean()) {
      qual(w, "country", COUNTRIES[rnd.nextInt(COUNTRIES.length)], true);
      qual(w, "collection_date", date(), true);
    }
    feats++;
    if (partial) {
      // A gene fragment: partial at both ends, the reading frame from codon_start.
      String loc = "<1..>" + len;
      int codonStart = 1 + rnd.nextInt(3);
      feature(w, "gene", loc);
      qual(w, "gene", v.genes[geneChoice], true);
      feature(w, "CDS", loc);
      qual(w, "gene", v.genes[geneChoice], true);
      qual(w, "codon_start", Integer.toString(codonStart), false);
      cdsQualifiers(w, v.products[geneChoice], (len - codonStart + 1) / 3, false, v);
      feats += 2;
      cds++;
      if (feats < target && len > 600) {
        feature(w, "misc_feature", (100 + rnd.nextInt(200)) + ".." + (len - rnd.nextInt(100)));
        qual(w, "note", "conserved domain; " + NOTES[rnd.nextInt(NOTES.length)], true);
        feats++;
      }
    } else {
      int lastEnd = 0;
      int pairs = Math.max(1, Math.min((target - 1) / 2, 1 + len / 1500));
      int slot = len / pairs;
      int utr5 = Math.min(slot / 10, 20 + rnd.nextInt(200));
      if (feats < target - 2 * pairs && utr5 > 1) {
        feature(w, "5'UTR", "1.." + utr5);
        feats++;
      }
      for (int p = 0; p < pairs; p++) {
        int s0 = p * slot + 1 + (p == 0 ? utr5 : rnd.nextInt(Math.max(1, slot / 12)));
        int e0 = (p + 1) * slot - rnd.nextInt(Math.max(1, slot / 12));
        int span = (e0 - s0 + 1) / 3 * 3;
        if (span < 90) {
          span = Math.max(3, Math.min(90, (len - s0 + 1) / 3 * 3));
        }
        int e = s0 + span - 1;
        int gi = (geneChoice + p) % v.genes.length;
        String loc;
        int coding;
        int roll = rnd.nextInt(100);
        if (roll < 15 && span > 600) {
          // -1 ribosomal frameshift, as ORF1ab: join(266..13468,13468..21555).
          int mid = s0 + span / 3 - 1;
          loc = "join(" + s0 + ".." + mid + "," + mid + ".." + e + ")";
          coding = span + 1;
        } else if (roll < 25 && span > 900) {
          // A spliced gene: two exons around an intron.
          int a = s0 + span / 4;
          int b = a + 60 + rnd.nextInt(Math.max(1, span / 4));
          loc = "join(" + s0 + ".." + a + "," + b + ".." + e + ")";
          coding = (a - s0 + 1) + (e - b + 1);
        } else {
          loc = s0 + ".." + e;
          coding = span;
        }
        if (rnd.nextInt(5) == 0) {
          loc = "complement(" + loc + ")";
        }
        feature(
            w,
            "gene",
            loc.startsWith("complement") ? "complement(" + s0 + ".." + e + ")" : s0 + ".." + e);
        lastEnd = e;
        qual(w, "gene", v.genes[gi], true);
        feature(w, "CDS", loc);
        qual(w, "gene", v.genes[gi], true);
        if (loc.contains("join(") && coding == span + 1) {
          qual(w, "ribosomal_slippage", null, false);
        }
        qual(w, "codon_start", "1", false);
        cdsQualifiers(w, v.products[gi], Math.max(1, coding / 3 - 1), true, v);
        feats += 2;
        cds++;
        if (feats < target && span > 1500 && rnd.nextInt(3) == 0) {
          int ms = s0 + 3 * rnd.nextInt(span / 9);
          feature(w, "mat_peptide", ms + ".." + Math.min(e, ms + 3 * (50 + rnd.nextInt(300)) - 1));
          qual(w, "gene", v.genes[gi], true);
          qual(w, "product", "nsp" + (1 + rnd.nextInt(16)), true);
          feats++;
        }
      }
      while (feats < target) {
        if (rnd.nextBoolean() && lastEnd + 40 < len) {
          int s = lastEnd + 1 + rnd.nextInt(Math.max(1, Math.min(40, len - lastEnd - 20)));
          feature(w, "3'UTR", s + ".." + len);
        } else {
          int s = 1 + rnd.nextInt(Math.max(1, len - 60));
          feature(w, "misc_feature", s + ".." + Math.min(len, s + 20 + rnd.nextInt(400)));
          qual(w, "note", NOTES[rnd.nextInt(NOTES.length)], true);
        }
        feats++;
      }
    }
    features += feats;
    origin(w, len);
  }

  private void cdsQualifiers(ByteOut w, String product, int aa, boolean startsWithM, Virus v)
      throws IOException {
    qual(w, "product", product, true);
    if (rnd.nextInt(4) == 0) {
      qual(w, "note", NOTES[rnd.nextInt(NOTES.length)], true);
    }
    String pid = proteinId();
    qual(w, "protein_id", pid, true);
    // db_xref repeats: the GI number, GeneID and a UniProt entry on a third of them.
    qual(w, "db_xref", "GI:" + (100_000_000 + proteinCounter * 7 + fileIndex), true);
    if (rnd.nextBoolean()) {
      qual(w, "db_xref", "GeneID:" + (40_000_000 + rnd.nextInt(9_000_000)), true);
    }
    if (rnd.nextInt(3) == 0) {
      qual(w, "db_xref", "UniProtKB/TrEMBL:A0A" + (char) ('0' + rnd.nextInt(10)) + uniprot(), true);
    }
    translation(w, aa, startsWithM);
  }

  private String proteinId() {
    long k = proteinCounter++;
    int file = fileIndex % 26;
    return String.format(
        Locale.ROOT,
        "%c%c%c%05d.1",
        (char) ('Q' + file % 10),
        (char) ('A' + file),
        (char) ('A' + (k / 100_000) % 26),
        k % 100_000);
  }

  private String uniprot() {
    StringBuilder b = new StringBuilder(6);
    for (int i = 0; i < 6; i++) {
      int r = rnd.nextInt(36);
      b.append((char) (r < 10 ? '0' + r : 'A' + r - 10));
    }
    return b.toString();
  }

  private void references(ByteOut w, int len) throws IOException {
    int refs = 1 + rnd.nextInt(2);
    for (int r = 1; r <= refs; r++) {
      w.text("REFERENCE   ").num(r).text("  (bases 1 to ").num(len).text(")\n");
      StringBuilder authors = new StringBuilder();
      int na = 1 + rnd.nextInt(8);
      for (int a = 0; a < na; a++) {
        if (a > 0) {
          authors.append(a == na - 1 ? " and " : ", ");
        }
        authors
            .append(SURNAMES[rnd.nextInt(SURNAMES.length)])
            .append(',')
            .append((char) ('A' + rnd.nextInt(26)))
            .append('.');
      }
      field(w, "  AUTHORS   ", authors.toString());
      if (r < refs) {
        StringBuilder t = new StringBuilder();
        int nw = 6 + rnd.nextInt(14);
        for (int i = 0; i < nw; i++) {
          if (i > 0) {
            t.append(' ');
          }
          t.append(TITLE_WORDS[rnd.nextInt(TITLE_WORDS.length)]);
        }
        field(w, "  TITLE     ", Character.toUpperCase(t.charAt(0)) + t.substring(1));
        field(
            w,
            "  JOURNAL   ",
            "J. Virol. "
                + (50 + rnd.nextInt(50))
                + " ("
                + (1 + rnd.nextInt(24))
                + "), "
                + (1 + rnd.nextInt(9000))
                + "-"
                + (9001 + rnd.nextInt(900))
                + " ("
                + (1995 + rnd.nextInt(30))
                + ")");
        w.text("   PUBMED   ").num(10_000_000 + rnd.nextInt(30_000_000)).nl();
      } else {
        w.text("  TITLE     Direct Submission\n");
        field(
            w,
            "  JOURNAL   ",
            "Submitted ("
                + date()
                + ") "
                + SURNAMES[rnd.nextInt(SURNAMES.length)]
                + ", Department of Virology, Institute of Infectious Diseases, 1-2-3 Research"
                + " Park Road, "
                + COUNTRIES[rnd.nextInt(COUNTRIES.length)]);
      }
    }
  }

  private void bacterial(ByteOut w, int n, int len) throws IOException {
    Bacterium b = BACTERIA[rnd.nextInt(BACTERIA.length)];
    String acc = accession(n, true);
    String strain = "strain " + b.tag + "-" + (100 + rnd.nextInt(9900));
    locus(w, acc, len, "   ", "DNA", "circular", "BCT");
    field(w, "DEFINITION  ", b.name + " " + strain + " chromosome, complete genome.");
    w.text("ACCESSION   ").text(acc).nl();
    w.text("VERSION     ").text(acc).text(".1\n");
    w.text("DBLINK      BioProject: PRJNA").num(200_000 + rnd.nextInt(800_000)).nl();
    w.text("            BioSample: SAMN").num(10_000_000 + rnd.nextInt(9_000_000)).nl();
    w.text("KEYWORDS    .\n");
    w.text("SOURCE      ").text(b.name).nl();
    w.text("  ORGANISM  ").text(b.name).nl();
    field(w, "            ", b.lineage);
    references(w, len);
    w.text("FEATURES             Location/Qualifiers\n");
    feature(w, "source", "1.." + len);
    qual(w, "organism", b.name, true);
    qual(w, "mol_type", "genomic DNA", true);
    qual(w, "strain", strain.substring(7), true);
    qual(w, "db_xref", "taxon:" + b.taxon, true);
    long feats = 1;
    int pos = 1 + rnd.nextInt(300);
    int gene = 0;
    while (true) {
      int roll = rnd.nextInt(100);
      int glen;
      String kind;
      if (roll < 2) {
        kind = "tRNA";
        glen = 73 + rnd.nextInt(20);
      } else if (roll < 3) {
        kind = "rRNA";
        glen = rnd.nextBoolean() ? 1542 : 2904;
      } else {
        kind = "CDS";
        // Protein lengths: most 150-500 aa, a long tail.
        int aa = 60 + (int) Math.min(2500, -Math.log(1 - rnd.nextDouble()) * 280);
        glen = 3 * (aa + 1);
      }
      if (pos + glen + 10 >= len) {
        break;
      }
      int s = pos;
      int e = pos + glen - 1;
      boolean minus = rnd.nextBoolean();
      String loc = minus ? "complement(" + s + ".." + e + ")" : s + ".." + e;
      String tag = b.tag + "_" + String.format(Locale.ROOT, "%05d", (++gene) * 5);
      feature(w, "gene", loc);
      qual(w, "locus_tag", tag, true);
      boolean pseudo = kind.equals("CDS") && rnd.nextInt(60) == 0;
      if (pseudo) {
        qual(w, "pseudo", null, false);
      }
      feature(w, kind, loc);
      qual(w, "locus_tag", tag, true);
      feats += 2;
      if (kind.equals("CDS")) {
        cds++;
        qual(
            w,
            "inference",
            "COORDINATES: similar to AA sequence:RefSeq:WP_0"
                + (10_000_000 + rnd.nextInt(89_999_999))
                + ".1",
            true);
        if (pseudo) {
          qual(w, "pseudo", null, false);
          qual(w, "note", NOTES[4], true);
        } else {
          qual(w, "codon_start", "1", false);
          qual(w, "transl_table", "11", false);
          qual(w, "product", BACTERIAL_PRODUCTS[rnd.nextInt(BACTERIAL_PRODUCTS.length)], true);
          qual(w, "protein_id", "WP_" + (100_000_000 + rnd.nextInt(900_000_000)) + ".1", true);
          qual(w, "db_xref", "GI:" + (1_000_000_000L + rnd.nextInt(1_000_000_000)), true);
          translation(w, glen / 3 - 1, true);
        }
      } else if (kind.equals("tRNA")) {
        qual(
            w,
            "product",
            "tRNA-" + new String[] {"Ala", "Gly", "Leu", "Ser", "Arg"}[rnd.nextInt(5)],
            true);
      } else {
        qual(w, "product", glen == 1542 ? "16S ribosomal RNA" : "23S ribosomal RNA", true);
      }
      // Intergenic gaps of up to 280 bp, sometimes a short overlap, as in real genomes.
      pos = e + 1 + rnd.nextInt(300) - 20;
    }
    features += feats;
    origin(w, len);
  }

  // ------------------------------------------------------------------------------------ layout

  /** A header field (12-column key) word-wrapped at column 79 with 12-space continuations. */
  private static void field(ByteOut w, String key, String value) throws IOException {
    wrap(w, key, "            ", value, false);
  }

  /** A feature key at column 6 and its location at 22, wrapped after commas when long. */
  private static void feature(ByteOut w, String key, String loc) throws IOException {
    StringBuilder b = new StringBuilder(80);
    b.append("     ").append(key);
    while (b.length() < 21) {
      b.append(' ');
    }
    w.text(b);
    if (loc.length() <= WIDTH - 21) {
      w.text(loc).nl();
      return;
    }
    int start = 0;
    while (loc.length() - start > WIDTH - 21) {
      int cut = loc.lastIndexOf(',', start + WIDTH - 21 - 1);
      if (cut < start) {
        cut = start + WIDTH - 21 - 1;
      }
      w.text(loc.substring(start, cut + 1)).nl().text(INDENT);
      start = cut + 1;
    }
    w.text(loc.substring(start)).nl();
  }

  /** A qualifier at column 22: {@code /name="value"} word-wrapped; {@code /name} alone for null. */
  private static void qual(ByteOut w, String name, String value, boolean quoted)
      throws IOException {
    String text =
        value == null
            ? "/" + name
            : quoted ? "/" + name + "=\"" + value + "\"" : "/" + name + "=" + value;
    wrap(w, INDENT, INDENT, text, false);
  }

  /**
   * Writes {@code text} after {@code first}, continuing on lines starting with {@code next}, none
   * longer than 79 columns: broken at the last space that fits (the space dropped), or hard.
   */
  private static void wrap(ByteOut w, String first, String next, String text, boolean hard)
      throws IOException {
    String prefix = first;
    int start = 0;
    while (true) {
      int room = WIDTH - prefix.length();
      w.text(prefix);
      if (text.length() - start <= room) {
        w.text(text, start, text.length()).nl();
        return;
      }
      int cut = hard ? -1 : text.lastIndexOf(' ', start + room);
      if (cut <= start) {
        w.text(text, start, start + room).nl();
        start += room;
      } else {
        w.text(text, start, cut).nl();
        start = cut + 1;
      }
      prefix = next;
    }
  }

  /** {@code /translation="M…"}: random residues by natural frequency, hard-wrapped at 79. */
  private void translation(ByteOut w, int aa, boolean startsWithM) throws IOException {
    w.text(INDENT).text("/translation=\"");
    int col = 21 + 14;
    long bits = 0;
    int left = 0;
    for (int i = 0; i < aa; i++) {
      if (col == WIDTH) {
        w.nl().text(INDENT);
        col = 21;
      }
      byte c;
      if (i == 0 && startsWithM) {
        c = 'M';
      } else {
        if (left == 0) {
          bits = rnd.nextLong();
          left = 6;
        }
        c = AMINO[(int) (bits & 1023)];
        bits >>>= 10;
        left--;
      }
      w.b(c);
      col++;
    }
    if (col == WIDTH) {
      w.nl().text(INDENT);
    }
    w.b('"').nl();
  }

  /** ORIGIN, then {@code %9d} and six blocks of ten lowercase bases per line, then {@code //}. */
  private void origin(ByteOut w, int len) throws IOException {
    w.text("ORIGIN      \n");
    byte[] line = seqLine;
    long bits = 0;
    int left = 0;
    for (int pos = 1; pos <= len; pos += 60) {
      // %9d: the position right-justified in 9 columns.
      int p = 9;
      int v = pos;
      Arrays.fill(line, 0, 9, (byte) ' ');
      while (v > 0) {
        line[--p] = (byte) ('0' + v % 10);
        v /= 10;
      }
      int k = 9;
      int n = Math.min(60, len - pos + 1);
      for (int i = 0; i < n; i++) {
        if (i % 10 == 0) {
          line[k++] = ' ';
        }
        if (left == 0) {
          bits = rnd.nextLong();
          left = 32;
        }
        line[k++] = BASES[(int) (bits & 3)];
        bits >>>= 2;
        left--;
      }
      line[k++] = '\n';
      w.bytes(line, k);
    }
    w.text("//\n");
  }

  private static byte[] aminoTable() {
    String letters = "LAGVESIKRDTPNQFYMHCW";
    double[] freq = {
      9.9, 8.3, 7.1, 6.9, 6.8, 6.6, 5.9, 5.8, 5.5, 5.5, 5.3, 4.7, 4.1, 3.9, 3.9, 2.9, 2.4, 2.3, 1.4,
      1.1
    };
    double total = 0;
    for (double f : freq) {
      total += f;
    }
    byte[] t = new byte[1024];
    int k = 0;
    double acc = 0;
    for (int i = 0; i < freq.length; i++) {
      acc += freq[i];
      int upto = i == freq.length - 1 ? 1024 : (int) Math.round(acc / total * 1024);
      while (k < upto) {
        t[k++] = (byte) letters.charAt(i);
      }
    }
    return t;
  }

  // ------------------------------------------------------------------------------------ output

  /** An ASCII byte buffer that counts what it writes (the uncompressed size). */
  private static final class ByteOut {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int n;
    long count;

    ByteOut(OutputStream out) {
      this.out = out;
    }

    ByteOut b(int c) throws IOException {
      if (n == buf.length) {
        drain();
      }
      buf[n++] = (byte) c;
      count++;
      return this;
    }

    ByteOut nl() throws IOException {
      return b('\n');
    }

    ByteOut text(CharSequence s) throws IOException {
      return text(s, 0, s.length());
    }

    ByteOut text(CharSequence s, int from, int to) throws IOException {
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c > 127) {
          byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
          for (byte x : u) {
            b(x);
          }
        } else {
          b(c);
        }
      }
      return this;
    }

    ByteOut num(long v) throws IOException {
      return text(Long.toString(v));
    }

    void bytes(byte[] src, int len) throws IOException {
      if (n + len > buf.length) {
        drain();
      }
      System.arraycopy(src, 0, buf, n, len);
      n += len;
      count += len;
    }

    private void drain() throws IOException {
      out.write(buf, 0, n);
      n = 0;
    }

    void flush() throws IOException {
      drain();
      out.flush();
    }
  }

  /** Counts bytes passing through: the file's size as written (compressed or not). */
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
