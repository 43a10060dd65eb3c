package dev.pgingest.mapping;

import dev.pgingest.format.CodecFactory;
import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.LineCodec;
import dev.pgingest.format.csv.CsvCodec;
import dev.pgingest.format.jsonl.JsonlCodec;
import dev.pgingest.spec.CsvOptions;
import dev.pgingest.spec.SourceSpec;
import java.util.List;

/** Chooses the codec of a field-based source's file: as the source says, or by the file's name. */
final class FieldCodecs {
  private FieldCodecs() {}

  /**
   * @param withJson whether records carry their JSON (a column maps {@code $record})
   */
  static CodecFactory<FieldRecord> factory(SourceSpec source, boolean withJson) {
    String format = source.format();
    CsvOptions csv = source.csv() == null ? CsvOptions.defaults() : source.csv();
    return path -> {
      String f = format.equals("auto") ? byName(path) : format;
      if (f == null) {
        return new Unreadable(
            "cannot tell the format from the file name; expected .csv, .jsonl or .ndjson"
                + " (optionally .gz), or set the source's format");
      }
      return f.equals("csv")
          ? new CsvCodec(csv.delimiter(), csv.quote(), csv.header(), withJson)
          : new JsonlCodec();
    };
  }

  /** {@code csv} or {@code jsonl} from the name, {@code .gz} aside; null when it says neither. */
  static String byName(String path) {
    if (DeclaredTablesPipeline.named(path, List.of(".csv"))) {
      return "csv";
    }
    // Not .json: that is usually one document, not one object per line.
    return DeclaredTablesPipeline.named(path, List.of(".jsonl", ".ndjson")) ? "jsonl" : null;
  }

  /** A file no codec reads: one reject for the whole file, so its neighbours still load. */
  private static final class Unreadable implements LineCodec<FieldRecord> {
    private final String reason;
    private boolean said;

    Unreadable(String reason) {
      this.reason = reason;
    }

    @Override
    public void line(String text, long lineNumber, DecodeSink<FieldRecord> out) {
      if (!said) {
        said = true;
        out.reject(lineNumber, reason, text);
      }
    }
  }
}
