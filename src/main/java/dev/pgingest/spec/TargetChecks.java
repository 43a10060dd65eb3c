package dev.pgingest.spec;

import static dev.pgingest.spec.ValueChecks.or;

import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.StoresObjects;
import dev.pgingest.sink.SqlNames;
import java.net.URI;
import java.nio.file.Path;

/** Checks {@code target}: schema, pgingest's own tables, a pipeline's table, the object store. */
final class TargetChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;

  TargetChecks(ValueChecks values) {
    this.origins = values.origins();
    this.values = values;
  }

  TargetSpec target(SpecYaml.Target t, PipelineDef<?, ?> pipeline) {
    String table = null;
    if (t.table != null) {
      if (pipeline == null) {
        throw origins.bad(
            "target.table",
            t.table,
            "no target.table in a job without 'pipeline': such a job declares its tables under"
                + " 'tables'");
      }
      table = values.identifier("target.table", t.table, JobSpecParser.MAX_TABLE_BYTES);
    }
    String objects = objects(t.objects, pipeline);
    return new TargetSpec(
        values.identifier("target.schema", or(t.schema, "public"), SqlNames.MAX_IDENTIFIER_BYTES),
        table,
        values.identifier(
            "target.rejects-table",
            or(t.rejectsTable, "ingest_rejects"),
            SqlNames.MAX_IDENTIFIER_BYTES),
        values.identifier(
            "target.runs-table", or(t.runsTable, "ingest_runs"), SqlNames.MAX_IDENTIFIER_BYTES),
        objects);
  }

  /**
   * The object store as a URI: {@code s3://bucket[/prefix]}, a {@code file:} URI, or a local folder
   * (relative to the current directory, where the user runs the command).
   */
  private String objects(String given, PipelineDef<?, ?> pipeline) {
    boolean stores = pipeline instanceof StoresObjects<?, ?>;
    if (given == null) {
      if (stores) {
        throw origins.missing(
            "target.objects",
            "pipeline '"
                + pipeline.name()
                + "' stores objects: an s3://bucket/prefix URI or a local folder");
      }
      return null;
    }
    if (!stores) {
      throw origins.bad(
          "target.objects",
          given,
          "no target.objects: "
              + (pipeline == null ? "a declared job" : "pipeline '" + pipeline.name() + "'")
              + " stores no objects");
    }
    String v = given.strip();
    while (v.length() > 1 && v.endsWith("/") && !v.endsWith("://")) {
      v = v.substring(0, v.length() - 1);
    }
    if (v.startsWith("s3://") || v.startsWith("s3a://")) {
      if (v.endsWith("://")) {
        throw origins.bad("target.objects", given, "s3://bucket or s3://bucket/prefix");
      }
      return v;
    }
    if (v.isEmpty() || v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !v.startsWith("file://")) {
      throw origins.bad(
          "target.objects", given, "an s3://bucket/prefix URI, a file:// URI or a local folder");
    }
    Path local = v.startsWith("file:") ? Path.of(URI.create(v)) : Path.of(v);
    return local.toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
  }
}
