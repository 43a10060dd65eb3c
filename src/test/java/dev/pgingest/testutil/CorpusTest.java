package dev.pgingest.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one setting that locates the conformance corpus: property, then environment, then default.
 */
class CorpusTest {

  @Test
  void propertyWinsOverEnvironment() {
    Path root =
        Corpus.root(
            Map.of(Corpus.PROPERTY, "/from/property")::get, Map.of(Corpus.ENV, "/from/env"));
    assertThat(root).isEqualTo(Path.of("/from/property"));
  }

  @Test
  void environmentIsUsedWhenThePropertyIsUnsetOrBlank() {
    assertThat(Corpus.root(Map.<String, String>of()::get, Map.of(Corpus.ENV, "/from/env")))
        .isEqualTo(Path.of("/from/env"));
    assertThat(Corpus.root(Map.of(Corpus.PROPERTY, " ")::get, Map.of(Corpus.ENV, "/from/env")))
        .isEqualTo(Path.of("/from/env"));
  }

  @Test
  void defaultIsTheSharedFolderNextToTheProjectRoot() {
    assertThat(Corpus.root(Map.<String, String>of()::get, Map.of()))
        .isEqualTo(Path.of("").toAbsolutePath().getParent().resolve("shared/data"));
  }

  @Test
  void missingCorpusSentenceNamesThePathAndBothSettings() {
    assertThat(Corpus.missing(Path.of("/nowhere/gff3")))
        .isEqualTo(
            "Conformance corpus not found at /nowhere/gff3; set -Dpgingest.corpus=DIR or"
                + " PGINGEST_CORPUS=DIR to the folder holding the published files (default"
                + " ../shared/data from the project root).");
  }
}
