package dev.pgingest.run;

import dev.pgingest.graph.Pipelines;
import dev.pgingest.sink.Sql;
import dev.pgingest.sink.TableDef;
import dev.pgingest.spec.JobSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The spec's {@code sql.before} and {@code sql.after} statements, templated to the target. */
final class SpecSql {
  private final JobSpec spec;

  SpecSql(JobSpec spec) {
    this.spec = spec;
  }

  /** Before a new run writes anything (a resumed run ran them already). */
  void before(Connection c) throws SQLException {
    run(c, spec.sql().before(), "sql.before");
  }

  /** Once a run has succeeded, before it is recorded as such. */
  void after(Connection c) throws SQLException {
    run(c, spec.sql().after(), "sql.after");
  }

  /**
   * {@code {{schema}}} and {@code {{table}}} stand for the target's quoted schema and
   * schema-qualified table, so a spec keeps working when {@code --set} moves it.
   */
  private void run(Connection c, List<String> statements, String key) throws SQLException {
    TableDef<?> first = Pipelines.forSpec(spec).tables(spec).get(0);
    String mainTable = first.qualifiedName();
    try (Statement st = c.createStatement()) {
      for (String template : statements) {
        String sql =
            template
                .replace("{{schema}}", Sql.ident(spec.target().schema()))
                .replace("{{table}}", mainTable);
        try {
          st.execute(sql);
        } catch (SQLException e) {
          throw new SQLException("statement in '" + key + "' failed: " + IngestRun.oneLine(e), e);
        }
      }
    }
  }
}
