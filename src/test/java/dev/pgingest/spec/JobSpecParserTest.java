package dev.pgingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Unit tests of {@link JobSpecParser}: the shipped spec, defaults, overrides and every error. */
class JobSpecParserTest {

  /** Maven runs tests from the project root, where the shipped specs live. */
  private static final Path SHIPPED = Path.of("jobs", "ybrowse-variants.yaml");

  private static final String ORIGIN = "test.yaml";

  /** The smallest valid spec: every other key has a default. */
  private static final String MINIMAL =
      """
      name: minimal
      pipeline: ybrowse-variants
      source:
        format: gff3
      """;

  private static JobSpec parse(String text) {
    return JobSpecParser.parse(text, ORIGIN, null, Map.of());
  }

  private static JobSpec parse(String text, Map<String, String> overrides) {
    return JobSpecParser.parse(text, ORIGIN, null, overrides);
  }

  @Test
  void shippedYBrowseSpecParsesWithItsValues() throws IOException {
    String text = Files.readString(SHIPPED);
    Path base = SHIPPED.toAbsolutePath().getParent();

    JobSpec spec = JobSpecParser.parse(text, SHIPPED.toString(), base, Map.of());

    assertThat(spec.name()).isEqualTo("ybrowse-variants");
    assertThat(spec.pipeline()).isEqualTo("ybrowse-variants");
    assertThat(spec.source().format()).isEqualTo("gff3");
    assertThat(spec.source().setting("assembly", null)).isEqualTo("GRCh38");
    // The sample path is relative in the file; resolved, it must name the shipped sample.
    assertThat(spec.source().paths())
        .containsExactly(base.resolve("samples/ybrowse-snps-hg38.sample.gff3").toString());
    assertThat(Path.of(spec.source().paths().get(0))).isRegularFile();
    assertThat(spec.target())
        .isEqualTo(new TargetSpec("public", "variant", "ingest_rejects", "ingest_runs"));
    Options o = spec.options();
    assertThat(o.batchRows()).isEqualTo(5000);
    assertThat(o.flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.retries()).isEqualTo(3);
    assertThat(o.sinkParallelism()).isEqualTo(2);
    assertThat(o.parallelism()).isEqualTo(2);
    assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.restartAttempts()).isEqualTo(10);
    assertThat(o.restartDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.restartMaxDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.maxRejects()).isEqualTo(1000);
    assertThat(o.maxRejectRatio()).isEqualTo(0.05);
    assertThat(spec.sql().before()).isEmpty();
    assertThat(spec.sql().after()).containsExactly("ANALYZE {{table}}");
    // The text travels with a cluster submission, so it must be kept verbatim.
    assertThat(spec.text()).isEqualTo(text);
    assertThat(spec.hash()).matches("[0-9a-f]{64}");
  }

  @Test
  void aBareDashInAListIsRefusedNamingItsList() {
    String declared =
        """
        name: people
        source:
          format: csv
        tables:
          - name: people
            key: [id]
            columns:
              - name: id
                field: id
                type: bigint
              -
        """;

    assertThatThrownBy(() -> parse(declared))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'tables.people.columns' in "
                + ORIGIN
                + " has an empty entry (entry 2, a '-' with nothing after it); remove it or fill it in");
    assertThatThrownBy(() -> parse(MINIMAL + "sql:\n  after:\n    -\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("key 'sql.after' in " + ORIGIN + " has an empty entry (entry 1");
  }

  @Test
  void absentSectionsTakeTheirDefaults() {
    JobSpec spec = parse(MINIMAL);

    assertThat(spec.options()).isEqualTo(Options.defaults());
    // The table's default is the pipeline's to choose, not the parser's.
    assertThat(spec.target())
        .isEqualTo(new TargetSpec("public", null, "ingest_rejects", "ingest_runs"));
    assertThat(new dev.pgingest.workload.ybrowse.YBrowsePipeline().table(spec).table())
        .isEqualTo("variant");
    assertThat(spec.source().setting("assembly", null)).isEqualTo("GRCh38");
    assertThat(spec.source().paths()).isEmpty();
    assertThat(spec.sql().before()).isEmpty();
    assertThat(spec.sql().after()).isEmpty();
  }

  @Test
  void oneOptionGivenLeavesTheOthersAtTheirDefaults() {
    JobSpec spec = parse(MINIMAL + "options:\n  batch-rows: 10\n");

    Options d = Options.defaults();
    assertThat(spec.options().batchRows()).isEqualTo(10);
    assertThat(spec.options()).usingRecursiveComparison().ignoringFields("batchRows").isEqualTo(d);
  }

  @Test
  void durationsAcceptEveryUnitAndBareMilliseconds() {
    JobSpec spec =
        parse(
            MINIMAL
                + "options:\n  flush-interval: 250ms\n  checkpoint-interval: 2m\n"
                + "  restart-delay: 1h\n");
    JobSpec bare = parse(MINIMAL + "options:\n  flush-interval: 750\n");

    assertThat(spec.options().flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(spec.options().checkpointInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(spec.options().restartDelay()).isEqualTo(Duration.ofHours(1));
    assertThat(bare.options().flushInterval()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void unknownTopLevelKeyFailsNamingIt() {
    assertThatThrownBy(() -> parse(MINIMAL + "colour: red\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'colour'")
        .hasMessageContaining(ORIGIN);
  }

  @Test
  void unknownNestedKeyFailsNamingItWithItsSection() {
    // A near-miss of batch-rows: silently ignoring it would load with the wrong batch size.
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  batch-size: 10\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.batch-size'")
        .hasMessageContaining("batch-rows");
  }

  @Test
  void sectionThatIsNotAMappingFailsNamingIt() {
    assertThatThrownBy(() -> parse(MINIMAL + "options: 5\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options'");
  }

  @Test
  void missingRequiredKeyFailsNamingIt() {
    String noName = MINIMAL.replace("name: minimal\n", "");

    assertThatThrownBy(() -> parse(noName))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'name'")
        .hasMessageContaining("missing");
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("options:\n  batch-rows: 0\n", "options.batch-rows"),
        Arguments.of("options:\n  batch-rows: abc\n", "options.batch-rows"),
        Arguments.of("options:\n  batch-rows: 100001\n", "options.batch-rows"),
        Arguments.of("options:\n  batch-rows: 2.5\n", "options.batch-rows"),
        Arguments.of("options:\n  retries: -1\n", "options.retries"),
        Arguments.of("options:\n  flush-interval: soon\n", "options.flush-interval"),
        Arguments.of("options:\n  flush-interval: 5ms\n", "options.flush-interval"),
        Arguments.of("options:\n  max-reject-ratio: 2\n", "options.max-reject-ratio"),
        Arguments.of("options:\n  max-reject-ratio: lots\n", "options.max-reject-ratio"),
        Arguments.of("options:\n  max-reject-ratio: .nan\n", "options.max-reject-ratio"),
        Arguments.of("target:\n  table: \"bad name; drop\"\n", "target.table"),
        Arguments.of("target:\n  schema: 1public\n", "target.schema"),
        Arguments.of("sql:\n  after: {a: b}\n", "sql.after"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void badValueFailsNamingTheKey(String section, String key) {
    assertThatThrownBy(() -> parse(MINIMAL + section))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining(ORIGIN);
  }

  @Test
  void unknownSourceFormatFailsListingTheKnownOnes() {
    assertThatThrownBy(() -> parse(MINIMAL.replace("format: gff3", "format: xml")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'source.format'")
        .hasMessageContaining("gff3");
  }

  @Test
  void aFormatThePipelineDoesNotReadIsRefused() {
    assertThatThrownBy(() -> parse(MINIMAL.replace("format: gff3", "format: csv")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'source.format' in "
                + ORIGIN
                + " is 'csv'; expected a format pipeline"
                + " ybrowse-variants reads: gff3");
  }

  @Test
  void bareOverrideNameSetsTheOption() {
    JobSpec spec = parse(MINIMAL + "options:\n  batch-rows: 5000\n", Map.of("batch-rows", "10"));

    assertThat(spec.options().batchRows()).isEqualTo(10);
  }

  @Test
  void overrideCreatesAnAbsentSection() {
    JobSpec spec = parse(MINIMAL, Map.of("retries", "7", "target.table", "snp"));

    assertThat(spec.options().retries()).isEqualTo(7);
    assertThat(spec.target().table()).isEqualTo("snp");
  }

  @Test
  void dottedOverrideSetsANestedKey() {
    JobSpec spec =
        parse(
            MINIMAL + "  assembly: GRCh38\n",
            Map.of("source.assembly", "GRCh37", "options.flush-interval", "250ms"));

    assertThat(spec.source().setting("assembly", null)).isEqualTo("GRCh37");
    assertThat(spec.options().flushInterval()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void bareTopLevelOverrideSetsTheTopLevelKey() {
    JobSpec spec = parse(MINIMAL, Map.of("name", "renamed"));

    assertThat(spec.name()).isEqualTo("renamed");
  }

  @Test
  void unknownBareOverrideFailsNamingIt() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("batch-size", "10")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'batch-size'")
        .hasMessageContaining("batch-rows");
  }

  @Test
  void unknownDottedOverrideFailsNamingIt() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("options.batch-size", "10")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.batch-size'");
  }

  @Test
  void overriddenValueIsValidatedLikeTheFile() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("batch-rows", "0")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.batch-rows'");
  }

  @Test
  void relativePathsResolveAgainstTheBaseDirAbsoluteAndRemoteOnesStay(@TempDir Path base) {
    Path absolute = base.resolveSibling("elsewhere").resolve("b.gff3").toAbsolutePath();
    String text =
        MINIMAL
            + "  paths:\n"
            + "    - data/a.gff3\n"
            + "    - ../up/c.gff3\n"
            + "    - "
            + absolute
            + "\n"
            + "    - s3://bucket/dumps/d.gff3.gz\n";

    JobSpec spec = JobSpecParser.parse(text, ORIGIN, base, Map.of());

    assertThat(spec.source().paths())
        .containsExactly(
            base.resolve("data/a.gff3").toString(),
            base.getParent().resolve("up/c.gff3").toString(),
            absolute.toString(),
            "s3://bucket/dumps/d.gff3.gz");
  }

  @Test
  void singlePathMayBeAScalarAndWithoutBaseDirStaysAsWritten() {
    JobSpec spec = parse(MINIMAL + "  paths: data/a.gff3\n");

    assertThat(spec.source().paths()).containsExactly("data/a.gff3");
  }

  @Test
  void hashIsStableAndChangesWithOverrides() {
    String a = parse(MINIMAL).hash();
    String again = parse(MINIMAL).hash();
    String overridden = parse(MINIMAL, Map.of("batch-rows", "10")).hash();
    String otherValue = parse(MINIMAL, Map.of("batch-rows", "11")).hash();

    assertThat(again).isEqualTo(a);
    assertThat(overridden).isNotEqualTo(a);
    assertThat(otherValue).isNotEqualTo(overridden).isNotEqualTo(a);
  }

  @Test
  void hashDoesNotDependOnOverrideOrder() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("batch-rows", "10");
    ab.put("retries", "1");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("retries", "1");
    ba.put("batch-rows", "10");

    assertThat(parse(MINIMAL, ab).hash()).isEqualTo(parse(MINIMAL, ba).hash());
  }

  @Test
  void malformedYamlGivesAClearMessage() {
    assertThatThrownBy(() -> parse("name: [unclosed\npipeline: x\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(ORIGIN)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void plainTextThatIsNotAMappingGivesAClearMessage() {
    assertThatThrownBy(() -> parse("load the ybrowse file please"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(ORIGIN)
        .hasMessageContaining("must be a YAML mapping");
  }

  @Test
  void durationTooLargeFailsNamingTheKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  flush-interval: 99999999999999999999s\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.flush-interval'");
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  restart-delay: 9223372036854775807h\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.restart-delay'");
  }

  @Test
  void tableNamesLeaveRoomForIndexNames() {
    JobSpec spec = parse(MINIMAL, Map.of("target.table", "t".repeat(40)));
    var table = new dev.pgingest.workload.ybrowse.YBrowsePipeline().table(spec);
    assertThat(dev.pgingest.sink.TableDdl.createTable(table)).contains("t".repeat(40));
    table.indexes().forEach(i -> dev.pgingest.sink.TableDdl.createIndex(table, i));
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("target.table", "t".repeat(41))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'target.table'");
  }

  @Test
  void emptyOverrideValueIsRefused() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("batch-rows", "")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("'options.batch-rows' is empty");
  }

  @ParameterizedTest
  @CsvSource({
    "GRCh37, GRCh37",
    "grch37, GRCh37",
    "hg19, GRCh37",
    "HG19, GRCh37",
    "b37, GRCh37",
    "GRCh38, GRCh38",
    "hg38, GRCh38",
    "T2T-CHM13v2.0, T2T-CHM13v2.0",
    "hs1, T2T-CHM13v2.0",
    "CHM13, T2T-CHM13v2.0"
  })
  void knownAssembliesAndTheirAliasesBecomeOneCanonicalName(String given, String canonical) {
    assertThat(parse(MINIMAL + "  assembly: " + given + "\n").source().setting("assembly", null))
        .isEqualTo(canonical);
    assertThat(parse(MINIMAL, Map.of("source.assembly", given)).source().setting("assembly", null))
        .isEqualTo(canonical);
  }

  @Test
  void unknownAssemblyInTheFileNamesTheKeyTheFileAndTheKnownOnes() {
    assertThatThrownBy(() -> parse(MINIMAL + "  assembly: hg99\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'source.assembly' in test.yaml is 'hg99', not a known assembly; known: GRCh37"
                + " (hg19, b37), GRCh38 (hg38), T2T-CHM13v2.0 (hs1, chm13)");
  }

  @Test
  void unknownAssemblyFromSetNamesTheSetAndNotTheFile() {
    assertThatThrownBy(
            () -> parse(MINIMAL + "  assembly: GRCh38\n", Map.of("source.assembly", "hg99")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--set source.assembly=hg99: 'hg99' is not a known assembly; known: GRCh37"
                + " (hg19, b37), GRCh38 (hg38), T2T-CHM13v2.0 (hs1, chm13)");
  }

  @Test
  void badValueFromSetSaysItCameFromSet() {
    assertThatThrownBy(
            () -> parse(MINIMAL + "options:\n  batch-rows: 10\n", Map.of("batch-rows", "0")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--set batch-rows=0: key 'options.batch-rows' is '0'; expected a whole number from 1"
                + " to 100000");
  }

  @Test
  void badValueInTheFileStillNamesTheFileWhenOtherKeysAreSet() {
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  batch-rows: 0\n", Map.of("retries", "1")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'options.batch-rows' in test.yaml is '0'; expected a whole number from 1 to 100000");
  }

  @Test
  void unknownDottedKeyFromSetSaysItCameFromSet() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("options.batch-size", "10")))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(
            "--set options.batch-size=10: unknown key 'options.batch-size'; known keys here:")
        .hasMessageNotContaining(ORIGIN);
  }

  @Test
  void sectionReplacedBySetByAScalarSaysItCameFromSet() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("options", "5")))
        .isInstanceOf(SpecException.class)
        .hasMessage("--set options=5: key 'options' must be a mapping of keys to values");
  }

  static Stream<Arguments> badIdentifiers() {
    return Stream.of(
        Arguments.of("target.table", "'va\"riant'", "it contains '\"'"),
        Arguments.of("target.table", "'variant;drop'", "it contains ';'"),
        Arguments.of("target.rejects-table", "'two words'", "it contains U+0020"),
        Arguments.of("target.runs-table", "'runs\u00e9'", "it contains '\u00e9'"),
        Arguments.of("target.schema", "'1public'", "it starts with a digit"),
        Arguments.of("target.schema", "''", "it is empty"),
        Arguments.of("target.schema", "'" + "s".repeat(64) + "'", "it is 64 bytes long"),
        Arguments.of("target.runs-table", "'" + "r".repeat(70) + "'", "it is 70 bytes long"));
  }

  @ParameterizedTest
  @MethodSource("badIdentifiers")
  void badIdentifierFailsNamingTheKeyTheRuleAndTheProblem(String key, String yaml, String problem) {
    String[] parts = key.split("\\.");
    String text = MINIMAL + parts[0] + ":\n  " + parts[1] + ": " + yaml + "\n";

    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("key '" + key + "' in test.yaml is '")
        .hasMessageEndingWith(
            "'; expected a SQL name of ASCII letters, digits and underscores, not starting with a"
                + " digit, at most 63 bytes: "
                + problem);
  }

  @Test
  void identifierAtPostgresLimitIsAccepted() {
    JobSpec spec = parse(MINIMAL, Map.of("target.schema", "s".repeat(63)));

    assertThat(spec.target().schema()).isEqualTo("s".repeat(63));
  }

  @Test
  void tooLongTableNameExplainsTheIndexNames() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("target.table", "t".repeat(41))))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--set target.table="
                + "t".repeat(41)
                + ": key 'target.table' is '"
                + "t".repeat(41)
                + "'; expected a name of at most 40 bytes, so that the index names built from it"
                + " fit PostgreSQL's 63: it is 41 bytes long");
  }

  @Test
  void badIdentifierFromSetSaysItCameFromSet() {
    assertThatThrownBy(() -> parse(MINIMAL, Map.of("target.table", "x;drop")))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(
            "--set target.table=x;drop: key 'target.table' is 'x;drop'; expected")
        .hasMessageEndingWith("it contains ';'");
  }

  // ---- Declared jobs (no pipeline): sources, tables, summary ----

  private static final Path PROFILES = Path.of("jobs", "profiles.yaml");

  private static String profiles() {
    try {
      return Files.readString(PROFILES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ColumnSpec field(String name, String type, String field, boolean required) {
    return new ColumnSpec(name, type, field, null, null, required);
  }

  private static ColumnSpec value(String name, String type, String value) {
    return new ColumnSpec(name, type, null, value, null, false);
  }

  private static ColumnSpec sqlDefault(String name, String type, String def) {
    return new ColumnSpec(name, type, null, null, def, false);
  }

  @Test
  void shippedProfilesSpecParsesToItsSourcesTablesAndSummary() {
    Path base = PROFILES.toAbsolutePath().getParent();

    JobSpec spec = JobSpecParser.parse(profiles(), PROFILES.toString(), base, Map.of());

    assertThat(spec.name()).isEqualTo("profiles");
    assertThat(spec.pipeline()).isNull();
    assertThat(spec.sources())
        .containsExactly(
            new SourceSpec(
                "profiles",
                "auto",
                List.of(base.resolve("samples/profiles").toString()),
                new CsvOptions(',', '"', true),
                List.of("", "null", "NULL"),
                List.of(),
                Map.of()));
    assertThat(spec.target())
        .isEqualTo(new TargetSpec("public", null, "ingest_rejects", "ingest_runs"));
    TableSpec raw =
        new TableSpec(
            "raw_scraped_profiles",
            "public",
            "append",
            List.of("run_id", "source_file", "line_number"),
            List.of(
                value("run_id", "bigint", "$run"),
                value("source_file", "text", "$file"),
                value("line_number", "bigint", "$line"),
                field("profile_id", "bigint", "id", true),
                field("username", "text", "username", false),
                field("full_name", "text", "full_name", false),
                field("biography", "text", "biography", false),
                field("follower_count", "bigint", "follower_count", false),
                field("following_count", "bigint", "following_count", false),
                field("media_count", "bigint", "media_count", false),
                field("is_private", "boolean", "is_private", false),
                field("is_verified", "boolean", "is_verified", false),
                field("scraped_at", "timestamptz", "scraped_at", false),
                value("record", "jsonb", "$record")),
            List.of(),
            null,
            true);
    TableSpec global =
        new TableSpec(
            "global_usernames",
            "public",
            "insert-if-new",
            List.of("id"),
            List.of(
                field("id", "bigint", "id", true),
                field("username", "text", "username", false),
                field("full_name", "text", "full_name", false),
                sqlDefault("used", "boolean", "false"),
                sqlDefault("status", "text", "'new'"),
                value("first_seen_run", "bigint", "$run"),
                sqlDefault("created_at", "timestamptz", "now()")),
            List.of(
                new IndexSpec("global_usernames_unused_idx", "(id) WHERE NOT used", false),
                new IndexSpec("global_usernames_status_idx", "(status)", false),
                new IndexSpec("global_usernames_created_at_idx", "(created_at)", false)),
            null,
            true);
    assertThat(spec.tables()).containsExactly(raw, global);
    // Written order is shown order.
    assertThat(spec.summary().entrySet())
        .extracting(Map.Entry::getKey, Map.Entry::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("inserted_raw", "raw_scraped_profiles.inserted"),
            org.assertj.core.groups.Tuple.tuple("added_to_global", "global_usernames.inserted"),
            org.assertj.core.groups.Tuple.tuple("skipped_existing", "global_usernames.skipped"));
    assertThat(spec.sql().after())
        .containsExactly(
            "ANALYZE {{schema}}.raw_scraped_profiles", "ANALYZE {{schema}}.global_usernames");
  }

  /** The smallest declared job: one source, one table. */
  private static final String DECLARED =
      """
      name: declared
      source:
        format: jsonl
      tables:
        - name: parent_t
          key: id
          columns:
            - { name: id, type: bigint, field: id }
        - name: child_t
          schema: other
          mode: append
          key: [src, line]
          columns:
            - { name: src, type: text, value: $file }
            - { name: line, type: int8, value: $line }
            - { name: id, type: int, field: parent }
            - { name: flag, type: bool, default: "false" }
            - { name: at, type: timestamp with time zone, field: at }
          parent: parent_t
          create: false
      """;

  @Test
  void declaredTableDefaultsAndTypeAliases() {
    JobSpec spec = parse(DECLARED);

    assertThat(spec.source().name()).isEqualTo("source");
    assertThat(spec.source().csv()).isEqualTo(CsvOptions.defaults());
    TableSpec parent = spec.tables().get(0);
    assertThat(parent.schema()).isEqualTo("public");
    assertThat(parent.mode()).isEqualTo("merge");
    assertThat(parent.key()).containsExactly("id");
    assertThat(parent.create()).isTrue();
    TableSpec child = spec.tables().get(1);
    assertThat(child.schema()).isEqualTo("other");
    assertThat(child.parent()).isEqualTo("parent_t");
    assertThat(child.create()).isFalse();
    assertThat(child.columns())
        .extracting(ColumnSpec::type)
        .containsExactly("text", "bigint", "integer", "boolean", "timestamptz");
  }

  @Test
  void aChildMustWriteItsParentsKeyColumns() {
    assertThatThrownBy(
            () ->
                parse(
                    DECLARED.replace(
                        "{ name: id, type: int, field: parent }",
                        "{ name: pid, type: int, field: parent }")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'tables.child_t.parent' in test.yaml is 'parent_t'; expected a parent whose key"
                + " columns this table writes too; it has no written column 'id'");
  }

  @Test
  void aSourceThatFeedsAChildFeedsItsParentToo() {
    String spec =
        DECLARED.replace(
            "source:\n  format: jsonl\n",
            "sources:\n  - name: parents\n    format: jsonl\n    tables: [parent_t]\n"
                + "  - name: children\n    format: jsonl\n    tables: [child_t]\n");
    assertThat(spec).contains("name: children");

    assertThatThrownBy(() -> parse(spec))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'sources.children.tables' in test.yaml feeds table child_t but not its parent"
                + " parent_t: a child row is written after its parent only when both come from the"
                + " same source, so add parent_t to this source's tables");
    assertThat(parse(spec.replace("tables: [child_t]", "tables: [parent_t, child_t]")).sources())
        .hasSize(2);
  }

  @Test
  void deepUnknownKeyIsNamedByItsPathWithTheKnownKeys() {
    // Both tables get the typo; Jackson stops at the first, in the raw table.
    String text =
        profiles().replace("{ name: username, type: text,", "{ name: username, tpye: text,");

    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "unknown key 'tables.raw_scraped_profiles.columns.username.tpye' in test.yaml; known"
                + " keys here: default, field, max, min, name, required, type, value");
  }

  static Stream<Arguments> badDeclaredValues() {
    return Stream.of(
        Arguments.of(
            "type: timestamptz, field: scraped_at",
            "type: timestamp, field: scraped_at",
            "key 'tables.raw_scraped_profiles.columns.scraped_at.type' in test.yaml is 'timestamp';"
                + " expected one of text, integer, bigint"),
        Arguments.of(
            "mode: insert-if-new",
            "mode: upsert",
            "key 'tables.global_usernames.mode' in test.yaml is 'upsert'; expected one of merge,"
                + " insert-if-new, append, replace"),
        Arguments.of(
            "value: $record",
            "value: $rec",
            "key 'tables.raw_scraped_profiles.columns.record.value' in test.yaml is '$rec'; expected"
                + " one of $run, $file, $line, $record"),
        Arguments.of(
            "key: [id]",
            "key: [ident]",
            "key 'tables.global_usernames.key' in test.yaml is 'ident'; expected a column the load"
                + " writes (one with field or value): id, username, full_name, first_seen_run"),
        Arguments.of(
            "key: [id]",
            "key: [id, used]",
            "key 'tables.global_usernames.key' in test.yaml is 'used'; expected a column the load"
                + " writes"),
        Arguments.of(
            "key: [id]", "key: []", "key 'tables.global_usernames.key' is missing in test.yaml"),
        Arguments.of(
            "mode: append\n",
            "mode: append\n    parent: global_usernames\n",
            "key 'tables.raw_scraped_profiles.parent' in test.yaml is 'global_usernames'; expected a"
                + " table declared before this one (parents come first), and none is"),
        Arguments.of(
            "mode: insert-if-new\n",
            "mode: insert-if-new\n    parent: global_usernames\n",
            "key 'tables.global_usernames.parent' in test.yaml is 'global_usernames'; expected a"
                + " table declared before this one (parents come first): raw_scraped_profiles"),
        Arguments.of(
            "inserted_raw: raw_scraped_profiles.inserted",
            "inserted_raw: raw_profiles.inserted",
            "key 'summary.inserted_raw' in test.yaml is 'raw_profiles.inserted'; expected"
                + " table.count with table one of raw_scraped_profiles, global_usernames and count"
                + " one of rows, inserted, updated, unchanged, skipped, duplicates"),
        Arguments.of(
            "skipped_existing: global_usernames.skipped",
            "skipped_existing: global_usernames.ignored",
            "key 'summary.skipped_existing' in test.yaml is 'global_usernames.ignored'; expected"
                + " table.count"),
        Arguments.of(
            "skipped_existing: global_usernames.skipped",
            "skipped-existing: global_usernames.skipped",
            "key 'summary.skipped-existing' in test.yaml is not a SQL name"),
        Arguments.of(
            "key: [run_id, source_file, line_number]",
            "key: [run_id, line_number]",
            "key 'tables.raw_scraped_profiles.key' in test.yaml is '[run_id, line_number]'; expected"
                + " for mode append a key that includes a column with value $file and one with"
                + " value $line, so that a record replayed after a failure is not added twice"),
        Arguments.of(
            "key: [run_id, source_file, line_number]",
            "key: [run_id, source_file, profile_id]",
            "key 'tables.raw_scraped_profiles.key' in test.yaml is '[run_id, source_file,"
                + " profile_id]'; expected for mode append a key that includes a column with value"
                + " $file and one with value $line"),
        Arguments.of(
            "delimiter: \",\"",
            "delimiter: \";;\"",
            "key 'sources.profiles.csv.delimiter' in test.yaml is ';;'; expected exactly one"
                + " character"),
        Arguments.of(
            "delimiter: \",\"",
            "delimiter: \",\"\n      quote: \"\"",
            "key 'sources.profiles.csv.quote' in test.yaml is ''; expected exactly one character"),
        Arguments.of(
            "header: true",
            "header: maybe",
            "key 'sources.profiles.csv.header' in test.yaml is 'maybe'; expected true or false"),
        Arguments.of(
            "{ name: used, type: boolean, default: \"false\" }",
            "{ name: used, type: boolean, field: used, default: \"false\" }",
            "key 'tables.global_usernames.columns.used' in test.yaml gives more than one of"
                + " 'field', 'value', 'default'; expected exactly one"),
        Arguments.of(
            "{ name: used, type: boolean, default: \"false\" }",
            "{ name: used, type: boolean }",
            "key 'tables.global_usernames.columns.used' in test.yaml gives none of 'field',"
                + " 'value', 'default'; expected exactly one"),
        Arguments.of(
            "{ name: status, type: text,",
            "{ name: username, type: text,",
            "key 'tables.global_usernames.columns.username.name' in test.yaml is 'username';"
                + " expected a name no other column of the table has"),
        Arguments.of(
            "{ name: media_count,",
            "{ name: media count,",
            "key 'tables.raw_scraped_profiles.columns.media count.name' in test.yaml is 'media"
                + " count'; expected a SQL name"),
        Arguments.of(
            "null-tokens: [\"\", \"null\", \"NULL\"]",
            "null-tokens: [\"\", \"null\", \"NULL\"]\n    tables: [raw_scraped_profiles, globals]",
            "key 'sources.profiles.tables' in test.yaml is 'globals'; expected names of declared"
                + " tables: raw_scraped_profiles, global_usernames"),
        Arguments.of(
            "null-tokens: [\"\", \"null\", \"NULL\"]",
            "null-tokens: [\"\", \"null\", \"NULL\"]\n    assembly: hg19",
            "unknown key 'sources.profiles.assembly' in test.yaml; known keys here: csv, format,"
                + " name, null-tokens, paths, tables"),
        Arguments.of(
            "name: profiles\n\n",
            "name: profiles\npipeline: ybrowse-variants\n",
            "key 'tables' in test.yaml is given with pipeline 'ybrowse-variants'; expected tables"
                + " only in a job without 'pipeline'"),
        Arguments.of(
            "target:\n  schema: public\n",
            "target:\n  schema: public\n  table: variant\n",
            "key 'target.table' in test.yaml is 'variant'; expected no target.table in a job"
                + " without 'pipeline'"));
  }

  @ParameterizedTest
  @MethodSource("badDeclaredValues")
  void badDeclaredValueIsNamedByItsPath(String from, String to, String message) {
    String text = profiles();
    assertThat(text).contains(from);

    assertThatThrownBy(() -> parse(text.replace(from, to)))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void jobWithoutPipelineNeedsTables() {
    assertThatThrownBy(() -> parse("name: x\nsource:\n  format: csv\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'tables' is missing in test.yaml; a job without 'pipeline' declares at least one"
                + " table to write");
  }

  @Test
  void sourceAndSourcesTogetherAreRefused() {
    assertThatThrownBy(() -> parse(profiles() + "source:\n  format: csv\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "test.yaml gives both 'source' and 'sources'; expected 'source' (one source) or"
                + " 'sources' (a list of named sources), not both");
  }

  @Test
  void sourceNamesAreUniqueAndEachSourceResolvesItsPaths(@TempDir Path base) {
    String two =
        DECLARED.replace(
            "source:\n  format: jsonl\n",
            "sources:\n  - { name: a, format: jsonl, paths: in/a }\n"
                + "  - { name: b, format: csv, paths: [in/b1, /abs/b2], csv: { delimiter: \"\\t\" } }\n");

    JobSpec spec = JobSpecParser.parse(two, ORIGIN, base, Map.of());

    assertThat(spec.sources()).extracting(SourceSpec::name).containsExactly("a", "b");
    assertThat(spec.sources().get(1).csv().delimiter()).isEqualTo('\t');
    assertThat(spec.allPaths())
        .containsExactly(
            base.resolve("in/a").toString(), base.resolve("in/b1").toString(), "/abs/b2");
    assertThatThrownBy(() -> parse(two.replace("name: b,", "name: a,")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'sources.a.name' in test.yaml is 'a'; expected a name no other source has");
  }

  @Test
  void pipelineSettingIsUnknownInAJobWithoutThatPipeline() {
    assertThatThrownBy(
            () -> parse(DECLARED.replace("format: jsonl\n", "format: jsonl\n  assembly: hg19\n")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "unknown key 'source.assembly' in test.yaml; known keys here: csv, format, name,"
                + " null-tokens, paths, tables");
  }

  @Test
  void setReachesIntoListEntriesByName() {
    JobSpec spec =
        parse(
            profiles(),
            Map.of(
                "tables.global_usernames.mode", "merge",
                "sources.profiles.paths", "/data/x",
                "tables.global_usernames.columns.used.default", "true"));

    assertThat(spec.tables().get(1).mode()).isEqualTo("merge");
    assertThat(spec.tables().get(0).mode()).isEqualTo("append");
    assertThat(spec.source().paths()).containsExactly("/data/x");
    assertThat(spec.tables().get(1).columns().get(3).sqlDefault()).isEqualTo("true");
  }

  @Test
  void setIntoAListEntryIsValidatedAndSaysItCameFromSet() {
    assertThatThrownBy(() -> parse(profiles(), Map.of("tables.global_usernames.mode", "upsert")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--set tables.global_usernames.mode=upsert: key 'tables.global_usernames.mode' is"
                + " 'upsert'; expected one of merge, insert-if-new, append, replace");
    assertThatThrownBy(
            () -> parse(profiles(), Map.of("tables.global_usernames.columns.id.tpye", "text")))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(
            "--set tables.global_usernames.columns.id.tpye=text: unknown key"
                + " 'tables.global_usernames.columns.id.tpye'; known keys here: default, field,");
  }

  @Test
  void setIntoAnEntryThatDoesNotExistNamesTheEntriesThatDo() {
    assertThatThrownBy(() -> parse(profiles(), Map.of("tables.usernames.mode", "merge")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "--set tables.usernames.mode=merge: 'tables' has no entry named 'usernames'; names"
                + " there: raw_scraped_profiles, global_usernames");
  }

  @Test
  void deepTypeMismatchNamesThePathTheValueAndTheType() {
    assertThatThrownBy(
            () ->
                parse(
                    profiles()
                        .replace(
                            "profile_id, type: bigint, field: id, required: true",
                            "profile_id, type: bigint, field: id, required: 1")))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'tables.raw_scraped_profiles.columns.profile_id.required' in test.yaml is '1';"
                + " expected true or false");
  }

  @Test
  void duplicateKeyIsRefusedNamingIt() {
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  retries: 1\n  retries: 2\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage("key 'options.retries' in test.yaml is given twice");
  }

  @Test
  void numberBeyondLongNamesTheKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "options:\n  max-rejects: 99999999999999999999\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(
            "key 'options.max-rejects' in test.yaml is '99999999999999999999'; expected a whole"
                + " number");
  }
}
