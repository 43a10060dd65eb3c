package dev.pgingest.cli;

import dev.pgingest.run.IngestRun;
import dev.pgingest.run.RunFailure;
import dev.pgingest.run.RunResult;
import dev.pgingest.sink.Database;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SpecException;
import dev.pgingest.spec.SpecNotFoundException;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code pgingest-job.jar} under {@code flink run}: reads the spec on the client
 * (its content travels in the job graph, not a path the cluster may not see) and submits it.
 *
 * <p>{@code flink run -d} returns once the job is submitted and prints its id; attached {@code
 * flink run} waits, then records counts and builds deferred indexes like the local runner.
 */
public final class ClusterJob {
  /** The job jar's command line, parsed by picocli. */
  @Command(name = "pgingest-job.jar", usageHelpWidth = 100)
  static final class Args {
    @Option(
        names = "--spec",
        required = true,
        paramLabel = "SPEC",
        description = "a job spec (read here, on the client)")
    String spec;

    @Mixin JobOptions job = new JobOptions();
  }

  private ClusterJob() {}

  public static void main(String[] argv) throws Exception {
    Args a = new Args();
    CommandLine cmd = new CommandLine(a);
    try {
      cmd.parseArgs(argv);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(
          e.getMessage() + "\n" + cmd.getUsageMessage(CommandLine.Help.Ansi.OFF), e);
    }
    String jdbcUrl = a.job.jdbcUrl != null ? a.job.jdbcUrl : System.getenv("PGINGEST_JDBC_URL");
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      throw new IllegalArgumentException(
          "--jdbc-url (or PGINGEST_JDBC_URL) is required\n"
              + cmd.getUsageMessage(CommandLine.Help.Ansi.OFF));
    }
    try {
      JobSpec parsed = SpecLoader.load(a.spec, a.job.inputs, a.job.overrides());
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
