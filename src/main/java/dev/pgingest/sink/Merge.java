package dev.pgingest.sink;

/** How an upsert folds an incoming column value into the one already in the table. */
public enum Merge {
  /** Part of the conflict key: never updated. */
  KEY,
  /** The incoming value wins, unless it is null. */
  COALESCE,
  /** JSONB object overlay: incoming keys replace existing ones ({@code existing || incoming}). */
  JSONB_OVERLAY,
  /** JSONB array of strings: the sorted union of both. */
  JSONB_SET_UNION,
  /** Written on insert only. */
  INSERT_ONLY
}
