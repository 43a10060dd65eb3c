package dev.pgingest.spec;

import java.io.Serializable;

/**
 * A secondary index of a declared table, created if missing.
 *
 * @param name index name
 * @param on what follows {@code ON table}, e.g. {@code (status)} or {@code (id) WHERE NOT used}
 * @param unique whether it is a unique index
 */
public record IndexSpec(String name, String on, boolean unique) implements Serializable {}
