package dev.pgingest.format;

import java.io.Serializable;

/**
 * Makes the codec for one file; the file's name may choose it (a {@code .csv} or {@code .jsonl}).
 */
@FunctionalInterface
public interface CodecFactory<T> extends Serializable {

  /**
   * A fresh codec for the file at {@code path} (as messages show it), or an {@link
   * IllegalArgumentException} saying why no codec reads it.
   */
  LineCodec<T> forFile(String path);
}
