package dev.pgingest.run;

/** Receives live progress of a running job, about once a second. */
@FunctionalInterface
public interface Progress {
  /**
   * @param read records read so far
   * @param bytes input bytes (as stored) consumed so far
   * @param totalBytes size of all inputs
   * @param seconds since the job was submitted
   */
  void update(long read, long bytes, long totalBytes, double seconds);

  /**
   * Files read to their end so far (division files, for GenBank), after each {@link #update}; a
   * resumed run counts the files its checkpoint had finished.
   */
  default void files(int done, int total) {}

  /** The job cannot go on for now, e.g. "waiting for PostgreSQL at db:5432, retry in 8 s". */
  default void waiting(String why) {}

  Progress NONE = (read, bytes, total, seconds) -> {};
}
