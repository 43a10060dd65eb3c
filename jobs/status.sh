#!/usr/bin/env bash
# A job's runs as the database has them (state, counts, notes), however they were started, then
# Flink's view: state and pgingest's live counters from the REST API.
#   jobs/status.sh [SPEC|JOB] [--run N]       runs from $PGINGEST_JDBC_URL (PGUSER/PGPASSWORD)
#   jobs/status.sh --flink-job JOB_ID         one Flink job from the REST API only
# An open run whose Flink job failed or was cancelled is recorded as such on the way.
set -euo pipefail
source "$(dirname "$0")/flink-cli.sh"
jar="$PGINGEST_ROOT/target/pgingest.jar"
[ -f "$jar" ] || { echo "no $jar; build it with: mvn -B -q package -DskipTests" >&2; exit 1; }
if [ "${1:-}" = "--flink-job" ]; then
  java -cp "$jar" dev.pgingest.cli.ClusterStatus "http://$FLINK_REST" "${2:?JOB_ID}"
  exit
fi
if [ -n "${PGINGEST_JDBC_URL:-}" ]; then
  java -jar "$jar" status --flink "http://$FLINK_REST" "$@"
else
  echo "(PGINGEST_JDBC_URL is not set: Flink's view only)" >&2
fi
echo
java -cp "$jar" dev.pgingest.cli.ClusterStatus "http://$FLINK_REST" || true
