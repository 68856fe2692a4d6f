#!/usr/bin/env bash
# The first process in a fresh JVM: from the JVM's start to its exit after one /bin/true run to its end, as whole
# processes. Alternates ProcessBuilder, the linux backend, the jdk backend and the floor of any library built like
# this one (SLF4J and a subscribed Mono.fromCallable(ProcessBuilder), none of the library's code), ROUNDS times each,
# and prints the median wall time of each and its ratio to ProcessBuilder's, with the load average.
# With BEFORE set to another build's benchmarks.jar (an older version of the library, say), its two backends are
# alternated in the same rounds too, so that a change is measured against the same minutes of the machine.
# usage: [BEFORE=old/benchmarks.jar] benchmarks/first-process.sh [ROUNDS=21]
#        (after building benchmarks/target/benchmarks.jar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../.ci/jdk
. "$here/../.ci/jdk"
rounds=${1:-21}
jar=$here/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first (mvn -f benchmarks/pom.xml package)" >&2; exit 1; }
before=${BEFORE:-}
[ -z "$before" ] || [ -f "$before" ] || { echo "BEFORE=$before is not a file" >&2; exit 1; }
java=$JAVA_HOME/bin/java
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
common=(--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
run() {   # label, jar, then the java arguments; appends the wall time in ms to $out/label
  local label=$1 classes=$2; shift 2
  local t0 t1
  t0=$(date +%s%N)
  "$java" "${common[@]}" -cp "$classes" "$@" > /dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000 )) >> "$out/$label"
}
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
for _ in 1 2; do   # warm the page cache and the CDS archive
  run warmup "$jar" dev.subprocess.bench.FirstProcess processBuilder
  run warmup "$jar" -Ddev.subprocess.launcher=linux dev.subprocess.bench.FirstProcess ours
  [ -z "$before" ] || run warmup "$before" -Ddev.subprocess.launcher=linux dev.subprocess.bench.FirstProcess ours
done
labels=(processBuilder reactorProcessBuilder linux jdk)
[ -z "$before" ] || labels+=("linux (before)" "jdk (before)")
for _ in $(seq "$rounds"); do
  run processBuilder "$jar" dev.subprocess.bench.FirstProcess processBuilder
  run linux "$jar" -Ddev.subprocess.launcher=linux dev.subprocess.bench.FirstProcess ours
  [ -z "$before" ] || run "linux (before)" "$before" -Ddev.subprocess.launcher=linux \
      dev.subprocess.bench.FirstProcess ours
  run reactorProcessBuilder "$jar" dev.subprocess.bench.FirstProcess reactorProcessBuilder
  run jdk "$jar" -Ddev.subprocess.launcher=jdk dev.subprocess.bench.FirstProcess ours
  [ -z "$before" ] || run "jdk (before)" "$before" -Ddev.subprocess.launcher=jdk \
      dev.subprocess.bench.FirstProcess ours
done
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
pb=$(median "$out/processBuilder")
printf 'ProcessBuilder: median %.1f ms\n' "$(echo "$pb / 1000" | bc -l)"
for b in "${labels[@]:1}"; do
  m=$(median "$out/$b")
  case $b in
    reactorProcessBuilder) name="SLF4J + Mono.fromCallable(ProcessBuilder)" ;;
    *" (before)") name="${b% (before)} backend of BEFORE" ;;
    *) name="$b backend" ;;
  esac
  printf '%s: median %.1f ms, %.2fx ProcessBuilder\n' "$name" "$(echo "$m / 1000" | bc -l)" \
    "$(echo "$m / $pb" | bc -l)"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%H:%M UTC')"
