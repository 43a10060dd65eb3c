package dev.pgingest.workload.genbank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.format.genbank.FeatureSpool;
import dev.pgingest.format.genbank.GenbankCodec;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.testutil.CodecFeed;
import dev.pgingest.workload.genbank.GenbankDump.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GenBank generator: files our codec reads without a reject, counts as stated, determinism. */
class GenbankDumpTest {

  private static final int RECORDS = 200;
  private static final long SEED = 11;

  @TempDir Path dir;

  @Test
  void plainFileDecodesWithTheCountsOfTheStats() throws IOException {
    Path file = dir.resolve("gbvrl1.seq");
    Stats stats = GenbankDump.write(file, RECORDS, SEED);

    assertThat(stats.records()).isEqualTo(RECORDS);
    assertThat(stats.bigRecords()).isZero();
    assertThat(stats.files()).isEqualTo(1);
    assertThat(stats.bytes()).isEqualTo(Files.size(file)).isEqualTo(stats.size());
    List<GenbankRecord> records = decode(file, null);
    assertMatches(records, stats);
  }

  @Test
  void gzFileDecodesToTheRecordsOfThePlainOne() throws IOException {
    Path plain = dir.resolve("gbvrl1.seq");
    Path gz = dir.resolve("gbvrl1.seq.gz");
    Stats plainStats = GenbankDump.write(plain, RECORDS, SEED);
    Stats gzStats = GenbankDump.write(gz, RECORDS, SEED);

    // Compression is the only difference: the text and its counts are the plain file's.
    assertThat(gzStats.size()).isEqualTo(Files.size(gz)).isLessThan(gzStats.bytes());
    assertThat(gzStats).isEqualTo(withSize(plainStats, gzStats.size()));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(plain));
    }
    List<GenbankRecord> records = decode(gz, null);
    assertMatches(records, gzStats);
  }

  @Test
  void cdsCountIsTheCodecsCountOfCdsFeatures() throws IOException {
    Path file = dir.resolve("gbvrl1.seq");
    Stats stats = GenbankDump.write(file, RECORDS, SEED);
    // Features reach only the spool, so this decode spools to count them by key.
    Path spool = Files.createDirectories(dir.resolve("spool"));

    List<GenbankRecord> records = decode(file, spool);
    long[] cds = {0};
    long[] features = {0};
    for (GenbankRecord r : records) {
      FeatureSpool.read(
          Path.of(r.featureSpool()),
          f -> {
            features[0]++;
            if (f.key().equals("CDS")) {
              cds[0]++;
            }
          });
    }
    assertThat(features[0]).isEqualTo(stats.features());
    assertThat(cds[0]).isEqualTo(stats.cds()).isPositive();
  }

  @Test
  void sameSeedGivesTheSameBytes() throws IOException {
    for (String name : List.of("x.seq", "x.seq.gz")) {
      Path a = dir.resolve("a-" + name);
      Path b = dir.resolve("b-" + name);
      Stats sa = GenbankDump.write(a, 50, SEED);
      Stats sb = GenbankDump.write(b, 50, SEED);
      assertThat(sb).as(name).isEqualTo(sa);
      assertThat(Files.mismatch(a, b)).as(name).isEqualTo(-1L);
    }
  }

  @Test
  void neighbouringSeedsShareNoAccession() throws IOException {
    // -1/0 and SEED_SLOTS - 1/SEED_SLOTS cross the wrap of the seed's accession slot.
    for (long s : new long[] {SEED, -1, GenbankDump.SEED_SLOTS - 1, Long.MAX_VALUE - 1}) {
      Path a = dir.resolve("s" + s + ".seq");
      Path b = dir.resolve("s" + (s + 1) + ".seq");
      GenbankDump.write(a, 50, s);
      GenbankDump.write(b, 50, s + 1);
      Set<String> first = accessionVersions(decode(a, null));
      Set<String> second = accessionVersions(decode(b, null));
      assertThat(first).as("seed %d", s).hasSize(50).doesNotContainAnyElementsOf(second);
      assertThat(second).hasSize(50);
      assertThat(Files.mismatch(a, b)).isNotEqualTo(-1L);
    }
  }

  @Test
  void recordCountOutsideTheAccessionRangeIsRefused() {
    assertThatThrownBy(() -> GenbankDump.write(dir.resolve("x.seq"), 0, SEED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> GenbankDump.write(dir.resolve("x.seq"), GenbankDump.MAX_TEST_RECORDS + 1, SEED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Every record, after checking the codec rejected nothing. */
  private static List<GenbankRecord> decode(Path file, Path spool) throws IOException {
    String name = file.getFileName().toString();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
      CodecFeed<GenbankRecord> feed = CodecFeed.read(new GenbankCodec(spool), in, name);
      assertThat(feed.rejects).as(name).isEmpty();
      return feed.values();
    }
  }

  private static void assertMatches(List<GenbankRecord> records, Stats stats) {
    assertThat(records).hasSize((int) stats.records());
    assertThat(records.stream().mapToLong(GenbankRecord::featureCount).sum())
        .isEqualTo(stats.features());
    assertThat(records.stream().mapToLong(GenbankRecord::letters).sum()).isEqualTo(stats.bases());
    assertThat(accessionVersions(records)).hasSize(records.size());
    for (GenbankRecord r : records) {
      // The header's release reaches every entry, and LOCUS states the ORIGIN's length.
      assertThat(r.release()).as(r.locusName()).isEqualTo("265.0");
      assertThat(r.division()).as(r.locusName()).isEqualTo("VRL");
      assertThat(r.length()).as(r.locusName()).isEqualTo(r.letters());
    }
  }

  private static Set<String> accessionVersions(List<GenbankRecord> records) {
    Set<String> out = new HashSet<>();
    records.forEach(r -> out.add(r.accessionVersion()));
    return out;
  }

  private static Stats withSize(Stats s, long size) {
    return new Stats(
        s.records(),
        s.bigRecords(),
        s.features(),
        s.cds(),
        s.bases(),
        s.bytes(),
        size,
        s.files(),
        s.bigBytes());
  }
}
