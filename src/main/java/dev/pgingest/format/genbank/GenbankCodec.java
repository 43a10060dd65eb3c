package dev.pgingest.format.genbank;

import dev.pgingest.format.DecodeSink;
import dev.pgingest.format.LineCodec;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Decodes GenBank and GenPept flat files (<a href="https://ftp.ncbi.nih.gov/genbank/gbrel.txt">NCBI
 * GenBank release notes</a>, section 3.4, and the <a
 * href="https://www.insdc.org/submitting-standards/feature-table/">INSDC feature table</a>) into
 * {@link GenbankRecord}s, one per LOCUS to {@code //} entry.
 *
 * <p>We write our own because no well-kept Java library streams GenBank in constant memory: a
 * chromosome entry holds hundreds of megabases and thousands of features. Here the sequence letters
 * pass through a SHA-256, a G+C+S counter and, when spooling, a gzip FASTA body file ({@code
 * <spoolDir>/<uuid>.seq.gz}, 70 letters a line, no header), and each feature is written to {@code
 * <spoolDir>/<uuid>.features} (see {@link FeatureSpool}) as soon as it is complete. Only the header
 * fields of one entry are held. Files are written only when a spool folder is given and {@link
 * DecodeSink#keeps} says the entry will be kept; a rejected entry's files are deleted at once.
 *
 * <p>Choices where the format leaves room, each so a bad entry is rejected whole with the line at
 * fault rather than loaded with a different meaning:
 *
 * <ul>
 *   <li>A release header (an NCBI division file's first lines, {@code … Genetic Sequence Data
 *       Bank}) may precede the first LOCUS; its {@code Release N} number goes to every entry. Blank
 *       lines between entries are skipped; any other line outside an entry is rejected.
 *   <li>LOCUS fields are read by what they are, not by column, so the current and the older layouts
 *       both work. An {@code aa} entry's molecule type is {@code aa}.
 *   <li>An ORIGIN with no sequence lines counts as no sequence (old files write one for an entry
 *       whose letters were left out); a sequence with letters must have the LOCUS length.
 *   <li>Multi-line DEFINITION, SOURCE, ORGANISM and reference fields are joined with one space;
 *       COMMENT and DBSOURCE keep their lines ({@code \n}); CONTIG and locations are joined with
 *       nothing and must parse as a {@link Location}.
 *   <li>An ORGANISM continuation line belongs to the lineage once it holds {@code ;} or ends in
 *       {@code .}; until then it continues the organism name.
 *   <li>Quoted qualifier values are joined with one space, {@code /translation} with nothing;
 *       {@code ""} inside means {@code "}. Unknown keywords (PROJECT, SEGMENT, BASE COUNT, …) are
 *       ignored.
 * </ul>
 *
 * <p>An instance keeps per-file state and is not thread-safe, which matches the one-codec-per-file
 * contract of {@link LineCodec}. The sequence path makes no regex or String per line.
 */
public final class GenbankCodec implements LineCodec<GenbankRecord> {

  /** Letters per line of the spooled FASTA body. */
  static final int FASTA_WIDTH = 70;

  /** Reasons quote at most this much of the offending text; the raw line is kept in full. */
  private static final int MAX_QUOTED = 60;

  private static final int KEYWORD_WIDTH = 12;
  private static final int FEATURE_KEY_COLUMN = 5;

  private static final DateTimeFormatter DATE =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("dd-MMM-yyyy")
          .toFormatter(Locale.ENGLISH);

  private static final HexFormat HEX = HexFormat.of();

  /** Where a line belongs. */
  private enum Phase {
    /** Between entries (and before the first one). */
    OUTSIDE,
    /** The release header of a division file, before the first LOCUS. */
    RELEASE_HEADER,
    /** Keyword lines of an entry. */
    HEADER,
    FEATURES,
    ORIGIN,
    /** After a malformed entry was rejected, until its {@code //} or the next LOCUS. */
    SKIP
  }

  /** A malformed entry, with the reason that names the line. */
  private static final class Malformed extends Exception {
    Malformed(long line, String what) {
      super("line " + line + ": " + what, null, false, false);
    }
  }

  private final Path spoolDir;
  private String spoolPrefix;
  private long spoolCount;
  private Phase phase = Phase.OUTSIDE;
  private boolean sawContent;
  private String release;

  private final MessageDigest contentDigest = sha256();
  private final MessageDigest sequenceDigest = sha256();
  private byte[] letterBytes = new byte[256];

  // The entry being read.
  private long locusLine;
  private String locusRaw;
  private boolean spooling;
  private String spoolName;
  private String locusName;
  private long length;
  private String unit;
  private String moleculeType;
  private String topology;
  private String division;
  private LocalDate date;
  private String definition;
  private List<String> accessions;
  private String version;
  private String gi;
  private List<String> keywords;
  private List<String> dblink;
  private String source;
  private String organism;
  private List<String> taxonomy;
  private List<Reference> references;
  private String comment;
  private Map<String, Map<String, String>> structured;
  private String dbsource;
  private String contig;

  // The keyword field being read, flushed when the next keyword starts.
  private String fieldKey;
  private long fieldLine;
  private final List<String> fieldLines = new ArrayList<>();
  private ReferenceBuilder reference;

  // The feature being read.
  private int featureCount;
  private String featureKey;
  private long featureLine;
  private final StringBuilder featureLocation = new StringBuilder();
  private final List<Qualifier> qualifiers = new ArrayList<>();
  private String qualifierName;
  private long qualifierLine;
  private final StringBuilder qualifierValue = new StringBuilder();
  private boolean qualifierQuoted;
  private boolean qualifierOpen;
  private boolean qualifierHasValue;
  private Path featurePath;
  private DataOutputStream featureOut;

  // The sequence.
  private long letters;
  private long gc;
  private Path sequencePath;
  private OutputStream sequenceOut;
  private int fastaColumn;

  /**
   * @param spoolDir folder for the sequence and feature spool files, or null to write none (the
   *     hashes and counts are computed all the same)
   */
  public GenbankCodec(Path spoolDir) {
    this.spoolDir = spoolDir;
  }

  @Override
  public void line(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    if (isLocus(text)) {
      if (phase == Phase.HEADER || phase == Phase.FEATURES || phase == Phase.ORIGIN) {
        rejectOpen(
            out,
            "line "
                + locusLine
                + ": entry has no // end marker before the LOCUS at line "
                + lineNumber);
      }
      begin(text, lineNumber, out);
      return;
    }
    switch (phase) {
      case OUTSIDE -> outside(text, lineNumber, out);
      case RELEASE_HEADER -> releaseHeader(text);
      case SKIP -> {
        if (text.startsWith("//")) {
          phase = Phase.OUTSIDE;
        }
      }
      default -> {
        hashLine(text);
        try {
          switch (phase) {
            case HEADER -> header(text, lineNumber, out);
            case FEATURES -> features(text, lineNumber, out);
            case ORIGIN -> origin(text, lineNumber, out);
            default -> throw new IllegalStateException(phase.name());
          }
        } catch (Malformed m) {
          reject(out, m.getMessage());
          if (text.startsWith("//")) {
            phase = Phase.OUTSIDE;
          }
        }
      }
    }
  }

  @Override
  public void end(long lastLineNumber, DecodeSink<GenbankRecord> out) {
    if (phase == Phase.HEADER || phase == Phase.FEATURES || phase == Phase.ORIGIN) {
      rejectOpen(
          out,
          "line "
              + locusLine
              + ": entry has no // end marker before the end of the file (line "
              + lastLineNumber
              + ")");
    }
    phase = Phase.OUTSIDE;
  }

  private static boolean isLocus(String text) {
    return text.startsWith("LOCUS") && (text.length() == 5 || text.charAt(5) == ' ');
  }

  private void outside(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    if (text.isBlank()) {
      return;
    }
    if (!sawContent && text.contains("Data Bank")) {
      sawContent = true;
      phase = Phase.RELEASE_HEADER;
      return;
    }
    sawContent = true;
    out.reject(
        lineNumber,
        "line " + lineNumber + ": '" + quoted(text) + "' is outside an entry (expected LOCUS)",
        text);
  }

  /** Keeps the number of the header's {@code NCBI-GenBank Flat File Release 158.0} line. */
  private void releaseHeader(String text) {
    int at = text.indexOf("Release ");
    if (at >= 0 && release == null) {
      String rest = text.substring(at + "Release ".length()).trim();
      int space = rest.indexOf(' ');
      String number = space < 0 ? rest : rest.substring(0, space);
      if (!number.isEmpty() && Character.isDigit(number.charAt(0))) {
        release = number;
      }
    }
  }

  // ---------------------------------------------------------------- entry start and end

  private void begin(String text, long lineNumber, DecodeSink<GenbankRecord> out) {
    sawContent = true;
    resetEntry();
    locusLine = lineNumber;
    locusRaw = text;
    spooling = spoolDir != null && out.keeps(lineNumber);
    phase = Phase.HEADER;
    hashLine(text);
    try {
      parseLocus(text, lineNumber);
    } catch (Malformed m) {
      reject(out, m.getMessage());
    }
  }

  private void resetEntry() {
    contentDigest.reset();
    sequenceDigest.reset();
    spoolName = null;
    locusName = null;
    length = 0;
    unit = null;
    moleculeType = null;
    topology = null;
    division = null;
    date = null;
    definition = null;
    accessions = List.of();
    version = null;
    gi = null;
    keywords = List.of();
    dblink = new ArrayList<>();
    source = null;
    organism = null;
    taxonomy = List.of();
    references = new ArrayList<>();
    comment = null;
    structured = new LinkedHashMap<>();
    dbsource = null;
    contig = null;
    fieldKey = null;
    fieldLines.clear();
    reference = null;
    featureCount = 0;
    featureKey = null;
    featureLocation.setLength(0);
    qualifiers.clear();
    qualifierName = null;
    qualifierValue.setLength(0);
    // A rejected entry can end inside an open quote; the next entry must not start inside it.
    qualifierOpen = false;
    featurePath = null;
    featureOut = null;
    letters = 0;
    gc = 0;
    sequencePath = null;
    sequenceOut = null;
    fastaColumn = 0;
  }

  private void finish(long lineNumber, DecodeSink<GenbankRecord> out) throws Malformed {
    if (phase == Phase.FEATURES) {
      finishFeature();
    }
    flushField();
    if (reference != null) {
      references.add(reference.build());
      reference = null;
    }
    if (letters > 0 && letters != length) {
      throw new Malformed(
          lineNumber,
          "the sequence has "
              + letters
              + " letters but LOCUS (line "
              + locusLine
              + ") says "
              + length
              + " "
              + unit);
    }
    closeSpools();
    GenbankRecord record =
        new GenbankRecord(
            locusName,
            length,
            unit,
            moleculeType,
            topology,
            division,
            date,
            definition,
            List.copyOf(accessions),
            version,
            gi,
            List.copyOf(keywords),
            List.copyOf(dblink),
            source,
            organism,
            List.copyOf(taxonomy),
            List.copyOf(references),
            comment,
            frozen(structured),
            dbsource,
            contig,
            release,
            letters,
            letters == 0 ? null : HEX.formatHex(sequenceDigest.digest()),
            gc,
            sequencePath == null ? null : sequencePath.toAbsolutePath().toString(),
            featureCount,
            featurePath == null ? null : featurePath.toAbsolutePath().toString(),
            HEX.formatHex(contentDigest.digest()));
    phase = Phase.OUTSIDE;
    out.record(record, locusLine);
  }

  private static Map<String, Map<String, String>> frozen(Map<String, Map<String, String>> map) {
    LinkedHashMap<String, Map<String, String>> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
    return Collections.unmodifiableMap(copy);
  }

  /** Rejects the entry being read, drops its spool files and skips to its end. */
  private void reject(DecodeSink<GenbankRecord> out, String reason) {
    dropSpools();
    phase = Phase.SKIP;
    out.reject(locusLine, reason, locusRaw);
  }

  /** Rejects an entry cut short; the caller moves on (a new LOCUS or the end of the file). */
  private void rejectOpen(DecodeSink<GenbankRecord> out, String reason) {
    dropSpools();
    phase = Phase.OUTSIDE;
    out.reject(locusLine, reason, locusRaw);
  }

  // ---------------------------------------------------------------- LOCUS

  private void parseLocus(String text, long lineNumber) throws Malformed {
    String[] tokens = text.trim().split("\\s+");
    int u = -1;
    for (int i = 2; i < tokens.length; i++) {
      if (tokens[i].equals("bp") || tokens[i].equals("aa") || tokens[i].equals("rc")) {
        u = i;
        break;
      }
    }
    if (u != 3) {
      throw new Malformed(
          lineNumber, "LOCUS line '" + quoted(text) + "' has no name, length and bp/aa");
    }
    locusName = tokens[1];
    try {
      length = Long.parseLong(tokens[2]);
    } catch (NumberFormatException e) {
      throw new Malformed(lineNumber, "LOCUS length '" + quoted(tokens[2]) + "' is not a number");
    }
    if (length < 0) {
      throw new Malformed(lineNumber, "LOCUS length " + length + " is negative");
    }
    unit = tokens[3];
    int last = tokens.length - 1;
    if (last > u && looksLikeDate(tokens[last])) {
      try {
        date = LocalDate.parse(tokens[last], DATE);
      } catch (DateTimeParseException e) {
        throw new Malformed(lineNumber, "LOCUS date '" + quoted(tokens[last]) + "' is not a date");
      }
      last--;
    }
    if (last > u && isDivision(tokens[last])) {
      division = tokens[last];
      last--;
    }
    StringBuilder type = new StringBuilder();
    for (int i = u + 1; i <= last; i++) {
      String t = tokens[i];
      if (t.equalsIgnoreCase("linear") || t.equalsIgnoreCase("circular")) {
        topology = t.toLowerCase(Locale.ROOT);
      } else {
        type.append(type.length() == 0 ? "" : " ").append(t);
      }
    }
    moleculeType = unit.equals("aa") ? "aa" : type.length() == 0 ? null : type.toString();
  }

  private static boolean looksLikeDate(String token) {
    return token.length() == 11 && token.charAt(2) == '-' && token.charAt(6) == '-';
  }

  private static boolean isDivision(String token) {
    if (token.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = token.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- keyword lines

  private void header(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (text.isEmpty()) {
      continuation("", lineNumber);
      return;
    }
    char first = text.charAt(0);
    if (first != ' ') {
      keyword(text, lineNumber, out);
      return;
    }
    String key = text.substring(0, Math.min(KEYWORD_WIDTH, text.length())).trim();
    if (key.isEmpty()) {
      continuation(text.length() > KEYWORD_WIDTH ? text.substring(KEYWORD_WIDTH) : "", lineNumber);
    } else {
      flushField();
      fieldKey = key;
      fieldLine = lineNumber;
      fieldLines.add(value(text));
    }
  }

  private void keyword(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (text.startsWith("//")) {
      finish(lineNumber, out);
      return;
    }
    flushField();
    if (reference != null) {
      references.add(reference.build());
      reference = null;
    }
    String key = text.substring(0, Math.min(KEYWORD_WIDTH, text.length())).trim();
    switch (key) {
      case "FEATURES" -> phase = Phase.FEATURES;
      case "ORIGIN" -> phase = Phase.ORIGIN;
      default -> {
        fieldKey = key;
        fieldLine = lineNumber;
        fieldLines.add(value(text));
      }
    }
  }

  private static String value(String text) {
    return text.length() > KEYWORD_WIDTH ? text.substring(KEYWORD_WIDTH).stripTrailing() : "";
  }

  private void continuation(String rest, long lineNumber) throws Malformed {
    if (fieldKey == null) {
      throw new Malformed(lineNumber, "continuation line '" + quoted(rest) + "' has no keyword");
    }
    fieldLines.add(rest.stripTrailing());
  }

  /** Stores the field whose lines were gathered, now that the next keyword has started. */
  private void flushField() throws Malformed {
    if (fieldKey == null) {
      return;
    }
    String key = fieldKey;
    List<String> lines = fieldLines;
    try {
      switch (key) {
        case "DEFINITION" -> definition = joined(lines, " ");
        case "ACCESSION" -> {
          List<String> all = new ArrayList<>(accessions);
          for (String line : lines) {
            for (String token : line.trim().split("\\s+")) {
              if (!token.isEmpty()) {
                all.add(token);
              }
            }
          }
          accessions = all;
        }
        case "VERSION" -> {
          String[] tokens = joined(lines, " ").split("\\s+");
          version = tokens[0].isEmpty() ? null : tokens[0];
          for (String token : tokens) {
            if (token.startsWith("GI:")) {
              gi = token.substring(3);
            }
          }
        }
        case "DBLINK" -> {
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
        case "KEYWORDS" -> keywords = splitList(joined(lines, " "));
        case "SOURCE" -> source = joined(lines, " ");
        case "ORGANISM" -> organism(lines);
        case "REFERENCE" -> reference = referenceStart(joined(lines, " "));
        case "AUTHORS", "CONSRTM", "TITLE", "JOURNAL", "PUBMED", "MEDLINE", "REMARK" -> {
          if (reference != null) {
            reference.set(key, joined(lines, " "));
          }
        }
        case "COMMENT" -> {
          String text = String.join("\n", lines);
          comment = comment == null ? text : comment + "\n" + text;
          structuredComments(lines);
        }
        case "DBSOURCE" -> dbsource = trimmedLines(lines);
        case "CONTIG" -> {
          StringBuilder sb = new StringBuilder();
          for (String line : lines) {
            sb.append(line.trim());
          }
          contig = sb.toString();
          try {
            Location.parse(contig);
          } catch (IllegalArgumentException e) {
            throw new Malformed(
                fieldLine,
                "CONTIG '" + quoted(contig) + "' is not a valid location: " + e.getMessage());
          }
        }
        default -> {
          // PROJECT, SEGMENT, BASE COUNT, PRIMARY, WGS, …: accepted and not kept.
        }
      }
    } finally {
      fieldKey = null;
      fieldLines.clear();
    }
  }

  private static String joined(List<String> lines, String separator) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      String t = line.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(separator);
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

  private ReferenceBuilder referenceStart(String text) throws Malformed {
    String t = text.trim();
    int space = t.indexOf(' ');
    String number = space < 0 ? t : t.substring(0, space);
    ReferenceBuilder ref = new ReferenceBuilder();
    try {
      ref.number = Integer.parseInt(number);
    } catch (NumberFormatException e) {
      throw new Malformed(fieldLine, "REFERENCE number '" + quoted(number) + "' is not a number");
    }
    String bases = space < 0 ? "" : t.substring(space + 1).trim();
    if (bases.startsWith("(") && bases.endsWith(")")) {
      bases = bases.substring(1, bases.length() - 1).trim();
    }
    ref.bases = bases.isEmpty() ? null : bases;
    return ref;
  }

  /** Reads {@code ##Name-START##} … {@code ##Name-END##} blocks of {@code Key :: Value} lines. */
  private void structuredComments(List<String> lines) {
    Map<String, String> section = null;
    String lastKey = null;
    for (String raw : lines) {
      String line = raw.trim();
      if (line.startsWith("##") && line.endsWith("-START##") && line.length() > 10) {
        String name = line.substring(2, line.length() - "-START##".length());
        section = structured.computeIfAbsent(name, n -> new LinkedHashMap<>());
        lastKey = null;
      } else if (line.startsWith("##") && line.endsWith("-END##")) {
        section = null;
        lastKey = null;
      } else if (section != null && !line.isEmpty()) {
        int sep = line.indexOf("::");
        if (sep >= 0) {
          lastKey = line.substring(0, sep).trim();
          section.put(lastKey, line.substring(sep + 2).trim());
        } else if (lastKey != null) {
          String before = section.get(lastKey);
          section.put(lastKey, before.isEmpty() ? line : before + " " + line);
        }
      }
    }
  }

  /** The fields of a REFERENCE block as they arrive. */
  private static final class ReferenceBuilder {
    int number;
    String bases;
    String authors;
    String consortium;
    String title;
    String journal;
    String pubmed;
    String medline;
    String remark;

    void set(String key, String value) {
      switch (key) {
        case "AUTHORS" -> authors = value;
        case "CONSRTM" -> consortium = value;
        case "TITLE" -> title = value;
        case "JOURNAL" -> journal = value;
        case "PUBMED" -> pubmed = value;
        case "MEDLINE" -> medline = value;
        case "REMARK" -> remark = value;
        default -> throw new IllegalArgumentException(key);
      }
    }

    Reference build() {
      return new Reference(
          number, bases, authors, consortium, title, journal, pubmed, medline, remark);
    }
  }

  // ---------------------------------------------------------------- features

  private void features(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    if (!text.isEmpty() && text.charAt(0) != ' ') {
      finishFeature();
      phase = Phase.HEADER;
      header(text, lineNumber, out);
      return;
    }
    int length = text.length();
    if (length > FEATURE_KEY_COLUMN
        && text.charAt(FEATURE_KEY_COLUMN) != ' '
        && text.substring(0, FEATURE_KEY_COLUMN).isBlank()) {
      finishFeature();
      int keyEnd = FEATURE_KEY_COLUMN;
      while (keyEnd < length && text.charAt(keyEnd) != ' ') {
        keyEnd++;
      }
      featureKey = text.substring(FEATURE_KEY_COLUMN, keyEnd);
      featureLine = lineNumber;
      featureLocation.append(text, keyEnd, length);
      trimSpaces(featureLocation);
      return;
    }
    String content = text.trim();
    if (content.isEmpty() && !qualifierOpen) {
      return;
    }
    if (featureKey == null) {
      throw new Malformed(
          lineNumber, "feature table line '" + quoted(content) + "' comes before any feature key");
    }
    if (qualifierOpen) {
      appendQualifierLine(content, lineNumber);
    } else if (content.charAt(0) == '/') {
      finishQualifier();
      startQualifier(content, lineNumber);
    } else if (qualifierName == null) {
      featureLocation.append(content);
    } else if (qualifierQuoted) {
      throw new Malformed(
          lineNumber,
          "text '" + quoted(content) + "' after the closing quote of /" + qualifierName);
    } else {
      qualifierValue.append(' ').append(content);
    }
  }

  private static void trimSpaces(StringBuilder sb) {
    int start = 0;
    while (start < sb.length() && sb.charAt(start) == ' ') {
      start++;
    }
    sb.delete(0, start);
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
  }

  private void startQualifier(String content, long lineNumber) {
    int eq = content.indexOf('=');
    qualifierLine = lineNumber;
    qualifierValue.setLength(0);
    if (eq < 0) {
      qualifierName = content.substring(1);
      qualifierHasValue = false;
      qualifierQuoted = false;
      qualifierOpen = false;
      return;
    }
    qualifierName = content.substring(1, eq);
    qualifierHasValue = true;
    qualifierValue.append(content, eq + 1, content.length());
    qualifierQuoted = qualifierValue.length() > 0 && qualifierValue.charAt(0) == '"';
    qualifierOpen = qualifierQuoted && (countQuotes(qualifierValue, 0) & 1) == 1;
  }

  private void appendQualifierLine(String content, long lineNumber) {
    int from = qualifierValue.length();
    if (!content.isEmpty() && !qualifierName.equals("translation")) {
      qualifierValue.append(' ');
    }
    qualifierValue.append(content);
    if ((countQuotes(qualifierValue, from) & 1) == 1) {
      qualifierOpen = false;
    }
  }

  private static int countQuotes(CharSequence s, int from) {
    int n = 0;
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) == '"') {
        n++;
      }
    }
    return n;
  }

  private void finishQualifier() throws Malformed {
    if (qualifierName == null) {
      return;
    }
    if (qualifierOpen) {
      throw new Malformed(qualifierLine, "qualifier /" + qualifierName + " has no closing quote");
    }
    String value = null;
    if (qualifierHasValue) {
      value = qualifierQuoted ? unquote(qualifierValue) : qualifierValue.toString().trim();
    }
    qualifiers.add(new Qualifier(qualifierName, value));
    qualifierName = null;
    qualifierValue.setLength(0);
  }

  /** The text between the quotes, {@code ""} read as {@code "}; null when text trails them. */
  private String unquote(CharSequence quoted) throws Malformed {
    StringBuilder sb = new StringBuilder(quoted.length());
    int i = 1;
    int n = quoted.length();
    while (i < n) {
      char c = quoted.charAt(i);
      if (c == '"') {
        if (i + 1 < n && quoted.charAt(i + 1) == '"') {
          sb.append('"');
          i += 2;
          continue;
        }
        if (i + 1 != n) {
          throw new Malformed(
              qualifierLine,
              "text after the closing quote of /"
                  + qualifierName
                  + " ('"
                  + quoted(quoted.toString())
                  + "')");
        }
        return sb.toString();
      }
      sb.append(c);
      i++;
    }
    throw new Malformed(qualifierLine, "qualifier /" + qualifierName + " has no closing quote");
  }

  private void finishFeature() throws Malformed {
    if (featureKey == null) {
      return;
    }
    finishQualifier();
    String location = featureLocation.toString();
    Location parsed;
    try {
      parsed = Location.parse(location);
    } catch (IllegalArgumentException e) {
      throw new Malformed(
          featureLine,
          "FEATURES location '"
              + quoted(location)
              + "' is not a valid location ("
              + e.getMessage()
              + ")");
    }
    Feature feature = new Feature(featureCount, featureKey, location, parsed, qualifiers);
    featureCount++;
    if (spooling) {
      try {
        if (featureOut == null) {
          featurePath = spoolDir.resolve(spoolName() + ".features");
          featureOut =
              new DataOutputStream(
                  new BufferedOutputStream(Files.newOutputStream(featurePath), 1 << 16));
          FeatureSpool.begin(featureOut);
        }
        FeatureSpool.write(featureOut, feature);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write feature spool " + featurePath, e);
      }
    }
    featureKey = null;
    featureLocation.setLength(0);
    qualifiers.clear();
  }

  // ---------------------------------------------------------------- sequence

  private void origin(String text, long lineNumber, DecodeSink<GenbankRecord> out)
      throws Malformed {
    int n = text.length();
    if (n > 0) {
      char first = text.charAt(0);
      if (first != ' ' && (first < '0' || first > '9')) {
        if (text.startsWith("//")) {
          finish(lineNumber, out);
          return;
        }
        throw new Malformed(
            lineNumber,
            "'" + quoted(text) + "' after ORIGIN (expected sequence lines or the // end marker)");
      }
    }
    if (letterBytes.length < n) {
      letterBytes = new byte[Math.max(n, letterBytes.length * 2)];
    }
    byte[] buf = letterBytes;
    // One byte per char (a char past U+00FF becomes '?', which is refused below), then a table
    // lookup per byte: cheaper than classifying chars one charAt at a time.
    byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
    int k = 0;
    long g = 0;
    for (int i = 0; i < n; i++) {
      byte b = in[i];
      int kind = SEQUENCE_CHAR[b & 0xff];
      if (kind == SKIP) {
        continue;
      }
      if (kind == INVALID) {
        char c = text.charAt(i);
        throw new Malformed(
            lineNumber,
            "sequence line has '" + c + "' at column " + (i + 1) + ", not a letter, * or -");
      }
      buf[k++] = b;
      g += kind - LETTER;
    }
    if (k == 0) {
      return;
    }
    sequenceDigest.update(buf, 0, k);
    letters += k;
    gc += g;
    if (spooling) {
      spoolLetters(buf, k);
    }
  }

  private static final byte INVALID = 0;
  private static final byte SKIP = 1;
  private static final byte LETTER = 2;
  private static final byte GC_LETTER = 3;

  /** What each byte of a sequence line is: a letter (G, C or S counted), a digit or space, or wrong. */
  private static final byte[] SEQUENCE_CHAR = new byte[256];

  static {
    SEQUENCE_CHAR[' '] = SKIP;
    for (char c = '0'; c <= '9'; c++) {
      SEQUENCE_CHAR[c] = SKIP;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      byte kind = c == 'g' || c == 'c' || c == 's' ? GC_LETTER : LETTER;
      SEQUENCE_CHAR[c] = kind;
      SEQUENCE_CHAR[Character.toUpperCase(c)] = kind;
    }
    SEQUENCE_CHAR['*'] = LETTER;
    SEQUENCE_CHAR['-'] = LETTER;
  }

  private void spoolLetters(byte[] buf, int count) {
    try {
      if (sequenceOut == null) {
        sequencePath = spoolDir.resolve(spoolName() + ".seq.gz");
        sequenceOut = new BufferedOutputStream(new FastGzip(Files.newOutputStream(sequencePath)));
      }
      int i = 0;
      while (i < count) {
        int take = Math.min(count - i, FASTA_WIDTH - fastaColumn);
        sequenceOut.write(buf, i, take);
        i += take;
        fastaColumn += take;
        if (fastaColumn == FASTA_WIDTH) {
          sequenceOut.write('\n');
          fastaColumn = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write sequence spool " + sequencePath, e);
    }
  }

  /** Gzip at the fastest level: spooling must not be slower than parsing. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  // ---------------------------------------------------------------- spool files and hashing

  private String spoolName() {
    if (spoolName == null) {
      // One random UUID per codec and a counter: a UUID per entry read SecureRandom every time.
      if (spoolPrefix == null) {
        spoolPrefix = UUID.randomUUID().toString();
      }
      spoolName = spoolPrefix + "-" + (spoolCount++);
    }
    return spoolName;
  }

  private void closeSpools() {
    try {
      if (sequenceOut != null) {
        if (fastaColumn > 0) {
          sequenceOut.write('\n');
        }
        sequenceOut.close();
        sequenceOut = null;
      }
      if (featureOut != null) {
        featureOut.close();
        featureOut = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot close spool files of the entry at line " + locusLine, e);
    }
  }

  private void dropSpools() {
    try {
      if (sequenceOut != null) {
        sequenceOut.close();
      }
      if (featureOut != null) {
        featureOut.close();
      }
      if (sequencePath != null) {
        Files.deleteIfExists(sequencePath);
      }
      if (featurePath != null) {
        Files.deleteIfExists(featurePath);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot delete spool files of the entry at line " + locusLine, e);
    } finally {
      sequenceOut = null;
      featureOut = null;
      sequencePath = null;
      featurePath = null;
    }
  }

  /**
   * Adds the line's UTF-8 and a {@code \n} to the content hash. For an ASCII line getBytes is an
   * array copy (intrinsic), cheaper than a charAt loop.
   */
  private void hashLine(String text) {
    contentDigest.update(text.getBytes(StandardCharsets.UTF_8));
    contentDigest.update((byte) '\n');
  }

  private static String quoted(String text) {
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
