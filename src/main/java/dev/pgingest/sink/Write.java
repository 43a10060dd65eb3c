package dev.pgingest.sink;

/**
 * Either a row or a reject on its way to the batcher: both go through one JDBC sink, so the job
 * holds no more connections than the sink's parallelism.
 */
public record Write<R>(R row, Reject reject) {

  public static <R> Write<R> row(R row) {
    return new Write<>(row, null);
  }

  public static <R> Write<R> reject(Reject reject) {
    return new Write<>(null, reject);
  }
}
