package dev.pgingest.graph;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.Decoded;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * What is domain-specific about a pipeline: its codecs, its row mapping and its target tables.
 *
 * <p>Every pipeline has what this interface asks. What only some have is an interface of its own
 * beside it, implemented by those that have it: {@link DeclaredTables}, {@link ReportsUnits},
 * {@link SqlTemplateValues}, {@link StoresObjects}. {@link ResolvedJob} finds them once per job.
 */
public interface PipelineDef<T, R extends UpsertRow<R>> {

  /** The name job specs use under {@code pipeline}. */
  String name();

  /** The source formats (codecs) this pipeline reads, as specs name them. */
  Set<String> formats();

  /** The codec for each file of {@code source}. */
  CodecFactory<T> codec(JobSpec spec, SourceSpec source);

  /**
   * Whether {@code source} reads the file at {@code path}; others in its folders are left aside.
   */
  default boolean reads(SourceSpec source, String path) {
    return true;
  }

  /**
   * Whether {@code source} recognizes the file at {@code path} as its own by its first bytes {@code
   * head} (decompressed, at most {@code Inputs.HEAD_BYTES}; fewer for a shorter file): how files
   * given to every source of a job ({@code --input PATH}) find theirs. Look at content (a header
   * row, a first byte, a pragma), not the name; the default knows no content and falls back to
   * {@link #reads}, the name rule.
   */
  default boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    return reads(source, path);
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
   * What this pipeline reads, as a short noun phrase for the sentence that fails a run on input of
   * the wrong kind: "Nothing in the input looks like {@code expectedInput()}: …".
   */
  String expectedInput(JobSpec spec);

  /**
   * Source keys this pipeline reads besides the generic ones (e.g. the genome assembly of
   * coordinates), so that the spec parser can refuse any other key without knowing any pipeline.
   */
  default Set<String> sourceSettings() {
    return Set.of();
  }

  /**
   * Checks the source settings a spec gives (keys among {@link #sourceSettings()}, values as
   * written) and returns every setting in canonical form, defaults filled in.
   *
   * @throws dev.pgingest.spec.SpecException naming the key; a {@link
   *     dev.pgingest.spec.SettingException} lets the parser say where the value came from
   */
  default Map<String, String> checkSettings(Map<String, String> given) {
    return Map.copyOf(given);
  }

  /**
   * Called on the machine that ran the job after a run succeeded: the place to delete local side
   * files (spools) that earlier runs, killed or failed over, left behind before {@code started}.
   */
  default void cleanUp(JobSpec spec, Instant started) {}
}
