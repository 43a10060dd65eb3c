#!/usr/bin/env bash
# Stops a running job with a savepoint; prints the savepoint's path (give it to resume.sh).
#   jobs/stop-with-savepoint.sh JOB_ID [SAVEPOINT_DIR]
# Without SAVEPOINT_DIR the cluster's execution.checkpointing.savepoint-dir is used.
set -euo pipefail
source "$(dirname "$0")/flink-cli.sh"
[ $# -ge 1 ] || { echo "usage: $0 JOB_ID [SAVEPOINT_DIR]" >&2; exit 2; }
args=(stop)
[ $# -ge 2 ] && args+=(--savepointPath "$2")
out="$(flink_cli "${args[@]}" "$1" 2>&1)" || { echo "$out" >&2; exit 1; }
echo "$out" | grep -oE 'Savepoint completed\. Path: .*' | sed 's/^Savepoint completed\. Path: //'
