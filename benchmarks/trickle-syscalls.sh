#!/usr/bin/env bash
# System calls per line for a child that writes a short line now and then (Trickle: LINES lines GAP seconds apart,
# read with lines() on the linux backend), counted with strace -f: the calls that the thread reading the lines
# makes, from its first read of a line to its last, divided by the lines it read after the first (the thread that
# reads most of them: the first line may be read by the subscribing thread, which asks before anything is there).
# usage: benchmarks/trickle-syscalls.sh [LINES=20] [GAP=0.1]   (after building benchmarks/target/benchmarks.jar)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../.ci/jdk
. "$here/../.ci/jdk"
lines=${1:-20}
gap=${2:-0.1}
jar=$here/target/benchmarks.jar
[ -f "$jar" ] || { echo "build $jar first (mvn -f benchmarks/pom.xml package)" >&2; exit 1; }
command -v strace > /dev/null || { echo "strace is needed (apt-get install strace)" >&2; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
strace -f -qq -s 64 -o "$out/trace" \
  -e trace=read,readv,ioctl,epoll_wait,epoll_pwait,epoll_pwait2,epoll_ctl,poll,ppoll,waitid,futex \
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Ddev.subprocess.launcher=linux -cp "$jar" dev.subprocess.bench.Trickle "$lines" "$gap"
python3 - "$out/trace" "$lines" <<'PY'
import collections, re, sys
path, lines = sys.argv[1], int(sys.argv[2])
calls, unfinished = [], {}
for line in open(path):
    start = re.match(r'(\d+)\s+(\w+)\((.*)', line)
    resumed = re.match(r'(\d+)\s+<\.\.\. (\w+) resumed>(.*)', line)
    if start:
        calls.append(list(start.groups()))
        if line.rstrip().endswith('<unfinished ...>'):
            unfinished[start.group(1)] = calls[-1]   # a call another thread's output interrupted
    elif resumed and resumed.group(1) in unfinished:
        unfinished.pop(resumed.group(1))[2] += resumed.group(3)
ticks = [(i, tid, rest.count('tick-')) for i, (tid, name, rest) in enumerate(calls)
         if name == 'read' and 'tick-' in rest]
if not ticks:
    sys.exit('no read of a line in the trace: nothing to count')
reader = collections.Counter(tid for i, tid, k in ticks).most_common(1)[0][0]   # the event loop
mine = [(i, k) for i, tid, k in ticks if tid == reader]
start, end = mine[0][0], mine[-1][0]
n = sum(k for i, k in mine[1:])
if n == 0:
    sys.exit('the reading thread read its lines in a single read: give more lines, or a longer gap')
between = collections.Counter(name for tid, name, rest in calls[start + 1:end + 1] if tid == reader)
futex = between.pop('futex', 0)
print('linux backend, %d lines: the reading thread made %.2f system calls per line (%s), and %.2f futex calls'
      ' per line (the JVM\'s own: wake-ups of its internal threads, such as its compilers, on its own locks)'
      % (lines, sum(between.values()) / n, ', '.join('%s %.2f' % (k, v / n) for k, v in sorted(between.items())),
         futex / n))
PY
