import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.security.NoSuchAlgorithmException;

/**
 * Generated inputs reused across runs: a file or folder counts as finished when its .meta names
 * the same identity (sizes, seed, the generator's class digest), so a changed generator rewrites.
 */
final class Generated {

  /** Writes the input and says in a few words what it holds. */
  @FunctionalInterface
  interface Writer {
    String write() throws Exception;
  }

  private Generated() {}

  /** Reuses {@code out} when its .meta holds {@code identity}, else writes it; returns its description. */
  static String ensure(Path out, String identity, Writer writer) throws Exception {
    Path meta = out.resolveSibling(out.getFileName() + ".bench-meta");
    if (Files.exists(out) && Files.exists(meta)) {
      String[] m = Files.readString(meta).split("\n", 2);
      if (m.length == 2 && m[0].equals(identity)) {
        BenchSupport.OUT.println("  input " + out + ": reused (" + m[1].trim() + ")");
        return m[1].trim();
      }
    }
    BenchSupport.deleteTree(out);
    Files.deleteIfExists(meta);
    long t0 = System.nanoTime();
    String what = writer.write();
    Files.writeString(meta, identity + "\n" + what + "\n");
    BenchSupport.OUT.printf(
        Locale.ROOT,
        "  input %s: generated in %.1f s (%s)%n",
        out,
        (System.nanoTime() - t0) / 1e9,
        what);
    return what;
  }

  /** A digest of a generator's class file: part of every identity built with it. */
  static String digest(Class<?> generator) throws IOException {
    try (InputStream in =
        generator.getResourceAsStream(generator.getSimpleName() + ".class")) {
      byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
      return "gen="
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
