package dev.pgingest.dedup;

import dev.pgingest.format.ImmutableSerializer;
import dev.pgingest.format.OpaqueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A dedup key as the 128-bit MurmurHash3 of its text: what the keyed state holds instead of the
 * key's string.
 *
 * <p>Keys are often long (a key may carry its input's name, a child's route its parent's whole
 * key), and a heap snapshot wrote every key seen so far through Flink's string serializer, a byte
 * at a time: 12% of a CSV load's CPU. Two longs are 16 bytes in state and two writes in a snapshot.
 * Two distinct keys share a hash with odds of about n²/2¹²⁹ (below 10⁻²⁴ at 20 million keys), far
 * below any hardware fault's.
 */
public record RouteKey(long hi, long lo) {

  /** The Flink type of a {@link RouteKey}, usable as a key. */
  public static final TypeInfo TYPE = new TypeInfo();

  public static RouteKey of(String key) {
    long[] h = MurmurHash3.hash128x64(key.getBytes(StandardCharsets.UTF_8));
    return new RouteKey(h[0], h[1]);
  }

  @Override
  public int hashCode() {
    // Flink spreads keys over key groups by this; the low bits of a MurmurHash are already even.
    return (int) (lo ^ (lo >>> 32));
  }

  /** The Flink type of a {@link RouteKey}: written as its two longs. */
  public static final class TypeInfo extends OpaqueType<RouteKey> {
    private static final long serialVersionUID = 1L;

    private TypeInfo() {
      super(RouteKey.class);
    }

    @Override
    public boolean isKeyType() {
      return true;
    }

    @Override
    public TypeSerializer<RouteKey> createSerializer(SerializerConfig config) {
      return Serializer.INSTANCE;
    }
  }

  /** Writes a {@link RouteKey} as two longs. */
  public static final class Serializer extends ImmutableSerializer<RouteKey> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public RouteKey createInstance() {
      return new RouteKey(0, 0);
    }

    @Override
    public int getLength() {
      return 16;
    }

    @Override
    public void serialize(RouteKey k, DataOutputView out) throws IOException {
      out.writeLong(k.hi);
      out.writeLong(k.lo);
    }

    @Override
    public RouteKey deserialize(DataInputView in) throws IOException {
      return new RouteKey(in.readLong(), in.readLong());
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
      out.write(in, 16);
    }

    @Override
    public TypeSerializerSnapshot<RouteKey> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  /** The serializer's snapshot: nothing to configure. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RouteKey> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
