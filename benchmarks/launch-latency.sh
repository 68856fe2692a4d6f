#!/usr/bin/env bash
# Launch latency of /bin/true on a busy machine, as distributions: the C floor (floor/launch_latency.c, the
# library's work: addclosefrom_np, pidfd_open, poll, waitid), the linux backend with and without process groups
# and the watchdog (unguarded: inheritProcessGroup() and -Ddev.subprocess.stopChildrenOnExit=false), and
# ProcessBuilder, alternated ROUNDS times; inherited stdio and two pipes. Prints each run's 10th percentile and
# median (microseconds per launch) and the load average; compare only figures of the same run.
# usage: benchmarks/launch-latency.sh [ROUNDS=3] [N=1500] [WARMUP=N/4] [LIVE=0]
#        (after building benchmarks/target/benchmarks.jar)
#        WARMUP launches precede the timed ones in each JVM: 10000 for the steady state of a warmed-up JVM (the
#        launch path is still being compiled for the first several thousand), the default for a program's first
#        seconds.
#        LIVE > 0 adds, to every round, the C floor, the linux backend (inherited stdio) and ProcessBuilder with that
#        many `sleep 3600` children alive, their streams piped: compare each with its LIVE 0 figure of the round.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../.ci/jdk
. "$here/../.ci/jdk"
rounds=${1:-3}
n=${2:-1500}
warmup=${3:-$((n / 4))}
live=${4:-0}
jar=$here/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first (mvn -f benchmarks/pom.xml package)" >&2; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
gcc -O2 -o "$out/launch_latency" "$here/floor/launch_latency.c"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
  -Ddev.subprocess.launcher=linux "-Dbench.warmup=$warmup")
unguarded=(-Ddev.subprocess.stopChildrenOnExit=false)
for r in $(seq "$rounds"); do
  echo "round $r, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for stdio in inherit pipes; do
    "$out/launch_latency" "$stdio" "$n"
    "${java[@]}" -cp "$jar" dev.subprocess.bench.LaunchLatency "$stdio" "$n"
    "${java[@]}" "${unguarded[@]}" -cp "$jar" dev.subprocess.bench.LaunchLatency "unguarded-$stdio" "$n"
  done
  "${java[@]}" -cp "$jar" dev.subprocess.bench.LaunchLatency processBuilder "$n"
  if [ "$live" -gt 0 ]; then
    "$out/launch_latency" inherit "$n" /bin/true "$live"
    "${java[@]}" -cp "$jar" dev.subprocess.bench.LaunchLatency inherit "$n" "$live"
    "${java[@]}" -cp "$jar" dev.subprocess.bench.LaunchLatency processBuilder "$n" "$live"
  fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
