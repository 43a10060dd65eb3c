#!/usr/bin/env bash
# Builds what the profiles benchmark needs and runs it once; see bench/README.md.
#   bench/run-profiles.sh                500,000 profiles, 2% repeated, 10% of ids already known
#   bench/run-profiles.sh 50000          a quick run, to check the set-up
#   bench/run-profiles.sh 500000 --csv --gz --keep-db     further options go to ProfilesBench
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

records=500000
if [[ $# -gt 0 && $1 != -* ]]; then
  records=$1
  shift
fi

bench_build_jar
# A snapshot of its own, so it never clobbers a YBrowse run's.
jar=bench/work/pgingest-profiles.jar
bench_snapshot "$jar" profiles.yaml

# The generator is the tests' own (src/test), so the benchmark and the tests share one dump shape.
javac -nowarn -cp "$jar" -d target/bench-classes bench/BenchSupport.java \
  src/test/java/dev/pgingest/testutil/ProfilesDump.java bench/ProfilesBench.java

cmd=(java "-Xmx${BENCH_XMX:-2g}" -cp "target/bench-classes:$jar" ProfilesBench "$records" --jar "$jar" \
  --spec bench/work/profiles.yaml "$@")
echo "bench: reproduce with: bench/run-profiles.sh $records${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
