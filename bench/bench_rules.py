"""Rules benchmark: time per household in CPython and in MicroPython-wasm, and what the phone downloads.

Run with `make bench` (or `.venv/bin/python bench/bench_rules.py`). Prints markdown tables:
- median microseconds per calculate() and preview() for a few representative households: CPython
  calling the function directly, CPython through shared_rules.bridge.call (JSON string in and out,
  as the phone calls it), and MicroPython-wasm through the same bridge, called from JavaScript
  (Node, tests/conformance/mp_runner.mjs --bench);
- MicroPython cold load time (runtime, and ready with shared_rules imported);
- gzip -9 bytes of the MicroPython runtime and of the shared_rules sources.
"""

import gzip
import importlib.util
import json
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNNER = REPO / "tests" / "conformance" / "mp_runner.mjs"
MP_PKG = REPO / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
RULES = REPO / "shared_rules"
TARGET_US = 100

REPS_CALCULATE = 2000
REPS_PREVIEW = 500
COLD_RUNS = 5

sys.path.insert(0, str(REPO))


def _load_cases():
    spec = importlib.util.spec_from_file_location("conformance_cases", REPO / "tests" / "conformance" / "cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def median_us(fn, reps, rounds=5):
    """The median of `reps` timed calls, in µs; the lowest of `rounds` such medians, so that a
    burst of load from elsewhere on the machine does not decide the figure."""
    for _ in range(min(50, reps)):  # warm up
        fn()
    clock = time.perf_counter_ns
    best = None
    for _ in range(rounds):
        times = []
        for _ in range(max(1, reps // rounds)):
            t = clock()
            fn()
            times.append(clock() - t)
        m = statistics.median(times)
        best = m if best is None or m < best else best
    return best / 1000


def cpython_timings(inputs):
    import shared_rules
    from shared_rules import bridge

    out = []
    for label, kind, payload in inputs:
        fn = shared_rules.calculate if kind == "calculate" else shared_rules.preview
        reps = REPS_CALCULATE if kind == "calculate" else REPS_PREVIEW
        payload_json = json.dumps(payload)
        answer = json.loads(bridge.call(kind, payload_json))
        if not answer.get("ok"):
            raise SystemExit(f"bench input {label!r} ({kind}) is refused: {answer}")
        direct = median_us(lambda fn=fn, payload=payload: fn(payload), reps)
        via_bridge = median_us(lambda kind=kind, payload_json=payload_json: bridge.call(kind, payload_json), reps)
        out.append((direct, via_bridge))
    return out


def micropython_timings(inputs):
    node = shutil.which("node")
    if node is None or not (MP_PKG / "micropython.mjs").exists():
        return None, None, "node or node_modules missing (run `make install`)"
    results = []
    for kind in ("calculate", "preview"):
        sub = [(label, k, p) for label, k, p in inputs if k == kind]
        reps = REPS_CALCULATE if kind == "calculate" else REPS_PREVIEW
        text = "".join(json.dumps({"kind": k, "payload": p}) + "\n" for _l, k, p in sub)
        proc = subprocess.run([node, str(RUNNER), "--bench", str(reps)], input=text, capture_output=True,
                              text=True, cwd=REPO, timeout=900)
        if proc.returncode != 0:
            return None, None, f"mp_runner failed: {proc.stderr[-2000:]}"
        rows = [json.loads(x) for x in proc.stdout.splitlines()]
        results.extend(rows[1:])
    by_kind = iter(results)
    timings = [next(by_kind)["median_us"] for _ in inputs]

    cold = []
    for _ in range(COLD_RUNS):
        proc = subprocess.run([node, str(RUNNER), "--bench", "1"], input="", capture_output=True, text=True,
                              cwd=REPO, timeout=120)
        cold.append(json.loads(proc.stdout.splitlines()[0]))
    return timings, cold, None


def gz(path):
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def sizes():
    rows = []
    for name in ("micropython.mjs", "micropython.wasm"):
        p = MP_PKG / name
        rows.append((f"MicroPython runtime: {name}", p.stat().st_size, gz(p)))
    py = sorted(p for p in RULES.rglob("*.py") if "__pycache__" not in p.parts)
    raw = sum(p.stat().st_size for p in py)
    rows.append((f"shared_rules: {len(py)} .py files (each gzipped apart)", raw, sum(gz(p) for p in py)))
    return rows


def node_version():
    node = shutil.which("node")
    if not node:
        return "no node"
    return subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()


def main():
    cases = _load_cases()
    inputs = []
    for label, sit in cases.bench_households():
        inputs.append((label, "calculate", sit))
    for label, sit in cases.bench_households():
        inputs.append((label, "preview", cases.bench_preview(sit)))

    cp = cpython_timings(inputs)
    mp, cold, problem = micropython_timings(inputs)

    mp_version = json.loads((MP_PKG / "package.json").read_text())["version"] if MP_PKG.exists() else "?"
    print(f"CPython {platform.python_version()}, Node {node_version()}, "
          f"MicroPython-wasm {mp_version} (default heap); {platform.machine()}, {platform.processor() or ''}".rstrip(", "))
    # the same reference on every machine, so figures from two machines can be compared
    ref = subprocess.run([sys.executable, "-m", "timeit", "sum(i*i for i in range(1000))"], capture_output=True,
                         text=True).stdout.strip()
    print(f'python3 -m timeit "sum(i*i for i in range(1000))": {ref}')
    print()
    print(f"### Time per household (median µs; target: calculate() <= {TARGET_US} µs per household in CPython)")
    print()
    print("| household | call | CPython direct | CPython bridge.call | MicroPython bridge.call (from JS) "
          "| MicroPython / CPython (bridge) | CPython target |")
    print("|---|---|---:|---:|---:|---:|---|")
    for i, (label, kind, _p) in enumerate(inputs):
        direct, via = cp[i]
        m = mp[i] if mp else None
        ratio = f"{m / via:.1f}x" if m else "–"
        mcell = f"{m:,.1f}" if m else "–"
        target = ("ok" if direct <= TARGET_US else "OVER") if kind == "calculate" else "–"
        print(f"| {label} | {kind}() | {direct:,.1f} | {via:,.1f} | {mcell} | {ratio} | {target} |")
    if problem:
        print(f"\nMicroPython not measured: {problem}")
    print()
    print(f"CPython: {REPS_CALCULATE} timed calls per calculate() cell, {REPS_PREVIEW} per preview() cell, in 5 rounds "
          "(the lowest round median is shown); MicroPython: the median of as many calls in one process. "
          "preview = the household's year with an income change of +€6,000 from mid-May, today 2026-05-10.")

    if cold:
        print()
        print(f"### MicroPython cold load in Node ({COLD_RUNS} fresh processes; ms)")
        print()
        print("| | median | min | max |")
        print("|---|---:|---:|---:|")
        for key, label in (("load_ms", "runtime loaded (wasm compiled, interpreter up)"),
                           ("import_ms", "shared_rules copied into the VFS and imported"),
                           ("ready_ms", "ready: first call possible")):
            vals = [c[key] for c in cold]
            print(f"| {label} | {statistics.median(vals):.1f} | {min(vals):.1f} | {max(vals):.1f} |")

    print()
    print("### What the phone downloads for the rules (bytes)")
    print()
    print("| file(s) | raw | gzip -9 |")
    print("|---|---:|---:|")
    rows = sizes()
    for label, raw, z in rows:
        print(f"| {label} | {raw:,} | {z:,} |")
    print(f"| **total** | {sum(r[1] for r in rows):,} | **{sum(r[2] for r in rows):,}** |")


if __name__ == "__main__":
    main()
