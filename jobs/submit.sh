#!/usr/bin/env bash
# Submits a pgingest job to a Flink cluster, detached; prints the Flink job id.
#   jobs/submit.sh SPEC [--input PATH]... [--jdbc-url URL] [--parallelism N] [--set KEY=VALUE]...
# The spec is read here and travels inside the job; --jdbc-url defaults to $PGINGEST_JDBC_URL,
# credentials come from PGUSER/PGPASSWORD. Cluster: $FLINK_HOME, or the REST address $FLINK_REST.
set -euo pipefail
source "$(dirname "$0")/flink-cli.sh"
[ $# -ge 1 ] || { echo "usage: $0 SPEC [args]" >&2; exit 2; }
require_job_jar
spec="$1"; shift
out="$(flink_cli run -d "$PGINGEST_JOB_JAR" --spec "$spec" "$@" 2>&1)" || { echo "$out" >&2; exit 1; }
echo "$out" | grep -v '^Job has been submitted' >&2 || true
echo "$out" | grep -oE 'JobID [0-9a-f]{32}' | tail -1 | cut -d' ' -f2
