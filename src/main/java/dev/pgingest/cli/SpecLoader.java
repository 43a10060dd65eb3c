package dev.pgingest.cli;

import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.JobSpecParser;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.SpecNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
   * Parses {@code specFile} with {@code overrides}; non-empty {@code inputs} replace the spec's
   * paths. {@code SOURCE=PATH} gives {@code PATH} to the source named {@code SOURCE}; a plain
   * {@code PATH} goes to the only source of a one-source spec, and with several sources each of its
   * files goes to the first source, in spec order, that recognizes it by content ({@link
   * dev.pgingest.spec.SourceSpec#byContent()}). A source that no input names reads nothing.
   *
   * @throws UsageError when {@code SOURCE} names no source of the spec
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
    List<String> names = spec.sources().stream().map(SourceSpec::name).toList();
    Map<String, List<String>> named = new LinkedHashMap<>();
    List<String> shared = new ArrayList<>();
    for (String in : inputs) {
      String source = sourceOf(in);
      if (source == null) {
        shared.add(absolute(in));
        continue;
      }
      if (!names.contains(source)) {
        throw new UsageError(
            "--input "
                + in
                + ": the spec has no source '"
                + source
                + "'; its sources are "
                + String.join(", ", names));
      }
      named
          .computeIfAbsent(source, k -> new ArrayList<>())
          .add(absolute(in.substring(source.length() + 1)));
    }
    boolean one = spec.sources().size() == 1;
    List<SourceSpec> sources = new ArrayList<>();
    for (SourceSpec s : spec.sources()) {
      List<String> own = new ArrayList<>(named.getOrDefault(s.name(), List.of()));
      if (one) {
        own.addAll(shared);
        sources.add(s.withPaths(own));
      } else {
        sources.add(s.withPaths(own, shared));
      }
    }
    return spec.withSources(sources);
  }

  /**
   * The source an {@code --input SOURCE=PATH} names, or null for a plain path: {@code SOURCE} is
   * what comes before the first {@code =}, when that holds no {@code /}, a backslash or {@code :}
   * (so {@code ./a=b.csv} and {@code s3://b/k=v/x.csv} stay paths).
   */
  static String sourceOf(String input) {
    int eq = input.indexOf('=');
    if (eq <= 0) {
      return null;
    }
    String before = input.substring(0, eq);
    return before.contains("/") || before.contains("\\") || before.contains(":") ? null : before;
  }

  /** Relative inputs are the user's, relative to where they typed the command. */
  private static String absolute(String in) {
    return in.contains("://") ? in : Path.of(in).toAbsolutePath().normalize().toString();
  }

  /** A command line that names something the spec does not have. */
  static final class UsageError extends IllegalArgumentException {
    UsageError(String message) {
      super(message);
    }
  }
}
