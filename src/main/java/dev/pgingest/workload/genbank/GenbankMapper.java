package dev.pgingest.workload.genbank;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.RecordRedecoder;
import dev.pgingest.format.genbank.FeatureSpool;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.TableRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a GenBank record to its row and one row per feature, read back from the record's feature
 * spool so that no record's features are ever all in memory; then deletes the record's spools.
 *
 * <p>Features are all checked before any row is emitted (a value a column cannot take rejects the
 * whole record before any of its rows is written). The rows of that check pass are kept and emitted
 * when they fit {@link #BUFFER_CHARS}; a record with more features is read from its spool and
 * mapped a second time to emit them.
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
      FieldRecord fields = GenbankFields.record(r, GenbankObjects.uri(objects, r), recordJson);
      List<TableRow> own = new ArrayList<>(2);
      records.map(fields, file, line, own::add);
      String key = r.accessionVersion();
      // The check pass keeps the rows it makes while they fit the budget: then they are emitted
      // as they are, and the spool is read and mapped once instead of twice.
      Buffer checked = new Buffer();
      eachFeature(r, f -> features.map(f, file, line, checked), key);
      own.forEach(out);
      if (checked.rows != null) {
        checked.rows.forEach(out);
      } else {
        eachFeature(r, f -> features.map(f, file, line, out), key);
      }
    } finally {
      delete(r.sequenceSpool());
      delete(r.featureSpool());
    }
  }

  /**
   * Most characters of feature rows one record keeps between the check and the emit pass; a record
   * with more (a chromosome's tens of thousands of features) is read and mapped again instead, so
   * the heap stays bounded whatever the record.
   */
  static final long BUFFER_CHARS = 2L << 20;

  /**
   * Feature rows of the check pass, until they outgrow {@link #BUFFER_CHARS} ({@code rows} null).
   */
  private static final class Buffer implements Consumer<TableRow> {
    List<TableRow> rows = new ArrayList<>();
    long chars;

    @Override
    public void accept(TableRow row) {
      if (rows == null) {
        return;
      }
      for (String v : row.values()) {
        chars += v == null ? 1 : v.length() + 16;
      }
      if (chars > BUFFER_CHARS) {
        rows = null;
      } else {
        rows.add(row);
      }
    }
  }

  private void eachFeature(GenbankRecord r, Consumer<FieldRecord> f, String key) {
    if (r.featureSpool() == null || r.featureCount() == 0) {
      return;
    }
    try {
      FeatureSpool.read(
          Path.of(r.featureSpool()), x -> f.accept(GenbankFields.feature(key, x, featureJson)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the features spooled for " + key, e);
    }
  }

  /**
   * The record with its spool files: a failover may restore a record whose spools were already read
   * and deleted, or were on another machine's disk; then it is decoded again from its file.
   */
  private GenbankRecord withSpools(GenbankRecord r, String file, long line) {
    boolean lost = r.featureSpool() != null && !Files.exists(Path.of(r.featureSpool()));
    if (!lost) {
      return r;
    }
    try {
      GenbankRecord again = RecordRedecoder.at(codecs, file, line);
      // The sequence is already stored (it went before this record); only the features are read.
      delete(again.sequenceSpool());
      return again;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + file + " again for the record at line " + line, e);
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
