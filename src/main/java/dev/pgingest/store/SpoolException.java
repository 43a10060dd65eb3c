package dev.pgingest.store;

import java.io.IOException;

/** A blob's spool file does not hold the bytes the blob announces; retrying cannot help. */
public final class SpoolException extends IOException {
  public SpoolException(String message) {
    super(message);
  }
}
