package dev.pgingest.store;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;

/**
 * An item whose objects are all stored, with what storing them took: carried from the async
 * upload operator to {@link UploadCounts}, which counts it when it leaves the operator (so the
 * counts match what a checkpoint has passed on).
 */
public class Uploaded<T> extends Tuple4<T, Long, Long, Long> {
  private static final long serialVersionUID = 1L;

  /** For Flink's tuple serializer. */
  public Uploaded() {}

  public Uploaded(T item, long uploaded, long alreadyStored, long bytes) {
    super(item, uploaded, alreadyStored, bytes);
  }

  public T item() {
    return f0;
  }

  public long uploaded() {
    return f1;
  }

  public long alreadyStored() {
    return f2;
  }

  public long bytes() {
    return f3;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> TypeInformation<Uploaded<T>> type(TypeInformation<T> item) {
    return new TupleTypeInfo(Uploaded.class, item, Types.LONG, Types.LONG, Types.LONG);
  }
}
