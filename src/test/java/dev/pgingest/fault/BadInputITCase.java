package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.testutil.Flink;
import dev.pgingest.testutil.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * R5: a corpus of damaged and hostile inputs, each alone and next to a good file. No crash and no
 * hang; each bad record a reject with file, line and reason; every good record loaded.
 *
 * <p>The nineteen cases below run on YBrowse; every job in {@code jobs/} gets the damaged files
 * that any format can meet (a plain file named {@code .gz}, binary garbage, an empty file) beside
 * its generated input, whose tables and counts must be a clean run's of that input alone. The
 * default build runs each job on its write path of R5 ({@link FaultHarness#matrix}); {@code
 * -Dfaults.full=true} runs everything on both write paths.
 */
class BadInputITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final int LIMIT = 1_048_576;

  /** A reject the run must write: its file, its line (null: 0 or 1, a file-level reject), words. */
  record Expected(Path file, Long line, List<String> words) {}

  /**
   * A bad input and what the run must make of it.
   *
   * @param good canonical names the variant table must hold, exactly
   * @param rejects in the order of file, then line
   * @param checks queries ({@code {{schema}}} for the run's schema) and the one value each returns
   */
  record Fixture(
      List<Path> files,
      TreeSet<String> good,
      List<Expected> rejects,
      long duplicates,
      Map<String, String> checks) {
    Fixture(List<Path> files, TreeSet<String> good, List<Expected> rejects) {
      this(files, good, rejects, 0, Map.of());
    }
  }

  /** Writes one case's file(s) into a folder. */
  @FunctionalInterface
  interface Case {
    Fixture write(Path dir) throws IOException;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    Map<String, Case> all = new LinkedHashMap<>();
    all.put("truncated gzip", BadInputITCase::truncatedGzip);
    all.put("not gzip but named .gz", BadInputITCase::notGzip);
    all.put("binary garbage", BadInputITCase::binaryGarbage);
    all.put("10 MB line", BadInputITCase::hugeLine);
    all.put("empty file", BadInputITCase::emptyFile);
    all.put("BOM and CRLF", BadInputITCase::bomCrlf);
    all.put("NUL byte in a value", BadInputITCase::nulByte);
    all.put("SQL-looking values", BadInputITCase::sqlLooking);
    all.put("20000 repeats of one key", BadInputITCase::repeats);
    for (String path :
        FaultHarness.full()
            ? FaultHarness.PATHS
            : List.of(FaultHarness.pathFor(FaultHarness.YBROWSE, FaultHarness.R5))) {
      for (Map.Entry<String, Case> e : all.entrySet()) {
        out.add(Arguments.of(e.getKey(), e.getValue(), false, path));
        out.add(Arguments.of(e.getKey(), e.getValue(), true, path));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, with a good file: {2}, {3}")
  @MethodSource("cases")
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void badInputBecomesRejectsAndGoodRecordsLoad(
      String name, Case c, boolean withGoodFile, String path, @TempDir Path dir) throws Exception {
    writePath = path;
    Fixture f = c.write(dir);
    List<Path> inputs = new ArrayList<>(f.files());
    TreeSet<String> good = new TreeSet<String>();
    good.addAll(f.good());
    if (withGoodFile) {
      Path ok = dir.resolve("good.gff3");
      List<String> lines = new ArrayList<>(List.of("##gff-version 3"));
      lines.addAll(goodLines("OK", 200, good));
      Files.write(ok, lines);
      inputs.add(0, ok);
    }
    String schema = TestPostgres.freshSchema("r5");
    TableSummary s = null;
    if (good.isEmpty() && !f.rejects().isEmpty()) {
      // Nothing readable at all: the run fails with one sentence naming the first reject.
      Expected first = f.rejects().get(0);
      assertThatThrownBy(() -> harness(inputs).clean(schema))
          .as("%s: the run's failure", name)
          .isInstanceOf(RunFailure.class)
          .hasMessageContaining(first.file() + ":" + (first.line() == null ? 1 : first.line()))
          .hasMessageContaining(first.words().get(0))
          .hasMessageNotContaining("\n");
    } else {
      s = FaultHarness.only(harness(inputs).clean(schema));
    }

    List<String> names =
        TestPostgres.rows(
                "SELECT canonical_name FROM "
                    + schema
                    + ".variant ORDER BY canonical_name COLLATE \"C\"")
            .stream()
            .map(l -> l.get(0))
            .toList();
    assertThat(names)
        .as("%s: variant rows by canonical name", name)
        .containsExactlyElementsOf(good);

    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT file, line_number::text, reason FROM "
                + schema
                + ".ingest_rejects ORDER BY file, line_number");
    assertThat(rejects).as("%s: rejects", name).hasSize(f.rejects().size());
    for (int i = 0; i < rejects.size(); i++) {
      List<String> got = rejects.get(i);
      Expected want = f.rejects().get(i);
      assertThat(got.get(0)).as("%s: file of reject %d", name, i).isEqualTo(want.file().toString());
      if (want.line() != null) {
        assertThat(got.get(1))
            .as("%s: line of reject %d", name, i)
            .isEqualTo(want.line().toString());
      } else {
        assertThat(got.get(1)).as("%s: line of a file-level reject", name).isIn("0", "1");
      }
      for (String w : want.words()) {
        assertThat(got.get(2).toLowerCase(Locale.ROOT))
            .as("%s: reason of reject %d", name, i)
            .contains(w.toLowerCase(Locale.ROOT));
      }
    }
    if (s != null) {
      assertThat(s.rejected()).as("%s: rejected count", name).isEqualTo(f.rejects().size());
      assertThat(s.inserted()).as("%s: inserted count", name).isEqualTo(good.size());
      assertThat(s.duplicates()).as("%s: duplicates", name).isEqualTo(f.duplicates());
    }
    for (Map.Entry<String, String> check : f.checks().entrySet()) {
      String sql = check.getKey().replace("{{schema}}", schema);
      assertThat(TestPostgres.rows(sql))
          .as("%s: %s", name, sql)
          .containsExactly(List.of(check.getValue()));
    }
    FaultHarness.figures(
        "R5 " + name + (withGoodFile ? " + good file" : ""),
        rejects.size()
            + " rejects, "
            + names.size()
            + " rows compared"
            + (s == null ? ", run failed with one sentence" : ", read " + s.read()));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFolderWithNoInputFilesFailsTheRunWithOneSentence(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("dumps"));
    assertThatThrownBy(() -> harness(List.of(empty)).clean(TestPostgres.freshSchema("r5_none")))
        .isInstanceOf(RunFailure.class)
        .hasMessageStartingWith("No input files in ")
        .hasMessageContaining(empty.getFileName().toString())
        .hasMessageNotContaining("\n");
  }

  /** The write path of the current YBrowse case. */
  private static String writePath = "auto";

  private static FaultHarness harness(List<Path> inputs) {
    return harness(FaultHarness.YBROWSE, inputs, writePath);
  }

  private static FaultHarness harness(FaultHarness.Job job, List<Path> inputs, String path) {
    Map<String, String> o = FaultHarness.defaultOverrides();
    o.put("write-path", path);
    // Some files here are all rejects on purpose; the budget is not what is under test.
    o.put("max-reject-ratio", "1");
    o.put("max-rejects", "-1");
    return new FaultHarness(job, TestPostgres.database(), inputs, o).comparingObjectsByKey();
  }

  /** A damaged file any format can meet, written into a folder beside a job's good input. */
  @FunctionalInterface
  interface AnyJobCase {
    /**
     * Writes the bad file into {@code folder}, named after {@code good} (a file of the input);
     * returns it and the words its one reject's reason holds (null: an empty file, see the test).
     */
    Map.Entry<Path, List<String>> write(Path folder, Path good) throws IOException;
  }

  static Stream<Arguments> anyJobCases() {
    Map<String, AnyJobCase> all = new LinkedHashMap<>();
    all.put(
        "plain file named .gz",
        (folder, good) -> {
          Path f = folder.resolve("copy-" + good.getFileName() + ".gz");
          Files.copy(good, f);
          return Map.entry(f, List.of("not a gzip file"));
        });
    all.put(
        "binary garbage",
        (folder, good) -> {
          Path f = folder.resolve("garbage-" + good.getFileName());
          byte[] bytes = new byte[64 * 1024];
          new SplittableRandom(6).nextBytes(bytes);
          Files.write(f, bytes);
          return Map.entry(f, List.of());
        });
    all.put(
        "empty file",
        (folder, good) ->
            new AbstractMap.SimpleEntry<>(
                Files.createFile(folder.resolve("empty-" + good.getFileName())), null));
    List<Arguments> out = new ArrayList<>();
    for (Map.Entry<FaultHarness.Job, String> m : FaultHarness.matrix(FaultHarness.R5)) {
      for (Map.Entry<String, AnyJobCase> e : all.entrySet()) {
        out.add(Arguments.of(m.getKey(), m.getValue(), e.getKey(), e.getValue()));
      }
    }
    return out.stream();
  }

  /**
   * On every job: its generated input with one damaged file beside it (in the input folder, or next
   * to the input file, the folder then being the input). The job's tables and their counts are a
   * clean run's of the good input alone, the damaged file is one reject naming it (none for an
   * empty file), and the run does not fail.
   */
  @ParameterizedTest(name = "{0}, {1}: {2}")
  @MethodSource("anyJobCases")
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void anyJobLoadsItsGoodInputBesideADamagedFile(
      FaultHarness.Job job, String path, String name, AnyJobCase c, @TempDir Path dir)
      throws Exception {
    // The clean run reads the same folder before the damaged file joins it: same paths, same rows.
    Path in = Files.createDirectories(dir.resolve("in"));
    Path goodInput = in.resolve(job.inputName());
    job.writeInput(goodInput, 2_000, 20_251_207L);
    Path folder = Files.isDirectory(goodInput) ? goodInput : in;
    List<Path> inputs = List.of(folder);
    String clean = TestPostgres.freshSchema("r5_clean");
    FaultHarness ch = harness(job, inputs, path);
    RunResult reference = ch.clean(clean, job.objectStore(dir.resolve("objects-clean")));

    Path good;
    try (Stream<Path> files = Files.walk(goodInput)) {
      good = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
    }
    Map.Entry<Path, List<String>> bad = c.write(folder, good);
    String schema = TestPostgres.freshSchema("r5_any");
    FaultHarness bh = harness(job, inputs, path);
    RunResult result = bh.clean(schema, job.objectStore(dir.resolve("objects-bad")));
    String context = job + ", " + path + ", " + name + " (" + bad.getKey() + ")";

    List<List<String>> rejects =
        TestPostgres.rows(
            "SELECT file, reason FROM "
                + schema
                + ".ingest_rejects EXCEPT ALL SELECT file, reason FROM "
                + clean
                + ".ingest_rejects");
    if (bad.getValue() == null) {
      // An empty file holds no record: no reject, or (a format whose file is one record, such as
      // a LiveRC page) one saying the file is empty.
      assertThat(rejects).as("%s: rejects beyond the clean run's", context).hasSizeLessThan(2);
      for (List<String> r : rejects) {
        assertThat(r.get(0)).as(context).isEqualTo(bad.getKey().toString());
        assertThat(r.get(1).toLowerCase(Locale.ROOT)).as(context).contains("empty");
      }
    } else {
      assertThat(rejects).as("%s: rejects beyond the clean run's", context).hasSize(1);
      assertThat(rejects.get(0).get(0)).as(context).isEqualTo(bad.getKey().toString());
      for (String w : bad.getValue()) {
        assertThat(rejects.get(0).get(1).toLowerCase(Locale.ROOT)).as(context).contains(w);
      }
    }
    long extra = rejects.size();
    assertThat(reference.tables().keySet()).as(context).isEqualTo(result.tables().keySet());
    for (Map.Entry<String, TableSummary> e : reference.tables().entrySet()) {
      TableSummary x = e.getValue();
      TableSummary a = result.tables().get(e.getKey());
      assertThat(
              List.of(
                  a.rejected(),
                  a.rows(),
                  a.duplicates(),
                  a.inserted(),
                  a.updated(),
                  a.unchanged(),
                  a.skipped()))
          .as(
              "%s: counts of %s (rejected, rows, duplicates, inserted, updated, unchanged,"
                  + " skipped)",
              context, e.getKey())
          .isEqualTo(
              List.of(
                  x.rejected() + extra,
                  x.rows(),
                  x.duplicates(),
                  x.inserted(),
                  x.updated(),
                  x.unchanged(),
                  x.skipped()));
    }
    Map<String, dev.pgingest.testutil.TableDigest.Digest> want = ch.digests(clean);
    Map<String, dev.pgingest.testutil.TableDigest.Digest> got = bh.digests(schema);
    long rows = 0;
    for (var t : dev.pgingest.graph.ResolvedJob.of(bh.spec(schema, Map.of())).tables()) {
      assertThat(got.get(t.table()).sameContent(want.get(t.table())))
          .as("%s: table %s as the clean run's: %s vs %s", context, t.table(), got, want)
          .isTrue();
      rows += got.get(t.table()).rows();
    }
    FaultHarness.figures(
        "R5 " + job + " " + path + " " + name,
        rejects.size() + " rejects beyond the clean run's, " + rows + " rows compared");
  }

  /** Good YBrowse lines with unique names {@code prefix0…}; their names go into {@code names}. */
  static List<String> goodLines(String prefix, int n, TreeSet<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + i;
      long pos = 3_000_000L + i * 17L + prefix.hashCode() % 1000;
      out.add(
          "chrY\tpoint\tsnp\t"
              + pos
              + "\t"
              + pos
              + "\t.\t+\t.\tID="
              + name
              + ";Name="
              + name
              + ";allele_anc=A;allele_der=G;isogg_haplogroup=R-M269;count_tested="
              + (i % 9));
      names.add(name);
    }
    return out;
  }

  private static byte[] text(List<String> lines) {
    return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> headed(List<String> data) {
    List<String> l = new ArrayList<>(List.of("##gff-version 3"));
    l.addAll(data);
    return l;
  }

  /**
   * A gzip cut in the middle: the complete lines before the cut load, the line after the last
   * complete one is a reject saying the data ends unexpectedly.
   */
  static Fixture truncatedGzip(Path dir) throws IOException {
    Path file = dir.resolve("cut.gff3.gz");
    List<String> all = headed(goodLines("GZ", 3000, new TreeSet<>()));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(text(all));
    }
    byte[] whole = gz.toByteArray();
    Files.write(file, Arrays.copyOf(whole, whole.length / 2));
    // What a reader gets from the cut file: every byte the inflater can still produce.
    ByteArrayOutputStream readable = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        readable.write(buf, 0, n);
      }
    } catch (EOFException expected) {
      // The point of this fixture.
    }
    String s = readable.toString(StandardCharsets.UTF_8);
    int complete = (int) s.chars().filter(ch -> ch == '\n').count();
    TreeSet<String> good = new TreeSet<String>();
    for (String line : all.subList(1, complete)) {
      good.add(line.substring(line.indexOf("Name=") + 5, line.indexOf(";allele")));
    }
    return new Fixture(
        List.of(file),
        good,
        List.of(new Expected(file, (long) complete + 1, List.of("gzip", "unexpected"))));
  }

  static Fixture notGzip(Path dir) throws IOException {
    Path file = dir.resolve("plain.gff3.gz");
    Files.write(file, text(headed(goodLines("PLAIN", 5, new TreeSet<>()))));
    return new Fixture(
        List.of(file),
        new TreeSet<String>(),
        List.of(new Expected(file, null, List.of("not a gzip file"))));
  }

  static Fixture binaryGarbage(Path dir) throws IOException {
    Path file = dir.resolve("garbage.gff3");
    byte[] bytes = new byte[64 * 1024];
    new SplittableRandom(6).nextBytes(bytes);
    Files.write(file, bytes);
    return new Fixture(
        List.of(file),
        new TreeSet<String>(),
        List.of(new Expected(file, null, List.of("not a text file"))));
  }

  /** A 10 MB line between good ones: one reject naming its length and the limit. */
  static Fixture hugeLine(Path dir) throws IOException {
    Path file = dir.resolve("huge.gff3");
    TreeSet<String> good = new TreeSet<String>();
    List<String> lines = new ArrayList<>(List.of("##gff-version 3"));
    lines.addAll(goodLines("BEFORE", 50, good));
    String huge =
        "chrY\tpoint\tsnp\t4000000\t4000000\t.\t+\t.\tID=HUGE;Name=HUGE;comment="
            + "x".repeat(10 * 1024 * 1024);
    lines.add(huge);
    long hugeLine = lines.size();
    lines.addAll(goodLines("AFTER", 50, good));
    Files.write(file, text(lines));
    return new Fixture(
        List.of(file),
        good,
        List.of(
            new Expected(
                file,
                hugeLine,
                List.of("line is " + huge.length() + " bytes long", "the limit is " + LIMIT))));
  }

  static Fixture emptyFile(Path dir) throws IOException {
    Path file = Files.createFile(dir.resolve("empty.gff3"));
    return new Fixture(List.of(file), new TreeSet<>(), List.of());
  }

  /** A Windows editor's file: byte order mark, CRLF line ends; everything in it is good. */
  static Fixture bomCrlf(Path dir) throws IOException {
    Path file = dir.resolve("windows.gff3");
    TreeSet<String> good = new TreeSet<String>();
    String body = String.join("\r\n", headed(goodLines("WIN", 40, good))) + "\r\n";
    Files.write(file, ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8));
    return new Fixture(List.of(file), good, List.of());
  }

  static Fixture nulByte(Path dir) throws IOException {
    Path file = dir.resolve("nul.gff3");
    TreeSet<String> good = new TreeSet<String>();
    List<String> lines = new ArrayList<>(List.of("##gff-version 3"));
    lines.addAll(goodLines("PRE", 20, good));
    String withNul = "chrY\tpoint\tsnp\t5000000\t5000000\t.\t+\t.\tID=NUL1;Name=NUL1;comment=a\0b";
    lines.add(withNul);
    long nulLine = lines.size();
    lines.addAll(goodLines("POST", 20, good));
    Files.write(file, text(lines));
    return new Fixture(
        List.of(file),
        good,
        List.of(
            new Expected(
                file, nulLine, List.of("NUL byte at column " + (withNul.indexOf('\0') + 1)))));
  }

  /**
   * Values that would break a statement built by string concatenation: they load as data, and a
   * malformed line full of SQL is a reject whose raw text is kept as it was.
   */
  static Fixture sqlLooking(Path dir) throws IOException {
    Path file = dir.resolve("sql.gff3");
    TreeSet<String> good = new TreeSet<String>();
    List<String> lines = new ArrayList<>(List.of("##gff-version 3"));
    lines.addAll(goodLines("SQL", 10, good));
    String[] hostile = {
      "Robert'); DROP TABLE variant;--",
      "x' OR '1'='1",
      "$$; DELETE FROM ingest_rejects; $$",
      "back\\slash \"quote\" {json}",
    };
    for (int i = 0; i < hostile.length; i++) {
      // GFF3 escapes its separators; the codec decodes them back into the value.
      String escaped = hostile[i].replace("%", "%25").replace(";", "%3B").replace("=", "%3D");
      long pos = 6_000_000L + i;
      lines.add(
          "chrY\tpoint\tsnp\t"
              + pos
              + "\t"
              + pos
              + "\t.\t+\t.\tID="
              + escaped
              + ";Name="
              + escaped
              + ";comment="
              + escaped
              + ";allele_anc=C;allele_der=T");
      good.add(hostile[i]);
    }
    String bad = "chrY\tpoint\tsnp\t'); DROP TABLE ingest_rejects;--\t1\t.\t+\t.\tID=X";
    lines.add(bad);
    long badLine = lines.size();
    Files.write(file, text(lines));
    return new Fixture(
        List.of(file),
        good,
        List.of(new Expected(file, badLine, List.of("start"))),
        0,
        Map.of(
            "SELECT raw FROM {{schema}}.ingest_rejects WHERE line_number = " + badLine,
            bad,
            "SELECT evidence->>'comment' FROM {{schema}}.variant WHERE canonical_name LIKE 'Robert%'",
            hostile[0]));
  }

  /** One key 20,000 times, with ten different aliases merging in: one row, 19,999 duplicates. */
  static Fixture repeats(Path dir) throws IOException {
    Path file = dir.resolve("repeats.gff3");
    List<String> lines = new ArrayList<>(List.of("##gff-version 3"));
    for (int i = 0; i < 20_000; i++) {
      lines.add(
          "chrY\tpoint\tsnp\t7000000\t7000000\t.\t+\t.\tID=M269;Name=M269;Alias=ALIAS"
              + (i % 10)
              + ";allele_anc=T;allele_der=C;isogg_haplogroup=R-M269");
    }
    Files.write(file, text(lines));
    TreeSet<String> good = new TreeSet<String>();
    good.add("M269");
    return new Fixture(
        List.of(file),
        good,
        List.of(),
        19_999,
        Map.of(
            "SELECT aliases::text FROM {{schema}}.variant WHERE canonical_name = 'M269'",
            "[\"ALIAS0\", \"ALIAS1\", \"ALIAS2\", \"ALIAS3\", \"ALIAS4\", \"ALIAS5\", \"ALIAS6\","
                + " \"ALIAS7\", \"ALIAS8\", \"ALIAS9\", \"M269\"]"));
  }
}
