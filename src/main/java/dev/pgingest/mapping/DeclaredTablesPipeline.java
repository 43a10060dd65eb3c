package dev.pgingest.mapping;

import dev.pgingest.format.CodecFileFormat;
import dev.pgingest.format.Decoded;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.JavaSerializedType;
import dev.pgingest.graph.DeclaredTables;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.RowMapper;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SourceSpec;
import dev.pgingest.spec.TableSpec;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The base of a pipeline whose codecs make records of its own Java type and whose jobs declare
 * their tables: the tables and rows of a declared job, and the field mappers its items go through.
 * A subclass says what it reads, its items and their fields, and how a record becomes items.
 */
public abstract class DeclaredTablesPipeline<T extends Serializable>
    implements PipelineDef<T, TableRow>, DeclaredTables {
  private final Class<T> recordType;

  /**
   * @param recordType the codecs' record type, Java-serialized between tasks
   */
  protected DeclaredTablesPipeline(Class<T> recordType) {
    this.recordType = recordType;
  }

  @Override
  public TypeInformation<Decoded<T>> decodedType() {
    return CodecFileFormat.decodedType(new JavaSerializedType<>(recordType));
  }

  @Override
  public TypeInformation<TableRow> rowType() {
    return new TableRowSerializer.Type();
  }

  @Override
  public List<TableDef<TableRow>> tables(JobSpec spec) {
    return DeclaredPipeline.tableDefs(spec);
  }

  /** Maps an item's fields to a row of each table {@code which} selects, as the spec declares. */
  protected static RowMapper<FieldRecord, TableRow> fieldMapper(
      JobSpec spec, SourceSpec source, Predicate<TableSpec> which, long runId) {
    return DeclaredPipeline.fieldMapper(spec, which, source.nullTokens(), runId);
  }

  /** Whether a column of the tables {@code which} selects takes the whole item, {@code $record}. */
  protected static boolean keepsRecord(JobSpec spec, Predicate<TableSpec> which) {
    return DeclaredPipeline.keepsRecord(spec, which);
  }

  /** Whether {@code source} feeds {@code table}: every table, unless the source lists its own. */
  protected static boolean feeds(SourceSpec source, TableSpec table) {
    return source.tables().isEmpty() || source.tables().contains(table.name());
  }

  /** Whether the file's name (any case, a {@code .gz} aside) ends in one of {@code suffixes}. */
  protected static boolean named(String path, List<String> suffixes) {
    String name = path.toLowerCase(Locale.ROOT);
    String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    return suffixes.stream().anyMatch(plain::endsWith);
  }
}
