package dev.pgingest.workload.ybrowse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgingest.testutil.TestPostgres;

/** Variant rows and tables for tests: a named row built by hand, two tables compared by content. */
public final class Variants {
  private static final String COLUMNS =
      "variant_key, canonical_name, haplogroup, variant_type, coordinates, aliases, evidence";

  private Variants() {}

  /** Named variant of haplogroup R1b at chrY:100 T>C; {@code ref} makes two records differ. */
  public static VariantRow named(String name, String alias, String ref) {
    return new VariantRow(
        VariantKeys.named(name, "R1b"),
        name,
        "R1b",
        "snp",
        "GRCh38",
        "chrY",
        100,
        100,
        "T",
        "C",
        alias.equals(name) ? new String[] {name} : new String[] {alias, name},
        new String[] {"ref", ref});
  }

  /** The two schemas' variant tables hold the same rows (run stamps and ids aside). */
  public static void assertSameTable(String expectedSchema, String actualSchema) throws Exception {
    String e = expectedSchema + ".variant";
    String a = actualSchema + ".variant";
    assertThat(
            TestPostgres.rows(
                "(SELECT "
                    + COLUMNS
                    + " FROM "
                    + e
                    + " EXCEPT SELECT "
                    + COLUMNS
                    + " FROM "
                    + a
                    + ") UNION ALL (SELECT "
                    + COLUMNS
                    + " FROM "
                    + a
                    + " EXCEPT SELECT "
                    + COLUMNS
                    + " FROM "
                    + e
                    + ")"))
        .as("rows in only one of %s and %s", e, a)
        .isEmpty();
    assertThat(TestPostgres.scalar("SELECT count(*) FROM " + a))
        .isEqualTo(TestPostgres.scalar("SELECT count(*) FROM " + e));
  }
}
