package dev.pgingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Unit tests of {@link SqlNames}: names are quoted, and names that are not plain SQL names refused.
 */
class SqlNamesTest {

  @Test
  void plainNamesAreQuoted() {
    assertThat(SqlNames.ident("variant")).isEqualTo("\"variant\"");
    assertThat(SqlNames.ident("_Mixed_Case_1")).isEqualTo("\"_Mixed_Case_1\"");
    assertThat(SqlNames.qualified("public", "variant")).isEqualTo("\"public\".\"variant\"");
  }

  @Test
  void nameAtPostgresLimitIsQuotedAndOneByteMoreIsRefused() {
    assertThat(SqlNames.ident("n".repeat(63))).isEqualTo('"' + "n".repeat(63) + '"');
    assertThatThrownBy(() -> SqlNames.ident("n".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(": it is 64 bytes long");
  }

  @Test
  void doubleQuoteCannotEscapeTheQuotedName() {
    assertThatThrownBy(() -> SqlNames.ident("x\" ; DROP TABLE variant; --"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "'x\" ; DROP TABLE variant; --' is not a SQL name of ASCII letters, digits and"
                + " underscores, not starting with a digit, at most 63 bytes: it contains '\"'");
  }

  @Test
  void semicolonsControlCharactersAndLeadingDigitsAreNamed() {
    assertThat(SqlNames.identifierProblem("a;b")).isEqualTo("it contains ';'");
    assertThat(SqlNames.identifierProblem("a\0b")).isEqualTo("it contains U+0000");
    assertThat(SqlNames.identifierProblem("9lives")).isEqualTo("it starts with a digit");
    assertThat(SqlNames.identifierProblem("")).isEqualTo("it is empty");
    assertThat(SqlNames.identifierProblem("ingest_runs")).isNull();
  }
}
