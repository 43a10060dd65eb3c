package dev.pgingest.workload.genbank;

import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.store.ObjectSource;
import dev.pgingest.store.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A record's sequence as an object keyed by its SHA-256 ({@code sequences/<sha256>.fasta.gz}), so
 * the same sequence is stored once and a replayed store step writes the same bytes.
 *
 * <p>The object is two gzip members: a FASTA header made here, then the codec's spool (the letters,
 * 70 per line, gzipped as they streamed in). Concatenated members are one valid gzip stream, so the
 * spool is stored as it is, never copied to add the header.
 */
final class GenbankObjects implements ObjectSource<GenbankRecord> {
  /** The object key of a record's sequence, or null when it has none. */
  static String key(GenbankRecord r) {
    return r.sequenceSha256() == null ? null : "sequences/" + r.sequenceSha256() + ".fasta.gz";
  }

  /** Where a record's sequence is stored, or null when it has none. */
  static String uri(String objects, GenbankRecord r) {
    String key = key(r);
    return key == null ? null : objects + "/" + key;
  }

  /** The FASTA header line of a sequence, as its own gzip member. */
  static byte[] head(GenbankRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(
          (">" + r.sequenceSha256() + " length=" + r.letters() + "\n")
              .getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public List<StoredObject> objects(GenbankRecord r) {
    if (r.sequenceSha256() == null) {
      return List.of();
    }
    byte[] head = head(r);
    long spooled = 0;
    if (r.sequenceSpool() != null) {
      try {
        spooled = Files.size(Path.of(r.sequenceSpool()));
      } catch (IOException e) {
        // Lost with a failover: the store step finds the spool missing and has it made again.
        spooled = 0;
      }
    }
    return List.of(new StoredObject(key(r), head, r.sequenceSpool(), head.length + spooled));
  }
}
