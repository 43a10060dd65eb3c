package dev.pgingest.store;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * Tells which objects an item needs stored before it may go on; the pipeline's knowledge of its
 * records stays here, out of the store step.
 */
@FunctionalInterface
public interface ObjectSource<T> extends Serializable {

  /** The objects {@code item} needs, often none. */
  List<StoredObject> objects(T item) throws IOException;

  /**
   * Recreates the spool files of {@code item} when one is missing (after failover to another
   * machine, say) and returns the item to pass on instead; by default there is nothing to redo.
   */
  default T recover(T item) throws IOException {
    return item;
  }
}
