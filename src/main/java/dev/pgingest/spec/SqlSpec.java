package dev.pgingest.spec;

import java.io.Serializable;
import java.util.List;

/**
 * SQL the runner executes on the target database around the job.
 *
 * @param before statements run once before a new run (after the schema exists)
 * @param after statements run once after a successful job, inside the run's time
 * @param start statements run once a new run is recorded, before its job: they may use {@code
 *     {{run}}} and {@code {{files}}}
 * @param afterLoad named steps run after the run is recorded as succeeded, each timed apart from
 *     the load (summaries kept off the critical path); their rows are printed
 */
public record SqlSpec(
    List<String> before, List<String> after, List<String> start, List<Step> afterLoad)
    implements Serializable {

  /**
   * One step after the load.
   *
   * @param name what the summary calls it, and the key of {@code --set NAME=off}
   * @param sql the statements, run in one transaction; the last one's rows are printed
   * @param enabled false when the spec or {@code --set NAME=off} turned it off
   */
  public record Step(String name, List<String> sql, boolean enabled) implements Serializable {
    public Step {
      sql = List.copyOf(sql);
    }
  }

  /** Only before and after statements. */
  public SqlSpec(List<String> before, List<String> after) {
    this(before, after, List.of(), List.of());
  }

  public SqlSpec {
    before = List.copyOf(before);
    after = List.copyOf(after);
    start = List.copyOf(start);
    afterLoad = List.copyOf(afterLoad);
  }
}
