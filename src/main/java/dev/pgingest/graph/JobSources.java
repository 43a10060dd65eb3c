package dev.pgingest.graph;

import dev.pgingest.format.Decoded;
import dev.pgingest.spec.SourceSpec;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the graph's decoded items come from, source by source: in a run, the files each source
 * names ({@link #FILES}); in a test, items of its own, or the files with an operator after them.
 */
@FunctionalInterface
public interface JobSources {

  /** The files each source of the job names, one codec per file. */
  JobSources FILES = IngestGraph::readFiles;

  /** The decoded items of {@code source}, one of {@code job}'s sources. */
  <T> DataStream<Decoded<T>> read(
      StreamExecutionEnvironment env, ResolvedJob<T, ?> job, SourceSpec source);
}
