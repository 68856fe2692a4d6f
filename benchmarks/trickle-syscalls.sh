#!/usr/bin/env bash
# System calls per line for a child that writes a short line now and then (Trickle: LINES lines GAP seconds apart,
# read with lines() on the linux backend), counted with strace -f: the calls that the thread reading the lines
# makes from the read that brings the second line to the read that brings the last, divided by the lines between
# (the first line is read at once by the subscribing thread, when it asks before anything is there).
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
calls = [m.groups() for m in (re.match(r'(\d+)\s+(\w+)\((.*)', l) for l in open(path)) if m]
def first_read(tick):
    want = 'tick-%d\\n' % tick
    return next(i for i, (tid, name, rest) in enumerate(calls) if name == 'read' and want in rest)
start, end = first_read(1), first_read(lines - 1)
reader = calls[start][0]
between = collections.Counter(name for tid, name, rest in calls[start + 1:end + 1] if tid == reader)
futex = between.pop('futex', 0)
n = lines - 2
print('linux backend, %d lines: the reading thread made %.2f system calls per line (%s), and %.2f futex calls'
      ' per line (the JVM\'s own, such as handing methods to its compilers while the first lines pass)'
      % (lines, sum(between.values()) / n, ', '.join('%s %.2f' % (k, v / n) for k, v in sorted(between.items())),
         futex / n))
PY
