package dev.pgingest.workload.genbank;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.CodecFileFormat;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.JavaSerializedType;
import dev.pgingest.format.genbank.GenbankCodec;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.mapping.TableRow;
import dev.pgingest.mapping.TableRowSerializer;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.TableSpec;
import dev.pgingest.store.BlobSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * GenBank and RefSeq flat files (one per division, {@code .gz} or plain) into the tables the job
 * declares: one row per record, one per feature ({@code each: feature}), each sequence stored in
 * the object store before its record's row is written.
 */
public final class GenbankPipeline implements PipelineDef<GenbankRecord, TableRow> {

  /** File names of GenBank flat files: release divisions, GenPept and RefSeq, each maybe gzipped. */
  private static final List<String> SUFFIXES =
      List.of(".seq", ".gb", ".gbk", ".gbff", ".genbank", ".gp", ".gpff");

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
   * Spools of records a killed or failed-over run had spooled but never mapped; every spool of
   * this run was deleted as its record was mapped.
   */
  @Override
  public void cleanUp(JobSpec spec, java.time.Instant started) {
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
    String name = path.toLowerCase(Locale.ROOT);
    String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    return SUFFIXES.stream().anyMatch(plain::endsWith);
  }

  @Override
  public TypeInformation<Decoded<GenbankRecord>> decodedType() {
    return CodecFileFormat.decodedType(new JavaSerializedType<>(GenbankRecord.class));
  }

  @Override
  public TypeInformation<TableRow> rowType() {
    return new TableRowSerializer.Type();
  }

  @Override
  public RowMapper<GenbankRecord, TableRow> mapper(JobSpec spec, SourceSpec source, long runId) {
    Predicate<TableSpec> records = t -> t.each() == null;
    Predicate<TableSpec> features = t -> "feature".equals(t.each());
    return new GenbankMapper(
        DeclaredPipeline.fieldMapper(spec, records, source.nullTokens(), runId),
        DeclaredPipeline.fieldMapper(spec, features, source.nullTokens(), runId),
        DeclaredPipeline.keepsRecord(spec, records),
        DeclaredPipeline.keepsRecord(spec, features),
        spec.target().objects(),
        codec(spec, source));
  }

  @Override
  public List<TableDef<TableRow>> tables(JobSpec spec) {
    return new DeclaredPipeline().tables(spec);
  }

  @Override
  public String expectedInput(JobSpec spec) {
    return "GenBank flat-file records (LOCUS … //)";
  }

  @Override
  public boolean declaresTables() {
    return true;
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
  public boolean storesObjects() {
    return true;
  }

  @Override
  public BlobSource<GenbankRecord> blobs(JobSpec spec) {
    return new GenbankBlobs();
  }
}
