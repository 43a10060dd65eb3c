package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgingest.run.Inputs.InputFile;
import dev.pgingest.spec.SourceSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unit tests of {@link Inputs}: what a job will read, and one sentence when it would read nothing.
 */
class InputsTest {

  private static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  @Test
  void fileIsListedAsAPlainAbsolutePathWithSizeAndModificationTime(@TempDir Path dir)
      throws Exception {
    Path file = write(dir.resolve("snps.gff3"), "##gff-version 3\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));

    List<InputFile> files = Inputs.list(List.of(file.toString()));

    assertThat(files).containsExactly(new InputFile(file.toString(), 16, 1_700_000_000_000L));
  }

  @Test
  void folderIsExpandedRecursivelyInPathOrderWithoutHiddenFilesOrFolders(@TempDir Path dir)
      throws Exception {
    write(dir.resolve("b.gff3.gz"), "bb");
    write(dir.resolve("a.gff3"), "a");
    write(dir.resolve("sub/c.gff3"), "ccc");
    write(dir.resolve(".a.gff3.swp"), "hidden");
    write(dir.resolve("_SUCCESS"), "");
    write(dir.resolve(".git/objects/x"), "hidden");
    write(dir.resolve("_temporary/part-0"), "hidden");
    write(dir.resolve("sub/.partial"), "hidden");

    List<InputFile> files = Inputs.list(List.of(dir.toString()));

    assertThat(files)
        .extracting(InputFile::path, InputFile::size)
        .containsExactly(
            tuple(dir.resolve("a.gff3").toString(), 1L),
            tuple(dir.resolve("b.gff3.gz").toString(), 2L),
            tuple(dir.resolve("sub/c.gff3").toString(), 3L));
  }

  @Test
  void listsExactlyTheFilesFlinksFileSourceEnumerates(@TempDir Path dir) throws Exception {
    write(dir.resolve("one/a.gff3"), "a");
    write(dir.resolve("one/_b.gff3"), "b");
    write(dir.resolve("two/.c.gff3"), "c");
    write(dir.resolve("two/d/e.gff3"), "e");
    Path single = write(dir.resolve("f.gff3"), "f");
    List<String> given =
        List.of(dir.resolve("one").toString(), dir.resolve("two").toString(), single.toString());

    List<String> flink =
        new NonSplittingRecursiveEnumerator()
                .enumerateSplits(
                    given.stream()
                        .map(org.apache.flink.core.fs.Path::new)
                        .toArray(org.apache.flink.core.fs.Path[]::new),
                    1)
                .stream()
                .map(FileSourceSplit::path)
                .map(p -> p.toUri().getPath())
                .toList();

    assertThat(Inputs.list(given))
        .extracting(InputFile::path)
        .containsExactlyInAnyOrderElementsOf(flink);
    assertThat(flink).hasSize(3);
  }

  @Test
  void givenPathsKeepTheirOrder(@TempDir Path dir) throws Exception {
    Path z = write(dir.resolve("z.gff3"), "z");
    Path a = write(dir.resolve("a.gff3"), "a");

    assertThat(Inputs.list(List.of(z.toString(), a.toString())))
        .extracting(InputFile::path)
        .containsExactly(z.toString(), a.toString());
  }

  @Test
  void missingInputIsOneSentence(@TempDir Path dir) throws Exception {
    write(dir.resolve("there.gff3"), "x");
    Path missing = dir.resolve("no-such-dump.gff3");

    assertThatThrownBy(
            () -> Inputs.list(List.of(dir.resolve("there.gff3").toString(), missing.toString())))
        .isInstanceOf(RunFailure.class)
        .hasMessage("Input not found: " + missing + ".");
  }

  @Test
  void emptyFolderIsOneSentence(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("only/empty/folders"));

    assertThatThrownBy(() -> Inputs.list(List.of(dir.toString())))
        .isInstanceOf(RunFailure.class)
        .hasMessage("No input files in " + dir + ": the folder is empty.");
  }

  @Test
  void folderWithOnlyHiddenFilesIsOneSentence(@TempDir Path dir) throws Exception {
    write(dir.resolve(".snps.gff3"), "x");
    write(dir.resolve("sub/_SUCCESS"), "");

    assertThatThrownBy(() -> Inputs.list(List.of(dir.toString())))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "No input files in "
                + dir
                + ": the folder holds only hidden files (names starting with '.' or '_').");
  }

  @Test
  void hiddenFileGivenByNameIsOneSentence(@TempDir Path dir) throws Exception {
    Path hidden = write(dir.resolve("_snps.gff3"), "x");

    assertThatThrownBy(() -> Inputs.list(List.of(hidden.toString())))
        .isInstanceOf(RunFailure.class)
        .hasMessage(
            "Input "
                + hidden
                + " would not be read: names starting with '.' or '_' mark hidden files.");
  }

  @Test
  void noPathsIsTheEmptySourceSentence() {
    assertThatThrownBy(() -> Inputs.list(List.of()))
        .isInstanceOf(RunFailure.class)
        .hasMessage("No input: the spec's key 'source.paths' is empty and no --input was given.");
  }

  private static SourceSpec shared(String name, String format, Path folder) {
    return new SourceSpec(name, format, List.of(), null, List.of(), List.of(), Map.of())
        .withPaths(List.of(), List.of(folder.toString()));
  }

  @Test
  void sharedFilesGoToTheFirstSourceThatRecognizesThemAndOthersAreNamed(@TempDir Path dir)
      throws Exception {
    Path a = Files.writeString(dir.resolve("a.csv"), "id,name\n1,x\n");
    Path both = Files.writeString(dir.resolve("both.csv"), "id,name,kind\n1,x,y\n");
    Path b = Files.writeString(dir.resolve("b.csv"), "kind\ny\n");
    Path none = Files.writeString(dir.resolve("none.csv"), "sku\nA1\n");
    Path gz = dir.resolve("b2.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("kind\nz\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(dir.resolve("README.md"), "# notes\n");
    List<SourceSpec> sources = List.of(shared("first", "csv", dir), shared("second", "csv", dir));

    Inputs.Listing l =
        Inputs.list(
            sources,
            (s, path) -> path.contains(".csv"),
            (s, path, head) ->
                new String(head, StandardCharsets.UTF_8)
                        .startsWith(s.name().equals("first") ? "id" : "kind")
                    || new String(head, StandardCharsets.UTF_8).contains(",kind"));

    // both.csv is recognized by both sources: the first in spec order takes it.
    assertThat(l.bySource().get("first")).containsExactly(a.toString(), both.toString());
    assertThat(l.bySource().get("second")).containsExactly(b.toString(), gz.toString());
    assertThat(l.unrecognized()).containsExactly(none.toString());
    assertThat(l.ignored()).containsExactly(dir.resolve("README.md").toString());
    assertThat(l.tried()).containsExactly("first (csv)", "second (csv)");
    assertThat(l.files()).extracting(InputFile::path).doesNotContain(none.toString());
  }
}
