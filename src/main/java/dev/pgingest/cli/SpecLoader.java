package dev.pgingest.cli;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.SpecNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a spec file as both entry points do: overrides applied, {@code --input} replacing paths.
 */
final class SpecLoader {
  private SpecLoader() {}

  /** Adds one {@code --set KEY=VALUE} to {@code overrides}. */
  static void addOverride(Map<String, String> overrides, String keyValue) {
    int eq = keyValue.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--set needs KEY=VALUE, got '" + keyValue + "'");
    }
    overrides.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
  }

  /**
   * Parses {@code specFile} with {@code overrides}; non-empty {@code inputs} replace the paths of
   * every source (a spec with several sources then reads the same inputs in each of them), so
   * {@code --input} suits a job with one source best.
   */
  static JobSpec load(String specFile, List<String> inputs, Map<String, String> overrides)
      throws IOException {
    Path path = Path.of(specFile);
    String text;
    if (Files.isDirectory(path)) {
      throw new SpecException(specFile + " is a folder, not a job spec file (jobs/*.yaml)");
    }
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpecNotFoundException(specFile);
    }
    JobSpec spec =
        JobSpecParser.parse(text, specFile, path.toAbsolutePath().getParent(), overrides);
    if (inputs.isEmpty()) {
      return spec;
    }
    List<String> paths = new ArrayList<>();
    for (String in : inputs) {
      // Relative inputs are the user's, relative to where they typed the command.
      paths.add(in.contains("://") ? in : Path.of(in).toAbsolutePath().normalize().toString());
    }
    return spec.withSources(spec.sources().stream().map(s -> s.withPaths(paths)).toList());
  }
}
