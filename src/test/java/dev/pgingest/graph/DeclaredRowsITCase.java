package dev.pgingest.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.Decoded;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.Reject;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.Flink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A declared job's whole graph, fed in memory, into a collecting sink: mapping, dedup and batching
 * without PostgreSQL.
 */
class DeclaredRowsITCase {

  @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

  private static final long RUN_ID = 42;

  private static final String FILE = "/dumps/people.jsonl";

  /** Every record lands in an append table; each id enters the people table once. */
  private static final String SPEC =
      """
      name: people
      sources:
        - name: people
          format: jsonl
          paths: [people.jsonl]
          null-tokens: ["", "NULL"]
      tables:
        - name: raw_people
          mode: append
          key: [source_file, line_number]
          columns:
            - { name: source_file, type: text, value: $file }
            - { name: line_number, type: bigint, value: $line }
            - { name: person_id, type: bigint, field: id, required: true }
            - { name: nickname, type: text, field: nickname }
            - { name: followers, type: bigint, field: followers }
        - name: people
          mode: insert-if-new
          key: [id]
          columns:
            - { name: id, type: bigint, field: id }
            - { name: nickname, type: text, field: nickname }
            - { name: first_seen_run, type: bigint, value: $run }
      """;

  private static final int RAW = 0;
  private static final int PEOPLE = 1;

  private static List<TableRow> rows;
  private static List<Reject> rejects;

  /** A JSONL record of string fields; a null value stands for JSON null. */
  private static Decoded<FieldRecord> record(long line, String... pairs) {
    Map<String, String> fields = new LinkedHashMap<>();
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put(pairs[i], pairs[i + 1]);
      json.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":");
      json.append(pairs[i + 1] == null ? "null" : '"' + pairs[i + 1] + '"');
    }
    return Decoded.value(FILE, line, new FieldRecord(fields, json.append('}').toString()), 0);
  }

  /** The input, one record per edge case, in file order. */
  private static List<Decoded<FieldRecord>> input() {
    return List.of(
        record(1, "id", "7", "nickname", "ann", "followers", "12"),
        record(2, "nickname", "no id", "followers", "3"),
        record(3, "id", "7", "nickname", "annie", "followers", "15"),
        record(4, "id", "8", "nickname", "bob", "followers", "12k"),
        record(5, "id", "9", "nickname", "NULL", "followers", ""),
        record(6, "id", "10", "nickname", null, "followers", " 40 "));
  }

  /** The job's one source, read from {@link #input()} instead of files. */
  private static final JobSources IN_MEMORY =
      new JobSources() {
        @Override
        @SuppressWarnings("unchecked") // The declared pipeline's items are field records.
        public <T> DataStream<Decoded<T>> read(
            StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
          return env.fromData((List<Decoded<T>>) (List<?>) input(), job.pipeline().decodedType());
        }
      };

  @BeforeAll
  static void runGraph() throws Exception {
    JobSpec spec = JobSpecParser.parse(SPEC, "test.yaml", null, Map.of());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    // The in-memory source is one subtask; wider mapping would take its records round-robin and
    // lose the file order that a file source keeps per file and insert-if-new relies on.
    env.setParallelism(1);
    CollectingSinks<TableRow> sinks = new CollectingSinks<>();
    IngestGraph.define(
        env, ResolvedJob.of(spec, new DeclaredPipeline()).forRun(RUN_ID), IN_MEMORY, sinks);
    CollectingSinks.Collected<TableRow> out = sinks.execute(env, "declared rows");

    rows = new ArrayList<>(out.rows());
    rejects = new ArrayList<>(out.rejects());
    rows.sort(Comparator.comparingInt(TableRow::table).thenComparingLong(TableRow::line));
    rejects.sort(Comparator.comparingLong(Reject::line));
  }

  private static List<TableRow> table(int index) {
    return rows.stream().filter(r -> r.table() == index).toList();
  }

  private static List<String> values(TableRow r) {
    return Arrays.asList(r.values());
  }

  @Test
  void everyMappedRecordFansOutToBothTables() {
    assertThat(table(RAW)).extracting(TableRow::line).containsExactly(1L, 3L, 5L, 6L);
    assertThat(values(table(RAW).get(0))).containsExactly(FILE, "1", "7", "ann", "12");
    assertThat(values(table(PEOPLE).get(0))).containsExactly("7", "ann", "42");
    // Keys carry their table, so the same id in two tables is two rows.
    assertThat(table(RAW).get(0).key()).isNotEqualTo(table(PEOPLE).get(0).key());
  }

  @Test
  void insertIfNewTableKeepsTheFirstRecordOfAnIdAndDropsItsRepeats() {
    assertThat(table(PEOPLE)).extracting(TableRow::line).containsExactly(1L, 5L, 6L);
    assertThat(table(PEOPLE)).extracting(r -> r.values()[1]).containsExactly("ann", null, null);
    assertThat(table(PEOPLE)).noneMatch(TableRow::repeat);
  }

  @Test
  void recordWithoutARequiredFieldIsARejectWhileItsNeighboursMap() {
    assertThat(rejects).extracting(Reject::line).contains(2L);
    Reject noId = rejects.stream().filter(r -> r.line() == 2).findFirst().orElseThrow();
    assertThat(noId.file()).isEqualTo(FILE);
    assertThat(noId.reason()).isEqualTo("raw_people.person_id: no value in field 'id'");
    // Rejected whole: no table gets a partial row of it.
    assertThat(rows).noneMatch(r -> r.line() == 2);
    assertThat(rows).anyMatch(r -> r.line() == 1).anyMatch(r -> r.line() == 3);
  }

  @Test
  void badBigintNamesTheColumnAndTheValueInTheRejectReason() {
    assertThat(rejects).extracting(Reject::line).containsExactly(2L, 4L);
    Reject bad = rejects.get(1);
    assertThat(bad.file()).isEqualTo(FILE);
    assertThat(bad.reason()).startsWith("raw_people.followers: '12k' ");
    assertThat(rows).noneMatch(r -> r.line() == 4);
  }

  @Test
  void nullTokensAndJsonNullBecomeNullsAndNumbersAreTrimmed() {
    TableRow tokens = table(RAW).get(2);
    TableRow jsonNull = table(RAW).get(3);

    assertThat(values(tokens)).containsExactly(FILE, "5", "9", null, null);
    assertThat(values(jsonNull)).containsExactly(FILE, "6", "10", null, "40");
  }
}
