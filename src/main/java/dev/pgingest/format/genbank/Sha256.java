package dev.pgingest.format.genbank;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 digests of an entry: its content (every line) and its sequence letters. */
final class Sha256 {

  private static final HexFormat HEX = HexFormat.of();

  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** Finishes {@code digest} (which resets it) and spells the hash in lower-case hex. */
  static String hex(MessageDigest digest) {
    return HEX.formatHex(digest.digest());
  }
}
