package dev.pgingest.graph;

import dev.pgingest.mapping.DeclaredPipeline;
import dev.pgingest.spec.JobSpec;
import dev.pgingest.spec.SpecException;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry of pipeline definitions, by the name specs use. Workloads register themselves in
 * {@code META-INF/services/dev.pgingest.graph.PipelineDef}, so the engine imports none of them.
 */
public final class Pipelines {
  private static final Map<String, PipelineDef<?, ?>> ALL = new TreeMap<>();

  static {
    for (PipelineDef<?, ?> p :
        ServiceLoader.load(PipelineDef.class, Pipelines.class.getClassLoader())) {
      ALL.put(p.name(), p);
    }
  }

  private Pipelines() {}

  /** The spec's Java pipeline, or the declared one when it names none. */
  public static PipelineDef<?, ?> forSpec(JobSpec spec) {
    return spec.pipeline() == null ? declared() : forName(spec.pipeline());
  }

  /** The pipeline of jobs declared in YAML alone. */
  public static PipelineDef<?, ?> declared() {
    return new DeclaredPipeline();
  }

  /** The names specs may use under {@code pipeline}, sorted. */
  public static Set<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(ALL.keySet()));
  }

  /** Every format some pipeline (or a declared job) reads, sorted. */
  public static Set<String> formats() {
    Set<String> out = new TreeSet<>(declared().formats());
    ALL.values().forEach(p -> out.addAll(p.formats()));
    return Collections.unmodifiableSet(out);
  }

  /** The pipeline a spec names, or a {@link SpecException} naming the key. */
  public static PipelineDef<?, ?> forName(String name) {
    PipelineDef<?, ?> p = ALL.get(name);
    if (p == null) {
      throw new SpecException(
          "key 'pipeline' is '" + name + "'; known pipelines: " + String.join(", ", ALL.keySet()));
    }
    return p;
  }
}
