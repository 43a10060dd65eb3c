package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Where the records come from.
 *
 * @param format codec name ({@code gff3})
 * @param paths files or folders, local or {@code s3://}; relative ones already resolved
 * @param assembly genome assembly the coordinates belong to (YBrowse), e.g. {@code GRCh38}
 */
public record SourceSpec(String format, List<String> paths, String assembly)
    implements Serializable {
  public SourceSpec {
    paths = List.copyOf(paths);
  }

  public SourceSpec withPaths(List<String> newPaths) {
    return new SourceSpec(format, newPaths, assembly);
  }
}
