package dev.pgingest.sink;

import java.io.Serializable;

/**
 * A secondary index of a target table.
 *
 * @param name index name
 * @param definition what follows {@code ON table}, e.g. {@code USING gin (coordinates)}
 * @param unique whether it is a unique index
 * @param deferrable built after the load when the table starts empty: maintaining GIN indexes row
 *     by row dominates load time, building them once afterwards does not (pgloader does the same)
 */
public record IndexDef(String name, String definition, boolean unique, boolean deferrable)
    implements Serializable {}
