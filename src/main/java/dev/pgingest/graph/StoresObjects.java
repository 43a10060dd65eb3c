package dev.pgingest.graph;

import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.store.ObjectSource;

/**
 * A pipeline whose records need objects stored ({@code target.objects}) before their rows are
 * written. It extends {@link PipelineDef} so that the objects' record type is the pipeline's own,
 * which a caller's {@code instanceof} then knows without an unchecked cast.
 */
public interface StoresObjects<T, R extends UpsertRow<R>> extends PipelineDef<T, R> {

  /**
   * The objects each record needs stored before its rows are written; {@link ObjectSource#recover}
   * remakes a record's spool after a failover lost it.
   */
  ObjectSource<T> objects(JobSpec spec);
}
