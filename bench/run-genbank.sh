#!/usr/bin/env bash
# Builds what the GenBank benchmark needs and runs it once; see bench/README.md.
#   bench/run-genbank.sh                   1 GiB division, pgingest at -Xmx512m, BioSQL for 180 s
#   bench/run-genbank.sh 20m --big-every 300 --biosql-time-cap 60     a quick one, to check the set-up
#   bench/run-genbank.sh 1g --files 4 --gz                            further options go to GenbankBench
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

size=1g
if [[ $# -gt 0 && $1 != -* ]]; then
  size=$1
  shift
fi

bench_build_jar
# A snapshot of its own, so it never clobbers another benchmark's.
jar=bench/work/pgingest-genbank.jar
if [[ -f jobs/genbank.yaml ]]; then
  bench_snapshot "$jar" genbank.yaml
else
  # No spec yet: the jar is still needed (embedded PostgreSQL); GenbankBench skips pgingest.
  echo "bench: jobs/genbank.yaml does not exist yet; the pgingest step will be skipped"
  rm -f bench/work/genbank.yaml
  mkdir -p bench/work target/bench-classes
  cp target/pgingest.jar "$jar.part"
  unzip -tqq "$jar.part" >/dev/null
  mv "$jar.part" "$jar"
fi

if [[ ! -x /usr/bin/python3 ]] || ! /usr/bin/python3 -c 'import Bio, BioSQL, psycopg2' 2>/dev/null; then
  echo "bench: the BioSQL baseline needs Debian's python3-biopython python3-biopython-sql" \
    "python3-psycopg2 (apt-get install -y ...); without them it fails and only pgingest is measured" >&2
fi

# The generator is the tests' own (src/test), so the benchmark and the tests share one dump shape.
javac -nowarn -cp "$jar" -d target/bench-classes bench/BenchSupport.java \
  src/test/java/dev/pgingest/testutil/GenbankDump.java bench/GenbankDumpGenerator.java \
  bench/GenbankBench.java

cmd=(java "-Xmx${BENCH_XMX:-1g}" -cp "target/bench-classes:$jar" GenbankBench "$size" --jar "$jar" \
  --spec bench/work/genbank.yaml --biosql-script bench/biosql_load.py "$@")
echo "bench: reproduce with: bench/run-genbank.sh $size${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
