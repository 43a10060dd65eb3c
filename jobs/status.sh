#!/usr/bin/env bash
# A job's state and pgingest's counters (read, rejected, duplicates, written) from the REST API;
# without JOB_ID, every job the cluster knows.
#   jobs/status.sh [JOB_ID]
set -euo pipefail
source "$(dirname "$0")/flink-cli.sh"
jar="$PGINGEST_ROOT/target/pgingest.jar"
[ -f "$jar" ] || { echo "no $jar; build it with: mvn -B -q package -DskipTests" >&2; exit 1; }
java -cp "$jar" dev.pgingest.cli.ClusterStatus "http://$FLINK_REST" "$@"
