package dev.pgingest.run;

import dev.pgingest.format.Decoded.FileEnd;
import dev.pgingest.graph.MapToRows;
import dev.pgingest.sink.SchemaBootstrap;
import dev.pgingest.sink.SqlNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.Path;

/**
 * The {@code ingest_files} ledger: every input file's identity (path, size, modification time,
 * SHA-256 of its bytes as stored) and outcome per run, so a later run over a growing folder skips
 * files already loaded unchanged and reads changed ones again.
 */
public final class FileLedger {
  private FileLedger() {}

  /** Which inputs to read, and how many were skipped as loaded unchanged. */
  public record Skip(List<Inputs.InputFile> toRead, int skipped) {}

  /** Total size of the files as stored. */
  public static long bytes(List<Inputs.InputFile> files) {
    return files.stream().mapToLong(Inputs.InputFile::size).sum();
  }

  /** One digest over the input set's identities: a changed, added or removed file changes it. */
  public static String hash(List<Inputs.InputFile> files) {
    MessageDigest md = sha256();
    files.stream()
        .sorted(Comparator.comparing(Inputs.InputFile::path))
        .forEach(
            f ->
                md.update(
                    (f.path() + "\u0000" + f.size() + "\u0000" + f.modified() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Leaves out files that an earlier run of {@code job} loaded (or found damaged) with the same
   * size and modification time; with the same size but another time, the content hash decides.
   */
  public static Skip skipUnchanged(
      Connection c, String schema, String job, List<Inputs.InputFile> files) throws SQLException {
    Map<String, Object[]> seen = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT ON (path) path, size, modified, content_sha256 FROM "
                + SqlNames.qualified(schema, SchemaBootstrap.FILES_TABLE)
                + " WHERE job = ? AND status IN ('loaded', 'damaged')"
                + " ORDER BY path, run_id DESC")) {
      ps.setString(1, job);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp t = rs.getTimestamp(3);
          seen.put(
              rs.getString(1),
              new Object[] {rs.getLong(2), t == null ? -1L : t.getTime(), rs.getString(4)});
        }
      }
    }
    List<Inputs.InputFile> toRead = new ArrayList<>();
    for (Inputs.InputFile f : files) {
      Object[] before = seen.get(f.path());
      boolean unchanged =
          before != null
              && (long) before[0] == f.size()
              && ((long) before[1] == f.modified()
                  || (before[2] != null && before[2].equals(sha256Of(f.path()))));
      if (!unchanged) {
        toRead.add(f);
      }
    }
    return new Skip(toRead, files.size() - toRead.size());
  }

  /** Records the files a successful run read, with their records and rejects. */
  public static void record(
      Connection c,
      String schema,
      String rejectsTable,
      long runId,
      String job,
      List<Inputs.InputFile> files,
      Map<String, FileEnd> totals)
      throws SQLException {
    Map<String, Long> rejects = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT file, count(*) FROM "
                + SqlNames.qualified(schema, rejectsTable)
                + " WHERE run_id = ? GROUP BY file")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rejects.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + SqlNames.qualified(schema, SchemaBootstrap.FILES_TABLE)
                + " (run_id, job, path, size, modified, content_sha256, status, records, rejects,"
                + " message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, path) DO UPDATE SET size = excluded.size,"
                + " modified = excluded.modified, content_sha256 = excluded.content_sha256,"
                + " status = excluded.status, records = excluded.records,"
                + " rejects = excluded.rejects, message = excluded.message")) {
      for (Inputs.InputFile f : files) {
        FileEnd t = totals.get(f.path());
        ps.setLong(1, runId);
        ps.setString(2, job);
        ps.setString(3, f.path());
        ps.setLong(4, f.size());
        ps.setTimestamp(5, f.modified() > 0 ? new Timestamp(f.modified()) : null);
        ps.setString(6, t == null ? null : t.sha256());
        ps.setString(7, t != null && t.fault() != null ? "damaged" : "loaded");
        if (t == null) {
          ps.setNull(8, Types.BIGINT);
        } else {
          ps.setLong(8, t.items());
        }
        ps.setLong(9, rejects.getOrDefault(f.path(), 0L));
        ps.setString(10, t == null ? null : t.fault());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The per-file totals the job's readers published. */
  @SuppressWarnings("unchecked")
  public static Map<String, FileEnd> totals(Map<String, Object> accumulators) {
    Object v = accumulators.get(MapToRows.FILES);
    return v instanceof Map<?, ?> m ? (Map<String, FileEnd>) m : Map.of();
  }

  /** SHA-256 of a file's bytes as stored. */
  static String sha256Of(String file) {
    MessageDigest md = sha256();
    Path path = new Path(file);
    try (InputStream in = path.getFileSystem().open(path)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      return null;
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
