package dev.pgingest.spec;

import java.io.Serializable;

/**
 * A validated job spec: what to read, where to write it and how; built only by {@link
 * JobSpecParser}.
 *
 * @param name the job's name, shown in the Flink web UI and stored with each run
 * @param pipeline which pipeline definition turns records into rows
 * @param source where records come from
 * @param target where rows go
 * @param options tuning and safety knobs
 * @param sql SQL before and after the load
 * @param text the spec's YAML text as given, so it can travel with a cluster submission
 * @param hash SHA-256 of the text and the overrides applied to it
 */
public record JobSpec(
    String name,
    String pipeline,
    SourceSpec source,
    TargetSpec target,
    Options options,
    SqlSpec sql,
    String text,
    String hash)
    implements Serializable {

  public JobSpec withSource(SourceSpec newSource) {
    return new JobSpec(name, pipeline, newSource, target, options, sql, text, hash);
  }
}
