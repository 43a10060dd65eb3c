package dev.pgingest.run;

import dev.pgingest.spec.JobSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** Finds the unfinished run of a job that a new run resumes, settling the ones it does not. */
final class Resumption {
  /** The run to resume and the savepoint or checkpoint it resumes from. */
  record Target(long runId, String restorePath) {}

  private final JobSpec spec;
  private final RunLog log;
  private final Consumer<String> notes;

  Resumption(JobSpec spec, RunLog log, Consumer<String> notes) {
    this.spec = spec;
    this.log = log;
    this.notes = notes;
  }

  /**
   * The newest run of this job when it can and should be resumed: dead (its lock free), with a
   * restore point on disk, unless {@code fresh} deletes those. Throws {@link RunFailure} when it is
   * still running elsewhere, or could resume but the spec or inputs changed since, rather than
   * silently starting over.
   */
  Optional<Target> find(Connection c, Path checkpointBase, boolean fresh, String inputsHash)
      throws SQLException {
    RunLog.Row last = log.latest(c, spec.name());
    if (last == null
        || !(last.status().equals("running")
            || last.status().equals("interrupted")
            || last.status().equals("failed"))) {
      return Optional.empty();
    }
    if (last.status().equals("running")) {
      if (!log.lock(c, last.runId())) {
        throw new RunFailure(
            "Run "
                + last.runId()
                + " of job '"
                + spec.name()
                + "' is still running in another"
                + " pgingest; wait for it to end or stop it first.");
      }
      log.unlock(c, last.runId());
      log.interrupted(c, last.runId(), "the runner stopped without finishing (killed or crashed)");
    }
    Path dir = Checkpoints.runDir(checkpointBase, last);
    if (fresh) {
      Checkpoints.delete(dir);
      if (!last.status().equals("failed")) {
        log.interrupted(c, last.runId(), "not resumed: a later run started over (--fresh)");
      }
      return Optional.empty();
    }
    var point = Checkpoints.newest(dir);
    if (point.isEmpty()) {
      if (!last.status().equals("failed")) {
        notes.accept("run " + last.runId() + " stopped before its first checkpoint; starting over");
      }
      return Optional.empty();
    }
    if (!spec.hash().equals(last.specHash())) {
      throw new RunFailure(
          "Run "
              + last.runId()
              + " of job '"
              + spec.name()
              + "' is unfinished but the spec (or a"
              + " --set) changed since; run it unchanged to resume, or add --fresh to start over.");
    }
    if (!inputsHash.equals(last.inputsHash())) {
      throw new RunFailure(
          "Run "
              + last.runId()
              + " of job '"
              + spec.name()
              + "' is unfinished but its input"
              + " files changed since; give the same inputs to resume, or add --fresh to start"
              + " over.");
    }
    notes.accept(
        "resuming run "
            + last.runId()
            + " from "
            + point.get().label()
            + (last.percent() == null
                ? ""
                : String.format(Locale.ROOT, ", %.0f%% done", last.percent()))
            + " (--fresh starts over)");
    return Optional.of(new Target(last.runId(), point.get().path()));
  }
}
