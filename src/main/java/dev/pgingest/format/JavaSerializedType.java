package dev.pgingest.format;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.state.JavaSerializer;

/**
 * Flink type of an immutable value with Java serialization: for decoded records whose fields are
 * unmodifiable lists and maps, which Kryo (Flink's fallback) rebuilds empty and then cannot fill.
 * Such values cross the network or enter state rarely (a rebalance, in-flight uploads at a
 * checkpoint), so the slower format costs little.
 */
public final class JavaSerializedType<T extends Serializable> extends TypeInformation<T> {
  private final Class<T> type;

  public JavaSerializedType(Class<T> type) {
    this.type = type;
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<T> getTypeClass() {
    return type;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<T> createSerializer(SerializerConfig config) {
    return new JavaSerializer<>();
  }

  @Override
  public String toString() {
    return "JavaSerialized<" + type.getSimpleName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JavaSerializedType<?> other && other.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof JavaSerializedType;
  }
}
