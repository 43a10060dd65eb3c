package dev.pgingest.mapping;

import dev.pgingest.format.ImmutableSerializer;
import dev.pgingest.format.OpaqueType;
import dev.pgingest.format.Utf8Strings;
import dev.pgingest.sink.UpsertRow.Repeats;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes {@link TableRow}s between tasks with their strings as UTF-8 byte blocks.
 *
 * <p>Flink's POJO serializer writes strings a character at a time; a row carries a whole record as
 * JSON and a file path or two, and profiling showed that per-character loop as the job's largest
 * cost. One {@code getBytes}/{@code new String} per value is several times cheaper.
 */
public final class TableRowSerializer extends ImmutableSerializer<TableRow> {
  public static final TableRowSerializer INSTANCE = new TableRowSerializer();
  private static final Repeats[] REPEATS = Repeats.values();

  /** Length marker of a value that is the row's file path. */
  private static final int FILE = -2;

  private TableRowSerializer() {}

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(TableRow r, DataOutputView out) throws IOException {
    out.writeInt(r.table());
    Utf8Strings.write(out, r.key());
    // A row routed by its own key sends the key once.
    Utf8Strings.write(out, r.route().equals(r.key()) ? null : r.route());
    out.writeByte(r.repeats().ordinal());
    out.writeInt(r.values().length);
    for (String v : r.values()) {
      if (v != null && v == r.file()) {
        // A $file column holds the very path the row carries anyway.
        out.writeInt(FILE);
      } else {
        Utf8Strings.write(out, v);
      }
    }
    Utf8Strings.write(out, r.file());
    out.writeLong(r.line());
    out.writeLong(r.fingerprint());
    out.writeBoolean(r.repeat());
  }

  @Override
  public TableRow deserialize(DataInputView in) throws IOException {
    int table = in.readInt();
    String key = Utf8Strings.read(in);
    String route = Utf8Strings.read(in);
    Repeats repeats = REPEATS[in.readByte()];
    String[] values = new String[in.readInt()];
    boolean[] isFile = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      int n = in.readInt();
      if (n == FILE) {
        isFile[i] = true;
      } else {
        values[i] = Utf8Strings.read(n, in);
      }
    }
    String file = Utf8Strings.read(in);
    for (int i = 0; i < values.length; i++) {
      if (isFile[i]) {
        values[i] = file;
      }
    }
    long line = in.readLong();
    long fingerprint = in.readLong();
    boolean repeat = in.readBoolean();
    return new TableRow(
        table, key, route == null ? key : route, repeats, values, file, line, fingerprint, repeat);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<TableRow> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Restores the serializer from savepoints; it has no configuration. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TableRow> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** The Flink type of {@link TableRow}, with this serializer. */
  public static final class Type extends OpaqueType<TableRow> {
    public Type() {
      super(TableRow.class);
    }

    @Override
    public TypeSerializer<TableRow> createSerializer(SerializerConfig config) {
      return INSTANCE;
    }
  }
}
