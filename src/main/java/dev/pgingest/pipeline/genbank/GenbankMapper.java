package dev.pgingest.pipeline.genbank;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.Redecode;
import dev.pgingest.format.genbank.FeatureSpool;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.TableRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Maps a GenBank record to its row and one row per feature, read back from the record's feature
 * spool so that no record's features are ever all in memory; then deletes the record's spools.
 *
 * <p>Features are mapped twice: once to check them all (a value a column cannot take rejects the
 * whole record before any of its rows is written), then to emit them.
 */
final class GenbankMapper implements RowMapper<GenbankRecord, TableRow> {
  private final RowMapper<FieldRecord, TableRow> records;
  private final RowMapper<FieldRecord, TableRow> features;
  private final boolean recordJson;
  private final boolean featureJson;
  private final String objects;
  private final CodecFactory<GenbankRecord> codecs;

  GenbankMapper(
      RowMapper<FieldRecord, TableRow> records,
      RowMapper<FieldRecord, TableRow> features,
      boolean recordJson,
      boolean featureJson,
      String objects,
      CodecFactory<GenbankRecord> codecs) {
    this.records = records;
    this.features = features;
    this.recordJson = recordJson;
    this.featureJson = featureJson;
    this.objects = objects;
    this.codecs = codecs;
  }

  @Override
  public boolean checksFirst() {
    return true;
  }

  @Override
  public void map(GenbankRecord record, String file, long line, Consumer<TableRow> out) {
    GenbankRecord r = withSpools(record, file, line);
    try {
      FieldRecord fields =
          GenbankFields.record(r, GenbankBlobs.uri(objects, r), recordJson);
      java.util.List<TableRow> own = new java.util.ArrayList<>(2);
      records.map(fields, file, line, own::add);
      String key = r.accessionVersion();
      eachFeature(r, f -> features.map(f, file, line, row -> {}), key);
      own.forEach(out);
      eachFeature(r, f -> features.map(f, file, line, out), key);
    } finally {
      delete(r.sequenceSpool());
      delete(r.featureSpool());
    }
  }

  private void eachFeature(GenbankRecord r, Consumer<FieldRecord> f, String key) {
    if (r.featureSpool() == null || r.featureCount() == 0) {
      return;
    }
    try {
      FeatureSpool.read(Path.of(r.featureSpool()), x -> f.accept(GenbankFields.feature(key, x, featureJson)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the features spooled for " + key, e);
    }
  }

  /**
   * The record with its spool files: a failover may restore a record whose spools were already
   * read and deleted, or were on another machine's disk; then it is decoded again from its file.
   */
  private GenbankRecord withSpools(GenbankRecord r, String file, long line) {
    boolean lost = r.featureSpool() != null && !Files.exists(Path.of(r.featureSpool()));
    if (!lost) {
      return r;
    }
    try {
      GenbankRecord again = Redecode.at(codecs, file, line);
      // The sequence is already stored (it went before this record); only the features are read.
      delete(again.sequenceSpool());
      return again;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " again for the record at line " + line, e);
    }
  }

  private static void delete(String spool) {
    if (spool == null) {
      return;
    }
    try {
      Files.deleteIfExists(Path.of(spool));
    } catch (IOException e) {
      // A spool left behind only takes disk space in a temp folder; the load goes on.
    }
  }
}
