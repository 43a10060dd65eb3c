package dev.pgingest.graph;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** What is domain-specific about a pipeline: its codecs, its row mapping and its target tables. */
public interface PipelineDef<T, R extends UpsertRow<R>> {

  /** The name job specs use under {@code pipeline}. */
  String name();

  /** The codec for each file of {@code source}. */
  CodecFactory<T> codec(JobSpec spec, SourceSpec source);

  /** The source formats (codecs) this pipeline reads, as specs name them. */
  java.util.Set<String> formats();

  /** Whether {@code source} reads the file at {@code path}; others in its folders are left aside. */
  default boolean reads(SourceSpec source, String path) {
    return true;
  }

  /** Flink type of the decoded items. */
  TypeInformation<Decoded<T>> decodedType();

  /** Flink type of the rows. */
  TypeInformation<R> rowType();

  /** Record → rows, for the records of {@code source} in run {@code runId}. */
  RowMapper<T, R> mapper(JobSpec spec, SourceSpec source, long runId);

  /** The target tables, parents before children; a row's {@code table()} indexes this list. */
  List<TableDef<R>> tables(JobSpec spec);

  /**
   * What this pipeline reads, as a short noun phrase for the sentence that fails a run on input
   * of the wrong kind: "Nothing in the input looks like {@code expectedInput()}: …".
   */
  String expectedInput(JobSpec spec);

  /**
   * Source keys this pipeline reads besides the generic ones (e.g. YBrowse's {@code assembly}),
   * so that the spec parser can refuse any other key without knowing any pipeline.
   */
  default java.util.Set<String> sourceSettings() {
    return java.util.Set.of();
  }

  /**
   * Checks the source settings a spec gives (keys among {@link #sourceSettings()}, values as
   * written) and returns every setting in canonical form, defaults filled in.
   *
   * @throws dev.pgingest.spec.SpecException naming the key; a {@link
   *     dev.pgingest.spec.SettingException} lets the parser say where the value came from
   */
  default java.util.Map<String, String> checkSettings(java.util.Map<String, String> given) {
    return java.util.Map.copyOf(given);
  }

  /**
   * Whether its jobs declare their tables under {@code tables}, columns taking the pipeline's
   * fields; otherwise the pipeline writes its own table, named by {@code target.table}.
   */
  default boolean declaresTables() {
    return false;
  }

  /** Kinds of items within a record that a declared table may make one row {@code each} of. */
  default java.util.Set<String> items() {
    return java.util.Set.of();
  }

  /**
   * The fields a declared column may take for rows of {@code each} (null: one row per record), in
   * the order documented; null when any name goes (fields of CSV or JSON records).
   */
  default java.util.List<String> fields(String each) {
    return null;
  }

  /**
   * Called on the machine that ran the job after a run succeeded: the place to delete local side
   * files (spools) that earlier runs, killed or failed over, left behind before {@code started}.
   */
  default void cleanUp(JobSpec spec, java.time.Instant started) {}

  /**
   * Whether its mappers tell the unit of progress (e.g. the race) each record belongs to ({@link
   * RowMapper#unit}), so its jobs may keep a {@code progress} status table.
   */
  default boolean tellsUnits() {
    return false;
  }

  /**
   * Values the spec's SQL may use as {@code {{name}}} (e.g. a shop upload's identity), quoted as
   * SQL string literals where they are filled in; a null value is SQL NULL.
   */
  default java.util.Map<String, String> bindings(JobSpec spec) {
    return java.util.Map.of();
  }

  /** Whether its records need objects stored ({@code target.objects}) before their rows. */
  default boolean storesObjects() {
    return false;
  }

  /**
   * The objects each record needs stored before its rows are written, for a pipeline that {@link
   * #storesObjects()}; {@code recover} remakes a record's spool after a failover lost it.
   */
  default dev.pgingest.store.BlobSource<T> blobs(JobSpec spec) {
    throw new UnsupportedOperationException("pipeline " + name() + " stores no objects");
  }
}
