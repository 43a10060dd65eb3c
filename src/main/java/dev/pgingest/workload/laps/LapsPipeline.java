package dev.pgingest.workload.laps;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.ReportsUnits;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.DeclaredTablesPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.spec.ColumnSpec;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.workload.laps.liverc.LiveRcCodec;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.timing.TelemetryCodec;
import dev.pgingest.workload.laps.timing.TimingCsvCodec;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Race timing — LiveRC result pages, timing-system CSV exports and raw lap telemetry — into the
 * tables the job declares: one row per race (and its event), one per driver's result ({@code each:
 * result}), one per lap ({@code each: lap}); each race a unit of progress.
 */
public final class LapsPipeline extends DeclaredTablesPipeline<Race> implements ReportsUnits {

  /** Source formats, as specs name them. */
  static final String LIVERC = "liverc";

  static final String TIMING_CSV = "timing-csv";
  static final String TELEMETRY = "lap-telemetry";

  public LapsPipeline() {
    super(Race.class);
  }

  @Override
  public String name() {
    return "laps";
  }

  @Override
  public Set<String> formats() {
    return Set.of(LIVERC, TIMING_CSV, TELEMETRY);
  }

  @Override
  public CodecFactory<Race> codec(JobSpec spec, SourceSpec source) {
    return switch (source.format()) {
      case LIVERC -> LiveRcCodec::new;
      case TIMING_CSV -> TimingCsvCodec::new;
      case TELEMETRY -> path -> new TelemetryCodec();
      default ->
          throw new SpecException("pipeline laps does not read format '" + source.format() + "'");
    };
  }

  @Override
  public boolean reads(SourceSpec source, String path) {
    return named(
        path, source.format().equals(LIVERC) ? List.of(".html", ".htm") : List.of(".csv", ".txt"));
  }

  @Override
  public boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    return switch (source.format()) {
      case LIVERC -> LiveRcCodec.recognizes(head);
      case TIMING_CSV -> TimingCsvCodec.recognizes(head);
      case TELEMETRY -> TelemetryCodec.recognizes(head);
      default -> false;
    };
  }

  @Override
  public RowMapper<Race, TableRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    Predicate<TableSpec> races = t -> t.each() == null && feeds(source, t);
    Predicate<TableSpec> results = t -> "result".equals(t.each()) && feeds(source, t);
    Predicate<TableSpec> laps = t -> "lap".equals(t.each()) && feeds(source, t);
    RowMapper<FieldRecord, TableRow> unitRow = null;
    int[] unitKey = new int[0];
    if (spec.progress() != null) {
      TableSpec unit =
          spec.tables().stream()
              .filter(t -> t.name().equals(spec.progress().unit()))
              .findFirst()
              .orElseThrow();
      unitRow = fieldMapper(spec, source, t -> t == unit, runId);
      List<String> written =
          unit.columns().stream()
              .filter(c -> c.sqlDefault() == null)
              .map(ColumnSpec::name)
              .toList();
      unitKey = unit.key().stream().mapToInt(written::indexOf).toArray();
    }
    return new LapsMapper(
        fieldMapper(spec, source, races, runId),
        fieldMapper(spec, source, results, runId),
        fieldMapper(spec, source, laps, runId),
        new boolean[] {
          keepsRecord(spec, races), keepsRecord(spec, results), keepsRecord(spec, laps)
        },
        unitRow,
        unitKey);
  }

  @Override
  public String expectedInput(JobSpec spec) {
    return "race timing (LiveRC result pages, timing CSV exports or lap telemetry)";
  }

  @Override
  public Set<String> items() {
    return Set.of("result", "lap");
  }

  @Override
  public List<String> fields(String each) {
    if (each == null) {
      return LapsFields.RACE;
    }
    return each.equals("result") ? LapsFields.RESULT : LapsFields.LAP;
  }
}
