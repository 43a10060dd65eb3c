package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The cluster job jar reads {@code --input} through the same {@link SpecLoader} as the runner: a
 * {@code SOURCE=PATH} naming no source of the spec is a usage error before anything connects.
 */
class ClusterJobInputsTest {

  @Test
  void anInputNamingNoSourceIsAUsageErrorNamingTheSources() {
    assertThatThrownBy(
            () ->
                ClusterJob.main(
                    new String[] {
                      "--spec",
                      "jobs/laps-timing-csv.yaml",
                      "--jdbc-url",
                      "jdbc:postgresql://127.0.0.1:1/none",
                      "--input",
                      "timings=export.CSV"
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--input timings=export.CSV: the spec has no source 'timings'; its sources are"
                + " timing, telemetry");
  }
}
