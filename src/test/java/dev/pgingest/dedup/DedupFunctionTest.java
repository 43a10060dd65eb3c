package dev.pgingest.dedup;

import dev.pgingest.sink.Reject;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.testutil.Variants;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.pipeline.ybrowse.VariantRow;
import dev.pgingest.sink.Write;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link DedupFunction} on a keyed operator test harness, including restore. */
class DedupFunctionTest {

  private KeyedOneInputStreamOperatorTestHarness<String, Write<VariantRow>, Write<VariantRow>> harness;

  /** A named variant; {@code ref} stands for any evidence that makes two records differ. */
  private static VariantRow variant(String name, String ref) {
    return Variants.named(name, name, ref);
  }


  private static KeyedOneInputStreamOperatorTestHarness<String, Write<VariantRow>, Write<VariantRow>>
      newHarness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new DedupFunction<VariantRow>()), IngestGraph::writeKey, Types.STRING);
  }

  @BeforeEach
  void open() throws Exception {
    harness = newHarness();
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  private static long accumulator(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String name) {
    return (Long)
        h.getEnvironment().getAccumulatorRegistry().getUserMap().get(name).getLocalValue();
  }

  @Test
  void firstRecordOfAKeyPassesAsARowWrite() throws Exception {
    VariantRow m269 = variant("M269", "ISOGG");

    harness.processElement(Write.row(m269), 0);

    assertThat(harness.extractOutputValues()).containsExactly(Write.row(m269));
  }

  @Test
  void exactRepeatIsDropped() throws Exception {
    harness.processElement(Write.row(variant("M269", "ISOGG")), 0);
    // A separately built but equal record: dedup must compare content, not identity.
    harness.processElement(Write.row(variant("M269", "ISOGG")), 1);

    assertThat(harness.extractOutputValues()).hasSize(1);
  }

  @Test
  void differentRecordOfTheSameKeyPassesToBeMerged() throws Exception {
    VariantRow first = variant("M269", "ISOGG");
    VariantRow second = variant("M269", "YFull");

    harness.processElement(Write.row(first), 0);
    harness.processElement(Write.row(second), 1);
    // Both earlier versions are remembered, not only the latest.
    harness.processElement(Write.row(variant("M269", "ISOGG")), 2);
    harness.processElement(Write.row(variant("M269", "YFull")), 3);

    assertThat(harness.extractOutputValues()).containsExactly(Write.row(first), Write.row(second));
  }

  @Test
  void sameContentUnderAnotherKeyIsNotADuplicate() throws Exception {
    harness.processElement(Write.row(variant("M269", "ISOGG")), 0);
    harness.processElement(Write.row(variant("L21", "ISOGG")), 1);

    assertThat(harness.extractOutputValues()).hasSize(2);
  }

  @Test
  void stateIsCreatedOncePerKey() throws Exception {
    assertThat(harness.numKeyedStateEntries()).isZero();

    harness.processElement(Write.row(variant("M269", "ISOGG")), 0);
    harness.processElement(Write.row(variant("M269", "ISOGG")), 1);
    harness.processElement(Write.row(variant("M269", "YFull")), 2);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

    harness.processElement(Write.row(variant("L21", "ISOGG")), 3);
    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
  }

  @Test
  void accumulatorsCountKeysAndRecordsAfterEachKeysFirst() throws Exception {
    harness.processElement(Write.row(variant("M269", "ISOGG")), 0);
    harness.processElement(Write.row(variant("M269", "ISOGG")), 1);
    harness.processElement(Write.row(variant("M269", "YFull")), 2);
    harness.processElement(Write.row(variant("L21", "ISOGG")), 3);

    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(2);
    // Every later record of a key is merged into its row, whether dropped or passed on.
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2);
  }

  @Test
  void repeatOfARecordSeenBeforeTheCheckpointIsDroppedAfterRestore() throws Exception {
    harness.processElement(Write.row(variant("M269", "ISOGG")), 0);
    harness.processElement(Write.row(variant("M269", "YFull")), 1);
    harness.processElement(Write.row(variant("L21", "ISOGG")), 2);
    harness.processElement(Write.row(variant("L21", "ISOGG")), 3);
    OperatorSubtaskState snapshot = harness.snapshot(0, 0);
    harness.close();

    // What a failover does: a fresh operator restored from the checkpoint replays the input.
    harness = newHarness();
    harness.initializeState(snapshot);
    harness.open();
    harness.processElement(Write.row(variant("M269", "ISOGG")), 4);
    harness.processElement(Write.row(variant("M269", "YFull")), 5);
    harness.processElement(Write.row(variant("L21", "ISOGG")), 6);
    VariantRow unseen = variant("M269", "FTDNA");
    harness.processElement(Write.row(unseen), 7);

    assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    assertThat(harness.extractOutputValues()).containsExactly(Write.row(unseen));
    // Counts continue from the checkpoint, so the run's totals stay exact across failover.
    assertThat(accumulator(harness, DedupFunction.KEYS)).isEqualTo(2);
    assertThat(accumulator(harness, DedupFunction.DUPLICATES)).isEqualTo(2 + 4);
  }

  @Test
  void rejectsPassThroughWithoutState() throws Exception {
    Write<VariantRow> reject = Write.reject(new Reject("a.gff3", 7, "bad", "raw"));
    harness.processElement(reject, 0);

    assertThat(harness.extractOutputValues()).containsExactly(reject);
    assertThat(harness.numKeyedStateEntries()).isZero();
  }
}
