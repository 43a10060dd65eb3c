package dev.pgingest.sink;

/**
 * A row bound for a target table: it knows its table, its dedup key, how to absorb a later row of
 * that key, and how dedup treats repeats of it.
 */
public interface UpsertRow<R extends UpsertRow<R>> {

  /** What dedup does with a key's records after its first. */
  enum Repeats {
    /** Exact repeats are dropped, differing ones pass on to be merged. */
    MERGE,
    /**
     * The record at the earliest position in file order wins: later ones are dropped, an earlier
     * one met later replaces the row this run wrote for the key.
     */
    FIRST_WINS,
    /** A record older in file order than one already passed is dropped (the latest wins). */
    LATEST_WINS,
    /** Keys are unique by construction (an append row's run, file and line): no dedup state. */
    NONE
  }

  /** The dedup key, unique across the job's tables; equal keys are the same target row. */
  String key();

  /** This row with a later row of the same key merged in, as the write SQL merges it. */
  R merge(R later);

  /** A 64-bit hash of the whole content: equal for exact repeats, so they can be dropped. */
  long fingerprint();

  /** Index of the row's table in the pipeline's table list. */
  default int table() {
    return 0;
  }

  /**
   * The shuffle key. Rows sharing it meet in one subtask, in arrival order: a child row routes by
   * its parent's key, so it never reaches the database before its parent row.
   */
  default String route() {
    return key();
  }

  /** How dedup treats this key's repeats. */
  default Repeats repeats() {
    return Repeats.MERGE;
  }

  /** Position in file order (compared as text) for {@link Repeats#LATEST_WINS}; "" when unused. */
  default String order() {
    return "";
  }

  /**
   * Whether the run wrote this key before: its write then counts as no new insert or update of the
   * row (a row inserted and then changed by one run is an inserted row).
   */
  default boolean repeat() {
    return false;
  }

  /** This row marked as a {@link #repeat()}; rows counted by run stamps need no mark. */
  @SuppressWarnings("unchecked")
  default R asRepeat() {
    return (R) this;
  }

  /** Source file of the record the row came from, or null when the row merges many. */
  default String file() {
    return null;
  }

  /** Line where that record starts, or 0. */
  default long line() {
    return 0;
  }

  /** The row's values as text, for a reject when the database refuses the row. */
  default String describe() {
    return key();
  }
}
