package dev.pgingest.workload.ybrowse;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Human genome assemblies a YBrowse spec may name under {@code source.assembly}, each under one
 * canonical name so that hg19 and GRCh37 dumps fill the same coordinates key.
 */
public final class Assemblies {

  /** The known assemblies with their aliases, for messages. */
  public static final String KNOWN =
      "GRCh37 (hg19, b37), GRCh38 (hg38), T2T-CHM13v2.0 (hs1, chm13)";

  /**
   * Lower-cased name or alias to canonical name. UCSC's hg19 and GRCh37 differ only in the
   * mitochondrial sequence, not on chrY, so their Y coordinates are the same.
   */
  private static final Map<String, String> CANONICAL =
      Map.of(
          "grch37", "GRCh37",
          "hg19", "GRCh37",
          "b37", "GRCh37",
          "grch38", "GRCh38",
          "hg38", "GRCh38",
          "t2t-chm13v2.0", "T2T-CHM13v2.0",
          "hs1", "T2T-CHM13v2.0",
          "chm13", "T2T-CHM13v2.0");

  private Assemblies() {}

  /** The canonical name of {@code name} (any case), or empty when it is not a known assembly. */
  public static Optional<String> canonical(String name) {
    return Optional.ofNullable(CANONICAL.get(name.trim().toLowerCase(Locale.ROOT)));
  }
}
