package dev.pgingest.testutil;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Where the conformance corpus (files published by others) lives, found through one setting. */
public final class Corpus {

  /** System property naming the corpus folder; Maven forwards {@code -D} to test JVMs. */
  public static final String PROPERTY = "pgingest.corpus";

  /** Environment variable read when the property is not set. */
  public static final String ENV = "PGINGEST_CORPUS";

  /** System property that turns a missing corpus from a skip into a failure, for CI. */
  public static final String REQUIRED = "pgingest.corpus.required";

  /** The shared folder next to the project, relative to the project root where Maven runs tests. */
  static final String DEFAULT = "../shared/data";

  private Corpus() {}

  /** The corpus root as configured, absolute; it may not exist. */
  public static Path root() {
    return root(System::getProperty, System.getenv());
  }

  static Path root(Function<String, String> properties, Map<String, String> env) {
    String location = properties.apply(PROPERTY);
    if (location == null || location.isBlank()) {
      location = env.get(ENV);
    }
    if (location == null || location.isBlank()) {
      location = DEFAULT;
    }
    return Path.of(location).toAbsolutePath().normalize();
  }

  /**
   * The corpus subfolder {@code name} (e.g. {@code gff3}); when it is absent the calling test is
   * skipped, or fails if {@value #REQUIRED} is {@code true}, with one sentence saying where it
   * looked and how to point it elsewhere.
   */
  public static Path dir(String name) {
    Path dir = root().resolve(name);
    if (!Files.isDirectory(dir)) {
      String reason = missing(dir);
      if (Boolean.getBoolean(REQUIRED)) {
        fail(reason);
      }
      assumeTrue(false, reason);
    }
    return dir;
  }

  /**
   * The corpus file {@code name} of folder {@code dir}; a missing one skips the test (or fails it
   * where the corpus is required), as a missing folder does.
   */
  public static Path file(String dir, String name) {
    Path file = dir(dir).resolve(name);
    if (!Files.isRegularFile(file)) {
      String reason = "Conformance corpus file not found at " + file + "; " + missing(root());
      if (Boolean.getBoolean(REQUIRED)) {
        fail(reason);
      }
      assumeTrue(false, reason);
    }
    return file;
  }

  static String missing(Path dir) {
    return "Conformance corpus not found at "
        + dir
        + "; set -D"
        + PROPERTY
        + "=DIR or "
        + ENV
        + "=DIR to the folder holding the published files (default "
        + DEFAULT
        + " from the project root).";
  }
}
