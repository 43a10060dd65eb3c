package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunResult;
import dev.pgingest.testutil.Specs;
import dev.pgingest.testutil.TestPostgres;
import dev.pgingest.testutil.TestS3;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3://} folders with gzip files, served by a real S3-compatible server on 127.0.0.1. */
class S3InputITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = dev.pgingest.testutil.Flink.miniCluster();

  @Test
  void loadsGzipFilesFromAnS3Folder(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("edge_cases.gff3.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(Specs.fixture("workload/ybrowse/edge_cases.gff3"), out);
    }
    try (TestS3 s3 = TestS3.start(dir.resolve("s3"), "dumps")) {
      s3.upload(gz, "dumps", "ybrowse/edge_cases.gff3.gz");
      s3.upload(
          Specs.fixture("workload/ybrowse/repeats_across_files.gff3"),
          "dumps",
          "ybrowse/repeats_across_files.gff3");

      String schema = TestPostgres.freshSchema("s3");
      var spec =
          Specs.shipped(
              "ybrowse-variants",
              List.of(),
              Map.of(
                  "target.schema", schema,
                  "max-reject-ratio", "1",
                  "checkpoint-interval", "500ms"));
      spec = spec.withSource(spec.source().withPaths(List.of("s3://dumps/ybrowse/")));
      RunResult r =
          new IngestRun(spec, TestPostgres.database())
              .execute(StreamExecutionEnvironment.getExecutionEnvironment());

      assertThat(r.tables().get("variant").read()).isEqualTo(18);
      assertThat(r.tables().get("variant").inserted()).isEqualTo(7);
      assertThat(
              TestPostgres.rows(
                  "SELECT aliases::text FROM " + schema + ".variant WHERE canonical_name = 'Z381'"))
          .containsExactly(List.of("[\"S263\", \"Z381\", \"Z381.1\"]"));
      assertThat(TestPostgres.rows("SELECT DISTINCT file FROM " + schema + ".ingest_rejects"))
          .containsExactly(List.of("s3://dumps/ybrowse/edge_cases.gff3.gz"));
    }
  }
}
