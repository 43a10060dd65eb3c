package dev.pgingest.dedup;

import dev.pgingest.format.ImmutableSerializer;
import dev.pgingest.format.OpaqueType;
import dev.pgingest.format.Utf8Strings;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The Flink type of a string in dedup state, written as one block of UTF-8: Flink's own string
 * serializer writes a character at a time, which was most of a heap snapshot's cost.
 */
public final class Utf8Text extends OpaqueType<String> {
  private static final long serialVersionUID = 1L;

  public static final Utf8Text TYPE = new Utf8Text();

  private Utf8Text() {
    super(String.class);
  }

  @Override
  public TypeSerializer<String> createSerializer(SerializerConfig config) {
    return Serializer.INSTANCE;
  }

  /** Writes a string as its UTF-8 length and bytes. */
  public static final class Serializer extends ImmutableSerializer<String> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public String createInstance() {
      return "";
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(String s, DataOutputView out) throws IOException {
      Utf8Strings.write(out, s);
    }

    @Override
    public String deserialize(DataInputView in) throws IOException {
      return Utf8Strings.read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      int n = in.readInt();
      out.writeInt(n);
      if (n > 0) {
        out.write(in, n);
      }
    }

    @Override
    public TypeSerializerSnapshot<String> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** The serializer's snapshot: nothing to configure. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
