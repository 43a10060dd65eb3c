package dev.pgingest.sink;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The SQL types a target column may have. Every column travels as a {@code text[]} array and is
 * cast in the statement, so one binding serves every type.
 */
public enum SqlType {
  TEXT("text"),
  INTEGER("integer"),
  BIGINT("bigint"),
  NUMERIC("numeric"),
  BOOLEAN("boolean"),
  DATE("date"),
  TIMESTAMPTZ("timestamptz"),
  JSONB("jsonb"),
  BYTEA("bytea");

  private final String sql;

  SqlType(String sql) {
    this.sql = sql;
  }

  /** Name used in DDL and casts. */
  public String sql() {
    return sql;
  }

  /** The type a spec names ({@code text}, {@code bigint}, …). */
  public static Optional<SqlType> forName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.sql.equals(n)).findFirst();
  }
}
