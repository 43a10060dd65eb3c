package dev.pgingest.format;

import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The Flink type of a value that travels whole through its own serializer: no fields for Flink to
 * see, no key use. Subclasses say which serializer.
 */
public abstract class OpaqueType<T> extends TypeInformation<T> {
  private final Class<T> type;

  protected OpaqueType(Class<T> type) {
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
  public String toString() {
    return getClass().getSimpleName() + "<" + type.getSimpleName() + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((OpaqueType<?>) o).type.equals(type);
  }

  @Override
  public int hashCode() {
    return getClass().hashCode() * 31 + type.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o != null && o.getClass() == getClass();
  }
}
