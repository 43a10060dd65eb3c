package dev.pgingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SpecLoader}: {@code --input} against specs with one and with several sources. */
class SpecLoaderTest {

  private static final String TWO_SOURCES =
      """
      name: two
      sources:
        - { name: a, format: jsonl, paths: in/a }
        - { name: b, format: csv, paths: in/b }
      tables:
        - name: t
          key: id
          columns:
            - { name: id, type: bigint, field: id }
      """;

  @Test
  void withoutInputEachSourceKeepsItsPaths(@TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("two.yaml"), TWO_SOURCES);

    JobSpec loaded = SpecLoader.load(spec.toString(), List.of(), Map.of());

    assertThat(loaded.sources())
        .extracting(SourceSpec::paths)
        .containsExactly(
            List.of(dir.resolve("in/a").toString()), List.of(dir.resolve("in/b").toString()));
  }

  @Test
  void plainInputsAreSharedByContentAmongSeveralSourcesAndNamedOnesGoToTheirSource(
      @TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("two.yaml"), TWO_SOURCES);

    JobSpec loaded =
        SpecLoader.load(spec.toString(), List.of("s3://b/x.csv", "rel/y.csv", "b=z.csv"), Map.of());

    List<String> shared =
        List.of("s3://b/x.csv", Path.of("rel/y.csv").toAbsolutePath().normalize().toString());
    assertThat(loaded.sources()).extracting(SourceSpec::name).containsExactly("a", "b");
    assertThat(loaded.sources())
        .extracting(SourceSpec::paths)
        .containsExactly(
            List.of(), List.of(Path.of("z.csv").toAbsolutePath().normalize().toString()));
    assertThat(loaded.sources()).extracting(SourceSpec::byContent).containsExactly(shared, shared);
  }

  @Test
  void anInputNamingNoSourceIsAUsageErrorNamingTheSources(@TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("two.yaml"), TWO_SOURCES);

    assertThatThrownBy(() -> SpecLoader.load(spec.toString(), List.of("c=x.csv"), Map.of()))
        .isInstanceOf(SpecLoader.UsageError.class)
        .hasMessage("--input c=x.csv: the spec has no source 'c'; its sources are a, b");
  }

  @Test
  void pathsWithAnEqualsSignStayPaths() {
    assertThat(SpecLoader.sourceOf("timing=x.csv")).isEqualTo("timing");
    assertThat(SpecLoader.sourceOf("./a=b.csv")).isNull();
    assertThat(SpecLoader.sourceOf("s3://bucket/k=v/x.csv")).isNull();
    assertThat(SpecLoader.sourceOf("x.csv")).isNull();
  }

  @Test
  void withOneSourceAPlainInputReplacesItsPaths(@TempDir Path dir) throws Exception {
    Path spec =
        Files.writeString(
            dir.resolve("one.yaml"),
            TWO_SOURCES.replace("- { name: b, format: csv, paths: in/b }", ""));

    JobSpec loaded = SpecLoader.load(spec.toString(), List.of("s3://b/x.csv"), Map.of());

    assertThat(loaded.sources())
        .extracting(SourceSpec::paths)
        .containsExactly(List.of("s3://b/x.csv"));
    assertThat(loaded.source().byContent()).isEmpty();
  }
}
