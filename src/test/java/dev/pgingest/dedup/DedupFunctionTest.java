package dev.pgingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.graph.IngestGraph;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.sink.Reject;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.UpsertRow.Repeats;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link DedupFunction} on declared rows, every repeats mode, including restore. */
class DedupFunctionTest {

  private static final String FILE = "people-a.jsonl";

  private KeyedOneInputStreamOperatorTestHarness<
          RouteKey, RowOrReject<TableRow>, RowOrReject<TableRow>>
      harness;

  /** A row routed by its own key, as a table without a parent has it. */
  private static TableRow row(
      int table, Repeats repeats, String file, long line, String... values) {
    String key = table + "\u001f" + values[0];
    return new TableRow(table, key, key, repeats, values, file, line, fingerprint(values));
  }

  private static TableRow row(Repeats repeats, long line, String... values) {
    return row(0, repeats, FILE, line, values);
  }

  /** A child row: keyed by its parent's id and its own, routed by the parent's key. */
  private static TableRow child(
      int table, Repeats repeats, long line, String parentId, String... values) {
    String key = table + "\u001f" + parentId + "\u001f" + values[0];
    return new TableRow(
        table, key, "0\u001f" + parentId, repeats, values, FILE, line, fingerprint(values));
  }

  /** Equal for equal values: all dedup asks of a fingerprint. */
  private static long fingerprint(String[] values) {
    return Arrays.hashCode(values);
  }

  private static KeyedOneInputStreamOperatorTestHarness<
          RouteKey, RowOrReject<TableRow>, RowOrReject<TableRow>>
      newHarness(int tables) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new DedupFunction<TableRow>(tables)),
        IngestGraph::writeKey,
        RouteKey.TYPE);
  }

  private void open(int tables) throws Exception {
    harness = newHarness(tables);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private void send(TableRow... rows) throws Exception {
    for (TableRow r : rows) {
      harness.processElement(RowOrReject.row(r), r.line());
    }
  }

  /**
   * What came out, one "table:line" per row plus " repeat" when marked: the line tells the records
   * apart, the mark decides how the write is counted.
   */
  private List<String> passed() {
    return harness.extractOutputValues().stream()
        .map(w -> w.row().table() + ":" + w.row().line() + (w.row().repeat() ? " repeat" : ""))
        .toList();
  }

  private static long accumulator(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String name) {
    return (Long)
        h.getEnvironment().getAccumulatorRegistry().getUserMap().get(name).getLocalValue();
  }

  @Test
  void firstRecordOfAKeyPassesAsARowWrite() throws Exception {
    open(1);
    TableRow ann = row(Repeats.MERGE, 1, "7", "ann");

    send(ann);

    assertThat(harness.extractOutputValues()).containsExactly(RowOrReject.row(ann));
    assertThat(ann.repeat()).isFalse();
  }

  @Test
  void exactRepeatIsDropped() throws Exception {
    open(1);
    send(row(Repeats.MERGE, 1, "7", "ann"));
    // A separately built but equal record: dedup must compare content, not identity.
    send(row(Repeats.MERGE, 2, "7", "ann"));

    assertThat(passed()).containsExactly("0:1");
  }

  @Test
  void mergeRowsPassADifferingLaterRecordMarkedRepeatAndDropExactRepeatsOfAnyVersion()
      throws Exception {
    open(1);

    send(row(Repeats.MERGE, 1, "7", "ann"), row(Repeats.MERGE, 2, "7", "annie"));
    // Both earlier versions are remembered, not only the latest.
    send(row(Repeats.MERGE, 3, "7", "ann"), row(Repeats.MERGE, 4, "7", "annie"));

    // The second version merges into a row this run already wrote: counted as no new insert.
    assertThat(passed()).containsExactly("0:1", "0:2 repeat");
  }

  @Test
  void sameContentUnderAnotherKeyIsNotADuplicate() throws Exception {
    open(1);
    TableRow ann = row(Repeats.MERGE, 1, "7", "ann");
    // Same values and fingerprint, but table 1's key: the table index keeps keys apart.
    TableRow sameValuesOtherTable = row(1, Repeats.MERGE, FILE, 2, "7", "ann");

    send(ann, sameValuesOtherTable);

    assertThat(passed()).containsExactly("0:1", "1:2");
  }

  @Test
  void stateIsCreatedOncePerKey() throws Exception {
    open(1);
    assertThat(harness.numKeyedStateEntries()).isZero();

    send(row(Repeats.MERGE, 1, "7", "ann"), row(Repeats.MERGE, 2, "7", "ann"));
    send(row(Repeats.MERGE, 3, "7", "annie"));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    send(row(Repeats.MERGE, 4, "8", "bob"));
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void accumulatorsCountKeysAndRecordsAfterEachKeysFirst() throws Exception {
    open(1);
    send(row(Repeats.MERGE, 1, "7", "ann"), row(Repeats.MERGE, 2, "7", "ann"));
    send(row(Repeats.MERGE, 3, "7", "annie"), row(Repeats.MERGE, 4, "8", "bob"));

    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(2);
    // Every later record of a key is merged into its row, whether dropped or passed on.
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2);
    // A one-table job's totals are its table's: no per-table copies to keep.
    assertThat(harness.getEnvironment().getAccumulatorRegistry().getUserMap())
        .doesNotContainKey(DedupFunction.perTable(DedupFunction.KEYS, 0));
  }

  @Test
  void firstWinsDropsEveryLaterRecordOfAKeyAsADuplicate() throws Exception {
    open(1);

    send(row(Repeats.FIRST_WINS, 1, "7", "ann"));
    // A differing record is dropped too: insert-if-new never changes a row once written.
    send(row(Repeats.FIRST_WINS, 2, "7", "annie"), row(Repeats.FIRST_WINS, 3, "7", "ann"));

    assertThat(passed()).containsExactly("0:1");
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(1);
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2);
  }

  @Test
  void latestWinsDropsARecordOlderInFileOrderAndPassesANewerOneMarkedRepeat() throws Exception {
    open(1);

    send(row(Repeats.LATEST_WINS, 5, "7", "ann"));
    // Arrives later but was written earlier in the file: it must not replace line 5's row.
    send(row(Repeats.LATEST_WINS, 3, "7", "old"));
    send(row(Repeats.LATEST_WINS, 9, "7", "annie"));

    assertThat(passed()).containsExactly("0:5", "0:9 repeat");
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(1);
    // The dropped record and the passed one both count: each merged into (or lost to) the row.
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2);
  }

  @Test
  void latestWinsComparesLinesAsNumbersAndFilesBeforeLines() throws Exception {
    open(1);

    send(row(Repeats.LATEST_WINS, 9, "7", "line 9"));
    // As text "10" sorts before "9"; line 10 is still the later record.
    send(row(Repeats.LATEST_WINS, 10, "7", "line 10"));
    // A later file outranks any line of an earlier one, and an earlier file any line of it.
    send(row(0, Repeats.LATEST_WINS, "people-b.jsonl", 1, "7", "b line 1"));
    send(row(0, Repeats.LATEST_WINS, FILE, 500, "7", "a line 500"));

    assertThat(harness.extractOutputValues())
        .extracting(w -> w.row().values()[1])
        .containsExactly("line 9", "line 10", "b line 1");
  }

  @Test
  void appendedRowsKeepNoStateAndAreNeverDropped() throws Exception {
    open(1);
    // Append rows are keyed by line, so two equal ones never share a key; even if they did, dedup
    // must not look them up: no state is kept for the millions of them.
    TableRow first = new TableRow(0, "0:1", "0:1", Repeats.NONE, new String[] {"7"}, FILE, 1, 0);
    TableRow sameKey = new TableRow(0, "0:1", "0:1", Repeats.NONE, new String[] {"7"}, FILE, 1, 0);

    send(first, sameKey);

    assertThat(passed()).containsExactly("0:1", "0:1");
    assertThat(harness.numKeyedStateEntries()).isZero();
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isZero();
  }

  @Test
  void childRoutedByItsParentsKeyIsDeduplicatedByItsOwnKeyWithinTheRoute() throws Exception {
    open(2);
    TableRow parent = row(0, Repeats.MERGE, FILE, 1, "7", "ann");
    TableRow lap1 = child(1, Repeats.MERGE, 2, "7", "1", "62.5");
    TableRow lap2 = child(1, Repeats.MERGE, 3, "7", "2", "62.5");
    assertThat(lap1.route()).isEqualTo(parent.key()).isNotEqualTo(lap1.key());

    send(parent, lap1, lap2);
    // Same route, same key as lap 1: an exact repeat is dropped, a differing one passes to merge.
    send(child(1, Repeats.MERGE, 4, "7", "1", "62.5"));
    send(child(1, Repeats.MERGE, 5, "7", "1", "61.9"));

    // Lap 2 shares lap 1's route and values but not its key: a key of its own, not a repeat.
    assertThat(passed()).containsExactly("0:1", "1:2", "1:3", "1:5 repeat");
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.KEYS, 1))).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.DUPLICATES, 1)))
        .isEqualTo(2);
  }

  @Test
  void perTableCountersSplitKeysAndDuplicatesOfATwoTableJob() throws Exception {
    open(2);

    for (int t = 0; t < 2; t++) {
      // Table 0 merges, table 1 inserts if new: the same records, counted apart.
      Repeats repeats = t == 0 ? Repeats.MERGE : Repeats.FIRST_WINS;
      send(row(t, repeats, FILE, 1, "7", "ann"), row(t, repeats, FILE, 2, "8", "bob"));
      send(row(t, repeats, FILE, 3, "7", "annie"));
    }
    send(row(1, Repeats.FIRST_WINS, FILE, 4, "7", "ann"));

    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.KEYS, 0))).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.KEYS, 1))).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.DUPLICATES, 0)))
        .isEqualTo(1);
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.DUPLICATES, 1)))
        .isEqualTo(2);
    // The job's totals stay the sum of its tables'.
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(4);
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(3);
  }

  @Test
  void repeatOfARecordSeenBeforeTheCheckpointIsDroppedAfterRestore() throws Exception {
    open(1);
    send(row(Repeats.MERGE, 1, "7", "ann"), row(Repeats.MERGE, 2, "7", "annie"));
    send(row(Repeats.MERGE, 3, "8", "bob"), row(Repeats.MERGE, 4, "8", "bob"));
    OperatorSubtaskState snapshot = harness.snapshot(0, 0);
    harness.close();

    // What a failover does: a fresh operator restored from the checkpoint replays the input.
    harness = newHarness(1);
    harness.initializeState(snapshot);
    harness.open();
    send(row(Repeats.MERGE, 1, "7", "ann"), row(Repeats.MERGE, 2, "7", "annie"));
    send(row(Repeats.MERGE, 3, "8", "bob"));
    send(row(Repeats.MERGE, 5, "7", "ann k."));

    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    assertThat(passed()).containsExactly("0:5 repeat");
    // Counts continue from the checkpoint, so the run's totals stay exact across failover.
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2 + 4);
  }

  @Test
  void latestPositionsAndChildStateSurviveARestoreWithTheirPerTableCounts() throws Exception {
    open(3);
    // Table 0 replaces, table 1 (a child) inserts if new, table 2 (a child) replaces: the three
    // kinds of state besides a parent's fingerprints.
    send(row(0, Repeats.LATEST_WINS, FILE, 5, "7", "ann"));
    send(child(1, Repeats.FIRST_WINS, 6, "7", "1", "62.5"));
    send(child(2, Repeats.LATEST_WINS, 7, "7", "x", "note"));
    OperatorSubtaskState snapshot = harness.snapshot(0, 0);
    harness.close();

    harness = newHarness(3);
    harness.initializeState(snapshot);
    harness.open();
    send(row(0, Repeats.LATEST_WINS, FILE, 4, "7", "older"));
    send(child(1, Repeats.FIRST_WINS, 8, "7", "1", "61.9"));
    send(child(2, Repeats.LATEST_WINS, 3, "7", "x", "older note"));
    send(child(2, Repeats.LATEST_WINS, 9, "7", "x", "newer note"));

    assertThat(passed()).containsExactly("2:9 repeat");
    for (int t = 0; t < 3; t++) {
      assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.KEYS, t)))
          .as("keys of table %d", t)
          .isEqualTo(1);
    }
    assertThat(accumulator(harness, DedupFunction.perTable(DedupFunction.DUPLICATES, 2)))
        .isEqualTo(2);
  }

  @Test
  void rejectsPassThroughWithoutState() throws Exception {
    open(1);
    RowOrReject<TableRow> reject = RowOrReject.reject(new Reject(FILE, 7, "bad", "raw"));
    harness.processElement(reject, 0);

    assertThat(harness.extractOutputValues()).containsExactly(reject);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
