package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.format.Decoded;
import dev.pgingest.graph.JobSources;
import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.run.TableSummary;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task failure after a checkpoint: the job restarts from it and ends with a clean run's table.
 */
class RecoveryITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  private static final int LINES = 30_000;
  private static final int FAIL_AFTER = 8_000;

  static final AtomicBoolean CHECKPOINT_DONE = new AtomicBoolean();
  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger MAX_ATTEMPT = new AtomicInteger();

  /** Throws once, after {@link #FAIL_AFTER} records and a completed checkpoint. */
  static final class FailOnceAfterCheckpoint<R> extends RichMapFunction<R, R>
      implements CheckpointListener {
    private long seen;

    @Override
    public void open(OpenContext ctx) {
      MAX_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
    }

    @Override
    public R map(R row) throws Exception {
      seen++;
      if (!FAILED.get() && seen > FAIL_AFTER) {
        if (CHECKPOINT_DONE.get()) {
          FAILED.set(true);
          throw new IllegalStateException("injected failure");
        }
        // Slow down so a checkpoint completes while this task still has input to read.
        Thread.sleep(2);
      }
      return row;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (seen > FAIL_AFTER) {
        CHECKPOINT_DONE.set(true);
      }
    }
  }

  @Test
  void failureAfterACheckpointRecoversToTheCleanRunsTable(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("snps.gff3");
    writeDump(input);

    String clean = TestPostgres.freshSchema("clean");
    RunResult cleanRun = run(spec(clean, input), JobSources.FILES);

    String crashed = TestPostgres.freshSchema("crashed");
    JobSources failOnce =
        new JobSources() {
          @Override
          public <T> DataStream<Decoded<T>> read(
              StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source) {
            DataStream<Decoded<T>> items = JobSources.FILES.read(env, job, source);
            return items
                .map(new FailOnceAfterCheckpoint<Decoded<T>>())
                .returns(items.getType())
                .name("Fail once after a checkpoint");
          }
        };
    RunResult recovered = run(spec(crashed, input), failOnce);

    assertThat(FAILED).isTrue();
    assertThat(MAX_ATTEMPT.get()).isPositive();
    Variants.assertSameTable(clean, crashed);
    long rows = TestPostgres.scalar("SELECT count(*) FROM " + crashed + ".variant");
    assertThat(rows)
        .isEqualTo(
            TestPostgres.scalar(
                "SELECT count(DISTINCT (canonical_name, haplogroup, coordinates)) FROM "
                    + crashed
                    + ".variant"));
    TableSummary a = cleanRun.tables().get("variant");
    TableSummary b = recovered.tables().get("variant");
    assertThat(List.of(b.read(), b.rejected(), b.duplicates(), b.inserted()))
        .isEqualTo(List.of(a.read(), a.rejected(), a.duplicates(), a.inserted()));
    assertThat(b.read()).isEqualTo(LINES);
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + crashed + ".ingest_rejects"))
        .isEqualTo(a.rejected());
  }

  private static JobSpec spec(String schema, Path input) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("target.schema", schema);
    o.put("checkpoint-interval", "200ms");
    o.put("flush-interval", "50ms");
    o.put("batch-rows", "500");
    o.put("restart-attempts", "2");
    o.put("restart-delay", "100ms");
    return Specs.shipped("ybrowse-variants", List.of(input), o);
  }

  private static RunResult run(JobSpec spec, JobSources sources) {
    return new IngestRun(spec, TestPostgres.database())
        .withSources(sources)
        .execute(StreamExecutionEnvironment.getExecutionEnvironment());
  }

  /** Named SNPs with repeats near and far, some merges, a few unnamed and malformed lines. */
  private static void writeDump(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("##gff-version 3");
    for (int i = 0; i < LINES; i++) {
      long pos = 2_700_000L + i * 37L;
      String attrs;
      if (i % 997 == 0) {
        lines.add("chrY\tpoint\tsnp\t" + pos + "\tnot-a-number\t.\t+\t.\tID=BAD" + i);
        continue;
      } else if (i % 101 == 0) {
        attrs = "ID=.;Name=.;allele_anc=A;allele_der=G;count_tested=" + (i % 7);
      } else if (i % 13 == 0) {
        // the same SNP again, far apart, with an alias that merges in
        int j = i - 5000 > 0 ? i - 5000 : i;
        attrs =
            "ID=Y"
                + j
                + ";Name=Y"
                + j
                + ";Alias=FGC"
                + i
                + ";allele_anc=C;allele_der=T"
                + ";isogg_haplogroup=R-Y"
                + (j % 50);
        pos = 2_700_000L + j * 37L;
      } else if (i % 11 == 0) {
        // an exact repeat of the previous line
        lines.add(lines.get(lines.size() - 1));
        continue;
      } else {
        attrs =
            "ID=Y"
                + i
                + ";Name=Y"
                + i
                + ";allele_anc=C;allele_der=T;isogg_haplogroup=R-Y"
                + (i % 50)
                + ";count_tested="
                + (i % 9)
                + ";ref=test";
      }
      lines.add("chrY\tpoint\tsnp\t" + pos + "\t" + pos + "\t.\t+\t.\t" + attrs);
    }
    Files.write(file, lines);
  }
}
