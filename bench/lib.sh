# Sourced by run.sh and run-profiles.sh, from the repository root: the steps both benchmarks take
# before they start. See bench/README.md.

# Rebuilds target/pgingest.jar when missing or older than the sources: the job spec and the engine
# change together (e.g. {{table}} in sql.after), so a stale jar can fail on a current spec.
# BENCH_NO_BUILD=1 skips the rebuild of a jar that exists.
bench_build_jar() {
  if [[ ! -f target/pgingest.jar ]] || { [[ -z ${BENCH_NO_BUILD:-} ]] &&
      [[ -n $(find src pom.xml jobs -newer target/pgingest.jar -print -quit) ]]; }; then
    echo "bench: building target/pgingest.jar"
    mvn -B -q package -DskipTests
  fi
}

# bench_snapshot JAR SPEC: copies target/pgingest.jar to JAR and jobs/SPEC to bench/work/SPEC.
# Private copies, because others may rebuild target/ or edit jobs/ while a long run is under way,
# and everything one run measures must come from the same code. A copy taken while another build
# rewrites the jar is corrupt, so it is tested and retried.
bench_snapshot() {
  local jar=$1 spec=$2 attempt
  mkdir -p bench/work target/bench-classes
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
  mv "$jar.part" "$jar"
  cp "jobs/$spec" "bench/work/$spec"
}
