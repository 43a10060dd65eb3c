package dev.pgingest.spec;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated job spec: what to read, where to write it and how; built only by {@link
 * JobSpecParser}.
 *
 * @param name the job's name, shown in the Flink web UI and stored with each run
 * @param pipeline the Java pipeline that turns records into rows, or null for a declared job (its
 *     {@code tables} say it all)
 * @param sources where records come from, at least one
 * @param target the schema and pgingest's own tables
 * @param tables declared target tables, in the order written (parents before children); empty for a
 *     Java pipeline
 * @param summary the run summary's extra counts: name → {@code table.count}, where count is one of
 *     rows, inserted, updated, unchanged, skipped, duplicates
 * @param options tuning and safety knobs
 * @param sql SQL before and after the load
 * @param text the spec's YAML text as given, so it can travel with a cluster submission
 * @param hash SHA-256 of the text and the overrides applied to it
 * @param progress per-unit progress in SQL, or null for none
 */
public record JobSpec(
    String name,
    String pipeline,
    List<SourceSpec> sources,
    TargetSpec target,
    List<TableSpec> tables,
    Map<String, String> summary,
    Options options,
    SqlSpec sql,
    String text,
    String hash,
    UnitStatusSpec progress)
    implements Serializable {

  /** A job without per-unit progress. */
  public JobSpec(
      String name,
      String pipeline,
      List<SourceSpec> sources,
      TargetSpec target,
      List<TableSpec> tables,
      Map<String, String> summary,
      Options options,
      SqlSpec sql,
      String text,
      String hash) {
    this(name, pipeline, sources, target, tables, summary, options, sql, text, hash, null);
  }

  public JobSpec {
    sources = List.copyOf(sources);
    tables = List.copyOf(tables);
    summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
  }

  /** The first (for a Java pipeline, the only) source. */
  public SourceSpec source() {
    return sources.get(0);
  }

  /** Every source's paths, then the paths shared by content, in source order, each once. */
  public List<String> allPaths() {
    return sources.stream()
        .flatMap(s -> java.util.stream.Stream.concat(s.paths().stream(), s.byContent().stream()))
        .distinct()
        .toList();
  }

  public JobSpec withSources(List<SourceSpec> newSources) {
    return new JobSpec(
        name, pipeline, newSources, target, tables, summary, options, sql, text, hash, progress);
  }

  public JobSpec withOptions(Options newOptions) {
    return new JobSpec(
        name, pipeline, sources, target, tables, summary, newOptions, sql, text, hash, progress);
  }

  public JobSpec withSource(SourceSpec newSource) {
    return withSources(List.of(newSource));
  }
}
