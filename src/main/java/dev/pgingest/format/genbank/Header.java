package dev.pgingest.format.genbank;

import java.util.List;
import java.util.Map;

/** The keyword fields of one entry, as {@link HeaderBuilder} read them. */
record Header(
    String definition,
    List<String> accessions,
    String version,
    String gi,
    List<String> keywords,
    List<String> dblink,
    String source,
    String organism,
    List<String> taxonomy,
    List<Reference> references,
    String comment,
    Map<String, Map<String, String>> structuredComments,
    String dbsource,
    String contig) {}
