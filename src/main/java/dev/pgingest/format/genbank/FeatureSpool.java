package dev.pgingest.format.genbank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pgingest.format.Utf8Strings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The feature spool format: a header ({@link #MAGIC}), then one {@link Feature} after the other in
 * file order, each field in a fixed order with {@link DataOutputStream}'s numbers and
 * length-prefixed UTF-8 strings (-1 for null). Spools are private to a run (written by the codec,
 * read once or twice by the mapper, then deleted), so the format only has to be fast; a spool in
 * the older JSON Lines format (a line per feature, starting with '{') is still read.
 */
public final class FeatureSpool {

  /** First bytes of a binary spool; a JSON Lines spool starts with '{'. */
  static final byte[] MAGIC = {0, 'G', 'F', 1};

  private static final ObjectReader JSON = new ObjectMapper().readerFor(Feature.class);

  private FeatureSpool() {}

  /** Reads the features of {@code file} one at a time, so memory stays constant. */
  public static void read(Path file, Consumer<Feature> out) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      raw.mark(MAGIC.length);
      byte[] head = raw.readNBytes(MAGIC.length);
      if (head.length == 0) {
        return;
      }
      if (head.length < MAGIC.length || !Arrays.equals(head, MAGIC)) {
        raw.reset();
        readJsonLines(raw, out);
        return;
      }
      DataInputStream in = new DataInputStream(raw);
      while (true) {
        int index;
        try {
          index = in.readInt();
        } catch (EOFException end) {
          return;
        }
        out.accept(readFeature(index, in));
      }
    }
  }

  private static void readJsonLines(InputStream raw, Consumer<Feature> out) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.isEmpty()) {
        out.accept(JSON.readValue(line));
      }
    }
  }

  /** Writes one entry's features to a spool file, created on the first feature. */
  static final class Writer {

    private final SpoolFile<DataOutputStream> file;

    /** {@code name} names the file when the first feature comes. */
    Writer(Supplier<Path> name) {
      this.file = new SpoolFile<>(name, Writer::open);
    }

    private static DataOutputStream open(Path path) throws IOException {
      DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
      out.write(MAGIC);
      return out;
    }

    void write(Feature feature) {
      try {
        FeatureSpool.write(file.out(), feature);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write feature spool " + file.path(), e);
      }
    }

    /** The file written, or null when there were no features. */
    Path path() {
      return file.path();
    }

    void close() throws IOException {
      file.close();
    }

    void delete() throws IOException {
      file.delete();
    }
  }

  private static void write(DataOutputStream out, Feature f) throws IOException {
    out.writeInt(f.index());
    Utf8Strings.write(out, f.key());
    Utf8Strings.write(out, f.location());
    Location l = f.parsed();
    writeLong(out, l.start());
    writeLong(out, l.end());
    writeInt(out, l.strand());
    out.writeBoolean(l.partialStart());
    out.writeBoolean(l.partialEnd());
    out.writeInt(l.parts().size());
    for (Part p : l.parts()) {
      Utf8Strings.write(out, p.accession());
      writeLong(out, p.start());
      writeLong(out, p.end());
      writeInt(out, p.strand());
      Utf8Strings.write(out, p.kind());
      writeLong(out, p.gapLength());
    }
    out.writeInt(f.qualifiers().size());
    for (Qualifier q : f.qualifiers()) {
      Utf8Strings.write(out, q.name());
      Utf8Strings.write(out, q.value());
    }
  }

  private static Feature readFeature(int index, DataInputStream in) throws IOException {
    String key = Utf8Strings.read(in);
    String location = Utf8Strings.read(in);
    Long start = readLong(in);
    Long end = readLong(in);
    Integer strand = readInt(in);
    boolean partialStart = in.readBoolean();
    boolean partialEnd = in.readBoolean();
    int nParts = in.readInt();
    List<Part> parts = new ArrayList<>(nParts);
    for (int i = 0; i < nParts; i++) {
      parts.add(
          new Part(
              Utf8Strings.read(in),
              readLong(in),
              readLong(in),
              readInt(in),
              Utf8Strings.read(in),
              readLong(in)));
    }
    int nQualifiers = in.readInt();
    List<Qualifier> qualifiers = new ArrayList<>(nQualifiers);
    for (int i = 0; i < nQualifiers; i++) {
      qualifiers.add(new Qualifier(Utf8Strings.read(in), Utf8Strings.read(in)));
    }
    return new Feature(
        index,
        key,
        location,
        new Location(start, end, strand, partialStart, partialEnd, parts),
        qualifiers);
  }

  private static void writeLong(DataOutputStream out, Long v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeLong(v);
    }
  }

  private static Long readLong(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readLong() : null;
  }

  private static void writeInt(DataOutputStream out, Integer v) throws IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeInt(v);
    }
  }

  private static Integer readInt(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readInt() : null;
  }
}
