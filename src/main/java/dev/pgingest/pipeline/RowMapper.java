package dev.pgingest.pipeline;

import java.io.Serializable;

/**
 * Turns one decoded source record into a target row; domain rules live here.
 *
 * <p>Throws {@link IllegalArgumentException} with a one-line reason for a record that must be
 * rejected.
 */
@FunctionalInterface
public interface RowMapper<T, R> extends Serializable {
  R map(T record);
}
