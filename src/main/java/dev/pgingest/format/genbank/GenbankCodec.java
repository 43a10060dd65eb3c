package dev.pgingest.format.genbank;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.Sniff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes GenBank flat files (GenPept too) into one {@link GenbankRecord} per entry.
 *
 * <p>Hand-written because no well-kept Java library reads GenBank as a stream in constant memory: a
 * chromosome entry holds hundreds of megabases and thousands of features. This class only tells
 * which section each line belongs to and gathers continuation lines; an {@link EntryBuilder} per
 * entry makes the record. The format, and the choices made where it leaves room, are described in
 * the package documentation. One instance per file, not thread-safe, as {@link LineCodec} asks.
 */
public final class GenbankCodec implements LineCodec<GenbankRecord> {

  /** Keywords take the first 12 columns; their text and continuation lines start after them. */
  private static final int KEYWORD_WIDTH = 12;

  /** Where a line belongs. */
  private enum Phase {
    /** Between entries (and before the first one). */
    OUTSIDE,
    /** The release header of a division file, before the first LOCUS. */
    RELEASE_HEADER,
    /** Keyword lines of an entry. */
    HEADER,
    FEATURES,
    ORIGIN,
    /** After a malformed entry was rejected, until its {@code //} or the next LOCUS. */
    SKIP
  }

  /** Null when no spool folder was given. */
  private final SpoolFolder spoolFolder;

  /** Every line of the entry being read, for {@link GenbankRecord#contentSha256}. */
  private final MessageDigest content = Sha256.digest();

  private Phase phase = Phase.OUTSIDE;
  private boolean sawContent;
  private String release;
  private EntryBuilder entry;

  /** Lent to every entry's {@link FeatureBuilder}; holds nothing between qualifiers. */
  private final StringBuilder qualifierValue = new StringBuilder();

  // The keyword field being gathered, handed to the entry when the next keyword starts.
  private String fieldKey;
  private long fieldLine;
  private final List<String> fieldLines = new ArrayList<>();

  /**
   * @param spoolDir folder for the sequence and feature spool files, or null to write none (the
   *     hashes and counts are computed all the same)
   */
  public GenbankCodec(Path spoolDir) {
    this.spoolFolder = spoolDir == null ? null : new SpoolFolder(spoolDir);
  }

  @Override
  public void line(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    if (Locus.starts(text)) {
      if (inEntry()) {
        rejectOpen(
            out,
            "line "
                + entry.locusLine()
                + ": entry has no // end marker before the LOCUS at line "
                + lineNumber);
      }
      begin(text, lineNumber, out);
      return;
    }
    switch (phase) {
      case OUTSIDE -> outside(text, lineNumber, out);
      case RELEASE_HEADER -> releaseHeader(text);
      case SKIP -> {
        if (text.startsWith("//")) {
          phase = Phase.OUTSIDE;
        }
      }
      default -> {
        hashLine(text);
        try {
          switch (phase) {
            case HEADER -> header(text, lineNumber, out);
            case FEATURES -> features(text, lineNumber, out);
            case ORIGIN -> origin(text, lineNumber, out);
            default -> throw new IllegalStateException(phase.name());
          }
        } catch (Malformed m) {
          reject(out, m.getMessage());
          if (text.startsWith("//")) {
            phase = Phase.OUTSIDE;
          }
        }
      }
    }
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<GenbankRecord> out) {
    if (inEntry()) {
      rejectOpen(
          out,
          "line "
              + entry.locusLine()
              + ": entry has no // end marker before the end of the file (line "
              + lastLineNumber
              + ")");
    }
    phase = Phase.OUTSIDE;
  }

  private boolean inEntry() {
    return phase == Phase.HEADER || phase == Phase.FEATURES || phase == Phase.ORIGIN;
  }

  /**
   * Blank lines between entries are skipped; a division file's release header may come before the
   * first LOCUS; any other line outside an entry is a reject of that line alone.
   */
  private void outside(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    if (text.isBlank()) {
      return;
    }
    if (!sawContent && text.contains("Data Bank")) {
      sawContent = true;
      phase = Phase.RELEASE_HEADER;
      return;
    }
    sawContent = true;
    out.reject(
        lineNumber,
        "line "
            + lineNumber
            + ": '"
            + Malformed.quoted(text)
            + "' is outside an entry (expected LOCUS)",
        text);
  }

  /** Keeps the number of the header's {@code NCBI-GenBank Flat File Release 158.0} line. */
  private void releaseHeader(String text) {
    int at = text.indexOf("Release ");
    if (at >= 0 && release == null) {
      String rest = text.substring(at + "Release ".length()).trim();
      int space = rest.indexOf(' ');
      String number = space < 0 ? rest : rest.substring(0, space);
      if (!number.isEmpty() && Character.isDigit(number.charAt(0))) {
        release = number;
      }
    }
  }

  private void begin(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    sawContent = true;
    fieldKey = null;
    fieldLines.clear();
    // Asked before the LOCUS is read, so every entry is asked, a malformed one too.
    boolean spooled = spoolFolder != null && out.keeps(lineNumber);
    content.reset();
    hashLine(text);
    try {
      Locus locus = Locus.parse(text, lineNumber);
      SpoolFolder.Entry spool = spooled ? spoolFolder.entry(lineNumber) : null;
      entry = new EntryBuilder(locus, lineNumber, text, spool, qualifierValue);
      phase = Phase.HEADER;
    } catch (Malformed m) {
      entry = null;
      phase = Phase.SKIP;
      out.reject(lineNumber, m.getMessage(), text);
    }
  }

  // ---------------------------------------------------------------- keyword lines

  private void header(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (text.isEmpty()) {
      continuation("", lineNumber);
      return;
    }
    if (text.charAt(0) != ' ') {
      keyword(text, lineNumber, out);
      return;
    }
    String key = text.substring(0, Math.min(KEYWORD_WIDTH, text.length())).trim();
    if (key.isEmpty()) {
      continuation(text.length() > KEYWORD_WIDTH ? text.substring(KEYWORD_WIDTH) : "", lineNumber);
    } else {
      // An indented sub-keyword (AUTHORS, ORGANISM, …).
      flushField();
      startField(key, text, lineNumber);
    }
  }

  /** A top-level keyword line: it ends the field and the block before it. */
  private void keyword(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    flushField();
    entry.header().endBlock();
    if (text.startsWith("//")) {
      GenbankRecord record = entry.build(release, Sha256.hex(content), lineNumber);
      phase = Phase.OUTSIDE;
      out.record(record, entry.locusLine());
      return;
    }
    String key = text.substring(0, Math.min(KEYWORD_WIDTH, text.length())).trim();
    switch (key) {
      case "FEATURES" -> phase = Phase.FEATURES;
      case "ORIGIN" -> phase = Phase.ORIGIN;
      default -> startField(key, text, lineNumber);
    }
  }

  private void startField(String key, String text, long lineNumber) {
    fieldKey = key;
    fieldLine = lineNumber;
    fieldLines.add(
        text.length() > KEYWORD_WIDTH ? text.substring(KEYWORD_WIDTH).stripTrailing() : "");
  }

  private void continuation(String rest, long lineNumber) throws Malformed {
    if (fieldKey == null) {
      throw new Malformed(
          lineNumber, "continuation line '" + Malformed.quoted(rest) + "' has no keyword");
    }
    fieldLines.add(rest.stripTrailing());
  }

  /** Hands the gathered field to the entry, now that the next keyword has started. */
  private void flushField() throws Malformed {
    if (fieldKey == null) {
      return;
    }
    KeywordField field = new KeywordField(fieldKey, fieldLine, fieldLines);
    fieldKey = null;
    fieldLines.clear();
    entry.header().add(field);
  }

  // ---------------------------------------------------------------- features and sequence

  private void features(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (!text.isEmpty() && text.charAt(0) != ' ') {
      entry.features().endFeature();
      phase = Phase.HEADER;
      keyword(text, lineNumber, out);
      return;
    }
    entry.features().line(text, lineNumber);
  }

  private void origin(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (!text.isEmpty()) {
      char first = text.charAt(0);
      if (first != ' ' && (first < '0' || first > '9')) {
        if (text.startsWith("//")) {
          keyword(text, lineNumber, out);
          return;
        }
        throw new Malformed(
            lineNumber,
            "'"
                + Malformed.quoted(text)
                + "' after ORIGIN (expected sequence lines or the // end marker)");
      }
    }
    entry.sequence().line(text, lineNumber);
  }

  // ---------------------------------------------------------------- rejects and hashing

  /** Rejects the entry being read, drops its spool files and skips to its end. */
  private void reject(DecodeSink<GenbankRecord> out, String reason) {
    entry.drop();
    phase = Phase.SKIP;
    out.reject(entry.locusLine(), reason, entry.locusRaw());
  }

  /** Rejects an entry cut short; the caller moves on (a new LOCUS or the end of the file). */
  private void rejectOpen(DecodeSink<GenbankRecord> out, String reason) {
    entry.drop();
    phase = Phase.OUTSIDE;
    out.reject(entry.locusLine(), reason, entry.locusRaw());
  }

  /**
   * Adds the line's UTF-8 and a {@code \n} to the content hash. For an ASCII line getBytes is an
   * array copy (intrinsic), cheaper than a charAt loop.
   */
  private void hashLine(String text) {
    content.update(text.getBytes(StandardCharsets.UTF_8));
    content.update((byte) '\n');
  }

  /**
   * Whether a file's first bytes are GenBank flat-file records: a line starting {@code LOCUS},
   * first or after a division file's release header.
   */
  public static boolean recognizes(byte[] head) {
    return Sniff.someLineStarts(head, "LOCUS ");
  }
}
