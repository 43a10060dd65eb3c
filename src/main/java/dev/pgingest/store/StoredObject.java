package dev.pgingest.store;

import java.io.Serializable;
import java.util.Objects;

/**
 * One object to store: {@code head} followed by the bytes of the local file {@code spool}, under
 * {@code key}; {@code size} is the total, which is also how a stored copy is recognised.
 *
 * @param key the object's key below the store's base, e.g. {@code sequences/<sha256>.fasta.gz}
 * @param head bytes written before the spool file's (may be empty)
 * @param spool path of a local file holding the rest, or null when {@code head} is all of it
 * @param size total bytes: {@code head.length} plus the spool file's length
 */
public record StoredObject(String key, byte[] head, String spool, long size)
    implements Serializable {

  public StoredObject {
    Objects.requireNonNull(key, "key");
    head = head == null ? new byte[0] : head;
    if (size < head.length || (spool == null && size != head.length)) {
      throw new IllegalArgumentException(
          "object " + key + " claims " + size + " bytes but its head alone has " + head.length);
    }
  }

  /** An object whose content is all in memory. */
  public static StoredObject of(String key, byte[] content) {
    return new StoredObject(key, content, null, content.length);
  }

  /** Bytes expected in the spool file. */
  public long spoolSize() {
    return size - head.length;
  }
}
