package dev.pgingest.spec;

import static dev.pgingest.spec.ValueChecks.or;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgingest.graph.DeclaredTables;
import dev.pgingest.graph.PipelineDef;
import dev.pgingest.graph.Pipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Checks {@code source} or {@code sources}: names, formats, paths, CSV, tables, settings. */
final class SourceChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;
  private final Path baseDir;

  /** {@code baseDir}: what relative paths resolve against, or null to keep them as written. */
  SourceChecks(ValueChecks values, Path baseDir) {
    this.origins = values.origins();
    this.values = values;
    this.baseDir = baseDir;
  }

  List<SourceSpec> sources(SpecYaml.Root b, PipelineDef<?, ?> pipeline, List<TableSpec> tables) {
    String either = "expected 'source' (one source) or 'sources' (a list of named sources)";
    if (b.source != null && b.sources != null) {
      String pair =
          origins.override("sources") != null
              ? origins.override("sources")
              : origins.override("source");
      throw new SpecException(
          (pair != null ? pair + ": the spec" : origins.origin())
              + " gives both 'source' and 'sources'; "
              + either
              + ", not both");
    }
    if (b.source == null && b.sources == null) {
      throw origins.missing("source", either);
    }
    List<SourceSpec> out = new ArrayList<>();
    if (b.source != null) {
      out.add(source("source", b.source, or(b.source.name, "source"), pipeline, tables));
    } else {
      if (b.sources.isEmpty()) {
        throw origins.bad("sources", "[]", "at least one source");
      }
      // A pipeline that writes its own table reads one source; one with declared tables reads as
      // many as its formats allow (files of different formats feeding the same tables).
      if (pipeline != null && !(pipeline instanceof DeclaredTables) && b.sources.size() > 1) {
        throw new SpecException(
            origins.where("sources")
                + " lists "
                + b.sources.size()
                + " sources; expected one: pipeline '"
                + pipeline.name()
                + "' reads one");
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < b.sources.size(); i++) {
        SpecYaml.Source s = b.sources.get(i);
        String at = s.name == null || s.name.isBlank() ? "sources[" + i + "]" : "sources." + s.name;
        String name = values.string(at + ".name", s.name, null);
        if (!seen.add(name)) {
          throw origins.bad(at + ".name", name, "a name no other source has");
        }
        out.add(source(at, s, name, pipeline, tables));
      }
    }
    return out;
  }

  private SourceSpec source(
      String at,
      SpecYaml.Source s,
      String name,
      PipelineDef<?, ?> pipeline,
      List<TableSpec> tables) {
    if (!JobSpecParser.SOURCE_NAME.matcher(name).matches()) {
      throw origins.bad(
          at + ".name", name, "a name matching " + JobSpecParser.SOURCE_NAME.pattern());
    }
    String format = values.string(at + ".format", s.format, null);
    if (!Pipelines.formats().contains(format)) {
      throw origins.bad(
          at + ".format",
          format,
          "one of the known formats: " + String.join(", ", Pipelines.formats()));
    }
    Set<String> readable = (pipeline == null ? Pipelines.declared() : pipeline).formats();
    if (!readable.contains(format)) {
      throw origins.bad(
          at + ".format",
          format,
          "a format "
              + (pipeline == null ? "a declared job" : "pipeline " + pipeline.name())
              + " reads: "
              + String.join(", ", new TreeSet<>(readable)));
    }
    List<String> paths = new ArrayList<>();
    for (String p : values.strings(at + ".paths", s.paths)) {
      paths.add(JobSpecParser.resolve(p, baseDir));
    }
    CsvOptions d = CsvOptions.defaults();
    CsvOptions csv = d;
    if (s.csv != null) {
      csv =
          new CsvOptions(
              values.character(at + ".csv.delimiter", s.csv.delimiter, d.delimiter()),
              values.character(at + ".csv.quote", s.csv.quote, d.quote()),
              s.csv.header == null ? d.header() : s.csv.header);
    }
    List<String> feeds = values.strings(at + ".tables", s.tables);
    Set<String> declared = tables.stream().map(TableSpec::name).collect(Collectors.toSet());
    for (String t : feeds) {
      if (!declared.contains(t)) {
        throw origins.bad(
            at + ".tables",
            t,
            declared.isEmpty()
                ? "no tables: this job declares none"
                : "names of declared tables: "
                    + String.join(", ", tables.stream().map(TableSpec::name).toList()));
      }
    }
    for (String t : feeds) {
      String parent =
          tables.stream()
              .filter(x -> x.name().equals(t))
              .findFirst()
              .map(TableSpec::parent)
              .orElse(null);
      // A child is written after its parent only where both come from one record of one source;
      // a parent row read by another source's readers may come later, and the child be refused.
      if (parent != null && !feeds.contains(parent)) {
        throw new SpecException(
            origins.where(at + ".tables")
                + " feeds table "
                + t
                + " but not its parent "
                + parent
                + ": a child row is written after its parent only when both come from the same"
                + " source, so add "
                + parent
                + " to this source's tables");
      }
    }
    return new SourceSpec(
        name,
        format,
        paths,
        csv,
        values.strings(at + ".null-tokens", s.nullTokens),
        feeds,
        settings(at, s.settings, pipeline));
  }

  /** A pipeline's source settings, as that pipeline checks them; other keys are unknown. */
  private Map<String, String> settings(
      String at, Map<String, JsonNode> given, PipelineDef<?, ?> pipeline) {
    Set<String> allowed = pipeline == null ? Set.of() : pipeline.sourceSettings();
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : given.entrySet()) {
      String key = at + "." + e.getKey();
      if (!allowed.contains(e.getKey())) {
        List<String> known = new ArrayList<>(JobSpecParser.knownKeys(SpecYaml.Source.class));
        known.addAll(allowed);
        throw origins.unknown(key, known);
      }
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isValueNode()) {
        throw origins.bad(key, v, "a single value");
      }
      settings.put(e.getKey(), v.asText().trim());
    }
    if (pipeline == null) {
      return Map.of();
    }
    try {
      return pipeline.checkSettings(settings);
    } catch (SettingException e) {
      // The pipeline names only its own key; the message adds where the value was written.
      String key = at + "." + e.key();
      String pair = origins.override(key);
      throw new SpecException(
          pair != null
              ? pair + ": '" + e.value() + "' is " + e.problem()
              : origins.where(key) + " is '" + e.value() + "', " + e.problem());
    } catch (SpecException e) {
      throw new SpecException(origins.where(at) + ": " + e.getMessage());
    }
  }
}
