package dev.pgingest.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every job spec shipped in {@code jobs/} is one the fault suite runs: a new pipeline joins it. */
class JobCoverageTest {

  @Test
  void everyShippedJobHasAnInputGenerator() throws IOException {
    List<String> shipped;
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      shipped =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - ".yaml".length()))
              .sorted()
              .toList();
    }
    assertThat(shipped).isNotEmpty();
    assertThat(FaultHarness.JOBS.stream().map(FaultHarness.Job::spec).sorted().toList())
        .as("jobs in FaultHarness.JOBS (add a generator for a new spec in jobs/)")
        .isEqualTo(shipped);
  }
}
