package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.UpsertRow.Repeats;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link BatchOperator} on declared rows: one row per key per batch, every flush. */
class BatchOperatorTest {

  private static final long INTERVAL_MS = 1000;

  private static final String FILE = "people.jsonl";

  private OneInputStreamOperatorTestHarness<RowOrReject<TableRow>, WriteBatch<TableRow>> harness;

  private void open(int batchRows) throws Exception {
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new BatchOperator<TableRow>(batchRows, INTERVAL_MS, 0));
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** A row of table {@code table} keyed by its first value, routed by its own key. */
  private static TableRow row(
      int table, Repeats repeats, String file, long line, String... values) {
    String key = table + "\u001f" + values[0];
    return new TableRow(table, key, key, repeats, values, file, line, Arrays.hashCode(values));
  }

  /** A merged row of table 0 at {@code line}: {@code (id, name, city)}, null when missing. */
  private static TableRow person(long line, String id, String name, String city) {
    return row(0, Repeats.MERGE, FILE, line, id, name, city);
  }

  /** An appended row of table 0: its key is its place, so dedup and the batcher never merge it. */
  private static TableRow appended(String key, long line, String... values) {
    return new TableRow(0, key, key, Repeats.NONE, values, FILE, line, 0);
  }

  private static Reject reject(long line) {
    return new Reject(FILE, line, "people.id: no value in field 'id'", "{\"name\":\"x\"}");
  }

  private void send(TableRow... rows) throws Exception {
    for (TableRow r : rows) {
      harness.processElement(RowOrReject.row(r), 0);
    }
  }

  private List<WriteBatch<TableRow>> batches() {
    return harness.extractOutputValues();
  }

  /** The rows of batch {@code i} as their values, which is what the statement writes. */
  private List<List<String>> values(int i) {
    return batches().get(i).rows().stream().map(r -> Arrays.asList(r.values())).toList();
  }

  @Test
  void sameKeyInOneBatchComesOutAsOneMergedRow() throws Exception {
    open(100);

    send(person(1, "7", "ann", null));
    send(person(2, "8", "bob", "Oslo"));
    send(person(3, "7", null, "Bergen"));
    send(person(4, "7", "annie", null));
    harness.endInput();

    assertThat(batches()).hasSize(1);
    // PostgreSQL refuses an ON CONFLICT DO UPDATE that touches one row twice in a statement.
    assertThat(batches().get(0).rows())
        .extracting(TableRow::key)
        .doesNotHaveDuplicates()
        .hasSize(2);
    // Later non-null values win; a missing value does not erase the one before it.
    assertThat(values(0))
        .containsExactly(List.of("7", "annie", "Bergen"), Arrays.asList("8", "bob", "Oslo"));
    // The merged row carries the latest record's place, for a reject if the database refuses it.
    assertThat(batches().get(0).rows().get(0).line()).isEqualTo(4);
  }

  @Test
  void mergedValuesFollowFileOrderNotArrival() throws Exception {
    open(100);

    // Two readers' records meet in one subtask in any order: line 9 still wins over line 3.
    send(person(9, "7", "annie", null));
    send(person(3, "7", "ann", "Oslo"));
    harness.endInput();

    assertThat(values(0)).containsExactly(List.of("7", "annie", "Oslo"));
  }

  @Test
  void mergedRowIsARepeatOnlyIfBothRowsWere() throws Exception {
    open(100);

    send(person(1, "7", "ann", null), person(2, "7", "annie", null).asRepeat());
    send(person(1, "8", "bob", null).asRepeat(), person(2, "8", "bobby", null));
    send(person(1, "9", "cy", null).asRepeat(), person(2, "9", "cyd", null).asRepeat());
    harness.endInput();

    // A key the run writes for the first time counts as inserted, whatever merges into it.
    assertThat(batches().get(0).rows())
        .extracting(r -> r.values()[0] + (r.repeat() ? " repeat" : ""))
        .containsExactly("7", "8", "9 repeat");
  }

  @Test
  void appendedRowsAreNeverMergedEvenUnderOneKey() throws Exception {
    open(100);
    TableRow first = appended("0:1", 1, "7", "ann");
    TableRow second = appended("0:1", 1, "7", null);

    send(first, second);
    harness.endInput();

    // Each appended row is a row of its own: merging would lose one and fill in the other.
    assertThat(batches().get(0).rows()).containsExactly(first, second);
    assertThat(values(0)).containsExactly(List.of("7", "ann"), Arrays.asList("7", null));
  }

  @Test
  void appendedRowsCountTowardsBatchRows() throws Exception {
    open(2);

    send(appended("0:1", 1, "7"));
    assertThat(batches()).isEmpty();
    send(appended("0:2", 2, "7"));

    assertThat(batches()).hasSize(1);
  }

  @Test
  void rowsOfTwoTablesShareOneBatchAndNeverMergeAcrossTables() throws Exception {
    open(100);
    TableRow parent = row(0, Repeats.MERGE, FILE, 1, "7", "ann");
    // Same values, other table: its key carries its own table index.
    TableRow sameValuesInTable1 = row(1, Repeats.FIRST_WINS, FILE, 1, "7", "ann");
    TableRow log = new TableRow(1, "1:2", "1:2", Repeats.NONE, new String[] {"7"}, FILE, 2, 0);

    send(parent, sameValuesInTable1, log);
    harness.endInput();

    assertThat(batches()).hasSize(1);
    // One statement writes every table, parents first: they arrived first.
    assertThat(batches().get(0).rows()).containsExactly(parent, sameValuesInTable1, log);
  }

  @Test
  void batchGoesOutAsSoonAsRowsAndRejectsReachBatchRows() throws Exception {
    open(3);

    send(person(1, "7", "ann", null));
    harness.processElement(RowOrReject.reject(reject(2)), 0);
    assertThat(batches()).isEmpty();
    send(person(3, "8", "bob", null));

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).hasSize(2);
    assertThat(batches().get(0).rejects()).containsExactly(reject(2));
  }

  @Test
  void repeatsOfAKeyDoNotFillTheBatch() throws Exception {
    open(2);

    send(person(1, "7", "ann", null), person(2, "7", "annie", null), person(3, "7", null, "Oslo"));
    assertThat(batches()).isEmpty();
    send(person(4, "8", "bob", null));

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).extracting(r -> r.values()[0]).containsExactly("7", "8");
  }

  @Test
  void keyMayReappearInTheNextBatch() throws Exception {
    open(2);
    TableRow early = person(1, "7", "ann", null);
    TableRow late = person(3, "7", "annie", null);

    send(early, person(2, "8", "bob", null), late);
    harness.endInput();

    assertThat(batches()).hasSize(2);
    assertThat(batches().get(1).rows()).containsExactly(late);
  }

  @Test
  void partialBatchGoesOutWhenTheFlushIntervalPassed() throws Exception {
    open(100);

    send(person(1, "7", "ann", null));
    harness.setProcessingTime(INTERVAL_MS / 2);
    send(person(2, "8", "bob", null));
    harness.setProcessingTime(INTERVAL_MS - 1);
    assertThat(batches()).isEmpty();
    // The interval counts from the batch's first row, not its last.
    harness.setProcessingTime(INTERVAL_MS);

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).hasSize(2);
  }

  @Test
  void rowAfterATimedFlushStartsANewInterval() throws Exception {
    open(100);
    send(person(1, "7", "ann", null));
    harness.setProcessingTime(INTERVAL_MS);

    harness.setProcessingTime(INTERVAL_MS + 10);
    send(person(2, "8", "bob", null));
    harness.setProcessingTime(2 * INTERVAL_MS);
    assertThat(batches()).hasSize(1);
    harness.setProcessingTime(2 * INTERVAL_MS + 10);

    assertThat(batches()).hasSize(2);
    assertThat(batches().get(1).rows()).extracting(r -> r.values()[0]).containsExactly("8");
  }

  @Test
  void partialBatchGoesOutBeforeTheCheckpointBarrier() throws Exception {
    open(100);
    send(person(1, "7", "ann", null));
    harness.processElement(RowOrReject.reject(reject(9)), 0);

    harness.prepareSnapshotPreBarrier(1);

    // The operator keeps no state: a checkpoint must never cover rows still in memory.
    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).hasSize(1);
    assertThat(batches().get(0).rejects()).containsExactly(reject(9));
  }

  @Test
  void emptyBatchIsNeverEmitted() throws Exception {
    open(100);

    harness.prepareSnapshotPreBarrier(1);
    harness.setProcessingTime(10 * INTERVAL_MS);
    harness.endInput();

    assertThat(batches()).isEmpty();
  }

  @Test
  void partialBatchGoesOutAtEndOfInput() throws Exception {
    open(100);
    send(person(1, "7", "ann", null));

    harness.endInput();

    assertThat(batches()).hasSize(1);
    assertThat(
            harness
                .getEnvironment()
                .getAccumulatorRegistry()
                .getUserMap()
                .get(BatchOperator.INPUT_ENDED)
                .getLocalValue())
        .isEqualTo(1L);
  }

  @Test
  void batchOfOnlyRejectsStillGoesOut() throws Exception {
    open(100);
    harness.processElement(RowOrReject.reject(reject(3)), 0);
    harness.processElement(RowOrReject.reject(reject(4)), 0);

    harness.endInput();

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).isEmpty();
    assertThat(batches().get(0).rejects()).containsExactly(reject(3), reject(4));
  }
}
