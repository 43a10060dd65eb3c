package dev.pgingest.sink;

/**
 * How an upsert folds an incoming column value into the one already in the table.
 *
 * <p>Every merge is commutative and idempotent (a max or a union), so the result does not depend on
 * the order rows arrive in, on how they fall into batches, or on replays after recovery: a re-load
 * of the same input changes nothing.
 */
public enum ColumnMerge {
  /** Part of the conflict key: never updated. */
  KEY,
  /** Text: the greater of both in byte order ({@code COLLATE "C"}); null loses. */
  GREATEST_TEXT,
  /**
   * JSONB object: the union of keys; where both have a key, the greater value wins — numbers over
   * other values, greater numbers first, then greater JSON text in byte order ({@link JsonOrder}).
   */
  JSONB_MAX_PER_KEY,
  /** JSONB array of strings: the sorted union of both. */
  JSONB_SET_UNION,
  /** Written on insert only. */
  INSERT_ONLY,
  /**
   * The incoming value when it is not null: a later record fills in and corrects, but a missing
   * value does not erase one. Not commutative, so {@link WriteMode#MERGE} of declared tables keeps
   * file order per key.
   */
  LATEST
}
