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

  Progress NONE = (read, bytes, total, seconds) -> {};
}
