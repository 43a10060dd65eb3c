package dev.pgingest.workload.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pgingest.workload.profiles.ProfilesDump.Format;
import dev.pgingest.workload.profiles.ProfilesDump.Profile;
import dev.pgingest.workload.profiles.ProfilesDump.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profiles generator: exact counts, determinism, and files Jackson reads back as written. */
class ProfilesDumpTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void jsonlLinesParseAndCountsMatchTheStats() throws IOException {
    Path file = dir.resolve("p.jsonl");
    Stats stats = ProfilesDump.write(file, 10_000, 0.1, 1_000_000_000L, 7);

    assertThat(stats).isEqualTo(new Stats(10_000, 9_000));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(10_000);
    Map<Long, JsonNode> firstOfId = new HashMap<>();
    long repeats = 0;
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.isObject()).isTrue();
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      assertThat(names).isEqualTo(ProfilesDump.FIELDS);
      assertThat(n.get("id").isIntegralNumber()).isTrue();
      assertThat(n.get("is_private").isBoolean()).isTrue();
      assertThat(n.get("is_verified").isBoolean()).isTrue();
      OffsetDateTime.parse(n.get("scraped_at").asText());
      JsonNode first = firstOfId.putIfAbsent(n.get("id").asLong(), n);
      if (first != null) {
        repeats++;
        // A re-scrape of a profile: same identity, whatever the counts say.
        assertThat(n.get("username")).isEqualTo(first.get("username"));
        assertThat(n.get("full_name")).isEqualTo(first.get("full_name"));
      }
    }
    assertThat(firstOfId).hasSize(9_000);
    assertThat(repeats).isEqualTo(1_000);
  }

  @Test
  void newIdsAreTheScrambledSequenceInFileOrder() throws IOException {
    Path file = dir.resolve("p.jsonl");
    ProfilesDump.write(file, 2_000, 0.25, 5_000_000_000L, 11);

    List<Long> firstSeen = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (String line : Files.readAllLines(file)) {
      long id = JSON.readTree(line).get("id").asLong();
      if (seen.add(id)) {
        firstSeen.add(id);
      }
    }
    assertThat(firstSeen).hasSize(1_500);
    for (int k = 0; k < firstSeen.size(); k++) {
      assertThat(firstSeen.get(k)).isEqualTo(ProfilesDump.id(5_000_000_000L, k));
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherContent() throws IOException {
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Path c = dir.resolve("c.jsonl");
    ProfilesDump.write(a, 3_000, 0.02, 1L, 42);
    ProfilesDump.write(b, 3_000, 0.02, 1L, 42);
    ProfilesDump.write(c, 3_000, 0.02, 1L, 43);

    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
    assertThat(Files.readAllBytes(c)).isNotEqualTo(Files.readAllBytes(a));
  }

  @Test
  void gzipHoldsTheSameBytesAsThePlainFile() throws IOException {
    Path plain = dir.resolve("p.csv");
    Path gz = dir.resolve("p.csv.gz");
    ProfilesDump.write(plain, 1_000, 0.05, 1L, 3);
    ProfilesDump.write(gz, 1_000, 0.05, 1L, 3);

    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(plain));
    }
  }

  @Test
  void csvRoundTripsThroughJacksonWithCrlfAndQuotedLineBreaks() throws IOException {
    Path file = dir.resolve("p.csv");
    Stats stats = ProfilesDump.write(file, 3_000, 0.05, 9_000_000_000L, 5);
    List<Profile> expected = new ArrayList<>();
    ProfilesDump.generate(3_000, 0.05, 9_000_000_000L, 5, Format.CSV, expected::add);

    String text = Files.readString(file);
    assertThat(text).startsWith(String.join(",", ProfilesDump.FIELDS) + "\r\n");
    assertThat(text.split("\r\n", -1)).hasSize(3_000 + 2);
    CsvMapper csv = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Map<String, String>> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file);
        MappingIterator<Map<String, String>> it =
            csv.readerForMapOf(String.class).with(schema).readValues(r)) {
      it.forEachRemaining(rows::add);
    }
    assertThat(rows).hasSize((int) stats.records());
    long line = 2;
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> row = rows.get(i);
      Profile p = expected.get(i);
      assertThat(row.keySet()).containsExactlyElementsOf(ProfilesDump.FIELDS);
      assertThat(row.get("id")).isEqualTo(Long.toString(p.id()));
      assertThat(row.get("username")).isEqualTo(p.username());
      assertThat(row.get("full_name")).isEqualTo(p.fullName() == null ? "" : p.fullName());
      assertThat(row.get("biography")).isEqualTo(p.biography());
      assertThat(row.get("follower_count")).isEqualTo(Long.toString(p.followerCount()));
      assertThat(row.get("is_verified")).isEqualTo(Boolean.toString(p.isVerified()));
      assertThat(row.get("scraped_at")).isEqualTo(p.scrapedAt());
      // $line is where a record starts; quoted line breaks push the next record down.
      assertThat(p.line()).isEqualTo(line);
      line += 1 + p.biography().chars().filter(ch -> ch == '\n').count();
    }
  }

  @Test
  void biographiesAreRealisticInSizeAndContent() {
    List<Profile> all = new ArrayList<>();
    ProfilesDump.generate(20_000, 0.02, 1L, 99, Format.JSONL, all::add);

    assertThat(all).allSatisfy(p -> assertThat(p.biography().length()).isBetween(0, 300));
    assertThat(all).anySatisfy(p -> assertThat(p.biography()).hasSizeGreaterThan(250));
    long empty = all.stream().filter(p -> p.biography().isEmpty()).count();
    long multiLine = all.stream().filter(p -> p.biography().contains("\n")).count();
    long quotes = all.stream().filter(p -> p.biography().contains("\"")).count();
    long commas = all.stream().filter(p -> p.biography().contains(",")).count();
    long emoji =
        all.stream().filter(p -> p.biography().codePoints().anyMatch(c -> c > 0xFFFF)).count();
    long nullName = all.stream().filter(p -> p.fullName() == null).count();
    assertThat(empty).isBetween(4_000L, 6_000L);
    assertThat(multiLine).isGreaterThan(1_000);
    assertThat(quotes).isGreaterThan(1_000);
    assertThat(commas).isGreaterThan(1_000);
    assertThat(emoji).isGreaterThan(1_000);
    assertThat(nullName).isBetween(200L, 2_000L);
    assertThat(all)
        .allSatisfy(p -> assertThat(Character.isHighSurrogate(last(p.biography()))).isFalse());
  }

  @Test
  void writeIdsPicksTheGivenFractionOfTheDumpsIdsWithTheirIdentity() throws IOException {
    Path dump = dir.resolve("p.jsonl");
    Stats stats = ProfilesDump.write(dump, 5_000, 0.02, 1_000_000_000L, 8);
    Path ids = dir.resolve("ids.csv");
    long n = ProfilesDump.writeIds(ids, 1_000_000_000L, stats.distinctIds(), 0.1);

    assertThat(n).isEqualTo(stats.distinctIds() / 10);
    Map<Long, JsonNode> inDump = new HashMap<>();
    for (String line : Files.readAllLines(dump)) {
      JsonNode node = JSON.readTree(line);
      inDump.putIfAbsent(node.get("id").asLong(), node);
    }
    CsvMapper csv = new CsvMapper();
    List<Map<String, String>> rows = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(ids);
        MappingIterator<Map<String, String>> it =
            csv.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(r)) {
      it.forEachRemaining(rows::add);
    }
    assertThat(rows).hasSize((int) n);
    for (Map<String, String> row : rows) {
      JsonNode p = inDump.get(Long.parseLong(row.get("id")));
      assertThat(p).isNotNull();
      assertThat(row.get("username")).isEqualTo(p.get("username").asText());
      assertThat(row.get("full_name"))
          .isEqualTo(p.get("full_name").isNull() ? "" : p.get("full_name").asText());
    }
  }

  private static char last(String s) {
    return s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
  }
}
