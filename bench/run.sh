#!/usr/bin/env bash
# Runs the bench harness: every workload (or --only NAME[,NAME]) generated, loaded by pgingest and
# by the strongest COPY route into one fsync-on PostgreSQL, compared row for row, one table of
# figures at the end. See bench/HARNESS.md.
#   bench/run.sh                      every workload at its quotable size
#   bench/run.sh --quick              a check of the set-up, a minute or two
#   bench/run.sh --only csv-peer      one workload (names: ybrowse profiles laps genbank shop csv-peer)
set -euo pipefail
cd "$(dirname "$0")/.."

# Rebuilds target/pgingest.jar when missing or older than the sources: the job specs and the engine
# change together, so a stale jar can fail on a current spec. BENCH_NO_BUILD=1 skips the rebuild of
# a jar that exists.
if [[ ! -f target/pgingest.jar ]] || { [[ -z ${BENCH_NO_BUILD:-} ]] &&
    [[ -n $(find src pom.xml jobs -newer target/pgingest.jar -print -quit) ]]; }; then
  echo "bench: building target/pgingest.jar"
  mvn -B -q package -DskipTests
fi

# Private copies of the jar and the job specs: others may rebuild target/ or edit jobs/ while a long
# run is under way, and everything one run measures must come from the same code. A copy taken
# while another build rewrites the jar is corrupt, so it is tested and retried.
mkdir -p bench/work/jobs target/bench-classes
jar=bench/work/pgingest.jar
for attempt in $(seq 1 30); do
  cp target/pgingest.jar "$jar.part"
  if unzip -tqq "$jar.part" >/dev/null 2>&1; then
    break
  fi
  if [[ $attempt == 30 ]]; then
    echo "bench: target/pgingest.jar stays unreadable (being rebuilt?); giving up" >&2
    exit 1
  fi
  echo "bench: target/pgingest.jar is being rewritten; retrying in 10 s"
  sleep 10
done
if ! cmp -s "$jar.part" "$jar"; then
  mv "$jar.part" "$jar"
else
  rm -f "$jar.part"
fi
cp jobs/*.yaml bench/work/jobs/

# The generators are the tests' own (src/test), so the harness and the tests share one input shape.
t=src/test/java/dev/pgingest/workload
javac -nowarn -encoding UTF-8 -cp "$jar" -d target/bench-classes bench/*.java \
  $t/ybrowse/YBrowseDump.java $t/profiles/ProfilesDump.java $t/laps/RaceDump.java \
  $t/genbank/GenbankDump.java $t/shop/ShopExports.java

cmd=(java "-Xmx${BENCH_XMX:-4g}" -cp "target/bench-classes:$jar" Harness --jar "$jar" \
  --jobs bench/work/jobs --bench bench --work bench/work "$@")
echo "bench: reproduce with: bench/run.sh${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
