package dev.pgingest.format.genbank;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The feature spool format: UTF-8 JSON Lines, one {@link Feature} object per line in file order,
 * with the fields of the Java records ({@code index, key, location, parsed{start, end, strand,
 * partialStart, partialEnd, parts[{accession, start, end, strand, kind, gapLength}]},
 * qualifiers[{name, value}]}).
 */
public final class FeatureSpool {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter WRITER = MAPPER.writerFor(Feature.class);
  private static final ObjectReader READER = MAPPER.readerFor(Feature.class);

  private FeatureSpool() {}

  /** Reads the features of {@code file} one line at a time, so memory stays constant. */
  public static void read(Path file, Consumer<Feature> out) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isEmpty()) {
          out.accept(READER.readValue(line));
        }
      }
    }
  }

  /** Appends {@code feature} as one line. */
  static void write(Writer out, Feature feature) throws IOException {
    out.write(WRITER.writeValueAsString(feature));
    out.write('\n');
  }
}
