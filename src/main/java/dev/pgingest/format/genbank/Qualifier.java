package dev.pgingest.format.genbank;

import java.io.Serializable;

/** A feature qualifier: {@code /name="value"}, {@code /name=value}, or a {@code /flag}. */
public record Qualifier(String name, String value) implements Serializable {}
