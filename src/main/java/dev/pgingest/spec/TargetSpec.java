package dev.pgingest.spec;

import java.io.Serializable;

/**
 * Where the rows go: validated SQL identifiers, quoted when SQL is built.
 *
 * @param schema schema holding every pgingest table
 * @param table the table a Java pipeline writes, or null for its own default; declared jobs name
 *     their tables under {@code tables}
 * @param rejectsTable table receiving malformed records
 * @param runsTable table receiving one row per run
 * @param objects where a pipeline that stores objects puts them, as a Flink file-system URI ({@code
 *     s3://bucket/prefix}, {@code file:///folder}); null for none
 */
public record TargetSpec(
    String schema, String table, String rejectsTable, String runsTable, String objects)
    implements Serializable {

  /** A target without an object store. */
  public TargetSpec(String schema, String table, String rejectsTable, String runsTable) {
    this(schema, table, rejectsTable, runsTable, null);
  }
}
