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
# Application mode (what Flink's standalone-job.sh does): a cluster of its own for one job.
#
#   jobs/local-cluster.sh application SPEC [--input PATH]... [--jdbc-url URL] [--set K=V]...
#       starts StandaloneApplicationClusterEntryPoint with target/pgingest-job.jar as the job jar
#       (--jars local://…, shipped to the TaskManager by the blob server), --job-classname
#       dev.pgingest.cli.ClusterJob and the job's args, plus one TaskManager; prints the Flink job
#       id once the job was submitted. ClusterJob.main() runs in the JobManager, attached
#       (execution.attached: true),
#       so it records the run's end (or its failure) as a local run does; paths are read there,
#       relative to this directory. The cluster shuts down when the job ends.
#   jobs/local-cluster.sh wait [SECONDS]      wait until the application's JobManager exited, stop
#                                             its TaskManagers; exit status: the JobManager's (0 = the
#                                             job succeeded)
#   kill-taskmanager, start-taskmanager, status and stop work on it too.
#
# Its state is separate: default target/local-application, REST and RPC ports the first free ones
# from 8082 and 6124, recorded in that dir, so it runs beside a session cluster.
#
# Environment: PGINGEST_CLUSTER_DIR (state, logs, pids; default target/local-cluster, for
# `application` target/local-application), FLINK_REST_PORT (default 8081), FLINK_RPC_PORT
# (default 6123), S3_ENDPOINT / AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = application ] || [ "${1:-}" = wait ]; then
  DIR="${PGINGEST_CLUSTER_DIR:-$ROOT/target/local-application}"
else
  DIR="${PGINGEST_CLUSTER_DIR:-$ROOT/target/local-cluster}"
fi
FLINK_VERSION="$(sed -n 's:.*<flink.version>\(.*\)</flink.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
mkdir -p "$DIR/log" "$DIR/checkpoints" "$DIR/savepoints"
# Ports a cluster started in this dir chose (application mode picks free ones); env wins.
RECORDED_REST_PORT="" RECORDED_RPC_PORT=""
# shellcheck disable=SC1091
[ -f "$DIR/ports.env" ] && source "$DIR/ports.env"
REST_PORT="${FLINK_REST_PORT:-${RECORDED_REST_PORT:-8081}}"
RPC_PORT="${FLINK_RPC_PORT:-${RECORDED_RPC_PORT:-6123}}"
# shellcheck source=jobs/flink-cli.sh
source "$ROOT/jobs/flink-cli.sh"

# The cluster's classpath: Flink's runtime, web UI, RocksDB, Prometheus reporter and log4j,
# resolved by Maven from a throwaway pom (no Flink distribution is published for 2.x).
classpath() {
  local pom
  pom="$(cat <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.pgingest</groupId><artifactId>local-flink-cluster</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-runtime</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-streaming-java</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-clients</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-container</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-runtime-web</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-statebackend-rocksdb</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.flink</groupId><artifactId>flink-metrics-prometheus</artifactId><version>$FLINK_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
)"
  # Resolved again when the dependencies changed (a dir of an older version of this script).
  if [ ! -s "$DIR/classpath.txt" ] || [ "$pom" != "$(cat "$DIR/pom.xml" 2>/dev/null)" ]; then
    rm -f "$DIR/classpath.txt"
    printf '%s\n' "$pom" > "$DIR/pom.xml"
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
    -D "jobmanager.rpc.port=$RPC_PORT"
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
  local out
  out="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" \
    --configDir "$ROOT/flink-conf" "${dyn[@]}" 2>&1)" || true
  if ! grep -q '^BASH_JAVA_UTILS_EXEC_RESULT:' <<< "$out"; then
    echo "local-cluster: BashJavaUtils $what failed: $out" >&2
    return 1
  fi
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<< "$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://' | tail -n 2
}

# start_process NAME MAIN WHAT [MAIN_ARGS...]: the JVM in the background, its pid in NAME-N.pid and,
# once it exited, its exit status in NAME-N.exit.
start_process() {
  local name="$1" main="$2" what="$3"
  shift 3
  local cp; cp="$(classpath)"
  log4j_config
  local params; params="$(resource_params "$what" "$cp")"
  local jvm dynamic
  jvm="$(echo "$params" | head -n 1)"
  dynamic="$(echo "$params" | tail -n 1)"
  mapfile -t dyn < <(dynamic_properties)
  local n=0
  while [ -e "$DIR/$name-$n.pid" ] && kill -0 "$(cat "$DIR/$name-$n.pid")" 2>/dev/null; do n=$((n + 1)); done
  rm -f "$DIR/$name-$n.pid" "$DIR/$name-$n.exit"
  # shellcheck disable=SC2086
  # The wrapper keeps no descriptor of the caller but the log (`application` holds its stdout in
  # fd 3): a caller reading the script's output must not wait for the cluster to end.
  (
    exec 3>&-
    FLINK_PLUGINS_DIR="$DIR/plugins" nohup java "${FLINK_JAVA_OPENS[@]}" $jvm \
      -Dlog.file="$DIR/log/$name-$n.log" -Dlog4j.configurationFile="file://$DIR/log4j.properties" \
      -cp "$cp" "$main" --configDir "$ROOT/flink-conf" "${dyn[@]}" $dynamic "$@" \
      > "$DIR/log/$name-$n.out" 2>&1 < /dev/null &
    echo $! > "$DIR/$name-$n.pid.tmp"
    mv "$DIR/$name-$n.pid.tmp" "$DIR/$name-$n.pid"
    rc=0
    wait $! || rc=$?
    echo "$rc" > "$DIR/$name-$n.exit"
  ) > /dev/null 2>&1 < /dev/null &
  while [ ! -e "$DIR/$name-$n.pid" ]; do sleep 0.1; done
  echo "$name started, pid $(cat "$DIR/$name-$n.pid"), log $DIR/log/$name-$n.log"
}

# The first port from $1 on that nothing on 127.0.0.1 listens on.
free_port() {
  local p="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
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
    if [ -z "$(alive_pids jobmanager)" ]; then
      echo "local-cluster: the JobManager exited; see $DIR/log" >&2
      return 1
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
    printf 'RECORDED_REST_PORT=%s\nRECORDED_RPC_PORT=%s\n' "$REST_PORT" "$RPC_PORT" > "$DIR/ports.env"
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
  application)
    shift
    [ $# -ge 1 ] || { echo "usage: $0 application SPEC [job args]" >&2; exit 2; }
    if [ -n "$(alive_pids jobmanager)" ]; then echo "already running in $DIR: jobmanager pid $(alive_pids jobmanager)" >&2; exit 1; fi
    require_job_jar
    REST_PORT="${FLINK_REST_PORT:-$(free_port 8082)}"
    RPC_PORT="${FLINK_RPC_PORT:-$(free_port 6124)}"
    printf 'RECORDED_REST_PORT=%s\nRECORDED_RPC_PORT=%s\n' "$REST_PORT" "$RPC_PORT" > "$DIR/ports.env"
    spec="$1"; shift
    # Only the job id on stdout (fd 3 from here), the rest on stderr.
    exec 3>&1 1>&2
    mkdir -p "$DIR/artifacts"
    # No JobManager runs here, so it is number 0; its log tells this application only.
    rm -f "$DIR"/log/jobmanager-* "$DIR"/jobmanager-*.exit
    start_process jobmanager org.apache.flink.container.entrypoint.StandaloneApplicationClusterEntryPoint \
      GET_JM_RESOURCE_PARAMS -D "execution.attached=true" -D "user.artifacts.base-dir=$DIR/artifacts" \
      --jars "local://$PGINGEST_JOB_JAR" --job-classname dev.pgingest.cli.ClusterJob \
      --spec "$spec" "$@"
    start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS
    # The job id, from the JobManager's log (Flink 2.3 does not take --job-id for the job main()
    # submits); there even if a short job ended before this looked.
    jm_log="$DIR/log/jobmanager-0.log"
    for _ in $(seq 1 120); do
      job_id="$(grep -oE 'Job .* \([0-9a-f]{32}\) switched from state' "$jm_log" 2>/dev/null \
        | head -1 | sed -E 's/.*\(([0-9a-f]{32})\) switched from state/\1/' || true)"
      if [ -n "$job_id" ]; then
        echo "Flink web UI: http://127.0.0.1:$REST_PORT/ (until the job ended)"
        echo "$job_id" >&3
        exit 0
      fi
      if [ -z "$(alive_pids jobmanager)" ]; then
        echo "the application ended without a job; see $jm_log" >&2
        stop_all
        exit 1
      fi
      sleep 1
    done
    echo "no job after 120 s; see $DIR/log" >&2
    exit 1
    ;;
  wait)
    deadline=$((SECONDS + ${2:-86400}))
    while [ -n "$(alive_pids jobmanager)" ]; do
      if [ "$SECONDS" -ge "$deadline" ]; then echo "JobManager still running after ${2:-86400}s" >&2; exit 124; fi
      sleep 1
    done
    # The wrapper writes the status just after the JVM ended.
    for _ in $(seq 1 20); do compgen -G "$DIR/jobmanager-*.exit" > /dev/null && break; sleep 0.5; done
    # shellcheck disable=SC2012
    rc="$(cat "$(ls -t "$DIR"/jobmanager-*.exit 2>/dev/null | head -1)" 2>/dev/null || echo 1)"
    stop_all >&2
    echo "application ended: JobManager exit status $rc"
    exit "$rc"
    ;;
  classpath) classpath ;;
  *) echo "usage: $0 start|stop|status|kill-taskmanager|start-taskmanager|application SPEC [args]|wait [SECONDS]" >&2; exit 2 ;;
esac
