package dev.pgingest.graph;

import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.store.ObjectSource;
import dev.pgingest.unitstatus.UnitStatusTable;
import java.util.List;
import java.util.Map;

/**
 * A job spec resolved against its pipeline once: its tables and what the pipeline can do, then,
 * once the run is recorded, the run, the files it reads and the tables that take the COPY path. The
 * runner, the graph and the run's finish read this instead of each asking the pipeline again.
 *
 * @param spec the spec; in a run, its sources narrowed to the files the run reads
 * @param pipeline the spec's pipeline
 * @param tables the target tables, parents before children ({@link PipelineDef#tables})
 * @param objects what each record needs stored before its rows ({@link StoresObjects}), or null
 *     when the pipeline stores none
 * @param sqlValues the pipeline's values for the spec's SQL templates ({@link SqlTemplateValues}),
 *     resolved from the spec as written (a run's narrowed sources do not change them)
 * @param progress the status table of the job's units of progress, or null without one
 * @param runId the run, or -1 before it is recorded
 * @param copied for each table whether it takes the COPY path ({@link
 *     dev.pgingest.sink.WritePaths}); all false until a run chooses
 */
public record ResolvedJob<T, R extends UpsertRow<R>>(
    JobSpec spec,
    PipelineDef<T, R> pipeline,
    List<TableDef<R>> tables,
    ObjectSource<T> objects,
    Map<String, String> sqlValues,
    UnitStatusTable progress,
    long runId,
    boolean[] copied) {

  /** {@code spec} resolved against the pipeline it names (the declared one when none). */
  public static ResolvedJob<?, ?> of(JobSpec spec) {
    return of(spec, Pipelines.forSpec(spec));
  }

  /** {@code spec} resolved against {@code pipeline}, before any run. */
  public static <T, R extends UpsertRow<R>> ResolvedJob<T, R> of(
      JobSpec spec, PipelineDef<T, R> pipeline) {
    List<TableDef<R>> tables = List.copyOf(pipeline.tables(spec));
    return new ResolvedJob<>(
        spec,
        pipeline,
        tables,
        pipeline instanceof StoresObjects<T, R> s ? s.objects(spec) : null,
        pipeline instanceof SqlTemplateValues v ? v.templateValues(spec) : Map.of(),
        UnitStatusTable.of(spec, tables),
        -1,
        new boolean[tables.size()]);
  }

  /**
   * This job as run {@code runId} reads it: its sources narrowed to {@code sources}, the tables
   * that take the COPY path marked in {@code copied}.
   */
  public ResolvedJob<T, R> forRun(long runId, List<SourceSpec> sources, boolean[] copied) {
    if (copied.length != tables.size()) {
      throw new IllegalArgumentException(
          copied.length + " write paths for " + tables.size() + " tables");
    }
    return new ResolvedJob<>(
        spec.withSources(sources),
        pipeline,
        tables,
        objects,
        sqlValues,
        progress,
        runId,
        copied.clone());
  }

  /** This job as run {@code runId} reads it: every source whole, every table by upserts. */
  public ResolvedJob<T, R> forRun(long runId) {
    return forRun(runId, spec.sources(), new boolean[tables.size()]);
  }

  /** Whether its records need objects stored before their rows. */
  public boolean storesObjects() {
    return objects != null;
  }

  /** Whether some table takes the COPY path. */
  public boolean anyCopied() {
    for (boolean c : copied) {
      if (c) {
        return true;
      }
    }
    return false;
  }

  /** The expected input's noun phrase ({@link PipelineDef#expectedInput}). */
  public String expectedInput() {
    return pipeline.expectedInput(spec);
  }
}
