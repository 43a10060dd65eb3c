package dev.pgingest.workload.laps;

import dev.pgingest.format.FieldRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.workload.laps.race.Lap;
import dev.pgingest.workload.laps.race.Race;
import dev.pgingest.workload.laps.race.RaceResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a race to its event and race rows, one row per result and one per lap, all sent with the
 * route of the race's top row (its event), so a race's rows meet in one writer in parent order.
 *
 * <p>Every row is made before any is given out: a lap that is not a number rejects the whole race,
 * and a race read from a page that could not be parsed is rejected with the codec's reason.
 */
final class LapsMapper implements RowMapper<Race, TableRow> {
  private final RowMapper<FieldRecord, TableRow> races;
  private final RowMapper<FieldRecord, TableRow> results;
  private final RowMapper<FieldRecord, TableRow> laps;
  private final boolean raceJson;
  private final boolean resultJson;
  private final boolean lapJson;

  /**
   * Maps a race's fields to its row in the unit table only; null when the job keeps no progress.
   */
  private final RowMapper<FieldRecord, TableRow> unitRow;

  /** Positions of the unit table's key columns among its written columns. */
  private final int[] unitKey;

  LapsMapper(
      RowMapper<FieldRecord, TableRow> races,
      RowMapper<FieldRecord, TableRow> results,
      RowMapper<FieldRecord, TableRow> laps,
      boolean[] json,
      RowMapper<FieldRecord, TableRow> unitRow,
      int[] unitKey) {
    this.races = races;
    this.results = results;
    this.laps = laps;
    this.raceJson = json[0];
    this.resultJson = json[1];
    this.lapJson = json[2];
    this.unitRow = unitRow;
    this.unitKey = unitKey;
  }

  @Override
  public void map(Race race, String file, long line, Consumer<TableRow> out) {
    if (race.error() != null) {
      throw new IllegalArgumentException(race.error());
    }
    List<TableRow> rows = new ArrayList<>();
    races.map(LapsFields.race(race, raceJson), file, line, rows::add);
    for (RaceResult r : race.results()) {
      results.map(LapsFields.result(race, r, resultJson), file, line, rows::add);
      for (Lap l : r.lapList()) {
        laps.map(LapsFields.lap(race, r, l, lapJson), file, line, rows::add);
      }
    }
    TableRow.sendTogether(rows, out);
  }

  @Override
  public Unit unit(Race race, String file, long line) {
    if (unitRow == null) {
      return null;
    }
    List<TableRow> row = new ArrayList<>(1);
    try {
      unitRow.map(LapsFields.race(race, false), file, line, row::add);
    } catch (IllegalArgumentException e) {
      // A race without a usable key (no race id at all) is a plain reject, not a unit.
      return null;
    }
    if (row.isEmpty()) {
      return null;
    }
    List<String> key = new ArrayList<>(unitKey.length);
    for (int k : unitKey) {
      key.add(row.get(0).values()[k]);
    }
    if (race.whole()) {
      return new Unit(key, true);
    }
    // A race listed on an event page is no unit of its own (its page will be); a telemetry line
    // is a part of one.
    return race.results().isEmpty() ? null : new Unit(key, false);
  }
}
