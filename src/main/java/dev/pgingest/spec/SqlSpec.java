package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;

/**
 * SQL the runner executes on the target database before the job starts and after it finished.
 *
 * @param before statements run once before the job (after the schema exists)
 * @param after statements run once after a successful job
 */
public record SqlSpec(List<String> before, List<String> after) implements Serializable {
  public SqlSpec {
    before = List.copyOf(before);
    after = List.copyOf(after);
  }
}
