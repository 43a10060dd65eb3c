package dev.pgingest.format.genbank;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Reads the sequence lines after ORIGIN: counts the letters and the G, C and S among them, hashes
 * them with SHA-256 as written (case kept) and, when the entry is spooled, writes them to its
 * {@link SequenceSpool}. It makes no regex or String per line: a chromosome has millions of them.
 */
final class SequenceDigest {

  /** What a sequence has, once its last line is read. */
  record Summary(long letters, String sha256, long gcCount) {}

  private static final byte INVALID = 0;
  private static final byte SKIP = 1;
  private static final byte LETTER = 2;
  private static final byte GC_LETTER = 3;

  /**
   * What each byte of a sequence line is: a letter (G, C or S counted), a digit or space, or wrong.
   */
  private static final byte[] SEQUENCE_CHAR = new byte[256];

  static {
    SEQUENCE_CHAR[' '] = SKIP;
    for (char c = '0'; c <= '9'; c++) {
      SEQUENCE_CHAR[c] = SKIP;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      byte kind = c == 'g' || c == 'c' || c == 's' ? GC_LETTER : LETTER;
      SEQUENCE_CHAR[c] = kind;
      SEQUENCE_CHAR[Character.toUpperCase(c)] = kind;
    }
    SEQUENCE_CHAR['*'] = LETTER;
    SEQUENCE_CHAR['-'] = LETTER;
  }

  private final MessageDigest sha256 = Sha256.digest();
  private final SequenceSpool spool;
  private byte[] letterBytes = new byte[256];
  private long letters;
  private long gc;

  /** {@code spool} gets the letters too; null when the entry is not spooled. */
  SequenceDigest(SequenceSpool spool) {
    this.spool = spool;
  }

  /** A sequence line: position numbers, spaces and letters ({@code *} and {@code -} included). */
  void line(String text, long lineNumber) throws Malformed {
    int n = text.length();
    if (letterBytes.length < n) {
      letterBytes = new byte[Math.max(n, letterBytes.length * 2)];
    }
    byte[] buf = letterBytes;
    // One byte per char (a char past U+00FF becomes '?', which is refused below), then a table
    // lookup per byte: cheaper than classifying chars one charAt at a time.
    byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
    int k = 0;
    long g = 0;
    for (int i = 0; i < n; i++) {
      byte b = in[i];
      int kind = SEQUENCE_CHAR[b & 0xff];
      if (kind == SKIP) {
        continue;
      }
      if (kind == INVALID) {
        char c = text.charAt(i);
        throw new Malformed(
            lineNumber,
            "sequence line has '" + c + "' at column " + (i + 1) + ", not a letter, * or -");
      }
      buf[k++] = b;
      g += kind - LETTER;
    }
    if (k == 0) {
      return;
    }
    sha256.update(buf, 0, k);
    letters += k;
    gc += g;
    if (spool != null) {
      spool.write(buf, k);
    }
  }

  /** The letters read; the hash is null when there are none. */
  Summary summary() {
    return new Summary(letters, letters == 0 ? null : Sha256.hex(sha256), gc);
  }
}
