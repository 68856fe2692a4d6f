#!/usr/bin/env python3
"""Prints the markdown report of one run.sh run: usage report.py RESULTS_DIR.

Reads the JMH JSON files (launch-t*.json, throughput.json), the C floors' RESULT lines (floors.txt), the many
processes lines (many.txt) and the shared floor.sh output (shared-floor.txt)."""
import glob
import json
import os
import re
import sys

MB = 268435456 / 1e6  # the 256 MiB of the throughput benchmarks, in MB

d = sys.argv[1]


def read(name):
    p = os.path.join(d, name)
    return open(p).read() if os.path.exists(p) else ""


floors = {}
for line in read("floors.txt").splitlines():
    m = re.match(r"RESULT (\S+) (\S+) (\S+)", line)
    if m:
        floors[m.group(1)] = float(m.group(2))

# Benchmark class -> implementation label; method -> variant.
IMPL = {"OursLinux": "reactor-subprocess (linux)", "OursJdk": "reactor-subprocess (jdk)",
        "OursLinuxUnguarded": "reactor-subprocess (linux, no process group, no watchdog)"}
OTHERS = {"processBuilder": "ProcessBuilder", "nuprocess": "NuProcess 3.0.0", "ztexec": "zt-exec 1.12",
          "commonsexec": "commons-exec 1.5.0"}
VARIANT = {
    "run_inherit": "`run()`, stdio inherited", "run_pipes": "`captureOutput().run()`",
    "output_defaultPipe": "`output()`, default pipe", "output_pipe1m": "`output()`, `pipeSize(1 << 20)`",
    "outputLent_defaultPipe": "`output(read)`, lent chunks, default pipe",
    "outputLent_pipe1m": "`output(read)`, lent chunks, `pipeSize(1 << 20)`",
    "input_heap": "`input(Flux)`, heap buffers", "input_direct": "`input(Flux)`, direct buffers",
    "pipeTo": "`pipeTo` (OS pipe)", "shell": "`Command.shell(\"dd | wc\")`",
    "buffer1m": "`read(byte[1 << 20])`", "inherit": "stdio inherited", "pipes": "pipes read", "shell_pb": "`sh -c \"dd | wc\"`",
}


def label(group, cls, method):
    """Returns the row's implementation text and the variant that picks its ProcessBuilder reference."""
    if cls in IMPL:
        text = IMPL[cls] + ": " + VARIANT.get(method, method)
        if group == "Launch":
            return text, method.rpartition("_")[2]  # inherit or pipes
        return text, method if group == "PipelineBench" else ""
    base, _, variant = method.partition("_")
    name = OTHERS.get(base, base)
    if group == "PipelineBench":
        return (name + ": `sh -c \"dd | wc\"`", "shell") if variant == "shell" else (name + ": `startPipeline`", "pipeTo")
    return (name + ": " + VARIANT.get(variant, variant), variant) if variant else (name, "")


rows = []  # (group, order, label, value, unit, error, kind, variant, impl_is_pb)
for f in sorted(glob.glob(os.path.join(d, "*.json"))):
    try:
        results = json.load(open(f))
    except ValueError:
        print(f"(could not parse {f})", file=sys.stderr)
        continue
    for r in results:
        parts = r["benchmark"].split(".")
        group, cls, method = parts[-3], parts[-2], parts[-1]
        pm = r["primaryMetric"]
        score, unit = float(pm["score"]), pm["scoreUnit"]
        try:
            err = float(pm.get("scoreError", "NaN"))  # JMH writes "NaN" (a string) for a single measurement
        except (TypeError, ValueError):
            err = float("nan")
        t = r["threads"]
        text, variant = label(group, cls, method)
        is_pb = cls == "Others" and method.startswith("processBuilder")
        if group == "Launch":
            key = f"launch /bin/true, {t} caller{'s' if t > 1 else ''}"
            rows.append((key, t / 100, text, score, "µs/op", err, "time", variant, is_pb, f"launch_t{t}"))
        elif group in ("Stdout", "Stdin"):
            mbs = MB / score if unit == "s/op" else float("nan")
            mbs_err = mbs * (err / score) if score and err == err else float("nan")
            if group == "Stdout":
                producer = r.get("params", {}).get("producer", "head")
                key = "stdout 256 MiB from `head -c`" if producer == "head" else "stdout 256 MiB from `dd bs=1M`"
                floor = ("stdout_dd_pipe" if producer == "dd" else "stdout_pipe") + (
                    "1048576" if method.endswith("pipe1m") else "0")
            else:
                key = "stdin 256 MiB into `wc -c`"
                floor = "stdin"
            rows.append((key, 10 if group == "Stdout" else 11, text, mbs, "MB/s", mbs_err, "rate", variant, is_pb, floor))
        elif group == "PipelineBench":
            key = "pipeline `dd bs=1M count=256 | wc -c`"
            rows.append((key, 20, text, score, unit, err, "time", variant, is_pb, "pipeline"))


def floor_value(name, unit):
    v = floors.get(name)
    if v is None:
        return None
    if name == "pipeline" and unit == "ms/op":
        return v * 1000  # the floor prints s/op
    return v


def cost_ratio(kind, value, ref):
    """How many times the reference's cost (time per operation) this row's is: > 1 means slower."""
    if ref is None or value != value or not ref or not value:
        return "n/a"
    r = value / ref if kind == "time" else ref / value
    return f"{r:.2f}×"


def cell(text):
    """Escapes the pipes of a table cell (GitHub renders \\| as | even inside a code span)."""
    return text.replace("|", "\\|")


def fmt(v):
    if v != v:
        return "n/a"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


print()
machine = read("machine.txt").strip().splitlines()
for line in machine:
    print(f"- {line}")
print()
print("| benchmark | implementation | score | ×C floor | ×ProcessBuilder |")
print("| --- | --- | --- | --- | --- |")
groups = sorted({(r[1], r[0]) for r in rows})
for _, key in groups:
    grp = [r for r in rows if r[0] == key]
    pbs = {r[7]: r for r in grp if r[8]}
    main_pb = pbs.get("pipes") or pbs.get("") or pbs.get("pipeTo") or (next(iter(pbs.values())) if pbs else None)
    unit = grp[0][4]
    fl_name = None
    # The floor row itself, for reference.
    for fname in sorted({r[9] for r in grp}):
        fv = floor_value(fname, unit)
        if fv is not None:
            print(f"| {cell(key)} | C floor ({fname}) | {fmt(fv)} {unit} | 1.00× | |")
    order = lambda r: (0 if "reactor" in r[2] else 1 if r[8] else 2, r[2])
    for r in sorted(grp, key=order):
        _, _, text, value, unit, err, kind, variant, is_pb, fname = r
        fv = floor_value(fname, unit)
        pb = pbs.get(variant) or main_pb
        pb_ratio = cost_ratio(kind, value, pb[3]) if pb else "n/a"
        e = f" ± {fmt(err)}" if err == err else ""
        print(f"| {cell(key)} | {cell(text)} | {fmt(value)}{e} {unit} | {cost_ratio(kind, value, fv)} | {pb_ratio} |")

many = [json.loads(m.group(1)) for m in re.finditer(r"^RESULT (\{.*\})$", read("many.txt"), re.M)]
MANY = {"ours (linux)": "reactor-subprocess (linux)", "ours (jdk)": "reactor-subprocess (jdk)",
        "processBuilder": "ProcessBuilder", **{k: v for k, v in OTHERS.items() if k != "processBuilder"}}
if many:
    n_long = many[0]["long_sleep_s"]
    print()
    print("| many processes | 500 × `sleep 0.5`: wall | launches issued in | most alive at once | threads before → peak |"
          " 500 × `sleep S`: alive at the GC | peak threads | heap per live process |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for m in many:
        print(f"| {MANY.get(m['impl'], m['impl'])} | {m['wall_ms']:.0f} ms | {m['issue_ms']:.0f} ms | {m['max_live']} |"
              f" {m['threads_before']} → {m['peak_threads']} | {m['live_at_gc']} (S = {m['long_sleep_s']} s) |"
              f" {m['peak_threads_all_live']} | {m['heap_kib_per_process']:.1f} KiB |")

print()
print("C floors (benchmarks/floor, this run):")
print("```")
print("\n".join(l for l in read("floors.txt").splitlines() if not l.startswith("RESULT")) or "(none)")
print("```")
shared = read("shared-floor.txt").strip()
if shared:
    print("../shared/floor/floor.sh (reference):")
    print("```")
    print(shared)
    print("```")


# ---- worker pools (PoolBench): requests/s through the pool against one run() per request, latency against the
# C round trip on one pipe pair (floor/pool_floor.c), all from this run.
pool_rows = []
for f in sorted(glob.glob(os.path.join(d, "*.json"))):
    try:
        results = json.load(open(f))
    except ValueError:
        continue
    for r in results:
        parts = r["benchmark"].split(".")
        if parts[-3] != "PoolBench":
            continue
        backend = IMPL.get(parts[-2], parts[-2])
        workers = r.get("params", {}).get("workers", "?")
        pool_rows.append((backend, workers, parts[-1], float(r["primaryMetric"]["score"]), r["primaryMetric"]["scoreUnit"]))
if pool_rows:
    floor_us = floors.get("pool_roundtrip_us")
    print()
    print("| worker pool (`sed -u`) | workers | pool | one `run()` per request | pool ÷ run() | ×C round trip |")
    print("| --- | --- | --- | --- | --- | --- |")
    get = {(b, w, m): (v, u) for b, w, m, v, u in pool_rows}
    for backend, workers in sorted({(b, w) for b, w, _, _, _ in pool_rows}):
        pt = get.get((backend, workers, "pool_throughput"))
        rt = get.get((backend, workers, "runPerRequest_throughput"))
        pl = get.get((backend, workers, "pool_latency"))
        rl = get.get((backend, workers, "runPerRequest_latency"))
        if pt and rt:
            print(f"| {cell(backend)}: requests/s | {workers} | {fmt(pt[0])} | {fmt(rt[0])} | {pt[0] / rt[0]:.1f}× | |")
        if pl and rl:
            ratio = f"{pl[0] / floor_us:.2f}×" if floor_us else "n/a"
            print(f"| {cell(backend)}: µs per request, one at a time | {workers} | {fmt(pl[0])} | {fmt(rl[0])} | {rl[0] / pl[0]:.1f}× faster | {ratio} |")
    if floor_us:
        print(f"\nC floor: {floor_us:.1f} µs per round trip through `sed -u` on one pipe pair.")


# ---- remote processes (Remote): ours against OpenSSH's own client, both to the same sshd on 127.0.0.1.
remote = {}
for r in json.loads(read("remote.json") or "[]"):
    remote[r["benchmark"].rpartition(".")[2]] = (float(r["primaryMetric"]["score"]), r["primaryMetric"]["scoreUnit"])
if remote:
    print()
    print("| remote (OpenSSH server on 127.0.0.1) | reactor-subprocess | OpenSSH client | ours ÷ OpenSSH | goal |")
    print("| --- | --- | --- | --- | --- |")
    ours, theirs = remote.get("stdout_ours"), remote.get("stdout_opensshClient")
    if ours and theirs:
        print(f"| stdout 256 MiB of `head -c`, MB/s (`ssh -T host ... > /dev/null`) | {fmt(MB / ours[0] * 1000)} |"
              f" {fmt(MB / theirs[0] * 1000)} | {theirs[0] / ours[0]:.2f}× the throughput | ≥ 0.8× |")
    ours, theirs = remote.get("true_ours"), remote.get("true_opensshMultiplexed")
    if ours and theirs:
        print(f"| one `true` over an open connection, ms (`ssh` over a ControlMaster) | {fmt(ours[0])} |"
              f" {fmt(theirs[0])} | {ours[0] / theirs[0]:.2f}× the time | ≤ 1.5× |")
elif read("remote-skipped.txt"):
    print()
    print(read("remote-skipped.txt").strip())
