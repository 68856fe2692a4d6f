#!/usr/bin/env bash
# The first process in a fresh JVM: from the JVM's start to its exit after one /bin/true run to its end, as whole
# processes. Alternates ProcessBuilder, the linux backend and the jdk backend, ROUNDS times each, and prints the
# median wall time of each and its ratio to ProcessBuilder's, with the load average.
# usage: benchmarks/first-process.sh [ROUNDS=21]   (after building benchmarks/target/benchmarks.jar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../.ci/jdk
. "$here/../.ci/jdk"
rounds=${1:-21}
jar=$here/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first (mvn -f benchmarks/pom.xml package)" >&2; exit 1; }
java=$JAVA_HOME/bin/java
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
common=(--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar")
run() {   # label, then the java arguments; appends the wall time in ms to $out/label
  local label=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  "$java" "${common[@]}" "$@" > /dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 )) >> "$out/$label"
}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in 1 2; do   # warm the page cache and the CDS archive
  run warmup dev.subprocess.bench.FirstProcess processBuilder
  run warmup -Ddev.subprocess.launcher=linux dev.subprocess.bench.FirstProcess ours
done
for _ in $(seq "$rounds"); do
  run processBuilder dev.subprocess.bench.FirstProcess processBuilder
  run linux -Ddev.subprocess.launcher=linux dev.subprocess.bench.FirstProcess ours
  run jdk -Ddev.subprocess.launcher=jdk dev.subprocess.bench.FirstProcess ours
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pb=$(median "$out/processBuilder")
printf 'ProcessBuilder: median %.1f ms\n' "$(echo "$pb / 1000" | bc -l)"
for b in linux jdk; do
  m=$(median "$out/$b")
  printf '%s backend: median %.1f ms, %.2fx ProcessBuilder\n' "$b" "$(echo "$m / 1000" | bc -l)" \
    "$(echo "$m / $pb" | bc -l)"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
