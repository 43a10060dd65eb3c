package dev.pgingest.cli;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunResult;
import dev.pgingest.sink.Database;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.SpecNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of {@code pgingest-job.jar} under {@code flink run}: reads the spec on the client
 * (its content travels in the job graph, not a path the cluster may not see) and submits it.
 *
 * <p>{@code flink run -d} returns once the job is submitted and prints its id; attached {@code
 * flink run} waits, then records counts and builds deferred indexes like the local runner.
 */
public final class ClusterJob {
  static final String USAGE =
      "Usage: flink run [-d] [-s SAVEPOINT] pgingest-job.jar --spec SPEC [--input PATH]..."
          + " [--jdbc-url URL] [--parallelism N] [--set KEY=VALUE]...\n"
          + "  --jdbc-url defaults to $PGINGEST_JDBC_URL; PGUSER/PGPASSWORD give credentials.";

  private ClusterJob() {}

  public static void main(String[] args) throws Exception {
    String spec = null;
    String jdbcUrl = System.getenv("PGINGEST_JDBC_URL");
    List<String> inputs = new ArrayList<>();
    Map<String, String> sets = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (arg) {
        case "--spec" -> spec = v;
        case "--input" -> inputs.add(v);
        case "--jdbc-url" -> jdbcUrl = v;
        case "--parallelism" -> sets.put("options.parallelism", v);
        case "--set" -> SpecLoader.addOverride(sets, v);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (spec == null || jdbcUrl == null) {
      throw new IllegalArgumentException("--spec and --jdbc-url (or PGINGEST_JDBC_URL) are required\n" + USAGE);
    }
    try {
      JobSpec parsed = SpecLoader.load(spec, inputs, sets);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      IngestRun run = new IngestRun(parsed, Database.fromEnvironment(jdbcUrl));
      if (env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
        RunResult result = run.execute(env);
        System.out.println("Run " + result.runId() + " succeeded:\n" + result.toJson());
      } else {
        IngestRun.Submitted s = run.submitDetached(env);
        System.out.println("pgingest run " + s.runId() + " submitted as Flink job " + s.jobId());
      }
    } catch (SpecNotFoundException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (SpecException e) {
      throw new IllegalArgumentException("bad job spec: " + e.getMessage(), e);
    } catch (RunFailure e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
