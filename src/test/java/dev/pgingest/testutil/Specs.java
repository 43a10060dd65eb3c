package dev.pgingest.testutil;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shipped job specs with test overrides, parsed as the CLI parses them. */
public final class Specs {
  private Specs() {}

  /** {@code jobs/NAME.yaml} with {@code --set} overrides and the given inputs. */
  public static JobSpec shipped(String name, List<Path> inputs, Map<String, String> overrides) {
    Path spec = Path.of("jobs", name + ".yaml");
    try {
      Map<String, String> all = new LinkedHashMap<>(overrides);
      JobSpec parsed =
          JobSpecParser.parse(
              Files.readString(spec), spec.toString(), spec.toAbsolutePath().getParent(), all);
      return parsed.withSource(
          parsed
              .source()
              .withPaths(inputs.stream().map(p -> p.toAbsolutePath().toString()).toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code jobs/NAME.yaml} with each named source reading the given inputs (others unchanged). */
  public static JobSpec shippedSources(
      String name, Map<String, List<Path>> inputs, Map<String, String> overrides) {
    Path spec = Path.of("jobs", name + ".yaml");
    JobSpec parsed;
    try {
      parsed =
          JobSpecParser.parse(
              Files.readString(spec),
              spec.toString(),
              spec.toAbsolutePath().getParent(),
              new LinkedHashMap<>(overrides));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parsed.withSources(
        parsed.sources().stream()
            .map(
                s ->
                    inputs.containsKey(s.name())
                        ? s.withPaths(
                            inputs.get(s.name()).stream()
                                .map(p -> p.toAbsolutePath().toString())
                                .toList())
                        : s)
            .toList());
  }

  /** A fixture under src/test/resources. */
  public static Path fixture(String relative) {
    return Path.of("src", "test", "resources", relative);
  }
}
