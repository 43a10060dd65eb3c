#!/usr/bin/env bash
# Builds what the profiles benchmark needs and runs it once; see bench/README.md.
#   bench/run-profiles.sh                500,000 profiles, 2% repeated, 10% of ids already known
#   bench/run-profiles.sh 50000          a quick run, to check the set-up
#   bench/run-profiles.sh 500000 --csv --gz --keep-db     further options go to ProfilesBench
set -euo pipefail
cd "$(dirname "$0")/.."

records=500000
if [[ $# -gt 0 && $1 != -* ]]; then
  records=$1
  shift
fi

# Rebuilt when missing or older than the sources, as in run.sh. BENCH_NO_BUILD=1 skips.
if [[ ! -f target/pgingest.jar ]] || { [[ -z ${BENCH_NO_BUILD:-} ]] &&
    [[ -n $(find src pom.xml jobs -newer target/pgingest.jar -print -quit) ]]; }; then
  echo "bench: building target/pgingest.jar"
  mvn -B -q package -DskipTests
fi

# Private copies of the jar and the spec, so a rebuild or an edit mid-run cannot mix two versions;
# a copy taken while another build rewrites the jar is corrupt, so it is tested and retried.
mkdir -p bench/work target/bench-classes
for attempt in $(seq 1 30); do
  cp target/pgingest.jar bench/work/pgingest-profiles.jar.part
  if unzip -tqq bench/work/pgingest-profiles.jar.part >/dev/null 2>&1; then
    break
  fi
  if [[ $attempt == 30 ]]; then
    echo "bench: target/pgingest.jar stays unreadable (being rebuilt?); giving up" >&2
    exit 1
  fi
  echo "bench: target/pgingest.jar is being rewritten; retrying in 10 s"
  sleep 10
done
mv bench/work/pgingest-profiles.jar.part bench/work/pgingest-profiles.jar
cp jobs/profiles.yaml bench/work/profiles.yaml
jar=bench/work/pgingest-profiles.jar

# The generator is the tests' own (src/test), so the benchmark and the tests share one dump shape.
javac -nowarn -cp "$jar" -d target/bench-classes \
  src/test/java/dev/pgingest/testutil/ProfilesDump.java bench/ProfilesBench.java

cmd=(java "-Xmx${BENCH_XMX:-2g}" -cp "target/bench-classes:$jar" ProfilesBench "$records" --jar "$jar" \
  --spec bench/work/profiles.yaml "$@")
echo "bench: reproduce with: bench/run-profiles.sh $records${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
