#!/usr/bin/env bash
# Resumes a pgingest job from a savepoint, detached; prints the new Flink job id.
#   jobs/resume.sh SAVEPOINT SPEC [--input PATH]... [--jdbc-url URL] [--set KEY=VALUE]...
# Give the same spec and inputs as the stopped job: operator uids map the saved state back, and
# files already finished before the savepoint are not read again.
set -euo pipefail
source "$(dirname "$0")/flink-cli.sh"
[ $# -ge 2 ] || { echo "usage: $0 SAVEPOINT SPEC [args]" >&2; exit 2; }
require_job_jar
savepoint="$1"; spec="$2"; shift 2
out="$(flink_cli run -d -s "$savepoint" "$PGINGEST_JOB_JAR" --spec "$spec" "$@" 2>&1)" || { echo "$out" >&2; exit 1; }
echo "$out" | grep -v '^Job has been submitted' >&2 || true
echo "$out" | grep -oE 'JobID [0-9a-f]{32}' | tail -1 | cut -d' ' -f2
