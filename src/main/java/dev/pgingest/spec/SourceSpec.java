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
 */
public record SourceSpec(
    String name,
    String format,
    List<String> paths,
    CsvOptions csv,
    List<String> nullTokens,
    List<String> tables,
    Map<String, String> settings)
    implements Serializable {
  public SourceSpec {
    paths = List.copyOf(paths);
    nullTokens = List.copyOf(nullTokens);
    tables = List.copyOf(tables);
    settings = Map.copyOf(settings);
  }

  public SourceSpec withPaths(List<String> newPaths) {
    return new SourceSpec(name, format, newPaths, csv, nullTokens, tables, settings);
  }

  /** A pipeline-specific setting, or {@code def} when the spec does not set it. */
  public String setting(String key, String def) {
    return settings.getOrDefault(key, def);
  }
}
