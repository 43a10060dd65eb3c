package dev.pgingest.format;

import java.io.Serializable;
import java.util.Map;

/**
 * One record of a field-based format (CSV, JSONL): its values by field name, and the whole record
 * as a JSON object.
 *
 * @param fields field name → value as text: a JSON string as its content, a number or boolean as
 *     written, an object or array as its JSON text, JSON null as {@code null}; a CSV field as given
 *     (null tokens are the mapping's business, not the codec's)
 * @param json the record as a JSON object text, for columns that keep the whole record
 */
public record FieldRecord(Map<String, String> fields, String json) implements Serializable {

  /** The value of {@code name}, or null when the record has no such field. */
  public String get(String name) {
    return fields.get(name);
  }
}
