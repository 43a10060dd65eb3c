#!/usr/bin/env bash
# Builds what the YBrowse benchmark needs and runs it once; see bench/README.md.
#   bench/run.sh              3,000,000-line dump (the size of the real snps_hg38.gff3)
#   bench/run.sh 300000       a quick run
#   bench/run.sh 3000000 --gz --xmx 4g --keep-db     further options go to YBrowseBench
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

lines=3000000
if [[ $# -gt 0 && $1 != -* ]]; then
  lines=$1
  shift
fi

bench_build_jar
jar=bench/work/pgingest.jar
bench_snapshot "$jar" ybrowse-variants.yaml

javac -nowarn -cp "$jar" -d target/bench-classes \
  bench/BenchSupport.java bench/YBrowseDumpGenerator.java bench/YBrowseBench.java

cmd=(java "-Xmx${BENCH_XMX:-6g}" -cp "target/bench-classes:$jar" YBrowseBench "$lines" --jar "$jar" \
  --spec bench/work/ybrowse-variants.yaml "$@")
echo "bench: reproduce with: bench/run.sh $lines${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
