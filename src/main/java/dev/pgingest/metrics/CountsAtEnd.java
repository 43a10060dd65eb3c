package dev.pgingest.metrics;

/** A function that tells what it counted once its input has ended ({@link EndReporting}). */
public interface CountsAtEnd {

  /** Its exact counts now, at the end of its input. */
  EndCounts countsAtEnd();
}
