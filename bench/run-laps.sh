#!/usr/bin/env bash
# Builds what the race-laps benchmark needs and runs it once; see bench/README.md.
#   bench/run-laps.sh                    one event x3, then seasons of 50 events (LiveRC, timing CSV)
#   bench/run-laps.sh 5                  a quick one: seasons of 5 events, to check the set-up
#   bench/run-laps.sh 50 --no-timing --jfr     further options go to LapsBench
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

events=50
if [[ $# -gt 0 && $1 != -* ]]; then
  events=$1
  shift
fi

bench_build_jar
# A snapshot of its own, so it never clobbers another benchmark's.
jar=bench/work/pgingest-laps.jar
bench_snapshot "$jar" laps-liverc.yaml
cp jobs/laps-timing-csv.yaml bench/work/laps-timing-csv.yaml

# The generator is the tests' own (src/test), so the benchmark and the tests share one race shape.
javac -nowarn -cp "$jar" -d target/bench-classes bench/BenchSupport.java \
  src/test/java/dev/pgingest/testutil/RaceDump.java bench/LapsDumpGenerator.java bench/LapsBench.java

cmd=(java "-Xmx${BENCH_XMX:-1g}" -cp "target/bench-classes:$jar" LapsBench "$events" --jar "$jar" \
  --spec bench/work/laps-liverc.yaml --timing-spec bench/work/laps-timing-csv.yaml "$@")
echo "bench: reproduce with: bench/run-laps.sh $events${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
