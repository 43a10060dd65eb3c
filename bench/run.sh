#!/usr/bin/env bash
# Builds what the YBrowse benchmark needs and runs it once; see bench/README.md.
#   bench/run.sh              3,000,000-line dump (the size of the real snps_hg38.gff3)
#   bench/run.sh 300000       a quick run
#   bench/run.sh 3000000 --gz --xmx 4g --keep-db     further options go to YBrowseBench
set -euo pipefail
cd "$(dirname "$0")/.."

lines=3000000
if [[ $# -gt 0 && $1 != -* ]]; then
  lines=$1
  shift
fi

# Rebuilt when missing or older than the sources: the job spec and the engine change together
# (e.g. {{table}} in sql.after), so a stale jar can fail on a current spec. BENCH_NO_BUILD=1 skips.
if [[ ! -f target/pgingest.jar ]] || { [[ -z ${BENCH_NO_BUILD:-} ]] &&
    [[ -n $(find src pom.xml jobs -newer target/pgingest.jar -print -quit) ]]; }; then
  echo "bench: building target/pgingest.jar"
  mvn -B -q package -DskipTests
fi

# Private copies of the jar and the spec: others may rebuild target/ or edit jobs/ while a long
# run is under way, and the COPY rows and both pgingest runs must come from the same code.
# A copy taken while another build rewrites the jar is corrupt, so it is tested and retried.
mkdir -p bench/work target/bench-classes
for attempt in $(seq 1 30); do
  cp target/pgingest.jar bench/work/pgingest.jar.part
  if unzip -tqq bench/work/pgingest.jar.part >/dev/null 2>&1; then
    break
  fi
  if [[ $attempt == 30 ]]; then
    echo "bench: target/pgingest.jar stays unreadable (being rebuilt?); giving up" >&2
    exit 1
  fi
  echo "bench: target/pgingest.jar is being rewritten; retrying in 10 s"
  sleep 10
done
mv bench/work/pgingest.jar.part bench/work/pgingest.jar
cp jobs/ybrowse-variants.yaml bench/work/ybrowse-variants.yaml
jar=bench/work/pgingest.jar

javac -nowarn -cp "$jar" -d target/bench-classes bench/YBrowseDumpGenerator.java bench/YBrowseBench.java

cmd=(java "-Xmx${BENCH_XMX:-6g}" -cp "target/bench-classes:$jar" YBrowseBench "$lines" --jar "$jar" \
  --spec bench/work/ybrowse-variants.yaml "$@")
echo "bench: reproduce with: bench/run.sh $lines${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
