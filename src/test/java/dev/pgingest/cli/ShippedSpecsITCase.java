package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.sink.SqlNames;
import dev.pgingest.testutil.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped spec in {@code jobs/} as a regression test: run on its own sample, as a user runs
 * it, its tables and counts are written out as text and compared with the checked-in {@code
 * src/test/resources/expected/<job>.txt}, so that a changed output shows as a readable diff.
 *
 * <p>The text holds the run's counts per table and every row of every table the job writes (the
 * rejects table included), sorted, with the columns that differ from run to run left out: run ids,
 * identity columns and columns filled by a default of the clock or a sequence. Paths under the
 * repository or the test's folders are written relative to them. {@code
 * -Dpgingest.expected.update=true} rewrites the files from what the jobs load now; review that diff
 * like code.
 */
class ShippedSpecsITCase {

  private static final Path EXPECTED = Path.of("src/test/resources/expected");

  /** Columns stamped with the run that wrote the row: they differ by run, not by content. */
  private static final List<String> RUN_COLUMNS = List.of("created_run", "updated_run", "run_id");

  /** Tables of the run's own bookkeeping (times, sizes, modification times), not its output. */
  private static final List<String> BOOKKEEPING =
      List.of("ingest_runs", "ingest_files", "ingest_counts", "ingest_steps");

  /** A row longer than this is cut in the text, with the md5 of all of it. */
  private static final int ROW_CHARS = 200;

  static Stream<String> specs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "jobs/{0}.yaml")
  @MethodSource("specs")
  void loadsWhatItsExpectedFileSays(String job, @TempDir Path home) throws Exception {
    String schema = TestPostgres.freshSchema("spec_" + job.replace('-', '_'));
    Path summary = home.resolve("summary.json");
    Path objects = home.resolve("objects");
    List<String> args =
        new ArrayList<>(
            List.of(
                "run", "jobs/" + job + ".yaml",
                "--jdbc-url", TestPostgres.url(),
                "--set", "target.schema=" + schema,
                "--home", home.toString(),
                "--summary-json", summary.toString()));
    if (Files.readString(Path.of("jobs", job + ".yaml")).contains("\n  objects:")) {
      // Objects into the test's folder, not a folder of the working copy.
      args.addAll(List.of("--set", "target.objects=" + objects));
    }
    MainTest.Outcome o = MainTest.run(args.toArray(String[]::new));
    assertThat(o.code()).as(o.err()).isZero();

    // Most specific first: the objects folder lies in the home folder.
    Map<String, String> places = new LinkedHashMap<>();
    places.put(objects.toUri().toString(), "$OBJECTS/");
    places.put(objects + "/", "$OBJECTS/");
    places.put(home + "/", "$HOME/");
    places.put(Path.of("").toAbsolutePath() + "/", "");
    String actual =
        "# jobs/"
            + job
            + ".yaml on its sample\n"
            + counts(summary, places)
            + tables(schema, places);

    Path file = EXPECTED.resolve(job + ".txt");
    if (Boolean.getBoolean("pgingest.expected.update")) {
      Files.createDirectories(EXPECTED);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file)
        .as("expected output of jobs/%s.yaml (-Dpgingest.expected.update=true writes it)", job)
        .exists();
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(actual)
        .as(
            () ->
                "jobs/"
                    + job
                    + ".yaml loads something else than "
                    + file
                    + ":\n"
                    + diff(expected, actual))
        .isEqualTo(expected);
  }

  /** The summary's counts per table, without its timings. */
  private static String counts(Path summary, Map<String, String> places) throws IOException {
    StringBuilder sb = new StringBuilder("\n## counts\n");
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile());
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      var node = tree.get(name);
      if (!node.isObject()) {
        sb.append(name).append(": ").append(relative(node.asText(), places)).append('\n');
        continue;
      }
      sb.append(name).append(':');
      node.fieldNames()
          .forEachRemaining(
              f -> {
                if (!f.equals("seconds") && !f.endsWith("_seconds")) {
                  sb.append(' ').append(f).append('=').append(node.get(f).asText());
                }
              });
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Every table of {@code schema} but the bookkeeping, each as its columns and sorted rows. */
  private static String tables(String schema, Map<String, String> places) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection c = TestPostgres.connect()) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT table_name FROM information_schema.tables"
                  + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
        ps.setString(1, schema);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      for (String table : names) {
        if (BOOKKEEPING.contains(table)) {
          continue;
        }
        List<String> columns = compared(c, schema, table);
        String row =
            "ROW(" + String.join(", ", columns.stream().map(SqlNames::ident).toList()) + ")::text";
        sb.append("\n## ")
            .append(table)
            .append(" (")
            .append(String.join(", ", columns))
            .append(")\n");
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT r FROM (SELECT "
                        + row
                        + " AS r FROM "
                        + SqlNames.qualified(schema, table)
                        + ") t ORDER BY r COLLATE \"C\"")) {
          while (rs.next()) {
            rows.add(relative(rs.getString(1), places));
          }
        }
        sb.append(rows.size())
            .append(" rows, md5 ")
            .append(md5(String.join("\n", rows)))
            .append('\n');
        for (String r : rows) {
          // A long row is cut, with the md5 of its whole text, so a change past the cut still
          // shows.
          sb.append(
                  r.length() <= ROW_CHARS
                      ? r
                      : r.substring(0, ROW_CHARS) + "… (md5 " + md5(r) + ")")
              .append('\n');
        }
      }
    }
    return sb.toString();
  }

  /**
   * The columns whose values a rerun of the same load repeats: not run ids, clocks or sequences.
   */
  private static List<String> compared(Connection c, String schema, String table)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT column_name, coalesce(column_default, ''), is_identity FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          String def = rs.getString(2).toLowerCase(Locale.ROOT);
          boolean varies =
              RUN_COLUMNS.contains(name)
                  || "YES".equals(rs.getString(3))
                  || def.contains("nextval(")
                  || def.contains("now()")
                  || def.contains("current_timestamp")
                  || def.contains("clock_timestamp()");
          if (!varies) {
            columns.add(name);
          }
        }
      }
    }
    return columns;
  }

  private static String relative(String text, Map<String, String> places) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, String> e : places.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  private static String md5(String text) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The lines only in {@code expected} ({@code -}) and only in {@code actual} ({@code +}), each
   * under the heading of its section, at most 60: rows are sorted, so this reads as a diff.
   */
  static String diff(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    Map<String, Integer> left = new HashMap<>();
    e.forEach(l -> left.merge(l, 1, Integer::sum));
    Map<String, Integer> right = new HashMap<>();
    a.forEach(l -> right.merge(l, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    section(e, right, "-", out);
    section(a, left, "+", out);
    return String.join("\n", out.subList(0, Math.min(60, out.size())))
        + (out.size() > 60 ? "\n… " + (out.size() - 60) + " more lines differ" : "");
  }

  private static void section(
      List<String> lines, Map<String, Integer> other, String sign, List<String> out) {
    Map<String, Integer> left = new HashMap<>(other);
    String heading = null;
    for (String l : lines) {
      if (l.startsWith("## ")) {
        heading = l;
      }
      Integer n = left.get(l);
      if (n != null && n > 0) {
        left.put(l, n - 1);
        continue;
      }
      if (heading != null && !l.equals(heading)) {
        out.add("  " + heading);
        heading = null;
      }
      out.add(sign + " " + l);
    }
  }
}
