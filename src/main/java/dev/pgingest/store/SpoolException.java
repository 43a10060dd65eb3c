package dev.pgingest.store;

import java.io.IOException;

/** An object's spool file does not hold the bytes the object announces; retrying cannot help. */
public final class SpoolException extends IOException {
  public SpoolException(String message) {
    super(message);
  }
}
