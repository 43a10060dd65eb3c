package dev.pgingest.sink;

import dev.pgingest.testutil.Variants;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.pipeline.ybrowse.VariantRow;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link BatchOperator}: one row per key per batch, and every flush trigger. */
class BatchOperatorTest {

  private static final long INTERVAL_MS = 1000;

  private OneInputStreamOperatorTestHarness<Write<VariantRow>, WriteBatch<VariantRow>> harness;

  private void open(int batchRows) throws Exception {
    harness =
        new OneInputStreamOperatorTestHarness<>(
            new BatchOperator<VariantRow>(batchRows, INTERVAL_MS));
    harness.setProcessingTime(0);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  /** A named variant with one alias and one evidence value. */
  private static VariantRow variant(String name, String alias, String ref) {
    return Variants.named(name, alias, ref);
  }


  private static Reject reject(long line) {
    return new Reject("snps.gff3", line, "expected 9 tab-separated columns, found 4", "chrY\t1");
  }

  private void row(VariantRow r) throws Exception {
    harness.processElement(Write.row(r), 0);
  }

  private List<WriteBatch<VariantRow>> batches() {
    return harness.extractOutputValues();
  }

  @Test
  void sameKeyInOneBatchComesOutAsOneMergedRow() throws Exception {
    open(100);
    VariantRow first = variant("M269", "M269", "ISOGG");
    VariantRow second = variant("M269", "S1", "YFull");
    VariantRow other = variant("L21", "L21", "ISOGG");
    VariantRow third = variant("M269", "S2", "FTDNA");

    row(first);
    row(other);
    row(second);
    row(third);
    harness.endInput();

    assertThat(batches()).hasSize(1);
    List<VariantRow> rows = batches().get(0).rows();
    // PostgreSQL refuses an ON CONFLICT DO UPDATE that touches one row twice in a statement.
    assertThat(rows).extracting(VariantRow::key).doesNotHaveDuplicates().hasSize(2);
    assertThat(rows).containsExactly(first.merge(second).merge(third), other);
    assertThat(rows.get(0).aliases()).containsExactly("M269", "S1", "S2");
  }

  @Test
  void batchGoesOutAsSoonAsRowsAndRejectsReachBatchRows() throws Exception {
    open(3);

    row(variant("M269", "M269", "ISOGG"));
    harness.processElement(Write.reject(reject(7)), 0);
    assertThat(batches()).isEmpty();
    row(variant("L21", "L21", "ISOGG"));

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).hasSize(2);
    assertThat(batches().get(0).rejects()).containsExactly(reject(7));
  }

  @Test
  void repeatsOfAKeyDoNotFillTheBatch() throws Exception {
    open(2);

    row(variant("M269", "M269", "ISOGG"));
    row(variant("M269", "S1", "YFull"));
    row(variant("M269", "S2", "FTDNA"));
    assertThat(batches()).isEmpty();
    row(variant("L21", "L21", "ISOGG"));

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows())
        .extracting(VariantRow::canonicalName)
        .containsExactly("M269", "L21");
  }

  @Test
  void keyMayReappearInTheNextBatch() throws Exception {
    open(2);
    VariantRow early = variant("M269", "M269", "ISOGG");
    VariantRow late = variant("M269", "S1", "YFull");

    row(early);
    row(variant("L21", "L21", "ISOGG"));
    row(late);
    harness.endInput();

    assertThat(batches()).hasSize(2);
    assertThat(batches().get(1).rows()).containsExactly(late);
  }

  @Test
  void partialBatchGoesOutWhenTheFlushIntervalPassed() throws Exception {
    open(100);

    row(variant("M269", "M269", "ISOGG"));
    harness.setProcessingTime(INTERVAL_MS / 2);
    row(variant("L21", "L21", "ISOGG"));
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
    row(variant("M269", "M269", "ISOGG"));
    harness.setProcessingTime(INTERVAL_MS);

    harness.setProcessingTime(INTERVAL_MS + 10);
    row(variant("L21", "L21", "ISOGG"));
    harness.setProcessingTime(2 * INTERVAL_MS);
    assertThat(batches()).hasSize(1);
    harness.setProcessingTime(2 * INTERVAL_MS + 10);

    assertThat(batches()).hasSize(2);
    assertThat(batches().get(1).rows())
        .extracting(VariantRow::canonicalName)
        .containsExactly("L21");
  }

  @Test
  void partialBatchGoesOutBeforeTheCheckpointBarrier() throws Exception {
    open(100);
    row(variant("M269", "M269", "ISOGG"));
    harness.processElement(Write.reject(reject(9)), 0);

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
    row(variant("M269", "M269", "ISOGG"));

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
    harness.processElement(Write.reject(reject(3)), 0);
    harness.processElement(Write.reject(reject(4)), 0);

    harness.endInput();

    assertThat(batches()).hasSize(1);
    assertThat(batches().get(0).rows()).isEmpty();
    assertThat(batches().get(0).rejects()).containsExactly(reject(3), reject(4));
  }
}
