#!/usr/bin/env bash
# Builds what the shop-upload benchmark needs and runs it once; see bench/README.md.
#   bench/run-shop.sh                              10,000 products, 100,000 order lines (~8 min)
#   bench/run-shop.sh --products 1000 --order-lines 10000      a quick one, to check the set-up
#   bench/run-shop.sh --no-per-file --jfr                      further options go to ShopBench
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

bench_build_jar
# A snapshot of its own, so it never clobbers another benchmark's.
jar=bench/work/pgingest-shop.jar
bench_snapshot "$jar" shop-upload.yaml

# The generator is the tests' own (src/test), so the benchmark and the tests share one upload shape.
javac -nowarn -cp "$jar" -d target/bench-classes bench/BenchSupport.java \
  src/test/java/dev/pgingest/testutil/ShopExports.java bench/ShopExportGenerator.java \
  bench/ShopBench.java

cmd=(java "-Xmx${BENCH_XMX:-1g}" -cp "target/bench-classes:$jar" ShopBench --jar "$jar" \
  --spec bench/work/shop-upload.yaml "$@")
echo "bench: reproduce with: bench/run-shop.sh${*:+ $*}"
echo "bench: $ ${cmd[*]}"
exec "${cmd[@]}"
