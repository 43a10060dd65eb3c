package dev.pgingest.sink;

/** A row bound for an upsert: it knows its dedup key and how to absorb a later row of that key. */
public interface UpsertRow<R extends UpsertRow<R>> {

  /** The dedup key; equal keys are the same target row. */
  String key();

  /** This row with a later row of the same key merged in, as the upsert SQL merges it. */
  R merge(R later);

  /** A 64-bit hash of the whole content: equal for exact repeats, so they can be dropped. */
  long fingerprint();
}
