package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.dedup.DedupFunction;
import dev.pgingest.dedup.RouteKey;
import dev.pgingest.graph.IngestGraph;
import dev.pgingest.sink.BatchOperator;
import dev.pgingest.sink.RowOrReject;
import dev.pgingest.sink.WriteBatch;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** YBrowse rows through the generic dedup and batcher: content fingerprints, the variant merge. */
class VariantRowOperatorsTest {

  @Test
  void sameVariantInOneBatchComesOutAsOneRowWithEveryAlias() throws Exception {
    VariantRow first = Variants.named("M269", "M269", "ISOGG");
    VariantRow second = Variants.named("M269", "S1", "YFull");
    VariantRow other = Variants.named("L21", "L21", "ISOGG");
    VariantRow third = Variants.named("M269", "S2", "FTDNA");

    try (OneInputStreamOperatorTestHarness<RowOrReject<VariantRow>, WriteBatch<VariantRow>>
        harness =
            new OneInputStreamOperatorTestHarness<>(new BatchOperator<VariantRow>(100, 1000, 0))) {
      harness.open();
      for (VariantRow r : List.of(first, other, second, third)) {
        harness.processElement(RowOrReject.row(r), 0);
      }
      harness.endInput();

      List<WriteBatch<VariantRow>> batches = harness.extractOutputValues();
      assertThat(batches).hasSize(1);
      List<VariantRow> rows = batches.get(0).rows();
      // The batcher merges as the variant's upsert SQL does: aliases are united, not replaced.
      assertThat(rows).containsExactly(first.merge(second).merge(third), other);
      assertThat(rows.get(0).aliases()).containsExactly("M269", "S1", "S2");
    }
  }

  @Test
  void differingVariantPassesDedupAndAnEqualOneBuiltAgainIsDropped() throws Exception {
    VariantRow first = Variants.named("M269", "M269", "ISOGG");
    VariantRow differing = Variants.named("M269", "M269", "YFull");

    try (KeyedOneInputStreamOperatorTestHarness<
            RouteKey, RowOrReject<VariantRow>, RowOrReject<VariantRow>>
        harness =
            new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupFunction<VariantRow>()),
                IngestGraph::writeKey,
                RouteKey.TYPE)) {
      harness.open();
      harness.processElement(RowOrReject.row(first), 0);
      harness.processElement(RowOrReject.row(differing), 1);
      // Built again, not the same object: the variant's fingerprint must cover its content.
      harness.processElement(RowOrReject.row(Variants.named("M269", "M269", "ISOGG")), 2);

      assertThat(harness.extractOutputValues())
          .containsExactly(RowOrReject.row(first), RowOrReject.row(differing));
    }
  }
}
