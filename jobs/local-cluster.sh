#!/usr/bin/env bash
# A real Flink standalone session cluster on this machine, without Docker or a Flink download:
# JobManager and TaskManager as separate JVMs from Maven Central artifacts, bound to 127.0.0.1,
# configured by flink-conf/config.yaml plus local overrides, web UI on http://127.0.0.1:8081/.
#
#   jobs/local-cluster.sh start               start JobManager + one TaskManager, wait until ready
#   jobs/local-cluster.sh stop                stop every process it started (by pid)
#   jobs/local-cluster.sh status              pids and the REST overview
#   jobs/local-cluster.sh kill-taskmanager    kill -9 the TaskManager (to watch recovery)
#   jobs/local-cluster.sh start-taskmanager   start another TaskManager
#
# Environment: PGINGEST_CLUSTER_DIR (state, logs, pids; default target/local-cluster),
# FLINK_REST_PORT (default 8081), S3_ENDPOINT / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${PGINGEST_CLUSTER_DIR:-$ROOT/target/local-cluster}"
REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_VERSION="$(sed -n 's:.*<flink.version>\(.*\)</flink.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
mkdir -p "$DIR/log" "$DIR/checkpoints" "$DIR/savepoints"
# shellcheck source=jobs/flink-cli.sh
source "$ROOT/jobs/flink-cli.sh"

# The cluster's classpath: Flink's runtime, web UI, RocksDB, Prometheus reporter and log4j,
# resolved by Maven from a throwaway pom (no Flink distribution is published for 2.x).
classpath() {
  if [ ! -s "$DIR/classpath.txt" ]; then
    cat > "$DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.pgingest</groupId><artifactId>local-flink-cluster</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-runtime</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-streaming-java</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-clients</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-runtime-web</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-statebackend-rocksdb</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-metrics-prometheus</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
    mvn -B -q -f "$DIR/pom.xml" dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt" >&2
    mvn -B -q -f "$DIR/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.apache.flink:flink-s3-fs-hadoop:$FLINK_VERSION" \
      -DoutputDirectory="$DIR/plugins/s3-fs-hadoop" >&2
  fi
  cat "$DIR/classpath.txt"
}

log4j_config() {
  cat > "$DIR/log4j.properties" <<'LOG'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
LOG
}

# Local overrides of flink-conf/config.yaml: everything on 127.0.0.1, state under $DIR.
dynamic_properties() {
  local props=(
    -D "jobmanager.rpc.address=127.0.0.1" -D "jobmanager.bind-host=127.0.0.1"
    -D "taskmanager.bind-host=127.0.0.1" -D "taskmanager.host=127.0.0.1"
    -D "rest.address=127.0.0.1" -D "rest.bind-address=127.0.0.1" -D "rest.port=$REST_PORT"
    -D "jobmanager.memory.process.size=1024m" -D "taskmanager.memory.process.size=1536m"
    -D "execution.checkpointing.dir=file://$DIR/checkpoints"
    -D "execution.checkpointing.savepoint-dir=file://$DIR/savepoints"
    -D "heartbeat.interval=2000" -D "heartbeat.timeout=20000" -D "metrics.fetcher.update-interval=2000"
    -D "metrics.reporter.prom.port=9249-9259"
    -D "s3.endpoint=${S3_ENDPOINT:-http://127.0.0.1:9000}"
  )
  [ -n "${AWS_ACCESS_KEY_ID:-}" ] && props+=(-D "s3.access-key=$AWS_ACCESS_KEY_ID")
  [ -n "${AWS_SECRET_ACCESS_KEY:-}" ] && props+=(-D "s3.secret-key=$AWS_SECRET_ACCESS_KEY")
  printf '%s\n' "${props[@]}"
}

# BashJavaUtils computes the JVM memory flags and dynamic configs Flink's own scripts would use.
resource_params() {
  local what="$1" cp="$2"
  mapfile -t dyn < <(dynamic_properties)
  java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" \
    --configDir "$ROOT/flink-conf" "${dyn[@]}" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -n 2
}

start_process() {
  local name="$1" main="$2" what="$3"
  local cp; cp="$(classpath)"
  log4j_config
  local params; params="$(resource_params "$what" "$cp")"
  local jvm dynamic
  jvm="$(echo "$params" | head -n 1)"
  dynamic="$(echo "$params" | tail -n 1)"
  mapfile -t dyn < <(dynamic_properties)
  local n=0
  while [ -e "$DIR/$name-$n.pid" ] && kill -0 "$(cat "$DIR/$name-$n.pid")" 2>/dev/null; do n=$((n + 1)); done
  # shellcheck disable=SC2086
  FLINK_PLUGINS_DIR="$DIR/plugins" nohup java "${FLINK_JAVA_OPENS[@]}" $jvm \
    -Dlog.file="$DIR/log/$name-$n.log" -Dlog4j.configurationFile="file://$DIR/log4j.properties" \
    -cp "$cp" "$main" --configDir "$ROOT/flink-conf" "${dyn[@]}" $dynamic \
    > "$DIR/log/$name-$n.out" 2>&1 < /dev/null &
  echo $! > "$DIR/$name-$n.pid"
  echo "$name started, pid $(cat "$DIR/$name-$n.pid"), log $DIR/log/$name-$n.log"
}

rest() {
  curl -sf "http://127.0.0.1:$REST_PORT$1"
}

wait_ready() {
  local want_tms="${1:-1}"
  for _ in $(seq 1 120); do
    if overview="$(rest /overview 2>/dev/null)" \
      && [ "$(echo "$overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')" -ge "$want_tms" ]; then
      echo "Flink web UI: http://127.0.0.1:$REST_PORT/"
      return 0
    fi
    sleep 1
  done
  echo "local-cluster: not ready after 120 s; see $DIR/log" >&2
  return 1
}

alive_pids() {
  for f in "$DIR"/"$1"-*.pid; do
    [ -e "$f" ] || continue
    local pid; pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then echo "$pid"; else rm -f "$f"; fi
  done
}

stop_all() {
  for f in "$DIR"/taskmanager-*.pid "$DIR"/jobmanager-*.pid; do
    [ -e "$f" ] || continue
    local pid; pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      echo "stopped pid $pid ($(basename "$f" .pid))"
    fi
    rm -f "$f"
  done
}

case "${1:-}" in
  start)
    if [ -n "$(alive_pids jobmanager)" ]; then echo "already running: jobmanager pid $(alive_pids jobmanager)"; exit 0; fi
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    wait_ready 1
    ;;
  stop) stop_all ;;
  status)
    echo "jobmanager pids: $(alive_pids jobmanager | tr '\n' ' ')"
    echo "taskmanager pids: $(alive_pids taskmanager | tr '\n' ' ')"
    rest /overview && echo || echo "REST not answering on port $REST_PORT"
    ;;
  kill-taskmanager)
    for pid in $(alive_pids taskmanager); do kill -9 "$pid"; echo "killed taskmanager pid $pid"; done
    ;;
  start-taskmanager)
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop|status|kill-taskmanager|start-taskmanager" >&2; exit 2 ;;
esac
