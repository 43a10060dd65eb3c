import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineReader;
import dev.pgingest.format.gff3.Gff3Codec;
import dev.pgingest.format.gff3.Gff3Record;
import dev.pgingest.sink.Column;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.workload.ybrowse.VariantMapper;
import dev.pgingest.workload.ybrowse.VariantRow;
import dev.pgingest.workload.ybrowse.YBrowseDump;
import dev.pgingest.workload.ybrowse.YBrowsePipeline;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * jobs/ybrowse-variants.yaml: a YBrowse SNP dump into {@code variant}, records of one SNP merged;
 * the COPY baseline loads the same merged rows, prepared with the project's own codec and mapper.
 */
final class YBrowseWorkload implements Workload {

  private static final long SEED = 20_180_606L;

  /** The columns the cross-check compares (the keys and the run stamps differ by nature). */
  private static final List<String> COMPARED =
      List.of("canonical_name", "haplogroup", "variant_type", "coordinates", "aliases", "evidence");

  /** Counts of the bench's own reading of the dump, to hold against pgingest's summary. */
  private record Expected(long read, long rejected, long duplicates, long rows) {}

  /** A per-key accumulator mirroring the engine's dedup: exact repeats dropped, others merged. */
  private static final class Acc {
    VariantRow row;
    long[] fingerprints;

    Acc(VariantRow row) {
      this.row = row;
      this.fingerprints = new long[] {row.fingerprint()};
    }
  }

  private final int lines;
  private Path dump;
  private Path rows;
  private List<String> columns;
  private String table;
  private Expected expected;

  YBrowseWorkload(int lines) {
    this.lines = lines;
  }

  @Override
  public String name() {
    return "ybrowse";
  }

  @Override
  public String size() {
    return String.format(Locale.ROOT, "%,d lines", lines);
  }

  @Override
  public void prepare(Harness h) throws Exception {
    dump = h.work().resolve(String.format(Locale.ROOT, "ybrowse-%d-s%d.gff3", lines, SEED));
    Generated.ensure(
        dump,
        "lines=" + lines + " seed=" + SEED + " " + Generated.digest(YBrowseDump.class),
        () -> {
          YBrowseDump.Stats s = YBrowseDump.write(dump, lines, SEED);
          return s.dataLines() + " data lines, " + s.malformed() + " malformed, " + s.bytes() + " bytes";
        });
    Path specFile = h.jobSpec("ybrowse-variants.yaml");
    JobSpec spec =
        JobSpecParser.parse(
            Files.readString(specFile, StandardCharsets.UTF_8),
            specFile.toString(),
            specFile.getParent(),
            Map.of("target.schema", schema()));
    TableDef<VariantRow> def = new YBrowsePipeline().table(spec);
    table = spec.target().table();
    columns =
        Stream.concat(
                def.columns().stream().map(c -> SqlNames.ident(c.name())),
                Stream.of(TableDef.CREATED_RUN, TableDef.UPDATED_RUN))
            .toList();
    rows = h.work().resolve("ybrowse-copy.tsv");
    expected =
        writeRows(def, new VariantMapper(spec.source().setting("assembly", "GRCh38")));
    h.support().execute("DROP SCHEMA IF EXISTS " + copySchema() + " CASCADE");
  }

  /**
   * Reads the dump as the engine does (LineReader, Gff3Codec, VariantMapper), keeps one row per
   * key with the engine's dedup rule (a record whose fingerprint was seen for its key is dropped,
   * the others merged in file order) and writes COPY text in first-seen order: COPY cannot load
   * two rows of one key, so this is the work a COPY user does beforehand anyway.
   */
  private Expected writeRows(TableDef<VariantRow> def, VariantMapper mapper) throws Exception {
    Map<String, Acc> merged = new LinkedHashMap<>(1 << 20);
    long[] read = {0};
    long[] rejected = {0};
    long duplicates = 0;
    List<Gff3Record> decoded = new ArrayList<>(2);
    DecodeSink<Gff3Record> sink =
        new DecodeSink<>() {
          @Override
          public void record(Gff3Record value, long lineNumber) {
            decoded.add(value);
          }

          @Override
          public void reject(long lineNumber, String reason, String raw) {
            read[0]++;
            rejected[0]++;
          }
        };
    Gff3Codec codec = new Gff3Codec();
    try (InputStream raw = Files.newInputStream(dump)) {
      LineReader in = new LineReader(raw);
      LineReader.Kind kind;
      while ((kind = in.next()) != LineReader.Kind.EOF) {
        if (kind == LineReader.Kind.BAD) {
          read[0]++;
          rejected[0]++;
          continue;
        }
        codec.line(in.text(), in.lineNumber(), sink);
        for (Gff3Record rec : decoded) {
          read[0]++;
          VariantRow row;
          try {
            row = mapper.map(rec);
          } catch (IllegalArgumentException e) {
            rejected[0]++;
            continue;
          }
          Acc acc = merged.get(row.key());
          if (acc == null) {
            merged.put(row.key(), new Acc(row));
            continue;
          }
          duplicates++;
          long fp = row.fingerprint();
          if (Arrays.stream(acc.fingerprints).noneMatch(f -> f == fp)) {
            acc.fingerprints = Arrays.copyOf(acc.fingerprints, acc.fingerprints.length + 1);
            acc.fingerprints[acc.fingerprints.length - 1] = fp;
            acc.row = acc.row.merge(row);
          }
        }
        decoded.clear();
      }
      codec.end(in.lineNumber(), sink);
    }
    List<Column<VariantRow>> cols = def.columns();
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(rows), StandardCharsets.UTF_8), 1 << 20)) {
      StringBuilder sb = new StringBuilder(1024);
      for (Acc acc : merged.values()) {
        sb.setLength(0);
        for (Column<VariantRow> c : cols) {
          Object v = c.getter().apply(acc.row);
          BenchSupport.copyField(sb, v == null ? null : v.toString());
          sb.append('\t');
        }
        // created_run / updated_run are NOT NULL; 0 marks "not written by any pgingest run".
        sb.append("0\t0\n");
        w.append(sb);
      }
    }
    Expected e = new Expected(read[0], rejected[0], duplicates, merged.size());
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  rows for COPY (untimed): %,d records read, %,d rejected, %,d duplicates merged or"
            + " dropped -> %,d rows%n",
        e.read,
        e.rejected,
        e.duplicates,
        e.rows);
    return e;
  }

  @Override
  public Invocation invocation(Harness h) {
    // The generated dump has 0.2% malformed lines (6,000 at 3M), past the shipped spec's budget
    // of 1,000 rejects, which is meant for the real dump.
    return new Invocation(
        h.jobSpec("ybrowse-variants.yaml"),
        dump,
        h.quick() ? "2g" : "6g",
        List.of("--set", "max-rejects=100000"));
  }

  /** COPY into a bare twin, then its keys and the GIN indexes on as many connections as cores. */
  @Override
  public BenchSupport.Timed baseline(Harness h, Summary summary) throws Exception {
    BenchSupport b = h.support();
    List<List<String>> deferred = b.bareTwins(schema(), copySchema(), List.of(table));
    BenchSupport.Timed t =
        b.copyFresh(copySchema(), List.of(new BenchSupport.CopyFile(table, columns, rows)), deferred);
    Files.deleteIfExists(rows);
    return t;
  }

  @Override
  public boolean check(Harness h, Summary summary) throws Exception {
    long read = summary.get(table, "read");
    long rejected = summary.get(table, "rejected");
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  read %,d vs %,d, rejected %,d vs %,d, duplicates %,d vs %,d (pgingest vs the bench's"
            + " own reading)%n",
        read,
        expected.read,
        rejected,
        expected.rejected,
        summary.get(table, "duplicates"),
        expected.duplicates);
    boolean same =
        h.support().compare(schema(), copySchema(), table, List.of("variant_key"), COMPARED);
    return same && read == expected.read && rejected == expected.rejected;
  }
}
