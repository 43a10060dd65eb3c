package dev.pgingest.store;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

/**
 * An item whose objects are all stored, with what storing them took: carried from the async store
 * operator to {@link StoredCounts}, which counts it when it leaves the operator (so the counts
 * match what a checkpoint has passed on).
 */
public class ObjectsStored<T> extends Tuple4<T, Long, Long, Long> {
  private static final long serialVersionUID = 1L;

  /** For Flink's tuple serializer. */
  public ObjectsStored() {}

  public ObjectsStored(T item, long written, long alreadyStored, long bytes) {
    super(item, written, alreadyStored, bytes);
  }

  public T item() {
    return f0;
  }

  /** Objects written for the item. */
  public long written() {
    return f1;
  }

  /** Objects of the item found already stored. */
  public long alreadyStored() {
    return f2;
  }

  /** Bytes of the objects written. */
  public long bytes() {
    return f3;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> TypeInformation<ObjectsStored<T>> type(TypeInformation<T> item) {
    return new TupleTypeInfo(ObjectsStored.class, item, Types.LONG, Types.LONG, Types.LONG);
  }
}
