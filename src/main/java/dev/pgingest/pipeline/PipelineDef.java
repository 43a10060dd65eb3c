package dev.pgingest.pipeline;

import dev.pgingest.format.Decoded;
import dev.pgingest.format.LineCodec;
import dev.pgingest.sink.TableDef;
import dev.pgingest.sink.UpsertRow;
import dev.pgingest.spec.JobSpec;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.function.SerializableSupplier;

/** What is domain-specific about a pipeline: its codec, its row mapping and its target table. */
public interface PipelineDef<T, R extends UpsertRow<R>> {

  /** The name job specs use under {@code pipeline}. */
  String name();

  /** One codec per file. */
  SerializableSupplier<LineCodec<T>> codec(JobSpec spec);

  /** Flink type of the decoded items. */
  TypeInformation<Decoded<T>> decodedType();

  /** Flink type of the rows. */
  TypeInformation<R> rowType();

  /** Record → row, with the spec's settings. */
  RowMapper<T, R> mapper(JobSpec spec);

  /** The target table as the spec names it. */
  TableDef<R> table(JobSpec spec);

  /**
   * What this pipeline reads, as a short noun phrase for the sentence that fails a run on input
   * of the wrong kind: "Nothing in the input looks like {@code expectedInput()}: …".
   */
  String expectedInput();

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
}
