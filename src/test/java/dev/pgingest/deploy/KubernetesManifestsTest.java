package dev.pgingest.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pgingest.cli.ClusterJob;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes/, checked by structure: no Kubernetes cluster, operator or Docker engine runs
 * here, so this is what stands between a typo (a Flink key that does not exist, a jar path the
 * build does not write, a spec the image does not hold) or an insecure default (a literal password,
 * a public Service) and a user's failed or exposed deployment.
 */
class KubernetesManifestsTest {

  private static final Path DIR = Path.of("deploy", "kubernetes");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Where the Dockerfile puts the job specs; the operator's args name them there. */
  private static final String SPEC_DIR_IN_IMAGE = "/opt/pgingest/jobs/";

  /** The variables the pods need, each from a Secret (ClusterJob, Database, S3A). */
  private static final List<String> SECRET_ENV =
      List.of(
          "PGINGEST_JDBC_URL",
          "PGUSER",
          "PGPASSWORD",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY");

  private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|KEY|TOKEN");
  private static final Pattern SECRET_FLINK_KEY =
      Pattern.compile("password|secret|access-key|access\\.key|token", Pattern.CASE_INSENSITIVE);

  /**
   * Keys whose ConfigOption class is not on this project's test classpath (flink-kubernetes is a
   * part of the Flink distribution the image brings, not a dependency of pgingest). Keep short.
   */
  private static final Set<String> KEYS_OUTSIDE_CLASSPATH =
      Set.of(
          // org.apache.flink.kubernetes.configuration.KubernetesConfigOptions.REST_SERVICE_EXPOSED_TYPE
          "kubernetes.rest-service.exposed.type");

  /** A metric reporter's keys: named per reporter (MetricOptions' "metrics.reporter.<name>."). */
  private static final Pattern REPORTER_KEY =
      Pattern.compile("metrics\\.reporter\\.[a-z0-9_-]+\\.(factory\\.class|port|interval)");

  /**
   * Keys set in both flink-conf/config.yaml (docker-compose) and a FlinkDeployment whose values
   * differ on purpose; every other shared key must agree.
   */
  private static final Map<String, String> INTENDED_DIFFERENCES =
      Map.of(
          "execution.checkpointing.dir", "S3 on Kubernetes, a shared volume in docker-compose",
          "execution.checkpointing.savepoint-dir", "S3 on Kubernetes, a shared volume in compose",
          "taskmanager.numberOfTaskSlots", "one slot per CPU of a TaskManager pod",
          "metrics.reporter.prom.port", "one Flink process per pod, so one port");

  /** The session cluster only: the operator submits session jobs by jar upload (FLINK-35892). */
  private static final String SESSION_CLUSTER = "pgingest-session";

  private static Map<String, ConfigOption<?>> options;
  private static Map<String, String> deprecatedKeys;

  /** A parsed YAML document and the file it came from. */
  record Doc(String file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return file + " " + kind() + " " + name();
    }
  }

  @BeforeAll
  static void collectFlinkOptions() throws Exception {
    options = new TreeMap<>();
    deprecatedKeys = new TreeMap<>();
    for (String className : optionClassNames()) {
      Class<?> c;
      try {
        c = Class.forName(className, true, KubernetesManifestsTest.class.getClassLoader());
      } catch (Throwable e) { // a class of a module whose dependencies are not all here
        continue;
      }
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m)
            || !Modifier.isPublic(m)
            || !ConfigOption.class.isAssignableFrom(f.getType())) {
          continue;
        }
        ConfigOption<?> option = (ConfigOption<?>) f.get(null);
        options.put(option.key(), option);
        for (FallbackKey k : option.fallbackKeys()) {
          deprecatedKeys.put(k.getKey(), option.key());
        }
      }
    }
    // Sanity: the scan found the option classes the manifests rely on.
    assertThat(options)
        .containsKeys(
            "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir",
            "high-availability.type",
            "rest.port",
            "web.submit.enable",
            "taskmanager.numberOfTaskSlots",
            "source.reader.close.timeout");
  }

  /** Every *Options class under org.apache.flink in the Flink jars on the test classpath. */
  private static Set<String> optionClassNames() throws Exception {
    Set<String> entries = new LinkedHashSet<>();
    for (String p : List.of("surefire.test.class.path", "java.class.path")) {
      String cp = System.getProperty(p);
      if (cp != null) {
        entries.addAll(List.of(cp.split(File.pathSeparator)));
      }
    }
    entries.add(
        Path.of(
                CheckpointingOptions.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .toString());
    Set<String> names = new LinkedHashSet<>();
    for (String entry : entries) {
      Path p = Path.of(entry);
      if (!Files.isRegularFile(p)
          || !p.getFileName().toString().startsWith("flink-")
          || !entry.endsWith(".jar")) {
        continue;
      }
      try (JarFile jar = new JarFile(p.toFile())) {
        jar.stream()
            .map(JarEntry::getName)
            .filter(n -> n.startsWith("org/apache/flink/"))
            .filter(n -> n.endsWith("Options.class") && !n.contains("$"))
            .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
            .forEach(names::add);
      }
    }
    return names;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading the files

  private static List<Doc> manifests() throws Exception {
    List<Doc> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".yaml"))
              .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
              .sorted()
              .toList()) {
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode n = it.next();
            if (n != null && !n.isNull() && !n.isMissingNode()) {
              docs.add(new Doc(f.getFileName().toString(), n));
            }
          }
        }
      }
    }
    return docs;
  }

  private static List<Doc> ofKind(String kind) throws Exception {
    return manifests().stream().filter(d -> d.kind().equals(kind)).toList();
  }

  private static Doc named(String kind, String name) throws Exception {
    return ofKind(kind).stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  private static Map<String, String> flinkConfiguration(JsonNode deployment) {
    Map<String, String> conf = new LinkedHashMap<>();
    deployment
        .path("spec")
        .path("flinkConfiguration")
        .fields()
        .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
    return conf;
  }

  private static String pom() throws Exception {
    return Files.readString(Path.of("pom.xml"));
  }

  /** The file name of the cluster job jar, from pom.xml's cluster-job shade execution. */
  private static String jobJarName() throws Exception {
    String pom = pom();
    int at = pom.indexOf("<id>cluster-job</id>");
    assertThat(at).as("pom.xml has a cluster-job execution").isPositive();
    Matcher m =
        Pattern.compile("<outputFile>\\$\\{project\\.build\\.directory}/([^<]+)</outputFile>")
            .matcher(pom);
    assertThat(m.find(at)).as("cluster-job's outputFile in pom.xml").isTrue();
    return m.group(1);
  }

  private static String flinkVersion() throws Exception {
    Matcher m = Pattern.compile("<flink\\.version>([^<]+)</flink\\.version>").matcher(pom());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  private static List<String> dockerfile() throws Exception {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : Files.readAllLines(DIR.resolve("Dockerfile"))) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && cur.isEmpty())) {
        continue;
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      cur.append(t);
      out.add(cur.toString().replaceAll("\\s+", " ").strip());
      cur.setLength(0);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Checks, each returning what is wrong (so a test can also show that a bad manifest fails)

  /** Keys that are no Flink option (or a deprecated name of one), and values Flink cannot read. */
  static List<String> flinkKeyProblems(String where, Map<String, String> conf) {
    List<String> problems = new ArrayList<>();
    Map<String, String> known = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : conf.entrySet()) {
      String key = e.getKey();
      if (options.containsKey(key)) {
        known.put(key, e.getValue());
      } else if (deprecatedKeys.containsKey(key)) {
        problems.add(
            where + ": " + key + " is a deprecated key; use " + deprecatedKeys.get(key) + "");
      } else if (!KEYS_OUTSIDE_CLASSPATH.contains(key) && !REPORTER_KEY.matcher(key).matches()) {
        problems.add(where + ": " + key + " is not a Flink configuration option");
      }
    }
    Configuration parsed = Configuration.fromMap(known);
    for (String key : known.keySet()) {
      try {
        parsed.get(options.get(key));
      } catch (RuntimeException e) {
        problems.add(where + ": " + key + ": " + known.get(key) + " is not valid: " + e);
      }
    }
    return problems;
  }

  /**
   * Secrets that do not come from a Secret, and secrets in the Flink configuration (a ConfigMap).
   */
  static List<String> secretProblems(Doc deployment) {
    List<String> problems = new ArrayList<>();
    JsonNode spec = deployment.node().path("spec");
    for (String key : flinkConfiguration(deployment.node()).keySet()) {
      if (SECRET_FLINK_KEY.matcher(key).find()) {
        problems.add(
            deployment + ": flinkConfiguration." + key + " puts a secret into a ConfigMap");
      }
    }
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode template :
        List.of(
            spec.path("podTemplate"),
            spec.path("jobManager").path("podTemplate"),
            spec.path("taskManager").path("podTemplate"))) {
      for (String list : List.of("containers", "initContainers")) {
        for (JsonNode container : template.path("spec").path(list)) {
          for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            String where =
                deployment + " container " + container.path("name").asText() + " " + name;
            if (SECRET_NAME.matcher(name).find() || SECRET_ENV.contains(name)) {
              if (var.has("value")) {
                problems.add(where + " has a literal value; take it from a Secret (secretKeyRef)");
              }
              JsonNode ref = var.path("valueFrom").path("secretKeyRef");
              if (ref.path("name").asText().isBlank() || ref.path("key").asText().isBlank()) {
                problems.add(where + " does not come from valueFrom.secretKeyRef (name and key)");
              }
            }
            if ("flink-main-container".equals(container.path("name").asText())
                && template == spec.path("podTemplate")) {
              env.put(name, var);
            }
          }
        }
      }
    }
    for (String name : SECRET_ENV) {
      if (!env.containsKey(name)) {
        problems.add(deployment + ": podTemplate's flink-main-container does not set " + name);
      }
    }
    Map<String, String> strings = new LinkedHashMap<>();
    strings("", deployment.node(), strings);
    strings.forEach(
        (path, s) -> {
          if (s.toLowerCase().contains("password=")) {
            problems.add(deployment + " " + path + " holds a password in a URL: " + s);
          }
        });
    return problems;
  }

  /** Anything that publishes a REST API or Service beyond the cluster. */
  static List<String> exposureProblems(Doc doc) {
    List<String> problems = new ArrayList<>();
    JsonNode spec = doc.node().path("spec");
    if (doc.kind().equals("Service")) {
      String type = spec.path("type").asText("ClusterIP");
      if (type.equals("LoadBalancer") || type.equals("NodePort")) {
        problems.add(doc + " is of type " + type);
      }
    }
    if (doc.kind().equals("FlinkDeployment")) {
      String type = flinkConfiguration(doc.node()).get("kubernetes.rest-service.exposed.type");
      if (!"ClusterIP".equals(type)) {
        problems.add(
            doc + ": kubernetes.rest-service.exposed.type is " + type + ", must be ClusterIP");
      }
      if (spec.has("ingress")) {
        problems.add(doc + ": spec.ingress publishes the web UI and REST API");
      }
    }
    return problems;
  }

  private static void strings(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> strings(path + "." + e.getKey(), e.getValue(), out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        strings(path + "[" + i + "]", node.get(i), out);
      }
    } else if (node.isTextual()) {
      out.put(path, node.asText());
    }
  }

  private static List<String> args(Doc d) {
    List<String> args = new ArrayList<>();
    d.node().path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
    return args;
  }

  // ---------------------------------------------------------------------------------------------
  // Tests

  @Test
  void everyManifestHasApiVersionKindAndAValidName() throws Exception {
    List<Doc> docs = manifests();
    Map<String, String> apiVersionOf =
        Map.of(
            "FlinkDeployment", "flink.apache.org/v1beta1",
            "FlinkSessionJob", "flink.apache.org/v1beta1",
            "NetworkPolicy", "networking.k8s.io/v1",
            "Secret", "v1");
    for (Doc d : docs) {
      assertThat(apiVersionOf)
          .as("%s: a kind this directory is expected to hold", d)
          .containsKey(d.kind());
      assertThat(d.node().path("apiVersion").asText())
          .as(d.toString())
          .isEqualTo(apiVersionOf.get(d.kind()));
      // Flink's cluster id (the FlinkDeployment's name) is at most 45 characters, DNS-1035.
      assertThat(d.name()).as("%s: metadata.name", d).matches("[a-z]([-a-z0-9]{0,43}[a-z0-9])?");
    }
    assertThat(docs.stream().map(d -> d.file() + ":" + d.kind()).toList())
        .containsExactlyInAnyOrder(
            "flinkdeployment.yaml:FlinkDeployment",
            "flinksessionjob.yaml:FlinkDeployment",
            "flinksessionjob.yaml:FlinkSessionJob",
            "flinksessionjob.yaml:NetworkPolicy",
            "secret.yaml:Secret",
            "secret.yaml:Secret");
    assertThat(docs.stream().map(d -> d.kind() + "/" + d.name()).distinct().count())
        .as("names are unique per kind")
        .isEqualTo(docs.size());
  }

  @Test
  void flinkDeploymentsHaveTheOperatorsRequiredFields() throws Exception {
    List<Doc> deployments = ofKind("FlinkDeployment");
    assertThat(deployments).hasSize(2);
    for (Doc d : deployments) {
      JsonNode spec = d.node().path("spec");
      // Flink 2.x per the operator's FlinkVersion enum (v2_0, v2_1, v2_2 documented so far).
      assertThat(spec.path("flinkVersion").asText()).as(d.toString()).matches("v2_\\d+");
      assertThat(spec.path("serviceAccount").asText()).as(d.toString()).isNotBlank();
      assertThat(spec.path("flinkConfiguration").isObject()).as(d.toString()).isTrue();
      // The CRD declares flinkConfiguration as map<string, string>: an unquoted true or 8081
      // would be refused by the API server.
      spec.path("flinkConfiguration")
          .fields()
          .forEachRemaining(
              e ->
                  assertThat(e.getValue().isTextual())
                      .as("%s: flinkConfiguration.%s must be a quoted string", d, e.getKey())
                      .isTrue());
      for (String role : List.of("jobManager", "taskManager")) {
        JsonNode resource = spec.path(role).path("resource");
        assertThat(resource.path("memory").asText())
            .as("%s %s.resource.memory", d, role)
            .matches("\\d+[mg]");
        assertThat(resource.path("cpu").asDouble()).as("%s %s.resource.cpu", d, role).isPositive();
      }
      assertThat(
              spec.path("podTemplate").path("spec").path("containers").get(0).path("name").asText())
          .as("%s: the operator merges the template's container named flink-main-container", d)
          .isEqualTo("flink-main-container");
    }
    // The application deployment runs the job from the image; the session cluster has none.
    JsonNode job = named("FlinkDeployment", "pgingest-ybrowse").node().path("spec").path("job");
    assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/" + jobJarName());
    assertThat(job.path("entryClass").asText()).isEqualTo(ClusterJob.class.getName());
    assertThat(job.path("parallelism").asInt()).isPositive();
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
    assertThat(job.path("state").asText()).isEqualTo("running");
    assertThat(named("FlinkDeployment", SESSION_CLUSTER).node().path("spec").has("job"))
        .as("a session cluster has no job")
        .isFalse();
  }

  @Test
  void theSessionJobNamesTheSessionClusterAndTheJobJar() throws Exception {
    Doc sessionJob = named("FlinkSessionJob", "pgingest-ybrowse-session");
    JsonNode spec = sessionJob.node().path("spec");
    assertThat(spec.path("deploymentName").asText()).isEqualTo(SESSION_CLUSTER);
    assertThat(named("FlinkDeployment", SESSION_CLUSTER).file()).isEqualTo(sessionJob.file());
    JsonNode job = spec.path("job");
    assertThat(job.path("jarURI").asText())
        .matches("(https?|s3)://.+/" + Pattern.quote(jobJarName()));
    assertThat(job.path("entryClass").asText()).isEqualTo(ClusterJob.class.getName());
    assertThat(job.path("parallelism").asInt()).isPositive();
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
    assertThat(job.path("state").asText()).isIn("running", "suspended");
  }

  @Test
  void everyFlinkConfigurationKeyIsARealFlinkOptionWithAValidValue() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Doc d : ofKind("FlinkDeployment")) {
      Map<String, String> conf = flinkConfiguration(d.node());
      assertThat(conf).as(d.toString()).hasSizeGreaterThan(15);
      problems.addAll(flinkKeyProblems(d.toString(), conf));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void theKeyCheckCatchesTyposDeprecatedKeysAndBadValues() throws Exception {
    Map<String, String> conf =
        new LinkedHashMap<>(
            flinkConfiguration(named("FlinkDeployment", "pgingest-ybrowse").node()));
    assertThat(flinkKeyProblems("good", conf)).isEmpty();
    conf.put("web.submit.enabled", "false"); // typo: no such option
    conf.put("rest.port", "eighty"); // not an int
    List<String> problems = flinkKeyProblems("bad", conf);
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("web.submit.enabled is not a Flink"))
        .anySatisfy(p -> assertThat(p).contains("rest.port: eighty is not valid"));
    // A Flink 1.x name where Flink 2 still knows it as a fallback: reported with the new name.
    deprecatedKeys.entrySet().stream()
        .findFirst()
        .ifPresent(
            e ->
                assertThat(flinkKeyProblems("old", Map.of(e.getKey(), "x")))
                    .singleElement()
                    .asString()
                    .contains("deprecated key; use " + e.getValue()));
  }

  @Test
  void flinkConfigurationAgreesWithFlinkConfWhereBothSetAKey() throws Exception {
    Configuration compose = GlobalConfiguration.loadConfiguration("flink-conf");
    Map<String, String> composeKeys = compose.toMap();
    for (Doc d : ofKind("FlinkDeployment")) {
      Map<String, String> conf = flinkConfiguration(d.node());
      Configuration k8s = Configuration.fromMap(conf);
      int shared = 0;
      for (String key : conf.keySet()) {
        if (!composeKeys.containsKey(key) || INTENDED_DIFFERENCES.containsKey(key)) {
          continue;
        }
        if (d.name().equals(SESSION_CLUSTER) && key.equals("web.submit.enable")) {
          continue; // checked in webSubmitIsOffExceptWhereTheOperatorNeedsIt
        }
        shared++;
        ConfigOption<?> option = options.get(key);
        Object mine = option != null ? k8s.get(option) : conf.get(key);
        Object theirs = option != null ? compose.get(option) : composeKeys.get(key);
        assertThat(mine)
            .as("%s: %s is %s here but %s in flink-conf/config.yaml", d, key, mine, theirs)
            .isEqualTo(theirs);
      }
      assertThat(shared).as("%s: keys shared with flink-conf/config.yaml", d).isGreaterThan(15);
    }
  }

  @Test
  void webSubmitIsOffExceptWhereTheOperatorNeedsIt() throws Exception {
    Map<String, String> app =
        flinkConfiguration(named("FlinkDeployment", "pgingest-ybrowse").node());
    assertThat(app)
        .containsEntry("web.submit.enable", "false")
        .containsEntry("web.cancel.enable", "false");
    Doc session = named("FlinkDeployment", SESSION_CLUSTER);
    Map<String, String> conf = flinkConfiguration(session.node());
    // FLINK-35892: the operator submits a FlinkSessionJob through the REST jar upload.
    assertThat(conf)
        .containsEntry("web.submit.enable", "true")
        .containsEntry("web.cancel.enable", "false");
    // ... so only the operator's namespace may reach that cluster's REST port.
    Doc policy = named("NetworkPolicy", "pgingest-session-jobmanager");
    JsonNode spec = policy.node().path("spec");
    assertThat(policy.file()).isEqualTo(session.file());
    assertThat(spec.path("podSelector").path("matchLabels").path("app").asText())
        .isEqualTo(SESSION_CLUSTER);
    assertThat(spec.path("podSelector").path("matchLabels").path("component").asText())
        .isEqualTo("jobmanager");
    assertThat(spec.path("policyTypes").toString()).contains("Ingress");
    List<String> restRules = new ArrayList<>();
    for (JsonNode rule : spec.path("ingress")) {
      for (JsonNode port : rule.path("ports")) {
        if (port.path("port").asText().equals(conf.get("rest.port"))) {
          assertThat(rule.path("from")).hasSize(1);
          JsonNode from = rule.path("from").get(0);
          assertThat(from.has("podSelector") || from.has("ipBlock"))
              .as("port %s: only the operator's namespace, not pods or addresses", port)
              .isFalse();
          restRules.add(from.path("namespaceSelector").path("matchLabels").toString());
        }
      }
    }
    assertThat(restRules).singleElement().asString().contains("kubernetes.io/metadata.name");
    // The ports the NetworkPolicy opens to the cluster's own pods are the ones it configures.
    Set<String> internal =
        Stream.of("jobmanager.rpc.port", "blob.server.port")
            .map(conf::get)
            .collect(Collectors.toSet());
    assertThat(internal).doesNotContainNull().hasSize(2);
    Set<String> opened = new LinkedHashSet<>();
    spec.path("ingress")
        .forEach(r -> r.path("ports").forEach(p -> opened.add(p.path("port").asText())));
    assertThat(opened).containsExactlyInAnyOrder("8081", "6123", "6124");
    assertThat(opened).containsAll(internal);
  }

  @Test
  void stateAndHaLiveInS3() throws Exception {
    for (Doc d : ofKind("FlinkDeployment")) {
      Map<String, String> conf = flinkConfiguration(d.node());
      assertThat(conf.get("execution.checkpointing.dir")).as(d.toString()).startsWith("s3://");
      assertThat(conf.get("execution.checkpointing.savepoint-dir"))
          .as(d.toString())
          .startsWith("s3://");
      assertThat(conf).as(d.toString()).containsEntry("high-availability.type", "kubernetes");
      assertThat(conf.get("high-availability.storageDir")).as(d.toString()).startsWith("s3://");
      assertThat(conf).as(d.toString()).containsEntry("state.backend.type", "rocksdb");
    }
  }

  @Test
  void credentialsComeOnlyFromSecrets() throws Exception {
    List<String> problems = new ArrayList<>();
    Set<String> refs = new LinkedHashSet<>();
    for (Doc d : ofKind("FlinkDeployment")) {
      problems.addAll(secretProblems(d));
      for (JsonNode c : d.node().path("spec").path("podTemplate").path("spec").path("containers")) {
        for (JsonNode v : c.path("env")) {
          JsonNode ref = v.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode()) {
            refs.add(ref.path("name").asText() + "/" + ref.path("key").asText());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    // Every Secret key the pods read is in the template, whose values are all empty, and the
    // template's kubectl command sets each of them.
    Set<String> templateKeys = new LinkedHashSet<>();
    String secretText = Files.readString(DIR.resolve("secret.yaml"));
    for (Doc s : ofKind("Secret")) {
      assertThat(s.node().has("data")).as("%s: only stringData, in the open", s).isFalse();
      s.node()
          .path("stringData")
          .fields()
          .forEachRemaining(
              e -> {
                templateKeys.add(s.name() + "/" + e.getKey());
                assertThat(e.getValue().asText())
                    .as(
                        "%s: %s must stay empty in the template (no default credential)",
                        s, e.getKey())
                    .isEmpty();
                assertThat(secretText).contains("--from-literal=" + e.getKey() + "=");
              });
      assertThat(secretText).contains("kubectl create secret generic " + s.name());
    }
    assertThat(refs).hasSize(SECRET_ENV.size());
    assertThat(templateKeys).containsExactlyInAnyOrderElementsOf(refs);
    // The template is not part of what kubectl apply -k creates.
    assertThat(
            YAML.readTree(DIR.resolve("kustomization.yaml").toFile()).path("resources").toString())
        .doesNotContain("secret.yaml");
  }

  @Test
  void theSecretCheckCatchesALiteralPasswordAndAKeyInTheConfiguration() throws Exception {
    Doc good = named("FlinkDeployment", "pgingest-ybrowse");
    ObjectNode bad = good.node().deepCopy();
    ObjectNode container =
        (ObjectNode) bad.path("spec").path("podTemplate").path("spec").path("containers").get(0);
    for (JsonNode v : container.path("env")) {
      if (v.path("name").asText().equals("PGPASSWORD")) {
        ((ObjectNode) v).remove("valueFrom");
        ((ObjectNode) v).put("value", "hunter2");
      }
    }
    ((ObjectNode) bad.path("spec").path("flinkConfiguration")).put("s3.secret-key", "abc");
    List<String> problems = secretProblems(new Doc("mutated", bad));
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("PGPASSWORD has a literal value"))
        .anySatisfy(p -> assertThat(p).contains("s3.secret-key puts a secret into a ConfigMap"));
    ((ObjectNode) bad.path("spec").path("flinkConfiguration"))
        .put("kubernetes.rest-service.exposed.type", "LoadBalancer");
    assertThat(exposureProblems(new Doc("mutated", bad)))
        .singleElement()
        .asString()
        .contains("must be ClusterIP");
  }

  @Test
  void nothingIsPublishedOutsideTheCluster() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Doc d : manifests()) {
      problems.addAll(exposureProblems(d));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void dockerfilePinsTheOfficialFlinkImageAndCopiesWhatTheManifestsUse() throws Exception {
    List<String> lines = dockerfile();
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).hasSize(1);
    String image = from.get(0).substring("FROM ".length()).strip();
    assertThat(image)
        .as("the base image's tag is pinned to the Flink version pom.xml builds against")
        .startsWith("flink:" + flinkVersion() + "-java17")
        .doesNotContain("latest");
    String jar = jobJarName();
    assertThat(lines)
        .as("copies the jar mvn package writes to where the FlinkDeployment's jarURI points")
        .anyMatch(
            l ->
                l.matches(
                    "COPY (--chown=\\S+ )?target/"
                        + Pattern.quote(jar)
                        + " /opt/flink/usrlib/"
                        + Pattern.quote(jar)));
    assertThat(lines)
        .anyMatch(
            l ->
                l.matches(
                    "COPY (--chown=\\S+ )?jobs/\\*\\.yaml " + Pattern.quote(SPEC_DIR_IN_IMAGE)))
        .anyMatch(
            l ->
                l.matches(
                    "COPY (--chown=\\S+ )?jobs/samples "
                        + Pattern.quote(SPEC_DIR_IN_IMAGE)
                        + "samples/?"));
    String plugin = "flink-s3-fs-hadoop-" + flinkVersion() + ".jar";
    assertThat(lines)
        .as("enables the S3 plugin from the distribution's opt/ in a folder of its own")
        .anyMatch(
            l ->
                l.startsWith("RUN ")
                    && l.contains(
                        "cp /opt/flink/opt/" + plugin + " /opt/flink/plugins/s3-fs-hadoop/")
                    && l.contains("mkdir -p /opt/flink/plugins/s3-fs-hadoop"));
    assertThat(Path.of("jobs", "samples")).isDirectory();
    // Every manifest runs the image this Dockerfile documents building.
    Set<String> images = new LinkedHashSet<>();
    for (Doc d : ofKind("FlinkDeployment")) {
      images.add(d.node().path("spec").path("image").asText());
    }
    assertThat(images).singleElement().asString().matches("\\S+/pgingest-job:[0-9][\\w.-]*");
    assertThat(Files.readString(DIR.resolve("Dockerfile")))
        .contains("-t " + images.iterator().next());
  }

  @Test
  void theJobsSpecIsInTheRepositoryWhereTheImageCopiesItFrom() throws Exception {
    List<Doc> jobs = new ArrayList<>(ofKind("FlinkSessionJob"));
    jobs.add(named("FlinkDeployment", "pgingest-ybrowse"));
    for (Doc d : jobs) {
      List<String> args = args(d);
      int i = args.indexOf("--spec");
      assertThat(i).as("%s: args has --spec", d).isNotNegative();
      String spec = args.get(i + 1);
      assertThat(spec).as(d.toString()).startsWith(SPEC_DIR_IN_IMAGE);
      String name = spec.substring(SPEC_DIR_IN_IMAGE.length());
      assertThat(name)
          .as("%s: a spec at the top of jobs/ (what COPY jobs/*.yaml takes)", d)
          .matches("[^/]+\\.yaml");
      assertThat(Path.of("jobs", name)).as(d.toString()).isRegularFile();
      int in = args.indexOf("--input");
      if (in >= 0) {
        assertThat(args.get(in + 1))
            .as("%s: --input on storage every TaskManager reads", d)
            .startsWith("s3://");
      }
      assertThat(args).as(d.toString()).noneMatch(a -> a.startsWith("--jdbc-url"));
    }
  }

  @Test
  void kustomizationListsExistingManifests() throws Exception {
    JsonNode k = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
    List<String> resources = new ArrayList<>();
    k.path("resources").forEach(r -> resources.add(r.asText()));
    assertThat(resources).contains("flinkdeployment.yaml");
    for (String r : resources) {
      assertThat(DIR.resolve(r)).isRegularFile();
    }
    for (Iterator<String> it = resources.iterator(); it.hasNext(); ) {
      assertThat(Objects.requireNonNull(it.next())).doesNotContain("secret");
    }
  }
}
