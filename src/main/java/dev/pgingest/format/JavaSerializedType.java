package dev.pgingest.format;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.JavaSerializer;

/**
 * Flink type of an immutable value with Java serialization: for decoded records whose fields are
 * unmodifiable lists and maps, which Kryo (Flink's fallback) rebuilds empty and then cannot fill.
 * Such values cross the network or enter state rarely (a rebalance, records whose objects are being
 * stored at a checkpoint), so the slower format costs little.
 */
public final class JavaSerializedType<T extends Serializable> extends OpaqueType<T> {

  public JavaSerializedType(Class<T> type) {
    super(type);
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new JavaSerializer<>();
  }
}
