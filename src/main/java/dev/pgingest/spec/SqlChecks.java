package dev.pgingest.spec;

import dev.pgingest.sink.SqlNames;
import java.util.ArrayList;
import java.util.List;

/** Checks {@code sql} (before, after, start) and the named {@code after-load} steps. */
final class SqlChecks {
  private final KeyOrigins origins;
  private final ValueChecks values;

  SqlChecks(ValueChecks values) {
    this.origins = values.origins();
    this.values = values;
  }

  /** Both SQL sections; absent ones run nothing. */
  SqlSpec sql(SpecYaml.SqlLists given, List<SpecYaml.Step> afterLoad) {
    SpecYaml.SqlLists sql = given == null ? new SpecYaml.SqlLists() : given;
    return new SqlSpec(
        values.strings("sql.before", sql.before),
        values.strings("sql.after", sql.after),
        values.strings("sql.start", sql.start),
        steps(afterLoad));
  }

  private List<SqlSpec.Step> steps(List<SpecYaml.Step> given) {
    if (given == null) {
      return List.of();
    }
    List<SqlSpec.Step> out = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      SpecYaml.Step s = given.get(i);
      String at = "after-load[" + i + "]";
      // A step needs a name, unique in the job: --set NAME=off turns it off by that name.
      if (s == null || s.name == null) {
        throw origins.missing(at + ".name", "each step after the load needs a name");
      }
      String problem = SqlNames.identifierProblem(s.name);
      if (problem != null) {
        throw new SpecException(
            origins.where(at + ".name") + " is not " + SqlNames.IDENTIFIER_RULE + ": " + problem);
      }
      if (out.stream().anyMatch(o -> o.name().equals(s.name))) {
        throw new SpecException(origins.where(at + ".name") + " '" + s.name + "' is given twice");
      }
      List<String> sql = values.strings(at + ".sql", s.sql);
      if (sql.isEmpty()) {
        throw origins.missing(at + ".sql", "a step runs at least one statement");
      }
      boolean enabled = true;
      if (s.run != null) {
        // Whether YAML reads on/off as words or as booleans, both forms mean the same here.
        String v = s.run.asText().trim();
        if (s.run.isBoolean()) {
          enabled = s.run.booleanValue();
        } else if (v.equals("on") || v.equals("off")) {
          enabled = v.equals("on");
        } else {
          throw origins.bad(at + ".run", s.run, "on or off");
        }
      }
      out.add(new SqlSpec.Step(s.name, sql, enabled));
    }
    return out;
  }
}
