package dev.pgingest.run;

import dev.pgingest.graph.ResolvedJob;
import dev.pgingest.json.Json;
import dev.pgingest.sink.SqlNames;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SqlSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec's SQL around the job ({@code sql.before}, {@code sql.start}, {@code sql.after} and the
 * steps {@code after-load}), templated to the target and the run.
 *
 * <p>Templates: {@code {{schema}}} and {@code {{table}}} stand for the target's quoted schema and
 * schema-qualified table, so a spec keeps working when {@code --set} moves it; {@code {{run}}} for
 * the run id and {@code {{files}}} for a jsonb literal of the run's file names, where a run exists;
 * and each of the pipeline's {@linkplain dev.pgingest.graph.SqlTemplateValues template values}
 * (e.g. {@code {{upload}}}) for its value as a SQL string literal. Values are quoted here, never
 * pasted raw.
 */
final class RunSql {
  private final JobSpec spec;
  private final ResolvedJob<?, ?> job;

  RunSql(ResolvedJob<?, ?> job) {
    this.spec = job.spec();
    this.job = job;
  }

  /** Before a new run writes anything (a resumed run ran them already). */
  void before(Connection c) throws SQLException {
    run(c, spec.sql().before(), "sql.before", values(-1, null));
  }

  /** Once a new run is recorded, before its job. */
  void start(Connection c, long runId, List<String> files) throws SQLException {
    run(c, spec.sql().start(), "sql.start", values(runId, files));
  }

  /** Once a run has succeeded, before it is recorded as such. */
  void after(Connection c, long runId) throws SQLException {
    run(c, spec.sql().after(), "sql.after", values(runId, null));
  }

  /**
   * Runs the steps after the load that are turned on, each in a transaction of its own and timed on
   * its own. A failed step is reported with its reason and does not undo the load.
   */
  List<StepResult> afterLoad(Connection c, long runId) {
    List<StepResult> out = new ArrayList<>();
    Map<String, String> values = values(runId, null);
    for (SqlSpec.Step step : spec.sql().afterLoad()) {
      if (!step.enabled()) {
        out.add(new StepResult(step.name(), false, 0, List.of(), List.of(), null));
        continue;
      }
      long start = System.nanoTime();
      List<String> columns = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      String error = null;
      try {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          for (String template : step.sql()) {
            columns.clear();
            rows.clear();
            if (st.execute(fill(template, values))) {
              try (ResultSet rs = st.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                  columns.add(md.getColumnLabel(i));
                }
                while (rs.next()) {
                  List<String> row = new ArrayList<>();
                  for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                  }
                  rows.add(row);
                }
              }
            }
          }
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          error = IngestRun.oneLine(e);
        } finally {
          c.setAutoCommit(auto);
        }
      } catch (SQLException e) {
        error = IngestRun.oneLine(e);
      }
      out.add(
          new StepResult(
              step.name(), true, (System.nanoTime() - start) / 1e9, columns, rows, error));
    }
    return out;
  }

  /** Every template value, each as the SQL text that replaces it. */
  private Map<String, String> values(long runId, List<String> files) {
    Map<String, String> b = new LinkedHashMap<>();
    b.put("schema", SqlNames.ident(spec.target().schema()));
    b.put("table", job.tables().get(0).qualifiedName());
    if (runId >= 0) {
      b.put("run", Long.toString(runId));
    }
    if (files != null) {
      StringBuilder json = new StringBuilder("[");
      for (String f : files) {
        String name =
            Path.of(f.contains("://") ? f.substring(f.lastIndexOf('/') + 1) : f)
                .getFileName()
                .toString();
        json.append(json.length() > 1 ? ", " : "").append(Json.quote(name));
      }
      b.put("files", literal(json.append(']').toString()) + "::jsonb");
    }
    job.sqlValues().forEach((k, v) -> b.put(k, v == null ? "NULL" : literal(v)));
    return b;
  }

  private static String literal(String v) {
    return "'" + v.replace("'", "''") + "'";
  }

  private static final Pattern TEMPLATE =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");

  /** The template with every {@code {{name}}} filled in one pass, so no value is filled again. */
  static String fill(String template, Map<String, String> values) throws SQLException {
    Matcher m = TEMPLATE.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new SQLException(
            "{{"
                + m.group(1)
                + "}} is not known here; known: "
                + String.join(", ", values.keySet()));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(v));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static void run(
      Connection c, List<String> statements, String key, Map<String, String> values)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String template : statements) {
        try {
          st.execute(fill(template, values));
        } catch (SQLException e) {
          throw new SQLException("statement in '" + key + "' failed: " + IngestRun.oneLine(e), e);
        }
      }
    }
  }
}
