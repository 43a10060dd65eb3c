package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One source of records: files of one format (or of formats told by their names) and how to read
 * them.
 *
 * @param name the source's name, unique in the job: operator names and uids are built from it
 * @param format codec name, one the job's pipeline reads ({@code PipelineDef.formats()}): a job
 *     without {@code pipeline} reads {@code csv}, {@code jsonl} or {@code auto} (by file name:
 *     {@code .csv}, {@code .jsonl}/{@code .ndjson}, each optionally {@code .gz}); a pipeline names
 *     its own formats
 * @param paths files or folders, local or {@code s3://}; relative ones already resolved
 * @param csv CSV dialect, used by files read as CSV
 * @param nullTokens field values that mean SQL NULL (after trimming), e.g. {@code ""}, {@code NULL}
 * @param tables the declared tables this source's records feed; empty means all of them
 * @param settings pipeline-specific settings (keys in {@code PipelineDef.sourceSettings()}),
 *     already validated by the pipeline that owns them
 * @param byContent files or folders given to every source of the job ({@code --input PATH} with
 *     several sources): of their files this source reads those that it is the first source, in spec
 *     order, to recognize by content ({@code PipelineDef.recognizes}); empty for none
 */
public record SourceSpec(
    String name,
    String format,
    List<String> paths,
    CsvOptions csv,
    List<String> nullTokens,
    List<String> tables,
    Map<String, String> settings,
    List<String> byContent)
    implements Serializable {

  /** A source that reads its own paths only. */
  public SourceSpec(
      String name,
      String format,
      List<String> paths,
      CsvOptions csv,
      List<String> nullTokens,
      List<String> tables,
      Map<String, String> settings) {
    this(name, format, paths, csv, nullTokens, tables, settings, List.of());
  }

  public SourceSpec {
    paths = List.copyOf(paths);
    byContent = List.copyOf(byContent);
    nullTokens = List.copyOf(nullTokens);
    tables = List.copyOf(tables);
    settings = Map.copyOf(settings);
  }

  /** This source reading exactly {@code newPaths}, none shared by content. */
  public SourceSpec withPaths(List<String> newPaths) {
    return new SourceSpec(name, format, newPaths, csv, nullTokens, tables, settings);
  }

  /** This source reading {@code newPaths}, and of {@code shared} the files it recognizes first. */
  public SourceSpec withPaths(List<String> newPaths, List<String> shared) {
    return new SourceSpec(name, format, newPaths, csv, nullTokens, tables, settings, shared);
  }

  /** A pipeline-specific setting, or {@code def} when the spec does not set it. */
  public String setting(String key, String def) {
    return settings.getOrDefault(key, def);
  }
}
