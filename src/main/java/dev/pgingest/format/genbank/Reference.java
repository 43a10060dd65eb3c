package dev.pgingest.format.genbank;

import java.io.Serializable;

/**
 * A REFERENCE block; {@code bases} is the text in its parentheses ({@code bases 1 to 513}), and
 * multi-line fields are joined with one space.
 */
public record Reference(
    int number,
    String bases,
    String authors,
    String consortium,
    String title,
    String journal,
    String pubmed,
    String medline,
    String remark)
    implements Serializable {}
