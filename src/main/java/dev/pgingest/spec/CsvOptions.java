package dev.pgingest.spec;

import java.io.Serializable;

/**
 * The CSV dialect of a source (RFC 4180 by default).
 *
 * @param delimiter field separator, e.g. {@code ,} or {@code ;}
 * @param quote quote character
 * @param header whether the first row names the fields (matched by name, trimmed); without one,
 *     fields are named {@code 1}, {@code 2}, … by position
 */
public record CsvOptions(char delimiter, char quote, boolean header) implements Serializable {
  public static CsvOptions defaults() {
    return new CsvOptions(',', '"', true);
  }
}
