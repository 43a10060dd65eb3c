package dev.pgingest.run;

/** Receives live progress of a running job, about once a second. */
@FunctionalInterface
public interface Progress {
  /**
   * @param read records read so far
   * @param bytes input bytes (as stored) consumed so far
   * @param totalBytes size of all inputs
   * @param filesDone files read to their end (a resumed run counts those its checkpoint had)
   * @param totalFiles files the run reads
   * @param seconds since the job was submitted
   */
  void update(
      long read, long bytes, long totalBytes, int filesDone, int totalFiles, double seconds);

  /** The job cannot go on for now, e.g. "waiting for PostgreSQL at db:5432, retry in 8 s". */
  default void waiting(String why) {}

  Progress NONE = (read, bytes, total, filesDone, totalFiles, seconds) -> {};
}
