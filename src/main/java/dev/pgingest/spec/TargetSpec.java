package dev.pgingest.spec;

import java.io.Serializable;

/**
 * Where the rows go: validated SQL identifiers, quoted when SQL is built.
 *
 * @param schema schema holding every pgingest table
 * @param table the pipeline's main table
 * @param rejectsTable table receiving malformed records
 * @param runsTable table receiving one row per run
 */
public record TargetSpec(String schema, String table, String rejectsTable, String runsTable)
    implements Serializable {}
