package dev.pgingest.workload.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The figures jobs/samples/profiles/README.md states, counted again with Jackson. */
class ProfilesSampleTest {

  private static final Path DIR = Path.of("jobs", "samples", "profiles");
  private static final Set<String> NULL_TOKENS = Set.of("", "null", "NULL");

  /** One sample record: file, the line it starts on, its values (null tokens as null). */
  private record Rec(String file, long line, Map<String, String> fields) {
    String id() {
      return fields.get("id");
    }
  }

  private static List<Rec> jsonl;
  private static List<Rec> csv;

  @BeforeAll
  static void read() throws IOException {
    ObjectMapper json = new ObjectMapper();
    jsonl = new ArrayList<>();
    String text = Files.readString(DIR.resolve("scrape-2026-11-01.jsonl"), StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("\r").endsWith("\n");
    long line = 0;
    for (String l : text.split("\n")) {
      line++;
      JsonNode n = json.readTree(l);
      Map<String, String> f = new LinkedHashMap<>();
      n.fields()
          .forEachRemaining(
              e -> f.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      f.replaceAll((k, v) -> v == null || NULL_TOKENS.contains(v) ? null : v);
      jsonl.add(new Rec("jsonl", line, f));
    }

    csv = new ArrayList<>();
    Path csvFile = DIR.resolve("export-2026-11-02.csv");
    try (Reader r = Files.newBufferedReader(csvFile);
        MappingIterator<Map<String, String>> it =
            new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(r)) {
      long start = 2;
      while (it.hasNext()) {
        Map<String, String> f = new LinkedHashMap<>(it.next());
        long breaks =
            f.values().stream().mapToLong(v -> v.chars().filter(c -> c == '\n').count()).sum();
        f.replaceAll((k, v) -> NULL_TOKENS.contains(v) ? null : v);
        csv.add(new Rec("csv", start, f));
        start += 1 + breaks;
      }
    }
  }

  @Test
  void recordCountsAndIdsPerFile() {
    assertThat(jsonl).hasSize(40);
    assertThat(csv).hasSize(30);
    assertThat(jsonl.stream().filter(r -> r.id() != null)).hasSize(39);
    assertThat(distinct(jsonl)).hasSize(34);
    assertThat(distinct(csv)).hasSize(23);
    assertThat(repeatedWithin(jsonl)).hasSize(4);
    assertThat(repeatedWithin(csv)).hasSize(7);
    Set<String> both = new HashSet<>(distinct(jsonl));
    both.retainAll(distinct(csv));
    assertThat(both).hasSize(5);
  }

  @Test
  void csvIsCrlfWithLineBreaksOnlyInsideQuotedBiographies() throws IOException {
    String text = Files.readString(DIR.resolve("export-2026-11-02.csv"), StandardCharsets.UTF_8);
    assertThat(text.split("\r\n", -1)).hasSize(31 + 1);
    assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(31 + 11);
    assertThat(text).contains("\"\"send it\"\"");
  }

  @Test
  void exactlyTheTwoDocumentedRecordsAreRejected() {
    List<String> rejected = new ArrayList<>();
    for (Rec r : all()) {
      String why = rejectReason(r);
      if (why != null) {
        rejected.add(r.file + ":" + r.line + " " + why);
      }
    }
    assertThat(rejected).containsExactly("jsonl:20 no id", "csv:22 follower_count 12k");
    assertThat(csv.get(15).id()).isEqualTo("5501000016");
    assertThat(all().stream().filter(r -> "5501000016".equals(r.id()))).hasSize(1);
  }

  @Test
  void whatALoadIntoEmptyTablesMustGive() {
    List<Rec> accepted = all().stream().filter(r -> rejectReason(r) == null).toList();
    Set<String> ids = new HashSet<>();
    accepted.forEach(r -> ids.add(r.id()));
    assertThat(all()).hasSize(70);
    assertThat(distinct(all())).hasSize(52);
    assertThat(repeatedWithin(all())).hasSize(13);
    assertThat(accepted).hasSize(68);
    assertThat(ids).hasSize(51);
    assertThat(accepted.size() - ids.size()).isEqualTo(17);
  }

  @Test
  void repeatsKeepTheIdentityAndChangeTheFollowerCount() {
    Map<String, List<Rec>> byId = new HashMap<>();
    all().stream()
        .filter(r -> rejectReason(r) == null)
        .forEach(r -> byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
    byId.values().stream()
        .filter(rs -> rs.size() > 1)
        .forEach(
            rs -> {
              assertThat(rs.stream().map(r -> r.fields.get("username")).distinct()).hasSize(1);
              assertThat(rs.stream().map(r -> String.valueOf(r.fields.get("full_name"))).distinct())
                  .hasSize(1);
              assertThat(rs.stream().map(r -> r.fields.get("follower_count")).distinct())
                  .hasSize(rs.size());
            });
  }

  @Test
  void documentedEdgeCasesArePresent() {
    assertThat(jsonl.get(2).fields).containsEntry("full_name", null);
    assertThat(jsonl.get(13).fields.get("biography")).contains("\n", "\"ship it\"", ",", "\\");
    assertThat(jsonl.stream().filter(r -> has(r, "biography", "\n"))).hasSize(15);
    assertThat(csv.stream().filter(r -> has(r, "biography", "\n"))).hasSize(11);
    assertThat(csv.stream().filter(r -> r.line == 13).findFirst().orElseThrow().fields)
        .containsEntry("following_count", null);
    assertThat(csv.stream().filter(r -> r.line == 23).findFirst().orElseThrow().fields)
        .containsEntry("full_name", null)
        .containsEntry("biography", null);
    assertThat(all())
        .allSatisfy(r -> assertThat(r.fields.get("is_private")).isIn("true", "false"))
        .allSatisfy(r -> assertThat(r.fields.get("is_verified")).isIn("true", "false"));
  }

  private static boolean has(Rec r, String field, String part) {
    String v = r.fields.get(field);
    return v != null && v.contains(part);
  }

  private static List<Rec> all() {
    List<Rec> all = new ArrayList<>(jsonl);
    all.addAll(csv);
    return all;
  }

  private static Set<String> distinct(List<Rec> recs) {
    Set<String> s = new HashSet<>();
    recs.stream().filter(r -> r.id() != null).forEach(r -> s.add(r.id()));
    return s;
  }

  private static Set<String> repeatedWithin(List<Rec> recs) {
    Map<String, Integer> n = new HashMap<>();
    recs.stream().filter(r -> r.id() != null).forEach(r -> n.merge(r.id(), 1, Integer::sum));
    Set<String> s = new HashSet<>();
    n.forEach(
        (id, c) -> {
          if (c > 1) {
            s.add(id);
          }
        });
    return s;
  }

  /** The spec's two rules that can fail here: {@code id} required, and bigint fields numeric. */
  private static String rejectReason(Rec r) {
    if (r.id() == null) {
      return "no id";
    }
    for (String f : List.of("id", "follower_count", "following_count", "media_count")) {
      String v = r.fields.get(f);
      if (v != null && !v.matches("-?\\d+")) {
        return f + " " + v;
      }
    }
    return null;
  }
}
