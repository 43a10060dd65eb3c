package dev.pgingest.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link ValueChecks}: the exact sentence each kind of bad value gets, which every
 * section checker shares, and the defaults of absent values.
 */
class ValueChecksTest {

  private static final ValueChecks FILE =
      new ValueChecks(new KeyOrigins(JsonNodeFactory.instance.objectNode(), "test.yaml", Map.of()));

  private static final ValueChecks SET =
      new ValueChecks(
          new KeyOrigins(
              JsonNodeFactory.instance.objectNode(),
              "test.yaml",
              Map.of("options.retries", "--set retries=x")));

  @Test
  void absentValuesTakeTheirDefaults() {
    assertThat(FILE.string("k", null, "d")).isEqualTo("d");
    assertThat(FILE.strings("k", null)).isEmpty();
    assertThat(FILE.character("k", null, ',')).isEqualTo(',');
    assertThat(FILE.integer("k", null, 7, 0, 10)).isEqualTo(7);
    assertThat(FILE.ratio("k", null, 0.5)).isEqualTo(0.5);
    assertThat(FILE.duration("k", null, Duration.ofSeconds(1), Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(FILE.choice("k", null, Options.WritePath.AUTO, Options.WritePath.values()))
        .isEqualTo(Options.WritePath.AUTO);
    assertThat(ValueChecks.or(null, "d")).isEqualTo("d");
    assertThat(ValueChecks.or("v", "d")).isEqualTo("v");
  }

  @Test
  void aRequiredStringIsTrimmedOrMissing() {
    assertThat(FILE.string("k", "  v  ", null)).isEqualTo("v");
    assertThatThrownBy(() -> FILE.string("name", null, null))
        .isInstanceOf(SpecException.class)
        .hasMessage("key 'name' is missing in test.yaml");
  }

  @Test
  void aListWithAnEmptyEntryIsRefused() {
    assertThatThrownBy(() -> FILE.strings("sql.after", Arrays.asList("select 1", null)))
        .hasMessage(
            "key 'sql.after' in test.yaml is '[select 1, null]'; expected a list of strings, none"
                + " of them empty");
  }

  @Test
  void aCharacterIsExactlyOne() {
    assertThat(FILE.character("k", "\t", ',')).isEqualTo('\t');
    assertThatThrownBy(() -> FILE.character("csv.quote", "''", '"'))
        .hasMessage(
            "key 'csv.quote' in test.yaml is ''''; expected exactly one character, such as , or ;"
                + " or \"\\t\" for a tab");
  }

  @Test
  void anIdentifierLongerThanItsBytesExplainsTheIndexNames() {
    String name = "t".repeat(40);
    assertThat(FILE.identifier("k", name, 40)).isEqualTo(name);
    assertThatThrownBy(() -> FILE.identifier("target.table", name + "t", 40))
        .hasMessage(
            "key 'target.table' in test.yaml is '"
                + name
                + "t'; expected a name of at most 40 bytes, so that the index names built from it"
                + " fit PostgreSQL's 63: it is 41 bytes long");
  }

  @Test
  void aWholeNumberOutsideItsRangeNamesTheRange() {
    assertThat(FILE.integer("k", 10L, 0, 0, 10)).isEqualTo(10);
    assertThatThrownBy(() -> FILE.integer("options.retries", 101L, 3, 0, 100))
        .hasMessage(
            "key 'options.retries' in test.yaml is '101'; expected a whole number from 0 to 100");
    assertThatThrownBy(() -> SET.integer("options.retries", 101L, 3, 0, 100))
        .hasMessage(
            "--set retries=x: key 'options.retries' is '101'; expected a whole number from 0 to"
                + " 100");
  }

  @Test
  void aRatioIsFromZeroToOneAndNotNaN() {
    assertThat(FILE.ratio("k", 1.0, 0)).isEqualTo(1.0);
    for (double bad : List.of(-0.1, 1.1, Double.NaN)) {
      assertThatThrownBy(() -> FILE.ratio("r", bad, 0))
          .hasMessage("key 'r' in test.yaml is '" + bad + "'; expected a number from 0 to 1");
    }
  }

  @Test
  void aDurationTakesItsUnitItsMinimumAndFitsInMilliseconds() {
    assertThat(FILE.duration("d", " 3 m ", Duration.ZERO, Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(3));
    assertThat(FILE.duration("d", "250", Duration.ZERO, Duration.ZERO))
        .isEqualTo(Duration.ofMillis(250));
    assertThatThrownBy(() -> FILE.duration("d", "2 days", Duration.ZERO, Duration.ZERO))
        .hasMessage(
            "key 'd' in test.yaml is '2 days'; expected a duration such as 500ms, 10s, 2m or 1h");
    assertThatThrownBy(() -> FILE.duration("d", "5ms", Duration.ZERO, Duration.ofMillis(10)))
        .hasMessage("key 'd' in test.yaml is '5ms'; expected a duration of at least 10ms");
    String tooLong = "9223372036854775807h";
    assertThatThrownBy(() -> FILE.duration("d", tooLong, Duration.ZERO, Duration.ZERO))
        .hasMessage(
            "key 'd' in test.yaml is '9223372036854775807h'; expected a duration of at most about"
                + " 292 million years");
  }

  @Test
  void aChoiceIsOneOfTheLowerCaseNames() {
    assertThat(FILE.choice("w", " copy ", Options.WritePath.AUTO, Options.WritePath.values()))
        .isEqualTo(Options.WritePath.COPY);
    assertThatThrownBy(
            () -> FILE.choice("w", "COPY", Options.WritePath.AUTO, Options.WritePath.values()))
        .hasMessage("key 'w' in test.yaml is 'COPY'; expected one of auto, copy, upsert");
  }
}
