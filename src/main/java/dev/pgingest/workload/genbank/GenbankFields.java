package dev.pgingest.workload.genbank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pgingest.format.FieldRecord;
import dev.pgingest.format.genbank.Feature;
import dev.pgingest.format.genbank.GenbankRecord;
import dev.pgingest.format.genbank.Part;
import dev.pgingest.format.genbank.Qualifier;
import dev.pgingest.format.genbank.Reference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GenBank record and its features as the named fields that a job spec's columns take ({@code
 * field: organism}); lists and nested values as JSON text, for {@code jsonb} columns.
 */
final class GenbankFields {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Field names of a record, for the spec's documentation and the input check. */
  static final List<String> RECORD =
      List.of(
          "accession_version",
          "locus_name",
          "primary_accession",
          "secondary_accessions",
          "length",
          "unit",
          "molecule_type",
          "topology",
          "division",
          "date",
          "definition",
          "accessions",
          "version",
          "gi",
          "keywords",
          "dblink",
          "source",
          "organism",
          "taxonomy",
          "references",
          "comment",
          "structured_comments",
          "dbsource",
          "contig",
          "release",
          "letters",
          "sequence_sha256",
          "gc_count",
          "gc_content",
          "sequence_object",
          "feature_count",
          "content_sha256");

  /** Field names of a feature. */
  static final List<String> FEATURE =
      List.of(
          "accession_version",
          "feature_index",
          "type",
          "location",
          "start",
          "end",
          "strand",
          "partial_start",
          "partial_end",
          "parts",
          "qualifiers");

  private GenbankFields() {}

  /** The record's fields; {@code objectUri} is where its sequence is stored (null for none). */
  static FieldRecord record(GenbankRecord r, String objectUri, boolean withJson) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("accession_version", r.accessionVersion());
    f.put("locus_name", r.locusName());
    f.put("primary_accession", r.primaryAccession());
    f.put("secondary_accessions", array(r.secondaryAccessions()));
    f.put("length", Long.toString(r.length()));
    f.put("unit", r.unit());
    f.put("molecule_type", r.moleculeType());
    f.put("topology", r.topology());
    f.put("division", r.division());
    f.put("date", r.date() == null ? null : r.date().toString());
    f.put("definition", r.definition());
    f.put("accessions", array(r.accessions()));
    f.put("version", r.version());
    f.put("gi", r.gi());
    f.put("keywords", array(r.keywords()));
    f.put("dblink", array(r.dblink()));
    f.put("source", r.source());
    f.put("organism", r.organism());
    f.put("taxonomy", array(r.taxonomy()));
    f.put("references", references(r.references()));
    f.put("comment", r.comment());
    f.put("structured_comments", structured(r.structuredComments()));
    f.put("dbsource", r.dbsource());
    f.put("contig", r.contig());
    f.put("release", r.release());
    f.put("letters", Long.toString(r.letters()));
    f.put("sequence_sha256", r.sequenceSha256());
    f.put("gc_count", Long.toString(r.gcCount()));
    Double gc = r.gcContent();
    f.put("gc_content", gc == null ? null : Double.toString(gc));
    f.put("sequence_object", objectUri);
    f.put("feature_count", Integer.toString(r.featureCount()));
    f.put("content_sha256", r.contentSha256());
    return new FieldRecord(Collections.unmodifiableMap(f), withJson ? object(f) : null);
  }

  /** A feature's fields, with its record's key. */
  static FieldRecord feature(String accessionVersion, Feature x, boolean withJson) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("accession_version", accessionVersion);
    f.put("feature_index", Integer.toString(x.index()));
    f.put("type", x.key());
    f.put("location", x.location());
    var loc = x.parsed();
    f.put("start", loc.start() == null ? null : Long.toString(loc.start()));
    f.put("end", loc.end() == null ? null : Long.toString(loc.end()));
    f.put("strand", loc.strand() == null ? null : Integer.toString(loc.strand()));
    f.put("partial_start", Boolean.toString(loc.partialStart()));
    f.put("partial_end", Boolean.toString(loc.partialEnd()));
    f.put("parts", parts(loc.parts()));
    f.put("qualifiers", qualifiers(x.qualifiers()));
    return new FieldRecord(Collections.unmodifiableMap(f), withJson ? object(f) : null);
  }

  /** Qualifiers as one JSON object; a repeated name keeps every value, in order, as an array. */
  static String qualifiers(List<Qualifier> qualifiers) {
    ObjectNode o = JSON.createObjectNode();
    for (Qualifier q : qualifiers) {
      var value =
          q.value() == null
              ? JSON.getNodeFactory().booleanNode(true)
              : JSON.getNodeFactory().textNode(q.value());
      var existing = o.get(q.name());
      if (existing == null) {
        o.set(q.name(), value);
      } else if (existing instanceof ArrayNode a) {
        a.add(value);
      } else {
        ArrayNode a = JSON.createArrayNode();
        a.add(existing);
        a.add(value);
        o.set(q.name(), a);
      }
    }
    return write(o);
  }

  private static String parts(List<Part> parts) {
    ArrayNode a = JSON.createArrayNode();
    for (Part p : parts) {
      ObjectNode o = a.addObject();
      o.put("kind", p.kind());
      if (p.accession() != null) {
        o.put("accession", p.accession());
      }
      if (p.start() != null) {
        o.put("start", p.start());
      }
      if (p.end() != null) {
        o.put("end", p.end());
      }
      if (p.strand() != null) {
        o.put("strand", p.strand());
      }
      if (p.gapLength() != null) {
        o.put("gap_length", p.gapLength());
      }
    }
    return write(a);
  }

  private static String references(List<Reference> refs) {
    ArrayNode a = JSON.createArrayNode();
    for (Reference r : refs) {
      ObjectNode o = a.addObject();
      o.put("number", r.number());
      putIf(o, "bases", r.bases());
      putIf(o, "authors", r.authors());
      putIf(o, "consortium", r.consortium());
      putIf(o, "title", r.title());
      putIf(o, "journal", r.journal());
      putIf(o, "pubmed", r.pubmed());
      putIf(o, "medline", r.medline());
      putIf(o, "remark", r.remark());
    }
    return write(a);
  }

  private static void putIf(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static String structured(Map<String, Map<String, String>> sections) {
    if (sections.isEmpty()) {
      return null;
    }
    ObjectNode o = JSON.createObjectNode();
    sections.forEach(
        (name, pairs) -> {
          ObjectNode s = o.putObject(name);
          pairs.forEach(s::put);
        });
    return write(o);
  }

  private static String array(List<String> values) {
    ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return write(a);
  }

  private static String object(Map<String, String> fields) {
    ObjectNode o = JSON.createObjectNode();
    fields.forEach(o::put);
    return write(o);
  }

  private static String write(Object node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // Trees of strings and numbers always serialize.
      throw new IllegalStateException(e);
    }
  }
}
