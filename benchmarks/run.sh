#!/usr/bin/env bash
# Builds the library and the benchmarks, runs the C floors and the JMH benchmarks, and prints a markdown table.
# usage: benchmarks/run.sh [--full]     (from any directory; QUICK profile by default, about 18 minutes on 2 cores)
# Results (JMH JSON, floor output, the table) are kept in benchmarks/target/results/<timestamp>/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
profile=quick
case "${1:-}" in
  --full) profile=full ;;
  --quick | "") ;;
  *) echo "usage: $0 [--full]" >&2; exit 2 ;;
esac

# shellcheck source=../.ci/jdk
. "$root/.ci/jdk"   # JAVA_HOME: the newest JDK 22+ under /usr/lib/jvm
command -v python3 > /dev/null || { echo "python3 is needed to print the table" >&2; exit 1; }

out=$here/target/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
started=$(date +%s)
say() { printf '\n== %s (%ds)\n' "$*" $(( $(date +%s) - started )) >&2; }

if [ "$profile" = full ]; then
  jmh_opts=(-f 2 -wi 5 -i 10 -w 2s -r 2s -to 300s)
  launch_iterations=(2000 500 100) rounds=7 many_n=500 floor_rounds=5
  latency_rounds=3 latency_warmup=10000 first_rounds=21 stdout_rounds=9
else
  jmh_opts=(-f 1 -wi 2 -i 3 -w 1s -r 1s -to 120s)
  launch_iterations=(300 100 30) rounds=5 many_n=500 floor_rounds=3
  latency_rounds=1 latency_warmup=5000 first_rounds=9 stdout_rounds=5
fi
threads=(1 4 16)

{
  echo "machine: nproc $(nproc), kernel $(uname -r), $(uname -m)"
  "$JAVA_HOME/bin/java" -version 2>&1 | sed 's/^/java: /'
  echo "profile: $profile (JMH ${jmh_opts[*]})"
  echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
} | tee "$out/machine.txt" >&2

say "installing the library snapshot (mvn -q -DskipTests install on $root)"
if ! mvn -q -DskipTests -f "$root/pom.xml" install > "$out/mvn-install.log" 2>&1; then
  grep -v '^WARNING' "$out/mvn-install.log" | tail -40 >&2
  echo "mvn install of the library failed (log: $out/mvn-install.log)" >&2
  exit 1
fi

say "building benchmarks/target/benchmarks.jar"
jar=$here/target/benchmarks.jar
rm -f "$jar"
if ! mvn -q -f "$here/pom.xml" package > "$out/mvn-benchmarks.log" 2>&1 || [ ! -f "$jar" ]; then
  grep -v '^WARNING' "$out/mvn-benchmarks.log" | tail -40 >&2
  echo "building $jar failed (log: $out/mvn-benchmarks.log)" >&2
  exit 1
fi

# ---- C floors ----------------------------------------------------------------------------------------------
floors=$out/floors.txt
: > "$floors"
if command -v gcc > /dev/null; then
  say "C floors (gcc)"
  bin=$out/floor-bin
  mkdir -p "$bin"
  for f in launch read write pipeline pool; do
    gcc -O2 -Wall -o "$bin/${f}_floor" "$here/floor/${f}_floor.c" -lpthread
  done
  {
    for i in 0 1 2; do "$bin/launch_floor" "${launch_iterations[$i]}" "${threads[$i]}" /bin/true "$rounds"; done
    for producer in head dd; do
      "$bin/read_floor" 268435456 0 65536 "$floor_rounds" "$producer"
      "$bin/read_floor" 268435456 1048576 1048576 "$floor_rounds" "$producer"
    done
    "$bin/write_floor" 268435456 65536 "$floor_rounds"
    "$bin/pipeline_floor" 256 "$floor_rounds"
    "$bin/pool_floor" 20000 "$floor_rounds"
  } | tee "$floors" | grep -v '^RESULT' >&2
else
  echo "NOTE: gcc not found: the C floors are left out, and the table's floor column is empty." | tee "$floors" >&2
fi

shared_floor=$root/../shared/floor/floor.sh
if [ -f "$shared_floor" ]; then
  say "reference: $shared_floor"
  (sh "$shared_floor" 2>&1 || echo "floor.sh failed with status $?") | tee "$out/shared-floor.txt" >&2
fi

# ---- JMH ---------------------------------------------------------------------------------------------------
# Each benchmark class fixes its forks' JVM flags with @Fork(jvmArgsAppend): --enable-native-access=ALL-UNNAMED
# and, for our library, -Ddev.subprocess.launcher=linux or jdk. So no -jvmArgsAppend here: it would replace them.
jmh() {
  local name=$1; shift
  say "JMH $name"
  "$JAVA_HOME/bin/java" -jar "$jar" "$@" "${jmh_opts[@]}" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 \
    || { echo "JMH $name failed: see $out/$name.log" >&2; tail -30 "$out/$name.log" >&2; }
  grep -E '^(Benchmark|[A-Za-z].*(avgt|thrpt))' "$out/$name.log" | tail -n +1 >&2 || true
}
for t in "${threads[@]}"; do
  jmh "launch-t$t" 'dev.subprocess.bench.Launch\.' -t "$t"
done
say "launch latency in alternated rounds (launch-latency.sh $latency_rounds 1500 $latency_warmup 1000)"
"$here/launch-latency.sh" "$latency_rounds" 1500 "$latency_warmup" 1000 > "$out/launch-latency.txt" 2>&1 \
  || echo "launch-latency failed: see $out/launch-latency.txt" >&2
cat "$out/launch-latency.txt" >&2
say "the first process of a fresh JVM (first-process.sh $first_rounds)"
"$here/first-process.sh" "$first_rounds" > "$out/first-process.txt" 2>&1 \
  || echo "first-process failed: see $out/first-process.txt" >&2
cat "$out/first-process.txt" >&2
jmh throughput 'dev.subprocess.bench.(Stdout|Stdin|PipelineBench)\.'
say "stdout in interleaved rounds (stdout-rounds.sh $stdout_rounds)"
"$here/stdout-rounds.sh" "$stdout_rounds" > "$out/stdout-rounds.txt" 2>&1 \
  || echo "stdout-rounds failed: see $out/stdout-rounds.txt" >&2
grep -E '^(\||[a-z]+, [0-9]+ rounds)' "$out/stdout-rounds.txt" >&2 || true
jmh pool 'dev.subprocess.bench.PoolBench\.'
say "the heap a capture of 1 GiB needs (CapturePeak)"
for backend in linux jdk; do
  "$JAVA_HOME/bin/java" -cp "$jar" dev.subprocess.bench.CapturePeak 1024 "$backend" 1.25,1.5,2,3 2>&1 \
    | tee -a "$out/capture-peak.txt" >&2 || echo "CapturePeak failed on the $backend backend" >&2
done
if command -v strace > /dev/null; then
  say "system calls per line of a trickling child (trickle-syscalls.sh)"
  "$here/trickle-syscalls.sh" 40 0.05 2>&1 | tee "$out/trickle.txt" >&2 || echo "trickle-syscalls failed" >&2
else
  echo "NOTE: strace not found: the system calls per line of a trickling child are left out." >&2
fi

# ---- remote processes (needs OpenSSH's sshd and ssh; the benchmark starts its own server on 127.0.0.1) ----
sshd_bin=$(command -v sshd || ls /usr/sbin/sshd /usr/bin/sshd /sbin/sshd 2> /dev/null | head -1 || true)
if [ -z "$sshd_bin" ] || ! command -v ssh > /dev/null || ! command -v ssh-keygen > /dev/null; then
  echo "NOTE: OpenSSH's sshd, ssh or ssh-keygen not found: the Remote benchmark is left out" \
    "(apt-get install openssh-server openssh-client)." | tee "$out/remote-skipped.txt" >&2
else
  # As root, log in as a plain user whose login shell reads no slow profile: the test suite's one if it exists.
  ssh_user=${BENCH_SSH_USER:-$(id -un)}
  if [ -z "${BENCH_SSH_USER:-}" ] && [ "$(id -u)" = 0 ] && id subprocess-ssh > /dev/null 2>&1; then
    ssh_user=subprocess-ssh
  fi
  # -jvmArgsAppend replaces the class's own @Fork flags, so they are repeated here.
  jmh remote 'dev.subprocess.bench.Remote\.' -jvmArgsAppend \
    "--enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.sshUser=$ssh_user"
fi

# ---- many processes ----------------------------------------------------------------------------------------
say "many processes: $many_n x sleep 0.5, one JVM each"
many=$out/many.txt
: > "$many"
java_many() {
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" \
    -cp "$jar" dev.subprocess.bench.ManyProcesses "${impl:-ours}" "$many_n" 0.5 2>&1 | tee -a "$many" | grep -v '^RESULT' >&2 \
    || echo "many processes failed: $*" >&2
}
impl=ours java_many -Ddev.subprocess.launcher=linux
impl=ours java_many -Ddev.subprocess.launcher=jdk
for impl in processBuilder nuprocess ztexec commonsexec; do java_many; done

# ---- the table ---------------------------------------------------------------------------------------------
say "report"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 "$here/report.py" "$out" | tee "$out/report.md"
[ "$profile" = quick ] && echo "(quick profile: 1 fork, 3 one-second iterations; use --full for publishable figures)" >&2
say "done in $(( $(date +%s) - started )) s; results in $out"
