package dev.pgingest.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.FileSystemKind;
import org.apache.flink.core.fs.Path;

/**
 * A place for content-keyed objects ({@code s3://bucket/prefix}, {@code file:///dir}, any URI
 * Flink's {@link FileSystem} reads), written so that no reader ever sees a partial object under its
 * final key.
 *
 * <p>Keys name content, so an object of the expected length at a key is taken as stored; one of
 * another length (a partial write by someone else) is overwritten.
 */
public final class ObjectStore implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER = 64 * 1024;
  private static final List<String> OBJECT_STORE_SCHEMES =
      List.of("s3", "emr", "oss", "wasb", "gs");

  private final String base;

  /** A store below {@code base}, e.g. {@code s3://bucket/prefix} or {@code file:///dir}. */
  public ObjectStore(String base) {
    String b = base.strip();
    while (b.endsWith("/") && !b.endsWith(":///")) {
      b = b.substring(0, b.length() - 1);
    }
    try {
      if (new URI(b).getScheme() == null) {
        throw new IllegalArgumentException(
            "object store " + base + " needs a scheme, e.g. s3://bucket/prefix or file:///dir");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "object store " + base + " is not a URI: " + e.getMessage());
    }
    this.base = b;
  }

  public String base() {
    return base;
  }

  /** The URI of the object at {@code key}. */
  public String uri(String key) {
    if (key.isEmpty() || key.startsWith("/") || ("/" + key + "/").contains("/../")) {
      throw new IllegalArgumentException("object key " + key + " is not a relative path");
    }
    return base + "/" + key;
  }

  /** Whether the object is stored: something at its key with exactly its length. */
  public boolean exists(StoredObject object) throws IOException {
    Path path = new Path(uri(object.key()));
    FileStatus status;
    try {
      status = path.getFileSystem().getFileStatus(path);
    } catch (FileNotFoundException e) {
      return false;
    }
    return !status.isDir() && status.getLen() == object.size();
  }

  /**
   * Writes the object. On an object store the object appears only when complete (S3A uploads it on
   * close, as a multipart upload when large); elsewhere it goes to a temp name in the same folder
   * and is renamed, so a crash leaves at most a stray temp file.
   */
  public void put(StoredObject object) throws IOException {
    checkSpool(object);
    Path target = new Path(uri(object.key()));
    FileSystem fs = target.getFileSystem();
    if (kind(target.toUri()) == FileSystemKind.OBJECT_STORE) {
      write(fs, target, object);
      return;
    }
    Path parent = target.getParent();
    fs.mkdirs(parent);
    Path temp = new Path(parent, "." + target.getName() + "." + UUID.randomUUID() + ".part");
    try {
      write(fs, temp, object);
      if (!fs.rename(temp, target)) {
        // Renames that do not replace (HDFS) need the wrong-length object out of the way first.
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
          throw new IOException("could not rename " + temp + " to " + target);
        }
      }
    } finally {
      deleteQuietly(fs, temp);
    }
  }

  /**
   * Whether writes to {@code uri} appear only once complete. Flink 2 dropped {@code
   * FileSystem#getKind()}; its Hadoop wrapper still decides by scheme, as here.
   */
  static FileSystemKind kind(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    for (String objectStore : OBJECT_STORE_SCHEMES) {
      if (scheme.startsWith(objectStore)) {
        return FileSystemKind.OBJECT_STORE;
      }
    }
    return FileSystemKind.FILE_SYSTEM;
  }

  private static void checkSpool(StoredObject object) throws IOException {
    if (object.spool() == null) {
      return;
    }
    java.nio.file.Path spool = java.nio.file.Path.of(object.spool());
    long length = Files.size(spool);
    if (length != object.spoolSize()) {
      throw new SpoolException(
          "the spool file "
              + spool
              + " has "
              + length
              + " bytes where blob "
              + object.key()
              + " expects "
              + object.spoolSize());
    }
  }

  private static void write(FileSystem fs, Path path, StoredObject object) throws IOException {
    FSDataOutputStream out = fs.create(path, WriteMode.OVERWRITE);
    boolean complete = false;
    try {
      out.write(object.head());
      long copied = 0;
      if (object.spool() != null) {
        try (InputStream in = Files.newInputStream(java.nio.file.Path.of(object.spool()))) {
          byte[] buffer = new byte[BUFFER];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            copied += n;
          }
        }
      }
      if (copied != object.spoolSize()) {
        throw new SpoolException(
            "the spool file "
                + object.spool()
                + " changed while blob "
                + object.key()
                + " was written");
      }
      complete = true;
    } finally {
      if (!complete && !abort(out)) {
        closeQuietly(out);
        deleteQuietly(fs, path);
      }
    }
    out.close();
  }

  /**
   * Drops an unfinished S3A upload: S3A would publish whatever was written on {@code close()},
   * while Hadoop's {@code FSDataOutputStream#abort} (HADOOP-17244) discards it. Flink's wrapper
   * lives in the plugin's class loader, hence reflection; false when the stream has no abort.
   */
  private static boolean abort(FSDataOutputStream out) {
    try {
      Object hadoop = out.getClass().getMethod("getHadoopOutputStream").invoke(out);
      hadoop.getClass().getMethod("abort").invoke(hadoop);
      return true;
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
      return false;
    }
  }

  private static void closeQuietly(FSDataOutputStream out) {
    try {
      out.close();
    } catch (IOException | RuntimeException e) {
      // The write already failed; that failure is the one to report.
    }
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException | RuntimeException e) {
      // A stray temp or partial object has the wrong length, so it is never taken as stored.
    }
  }

  @Override
  public String toString() {
    return base;
  }
}
