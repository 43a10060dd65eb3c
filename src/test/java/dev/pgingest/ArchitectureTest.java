package dev.pgingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules the main code's packages keep, checked on its compiled classes. The map of the house:
 *
 * <ul>
 *   <li>{@code cli}: entry points (runner jar, cluster job jar), local cluster and database.
 *   <li>{@code spec}: the YAML job spec, parsed and checked before any Flink object exists.
 *   <li>{@code run}: one run of a spec: bootstrap, start or resume, watch, finish, run log, ledger.
 *   <li>{@code graph}: the job graph all pipelines share and its one entry, {@code PipelineDef},
 *       the capability interfaces beside it, its registry, and the job resolved once.
 *   <li>{@code mapping}: declared jobs: CSV and JSONL fields mapped to the spec's table rows, and
 *       the base of pipelines whose records go into declared tables.
 *   <li>{@code dedup}: keyed dedup of rows by their route, and the types of its state.
 *   <li>{@code sink}: writing to PostgreSQL: table definitions, DDL, batches, upserts and COPY.
 *   <li>{@code store}: objects stored beside the rows (S3 or a folder) and the step storing them.
 *   <li>{@code unitstatus}: the per-unit status table (the spec's {@code progress} section), kept
 *       for pipelines that report which unit each record belongs to.
 *   <li>{@code metrics}: exact counters that survive failover, totals per file read.
 *   <li>{@code json}: minimal JSON text writing for hot paths.
 *   <li>{@code format}: the codec contract, line reading, and the Flink adapters over codecs.
 *   <li>{@code format.csv}, {@code .jsonl}, {@code .gff3}, {@code .genbank}: standard codecs.
 *   <li>{@code workload}: one package per workload, all of it, found by {@code ServiceLoader}.
 *   <li>{@code workload.ybrowse}: YBrowse Y-SNP dumps (GFF3) into the {@code variant} table.
 *   <li>{@code workload.genbank}: GenBank records and features into tables, sequences as objects.
 *   <li>{@code workload.laps}: race laps; sub-packages liverc, timing (codecs), race (model).
 *   <li>{@code workload.shop}: shop uploads; {@code .export} is the codec of its export files.
 *   <li>{@code workload.profiles}: tests only, as the profiles job is a declared spec.
 * </ul>
 *
 * <p>Test code mirrors the packages: a workload's tests and generators sit in its package, its
 * fixtures in {@code src/test/resources/workload/NAME}; {@code testutil} holds the generic helpers
 * (PostgreSQL, S3, MiniCluster, runner, corpus). The rules below check main code only.
 */
@AnalyzeClasses(packages = "dev.pgingest", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule ENGINE_KNOWS_NO_WORKLOAD =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.pgingest.workload..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.pgingest.workload..")
          .because(
              "the engine knows no workload: workloads are found through ServiceLoader"
                  + " (META-INF/services/dev.pgingest.graph.PipelineDef)");

  @ArchTest
  static final ArchRule WORKLOADS_ARE_INDEPENDENT =
      slices()
          .matching("dev.pgingest.workload.(*)..")
          .should()
          .notDependOnEachOther()
          .because(
              "each workload is whole in its own folder; what two share belongs to the engine");

  @ArchTest
  static final ArchRule CODECS_KNOW_NO_FLINK =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.pgingest.format.csv..",
              "dev.pgingest.format.jsonl..",
              "dev.pgingest.format.gff3..",
              "dev.pgingest.format.genbank..",
              "dev.pgingest.workload.laps.liverc..",
              "dev.pgingest.workload.laps.timing..",
              "dev.pgingest.workload.laps.race..",
              "dev.pgingest.workload.shop.export..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.flink..",
              "dev.pgingest.graph..",
              "dev.pgingest.sink..",
              "dev.pgingest.dedup..")
          .because(
              "a codec turns lines into records and nothing more, so it is tested with plain input"
                  + " streams; the Flink adapters live in dev.pgingest.format itself");

  @ArchTest
  static final ArchRule SINK_KNOWS_NO_GRAPH =
      noClasses()
          .that()
          .resideInAPackage("dev.pgingest.sink..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.pgingest.graph..")
          .because(
              "the sink writes the rows it is given; the graph wires it into the job, never back");
}
