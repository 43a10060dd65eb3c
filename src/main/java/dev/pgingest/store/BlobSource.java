package dev.pgingest.store;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/** The objects an item needs stored before it may go on. */
@FunctionalInterface
public interface BlobSource<T> extends Serializable {
  List<Blob> blobs(T item);

  default T recover(T item) throws IOException {
    return item;
  }
}
