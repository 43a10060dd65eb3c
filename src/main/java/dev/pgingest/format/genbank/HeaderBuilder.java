package dev.pgingest.format.genbank;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds an entry's {@link Header} from its keyword fields, one field at a time as the codec
 * completes it. Each field is read when it is complete, so a bad CONTIG or REFERENCE number rejects
 * the entry at once, naming its line.
 */
final class HeaderBuilder {

  // One field per header field: the values read so far, a later field of the same keyword winning
  // except where GenBank lets a field run on (ACCESSION, DBLINK, COMMENT).
  private String definition;
  private final List<String> accessions = new ArrayList<>();
  private String version;
  private String gi;
  private List<String> keywords = List.of();
  private final List<String> dblink = new ArrayList<>();
  private String source;
  private String organism;
  private List<String> taxonomy = List.of();
  private String dbsource;
  private String contig;
  private final ReferenceBuilder references = new ReferenceBuilder();
  private final CommentBuilder comments = new CommentBuilder();

  /** Stores a complete field; unknown keywords (PROJECT, SEGMENT, BASE COUNT, …) are ignored. */
  void add(KeywordField field) throws Malformed {
    List<String> lines = field.lines();
    switch (field.key()) {
      case "DEFINITION" -> definition = joined(lines);
      case "ACCESSION" -> {
        for (String line : lines) {
          for (String token : line.trim().split("\\s+")) {
            if (!token.isEmpty()) {
              accessions.add(token);
            }
          }
        }
      }
      case "VERSION" -> {
        String[] tokens = joined(lines).split("\\s+");
        version = tokens[0].isEmpty() ? null : tokens[0];
        for (String token : tokens) {
          if (token.startsWith("GI:")) {
            gi = token.substring(3);
          }
        }
      }
      case "DBLINK" -> dblink(lines);
      case "KEYWORDS" -> keywords = splitList(joined(lines));
      case "SOURCE" -> source = joined(lines);
      case "ORGANISM" -> organism(lines);
      case "REFERENCE" -> references.start(joined(lines), field.line());
      case "AUTHORS", "CONSRTM", "TITLE", "JOURNAL", "PUBMED", "MEDLINE", "REMARK" ->
          references.set(field.key(), joined(lines));
      case "COMMENT" -> comments.add(lines);
      case "DBSOURCE" -> dbsource = trimmedLines(lines);
      case "CONTIG" -> contig(lines, field.line());
      default -> {
        // PROJECT, SEGMENT, BASE COUNT, PRIMARY, WGS, …: accepted and not kept.
      }
    }
  }

  /** A top-level keyword line came: the sub-keywords after it no longer belong to a REFERENCE. */
  void endBlock() {
    references.end();
  }

  Header build() {
    return new Header(
        definition,
        List.copyOf(accessions),
        version,
        gi,
        List.copyOf(keywords),
        List.copyOf(dblink),
        source,
        organism,
        List.copyOf(taxonomy),
        references.build(),
        comments.comment(),
        comments.structured(),
        dbsource,
        contig);
  }

  /** {@code Name: id} lines; a line without {@code :} continues the one before. */
  private void dblink(List<String> lines) {
    for (String line : lines) {
      String entry = line.trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.indexOf(':') < 0 && !dblink.isEmpty()) {
        int lastIndex = dblink.size() - 1;
        dblink.set(lastIndex, dblink.get(lastIndex) + " " + entry);
      } else {
        dblink.add(entry);
      }
    }
  }

  /**
   * The organism name, then the lineage: a continuation line belongs to the lineage once it holds
   * {@code ;} or ends in {@code .}; until then it continues the name.
   */
  private void organism(List<String> lines) {
    StringBuilder name = new StringBuilder(lines.get(0).trim());
    StringBuilder lineage = new StringBuilder();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (lineage.length() == 0 && line.indexOf(';') < 0 && !line.endsWith(".")) {
        name.append(name.length() == 0 ? "" : " ").append(line);
      } else {
        lineage.append(lineage.length() == 0 ? "" : " ").append(line);
      }
    }
    organism = name.toString();
    taxonomy = splitList(lineage.toString());
  }

  /** CONTIG lines joined with nothing, which must parse as a {@link Location}. */
  private void contig(List<String> lines, long line) throws Malformed {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l.trim());
    }
    contig = sb.toString();
    try {
      Location.parse(contig);
    } catch (IllegalArgumentException e) {
      throw new Malformed(
          line,
          "CONTIG '" + Malformed.quoted(contig) + "' is not a valid location: " + e.getMessage());
    }
  }

  /** The non-blank lines trimmed and joined with one space. */
  private static String joined(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      String t = line.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }

  private static String trimmedLines(List<String> lines) {
    List<String> trimmed = new ArrayList<>(lines.size());
    for (String line : lines) {
      trimmed.add(line.trim());
    }
    return String.join("\n", trimmed);
  }

  /** {@code a; b; c.} as [a, b, c]; {@code .} alone as none. */
  private static List<String> splitList(String text) {
    String t = text.trim();
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    List<String> items = new ArrayList<>();
    for (String item : t.split(";")) {
      String s = item.trim();
      if (!s.isEmpty()) {
        items.add(s);
      }
    }
    return items;
  }
}
