package dev.pgingest.format.gff3;

import java.util.List;

/**
 * Column positions, separators, markers and reserved attribute tags of GFF3 1.26.
 *
 * <p>Spec: <a
 * href="https://github.com/The-Sequence-Ontology/Specifications/blob/master/gff3.md">GFF3 1.26</a>.
 */
public final class Gff3Constants {

  /** A feature line has exactly this many tab-separated columns. */
  public static final int COLUMN_COUNT = 9;

  /** 0-based column indexes, in file order. */
  public static final int SEQID = 0;

  public static final int SOURCE = 1;
  public static final int TYPE = 2;
  public static final int START = 3;
  public static final int END = 4;
  public static final int SCORE = 5;
  public static final int STRAND = 6;
  public static final int PHASE = 7;
  public static final int ATTRIBUTES = 8;

  /** Column names as the spec calls them, indexed by the 0-based column index. */
  public static final List<String> COLUMN_NAMES =
      List.of("seqid", "source", "type", "start", "end", "score", "strand", "phase", "attributes");

  /** Placeholder for an undefined column value. */
  public static final String UNDEFINED = ".";

  public static final char COLUMN_SEPARATOR = '\t';
  public static final char PAIR_SEPARATOR = ';';
  public static final char KEY_VALUE_SEPARATOR = '=';
  public static final char VALUE_SEPARATOR = ',';
  public static final char ESCAPE = '%';

  public static final char COMMENT_PREFIX = '#';
  public static final String DIRECTIVE_PREFIX = "##";

  /** "All forward references resolved" marker; carries no data for a line-by-line reader. */
  public static final String FLUSH_DIRECTIVE = "###";

  /** Ends the feature section; the rest of the file is FASTA. */
  public static final String FASTA_DIRECTIVE = "##FASTA";

  /** A FASTA header; the spec forbids seqids starting with an unescaped '>' so this is safe. */
  public static final char FASTA_HEADER_PREFIX = '>';

  /** Attribute tags with a predefined meaning (spec, "Column 9: Attributes"). */
  public static final String ID = "ID";

  public static final String NAME = "Name";
  public static final String ALIAS = "Alias";
  public static final String PARENT = "Parent";
  public static final String TARGET = "Target";
  public static final String GAP = "Gap";
  public static final String DERIVES_FROM = "Derives_from";
  public static final String NOTE = "Note";
  public static final String DBXREF = "Dbxref";
  public static final String ONTOLOGY_TERM = "Ontology_term";
  public static final String IS_CIRCULAR = "Is_circular";

  private Gff3Constants() {}
}
