package dev.pgingest.sink;

/** The SQL types the array-binding upsert supports, with their array element type names. */
public enum SqlType {
  TEXT("text"),
  BIGINT("bigint"),
  JSONB("jsonb");

  private final String sql;

  SqlType(String sql) {
    this.sql = sql;
  }

  /** Name used in DDL and casts. */
  public String sql() {
    return sql;
  }

  /** The element type used to bind a whole column as one array ({@code jsonb} travels as text). */
  public String arrayElement() {
    return this == BIGINT ? "int8" : "text";
  }
}
