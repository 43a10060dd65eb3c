package dev.pgingest.spec;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job spec as written in YAML, as Jackson binds it: every field optional and boxed, so that
 * {@link SpecChecker} tells "absent" from "given" and applies defaults and ranges itself.
 */
final class SpecYaml {
  private SpecYaml() {}

  /** The document's top level. */
  static final class Root {
    public String name;
    public String pipeline;
    public Source source;
    public List<Source> sources;
    public Target target;
    public List<Table> tables;
    // LinkedHashMap keeps the summary in the order written, which is the order it is shown in.
    public LinkedHashMap<String, String> summary;
    public Opts options;
    public SqlLists sql;
    public Progress progress;

    @JsonProperty("after-load")
    public List<Step> afterLoad;
  }

  /** A named step after the load: its SQL, and whether it runs. */
  static final class Step {
    public String name;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> sql;

    public JsonNode run;
  }

  /** Per-unit progress: the status table, the unit's table and what a status row sums up. */
  static final class Progress {
    public String table;
    public String unit;
    public List<ProgressColumn> columns;
  }

  /** A summed-up column of the status table: {@code count: table} or {@code max: table.column}. */
  static final class ProgressColumn {
    public String name;
    public String count;
    public String max;
  }

  /** One source; keys it does not know are a pipeline's settings or an error. */
  static final class Source {
    public String name;
    public String format;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> paths;

    public Csv csv;

    @JsonProperty("null-tokens")
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> nullTokens;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> tables;

    // Only the pipeline named in the spec knows which further keys are allowed here, so they are
    // collected rather than refused by Jackson.
    final Map<String, JsonNode> settings = new LinkedHashMap<>();

    @JsonAnySetter
    void setting(String key, JsonNode value) {
      settings.put(key, value);
    }
  }

  /** A source's CSV dialect. */
  static final class Csv {
    public String delimiter;
    public String quote;
    public Boolean header;
  }

  /** Schema and pgingest's own tables. */
  static final class Target {
    public String schema;
    public String table;

    @JsonProperty("rejects-table")
    public String rejectsTable;

    @JsonProperty("runs-table")
    public String runsTable;

    public String objects;
  }

  /** A declared table. */
  static final class Table {
    public String name;
    public String schema;
    public String mode;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> key;

    public List<Column> columns;
    public List<Index> indexes;
    public String parent;
    public Boolean create;
    public String each;

    @JsonProperty("trim-by-parent")
    public Trim trimByParent;
  }

  /** How a child table's rows follow their parent's count. */
  static final class Trim {
    public String ordinal;
    public String count;
    public Long first;
  }

  /** A column of a declared table. */
  static final class Column {
    public String name;
    public String type;
    public String field;
    public String value;

    @JsonProperty("default")
    public String sqlDefault;

    public Boolean required;

    // BigDecimal, so "1.5" and 32767 are kept exactly and a word is refused by the binding.
    public BigDecimal min;
    public BigDecimal max;
  }

  /** A secondary index of a declared table. */
  static final class Index {
    public String name;
    public String on;
    public Boolean unique;
  }

  /** Tuning knobs; durations stay text because {@link ValueChecks} reads their units itself. */
  static final class Opts {
    @JsonProperty("batch-rows")
    public Long batchRows;

    @JsonProperty("flush-interval")
    public String flushInterval;

    public Long retries;

    @JsonProperty("sink-parallelism")
    public Long sinkParallelism;

    public Long parallelism;

    @JsonProperty("checkpoint-interval")
    public String checkpointInterval;

    @JsonProperty("restart-attempts")
    public Long restartAttempts;

    @JsonProperty("restart-delay")
    public String restartDelay;

    @JsonProperty("restart-max-delay")
    public String restartMaxDelay;

    @JsonProperty("max-rejects")
    public Long maxRejects;

    @JsonProperty("max-reject-ratio")
    public Double maxRejectRatio;

    @JsonProperty("max-records-per-second")
    public Long maxRecordsPerSecond;

    @JsonProperty("max-concurrent-uploads")
    public Long maxConcurrentUploads;

    @JsonProperty("write-path")
    public String writePath;

    @JsonProperty("state-backend")
    public String stateBackend;
  }

  /** SQL before and after the load. */
  static final class SqlLists {
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> before;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> after;

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public List<String> start;
  }
}
