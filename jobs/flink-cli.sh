#!/usr/bin/env bash
# Runs Flink's command line against any cluster: $FLINK_HOME/bin/flink when FLINK_HOME is set,
# else Flink's CliFrontend from the Maven classpath that jobs/local-cluster.sh resolves, talking
# to the REST address in $FLINK_REST (host:port, default 127.0.0.1:8081). Sourced by the scripts.

PGINGEST_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGINGEST_JOB_JAR="${PGINGEST_JOB_JAR:-$PGINGEST_ROOT/target/pgingest-job.jar}"
FLINK_REST="${FLINK_REST:-127.0.0.1:${FLINK_REST_PORT:-8081}}"

# What Flink's own scripts pass on Java 17 (env.java.default-opts.all): Flink reaches into JDK
# internals for serialization and its DataStream translators.
FLINK_JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

flink_cli() {
  if [ -n "${FLINK_HOME:-}" ]; then
    "$FLINK_HOME/bin/flink" "$@"
    return
  fi
  local cluster_dir="${PGINGEST_CLUSTER_DIR:-$PGINGEST_ROOT/target/local-cluster}"
  local dir="$cluster_dir/client"
  mkdir -p "$dir"
  {
    printf 'rest:\n  address: %s\n  port: %s\n' "${FLINK_REST%:*}" "${FLINK_REST##*:}"
    # The client checks inputs before submitting, s3:// ones too.
    [ -n "${S3_ENDPOINT:-}" ] && printf 's3.endpoint: %s\ns3.path.style.access: true\n' "$S3_ENDPOINT"
    [ -n "${AWS_ACCESS_KEY_ID:-}" ] && printf 's3.access-key: %s\n' "$AWS_ACCESS_KEY_ID"
    [ -n "${AWS_SECRET_ACCESS_KEY:-}" ] && printf 's3.secret-key: %s\n' "$AWS_SECRET_ACCESS_KEY"
    true
  } > "$dir/config.yaml"
  printf 'rootLogger.level = WARN\nrootLogger.appenderRef.c.ref = c\nappender.c.type = Console\nappender.c.name = c\nappender.c.target = SYSTEM_ERR\nappender.c.layout.type = PatternLayout\nappender.c.layout.pattern = %%m%%n\nlogger.cli.name = org.apache.flink.client.cli.CliFrontend\nlogger.cli.level = ERROR\n' > "$dir/log4j-cli.properties"
  local cp
  cp="$("$PGINGEST_ROOT/jobs/local-cluster.sh" classpath)"
  FLINK_CONF_DIR="$dir" FLINK_PLUGINS_DIR="$cluster_dir/plugins" java "${FLINK_JAVA_OPENS[@]}" \
    -Dlog4j.configurationFile="file://$dir/log4j-cli.properties" \
    -cp "$cp" org.apache.flink.client.cli.CliFrontend "$@"
}

require_job_jar() {
  if [ ! -f "$PGINGEST_JOB_JAR" ]; then
    echo "no $PGINGEST_JOB_JAR; build it with: mvn -B -q package -DskipTests" >&2
    exit 1
  fi
}
