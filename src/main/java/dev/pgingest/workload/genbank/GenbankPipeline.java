package dev.pgingest.workload.genbank;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.genbank.GenbankCodec;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.graph.StoresObjects;
import dev.pgingest.mapping.DeclaredTablesPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.store.ObjectSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * GenBank and RefSeq flat files (one per division, {@code .gz} or plain) into the tables the job
 * declares: one row per record, one per feature ({@code each: feature}), each sequence stored in
 * the object store before its record's row is written.
 */
public final class GenbankPipeline extends DeclaredTablesPipeline<GenbankRecord>
    implements StoresObjects<GenbankRecord, TableRow> {

  /**
   * File names of GenBank flat files: release divisions, GenPept and RefSeq, each maybe gzipped.
   */
  private static final List<String> SUFFIXES =
      List.of(".seq", ".gb", ".gbk", ".gbff", ".genbank", ".gp", ".gpff");

  public GenbankPipeline() {
    super(GenbankRecord.class);
  }

  @Override
  public String name() {
    return "genbank";
  }

  @Override
  public Set<String> formats() {
    return Set.of("genbank");
  }

  @Override
  public CodecFactory<GenbankRecord> codec(JobSpec spec, SourceSpec source) {
    String job = spec.name();
    return path -> new GenbankCodec(spoolDir(job));
  }

  /** Where a job's codecs spool sequences and features, on the machine that reads the file. */
  static Path spoolDir(String job) {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "pgingest-spool", job);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the spool folder " + dir, e);
    }
  }

  /**
   * Spools of records a killed or failed-over run had spooled but never mapped; every spool of this
   * run was deleted as its record was mapped.
   */
  @Override
  public void cleanUp(JobSpec spec, Instant started) {
    try (var files = Files.list(spoolDir(spec.name()))) {
      files.forEach(
          f -> {
            try {
              if (Files.getLastModifiedTime(f).toInstant().isBefore(started)) {
                Files.deleteIfExists(f);
              }
            } catch (IOException e) {
              // A spool another process still holds, or one already gone: not ours to insist on.
            }
          });
    } catch (IOException e) {
      // Leftover spools only take temp space; the run itself succeeded.
    }
  }

  @Override
  public boolean reads(SourceSpec source, String path) {
    return named(path, SUFFIXES);
  }

  @Override
  public boolean recognizes(JobSpec spec, SourceSpec source, String path, byte[] head) {
    return GenbankCodec.recognizes(head);
  }

  @Override
  public RowMapper<GenbankRecord, TableRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    Predicate<TableSpec> records = t -> t.each() == null;
    Predicate<TableSpec> features = t -> "feature".equals(t.each());
    return new GenbankMapper(
        fieldMapper(spec, source, records, runId),
        fieldMapper(spec, source, features, runId),
        keepsRecord(spec, records),
        keepsRecord(spec, features),
        spec.target().objects(),
        codec(spec, source));
  }

  @Override
  public String expectedInput(JobSpec spec) {
    return "GenBank flat-file records (LOCUS … //)";
  }

  @Override
  public Set<String> items() {
    return Set.of("feature");
  }

  @Override
  public List<String> fields(String each) {
    return each == null ? GenbankFields.RECORD : GenbankFields.FEATURE;
  }

  @Override
  public ObjectSource<GenbankRecord> objects(JobSpec spec) {
    return new GenbankObjects();
  }
}
