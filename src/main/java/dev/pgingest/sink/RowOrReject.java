package dev.pgingest.sink;

/**
 * Either a row or a reject on its way to the batcher: both go through one JDBC sink, so the job
 * holds no more connections than the sink's parallelism.
 */
public record RowOrReject<R>(R row, Reject reject) {

  public static <R> RowOrReject<R> row(R row) {
    return new RowOrReject<>(row, null);
  }

  public static <R> RowOrReject<R> reject(Reject reject) {
    return new RowOrReject<>(null, reject);
  }
}
