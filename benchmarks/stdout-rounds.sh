#!/usr/bin/env bash
# Stdout throughput in interleaved rounds (StdoutRounds): every reader once per round, on the same producer, so
# that all of them see the same minutes of a shared machine; the C reader (floor/read_floor.c, its best strategy)
# runs in each round too. One JVM per backend, each with the peers, so each backend is compared with the peers
# and the C reader of its own rounds. Prints a markdown table of medians per backend and producer.
# usage: benchmarks/stdout-rounds.sh [ROUNDS=5] [PRODUCERS="head dd"] [BACKENDS="linux jdk"]
#        (after building benchmarks/target/benchmarks.jar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../.ci/jdk
. "$here/../.ci/jdk"
rounds=${1:-5}
producers=${2:-head dd}
backends=${3:-linux jdk}
jar=$here/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first (mvn -f benchmarks/pom.xml package)" >&2; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
gcc -O2 -o "$out/read_floor" "$here/floor/read_floor.c"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for producer in $producers; do
  for backend in $backends; do
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      "-Ddev.subprocess.launcher=$backend" -cp "$jar" dev.subprocess.bench.StdoutRounds "$rounds" "$producer" \
      "$out/read_floor"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
