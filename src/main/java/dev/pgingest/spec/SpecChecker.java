package dev.pgingest.spec;

import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.Pipelines;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Checks the bound spec against the rules Jackson cannot express, filling in defaults. */
final class SpecChecker {
  private final KeyOrigins origins;
  private final ValueChecks values;
  private final TargetChecks targetChecks;
  private final TableChecks tableChecks;
  private final SourceChecks sourceChecks;
  private final OptionChecks optionChecks;
  private final SqlChecks sqlChecks;
  private final UnitStatusChecks progressChecks;

  SpecChecker(KeyOrigins origins, Path baseDir) {
    this.origins = origins;
    this.values = new ValueChecks(origins);
    this.targetChecks = new TargetChecks(values);
    this.tableChecks = new TableChecks(values);
    this.sourceChecks = new SourceChecks(values, baseDir);
    this.optionChecks = new OptionChecks(values);
    this.sqlChecks = new SqlChecks(values);
    this.progressChecks = new UnitStatusChecks(values);
  }

  /**
   * The checked spec. Sections are checked in a fixed order, each against those before it (tables
   * against the pipeline, sources against the tables), and the first bad value ends the check, so a
   * spec with several mistakes always reports the same one first.
   */
  JobSpec check(SpecYaml.Root b, String text, String hash) {
    String name = values.string("name", b.name, null);
    if (!JobSpecParser.NAME.matcher(name).matches()) {
      throw origins.bad("name", name, "a name matching " + JobSpecParser.NAME.pattern());
    }
    PipelineDef<?, ?> pipeline = null;
    if (b.pipeline != null) {
      if (!Pipelines.names().contains(b.pipeline)) {
        throw origins.bad(
            "pipeline",
            b.pipeline,
            "one of the known pipelines: " + String.join(", ", Pipelines.names()));
      }
      pipeline = Pipelines.forName(b.pipeline);
    }
    TargetSpec target =
        targetChecks.target(b.target == null ? new SpecYaml.Target() : b.target, pipeline);
    List<TableSpec> tables = tableChecks.tables(b.tables, pipeline, target.schema());
    List<SourceSpec> sources = sourceChecks.sources(b, pipeline, tables);
    Map<String, String> summary = tableChecks.summary(b.summary, pipeline, tables);
    Options options = optionChecks.options(b.options == null ? new SpecYaml.Opts() : b.options);
    SqlSpec sql = sqlChecks.sql(b.sql, b.afterLoad);
    UnitStatusSpec progress = progressChecks.progress(b.progress, pipeline, tables);
    return new JobSpec(
        name, b.pipeline, sources, target, tables, summary, options, sql, text, hash, progress);
  }
}
