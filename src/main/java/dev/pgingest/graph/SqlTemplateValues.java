package dev.pgingest.graph;

import dev.pgingest.spec.JobSpec;
import java.util.Map;

/**
 * A pipeline with values of its own for the spec's SQL templates, beside the engine's {@code
 * {{schema}}}, {@code {{table}}}, {@code {{run}}} and {@code {{files}}}.
 */
public interface SqlTemplateValues {

  /**
   * Values the spec's SQL may use as {@code {{name}}} (e.g. an identity the input carries), quoted
   * as SQL string literals where they are filled in; a null value is SQL NULL.
   */
  Map<String, String> templateValues(JobSpec spec);
}
