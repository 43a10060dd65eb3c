package dev.pgingest.spec;

import java.time.Duration;

/** Checks {@code options}: each tuning knob within its range, the default where absent. */
final class OptionChecks {
  private final ValueChecks values;

  OptionChecks(ValueChecks values) {
    this.values = values;
  }

  Options options(SpecYaml.Opts o) {
    Options d = Options.defaults();
    // Every knob has a default, so that a spec names only the ones it changes.
    return new Options(
        (int) values.integer("options.batch-rows", o.batchRows, d.batchRows(), 1, 100_000),
        values.duration(
            "options.flush-interval", o.flushInterval, d.flushInterval(), Duration.ofMillis(10)),
        (int) values.integer("options.retries", o.retries, d.retries(), 0, 100),
        (int)
            values.integer(
                "options.sink-parallelism", o.sinkParallelism, d.sinkParallelism(), 1, 64),
        (int) values.integer("options.parallelism", o.parallelism, d.parallelism(), 1, 256),
        values.duration(
            "options.checkpoint-interval",
            o.checkpointInterval,
            d.checkpointInterval(),
            Duration.ofMillis(100)),
        (int)
            values.integer(
                "options.restart-attempts", o.restartAttempts, d.restartAttempts(), 0, 1000),
        values.duration("options.restart-delay", o.restartDelay, d.restartDelay(), Duration.ZERO),
        values.duration(
            "options.restart-max-delay", o.restartMaxDelay, d.restartMaxDelay(), Duration.ZERO),
        values.integer("options.max-rejects", o.maxRejects, d.maxRejects(), -1, Long.MAX_VALUE),
        values.ratio("options.max-reject-ratio", o.maxRejectRatio, d.maxRejectRatio()),
        values.integer(
            "options.max-records-per-second",
            o.maxRecordsPerSecond,
            d.maxRecordsPerSecond(),
            0,
            Long.MAX_VALUE),
        (int)
            values.integer(
                "options.max-concurrent-uploads",
                o.maxConcurrentUploads,
                d.maxConcurrentUploads(),
                1,
                1000),
        values.choice("options.write-path", o.writePath, d.writePath(), Options.WritePath.values()),
        values.choice(
            "options.state-backend",
            o.stateBackend,
            d.stateBackend(),
            Options.StateBackend.values()));
  }
}
