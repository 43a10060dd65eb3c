package dev.pgingest.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filling the spec's SQL templates: one pass, and a name the statement cannot have is an error. */
class RunSqlTest {

  @Test
  void valuesAreFilledOnceAndNeverFilledAgain() throws SQLException {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("schema", "\"shop\"");
    values.put("upload", "'{{schema}}'");
    assertThat(RunSql.fill("SELECT {{upload}} FROM {{ schema }}.t", values))
        .isEqualTo("SELECT '{{schema}}' FROM \"shop\".t");
  }

  @Test
  void aNameNotKnownWhereTheStatementRunsIsRefused() {
    assertThatThrownBy(
            () -> RunSql.fill("INSERT INTO t VALUES ({{run}})", Map.of("schema", "\"s\"")))
        .isInstanceOf(SQLException.class)
        .hasMessage("{{run}} is not known here; known: schema");
  }
}
