package dev.pgingest.spec;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;

/**
 * A column of a declared table and where its value comes from: exactly one of {@code field}, {@code
 * value} or {@code sqlDefault} is set.
 *
 * @param name column name (validated SQL identifier)
 * @param type SQL type: text, integer, bigint, numeric, boolean, date, timestamptz, jsonb, bytea
 * @param field the source field (JSON key or CSV header name) the value is read from
 * @param value a built-in value: {@code $run} (run id), {@code $file} (source file), {@code $line}
 *     (line where the record starts), {@code $record} (the whole record as a JSON object)
 * @param sqlDefault SQL default expression for a table pgingest creates; the column is not written
 *     by the load
 * @param required whether a record with no value here is rejected
 * @param min the smallest value a record may give (numeric columns), or null; a record below it is
 *     rejected with the value and the rule in the reason
 * @param max the largest value a record may give (numeric columns), or null
 */
public record ColumnSpec(
    String name,
    String type,
    String field,
    String value,
    String sqlDefault,
    boolean required,
    BigDecimal min,
    BigDecimal max)
    implements Serializable {

  /** A column without a validity range. */
  public ColumnSpec(
      String name, String type, String field, String value, String sqlDefault, boolean required) {
    this(name, type, field, value, sqlDefault, required, null, null);
  }

  /** Types whose values a range ({@code min}, {@code max}) can bound. */
  public static final List<String> RANGED = List.of("integer", "bigint", "numeric");

  /** Types a column may declare. */
  public static final List<String> TYPES =
      List.of(
          "text",
          "integer",
          "bigint",
          "numeric",
          "boolean",
          "date",
          "timestamptz",
          "jsonb",
          "bytea");

  /** Built-in values a column may take under {@code value}. */
  public static final List<String> VALUES = List.of("$run", "$file", "$line", "$record");
}
