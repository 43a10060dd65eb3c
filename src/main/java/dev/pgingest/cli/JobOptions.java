package dev.pgingest.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options both entry points take to run a spec: inputs, database, parallelism, overrides. */
final class JobOptions {
  @Option(
      names = "--input",
      paramLabel = "[SOURCE=]PATH",
      description =
          "file or folder to read instead of the spec's source paths; repeatable; local paths or"
              + " s3://bucket/key; .gz files are decompressed. With several sources, each file goes"
              + " to the first source (in spec order) that recognizes its content;"
              + " SOURCE=PATH gives PATH to the source named SOURCE")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description = "target database; user and password from the URL or PGUSER/PGPASSWORD")
  String jdbcUrl;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "parallelism of reading, parsing and dedup (options.parallelism)")
  Integer parallelism;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "override a spec option, e.g. --set batch-rows=2000 or --set source.assembly=GRCh37;"
              + " entries of a list by name: --set tables.NAME.mode=merge; repeatable")
  List<String> sets = new ArrayList<>();

  /** {@code --set} pairs in the order given, then {@code --parallelism}. */
  Map<String, String> overrides() {
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException(
          "--parallelism needs a whole number ≥ 1, got '" + parallelism + "'");
    }
    Map<String, String> o = new LinkedHashMap<>();
    for (String kv : sets) {
      SpecLoader.addOverride(o, kv);
    }
    if (parallelism != null) {
      o.put("options.parallelism", String.valueOf(parallelism));
    }
    return o;
  }
}
