"""SQLite vs PostgreSQL behind 1 and 2 API processes (issue #16): overview, preview and submit p50/p95
and errors with simulated phones (asyncio, each its own household session), and the overview in
requests/s as a share of hello-world (/api/ping) on the same setup: as a parent meets it (stored in the
database, api/household/snapshot.py; no cache in the process) and worked out on every request.

Real server processes (tests/hardening/serve.py), a throwaway PostgreSQL cluster (tests/pgcluster.py)
and a SQLite file, each seeded with the demo plus copies. Run once; on a shared machine the figures
are indicative only. Prints the timeit baseline so machines can be compared.

    .venv/bin/python bench/bench_stores.py [--phones 200,1000] [--seconds 8] [--copies 30] [--setups sqlite,pg1,pg2]

`make bench` runs it with 200 phones (about 2 minutes); 1,000 phones: --phones 200,1000."""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import datetime as dt  # noqa: E402

from api import demo  # noqa: E402
from api.household import snapshot  # noqa: E402
from api.jobs import overviews as overviews_job  # noqa: E402
from api.store import Store  # noqa: E402
from api.store.migrate import migrate  # noqa: E402
from bench.bench_load import Conn  # noqa: E402
from tests import pgcluster  # noqa: E402
from tests.hardening.common import ServerProcess, add_demo_copies, household_id, make_settings, mint_session, seed_db  # noqa: E402

TODAY = dt.date(2026, 6, 15)


def baseline() -> str:
    out = subprocess.run([sys.executable, "-m", "timeit", "sum(i*i for i in range(1000))"], capture_output=True,
                         text=True)
    return out.stdout.strip()


def seed(target, copies: int) -> list[str]:
    settings = make_settings(target, today=TODAY)
    if pgcluster.available() and str(target).startswith("postgresql://"):
        migrate(target)
        store = Store(target)
        demo.seed(store, settings)
        store.close()
    else:
        seed_db(Path(target), settings)
    keys = [h["key"] for h in demo.HOUSEHOLDS] + add_demo_copies(target, settings, copies)
    store = Store(target)
    cookies = [f"{settings.session_cookie_name}={mint_session(store, settings, household_id(store, k))}" for k in keys]
    store.close()
    return cookies


# A connection idle longer than this is opened anew (uvicorn closes an idle keep-alive connection after
# 5 s; with 2 processes a phone's connection to one waits while its request to the other is answered).
KEEP_ALIVE = 4.0


async def _phone(i: int, ports: list[int], cookie: str, end: float, what: str, lat: list, errors: list) -> None:
    """One phone: its own keep-alive connection per API process, requests one after the other (no think
    time: as fast as the servers answer), taking the processes in turn (a round-robin balancer)."""
    conns = [Conn(port) for port in ports]
    used = [time.monotonic()] * len(conns)
    k = 0
    try:
        while time.monotonic() < end:
            at = (i + k) % len(conns)
            conn = conns[at]
            k += 1
            if time.monotonic() - used[at] > KEEP_ALIVE:  # as a browser or httpx does: not reused past the
                conn.close()                               # server's keep-alive (uvicorn: 5 s), opened anew
            used[at] = time.monotonic()
            headers = {"Cookie": cookie, "Accept": "application/json"}
            body = None
            if what == "ping":
                method, path = "GET", "/api/ping"
            elif what == "overview":
                method, path = "GET", "/api/overview"
            else:
                method = "POST"
                headers["X-Requested-With"] = "bench"
                income = 3_100_000 if what == "preview" else 2_000_000 + (i * 7919 + k) % 3_000_000
                body = json.dumps({"change": {"kind": "income", "date": "2026-08-01", "person": "applicant",
                                              "income": income}}).encode()
                path = "/api/changes/preview" if what == "preview" else "/api/changes"
                if what == "submit":
                    headers["Idempotency-Key"] = uuid.uuid4().hex
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(conn.request(method, path, headers, body), timeout=30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                errors.append(f"{what} {type(e).__name__}")
                conn.close()
                continue
            if status < 400:
                lat.append((time.perf_counter() - t0) * 1000)
            else:
                errors.append(f"{what} {status}")
    finally:
        for conn in conns:
            conn.close()


def load(ports: list[int], cookies: list[str], phones: int, seconds: float, what: str) -> dict:
    """`phones` simulated phones for `seconds` (asyncio: 1,000 phones cost the shared cores little)."""
    lat: list[float] = []
    errors: list[str] = []

    async def run() -> float:
        start = time.monotonic()
        end = start + seconds
        await asyncio.gather(*(_phone(i, ports, cookies[i % len(cookies)], end, what, lat, errors)
                               for i in range(phones)))
        return time.monotonic() - start

    elapsed = asyncio.run(run())
    lat.sort()
    pick = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))])) if lat else (lambda q: None)
    out = {"req/s": round(len(lat) / elapsed, 1), "p50 ms": pick(0.5), "p95 ms": pick(0.95), "errors": len(errors)}
    if errors:  # what they were: a status code or the client's exception (a timeout after 30 s)
        out["error kinds"] = dict(Counter(errors))
    return out


def _servers(target, nodes: int, name: str, stored: bool) -> tuple[list, list[Path]]:
    # a folder of this run's own: two benches at once on a shared machine removed each other's logs
    logs = [Path(tempfile.mkdtemp(prefix="bench-stores-")) / f"{name.lower()}-{nodes}-{n}.log" for n in range(nodes)]
    procs = [ServerProcess(target, today=TODAY, extra=["--overview-stored", "1" if stored else "0"],
                           log_path=log).start() for log in logs]
    return procs, logs


def _stop(procs: list, logs: list[Path]) -> None:
    for p in procs:
        p.stop()
    for log in logs:  # the servers' own account of any error (unhandled exceptions are logged there)
        failed = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("ERROR")]
        if failed:
            print(f"  {log}: {len(failed)} ERROR lines, first: {failed[0][:200]}")
        log.unlink()
        log.parent.rmdir()


def _nightly_refresh(target) -> dict:
    """The job `overviews` the first night the stored overviews ran out (the window's end): households/s."""
    day = snapshot.window(TODAY)[1]
    store = Store(target)
    try:
        out = overviews_job.run(store, make_settings(target, today=day))
    finally:
        store.close()
    return {**out, "households/s": round(out["refreshed"] / max(out["ms"], 1) * 1000)}


def run_setup(name: str, target, nodes: int, args, rows: list) -> None:
    """Per phone count: ping and, with overviews not stored, the overview worked out on every request
    (what it costs without the store); then the overview as a parent meets it (stored: worked out at the
    last visit or by the nightly job, here by one visit of every household first), preview and submit;
    then the nightly refresh of the stored overviews, the day their window ends."""
    cookies = seed(target, args.copies)
    results: dict[int, dict] = {phones: {} for phones in args.phones}
    # worked out on every request first: before the submits add decisions to read (as the stored ones
    # are measured before them too)
    procs, logs = _servers(target, nodes, name, stored=False)
    try:
        ports = [p.port for p in procs]
        for phones in args.phones:
            results[phones]["ping"] = load(ports, cookies, phones, args.seconds, "ping")
            results[phones]["computed"] = load(ports, cookies, phones, args.seconds, "overview")
    finally:
        _stop(procs, logs)
    procs, logs = _servers(target, nodes, name, stored=True)
    try:
        ports = [p.port for p in procs]
        for phones in args.phones:
            # every household's overview stored once (the submits of the run before changed them all)
            load(ports, cookies, len(cookies), 1.0, "overview")
            for w in ("overview", "preview", "submit"):
                results[phones][w] = load(ports, cookies, phones, args.seconds, w)
    finally:
        _stop(procs, logs)
    refresh = _nightly_refresh(target)
    label = f"{name}, {nodes} process{'es' if nodes > 1 else ''}"
    print(f"\n{label}: nightly refresh of the stored overviews: {refresh}", flush=True)
    for phones in args.phones:
        r = results[phones]
        ping = r["ping"]["req/s"] or 1
        print(f"\n{label}, {phones} phones, {len(cookies)} households:", flush=True)
        for w, x in r.items():
            print(f"  {w:9} {x}", flush=True)
        print(f"  overview = {r['overview']['req/s'] / ping:.0%} of hello-world stored, "
              f"{r['computed']['req/s'] / ping:.0%} worked out on every request", flush=True)
        rows.append((label, phones, r))


def table(rows: list) -> None:
    print("\n| setup | phones | ping req/s | overview req/s (p50/p95 ms) | overview worked out each time "
          "| preview req/s (p50/p95) | submit req/s (p50/p95) | errors o/c/p/s | overview / ping: stored, worked out |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, phones, r in rows:
        ws = ("overview", "computed", "preview", "submit")
        cell = {w: f"{r[w]['req/s']:.0f} ({r[w]['p50 ms']}/{r[w]['p95 ms']})" for w in ws}
        errs = " + ".join(str(r[w]["errors"]) for w in ws)
        ping = r["ping"]["req/s"] or 1
        print(f"| {label} | {phones} | {r['ping']['req/s']:.0f} | {cell['overview']} | {cell['computed']} "
              f"| {cell['preview']} | {cell['submit']} | {errs} "
              f"| {r['overview']['req/s'] / ping:.0%}, {r['computed']['req/s'] / ping:.0%} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", default="200", help="comma-separated, e.g. 200,1000 (each a separate run)")
    ap.add_argument("--seconds", type=float, default=8.0, help="per workload and phone count")
    ap.add_argument("--copies", type=int, default=30, help="copies of the 3 demo households (phones share them)")
    ap.add_argument("--setups", default="sqlite,pg1,pg2",
                    help="sqlite (1 process), pg1 / pg2 (PostgreSQL, 1 / 2 API processes)")
    args = ap.parse_args()
    args.phones = [int(p) for p in args.phones.split(",")]
    setups = [s.strip() for s in args.setups.split(",")]
    print("timeit baseline:", baseline(), flush=True)
    rows: list = []
    if "sqlite" in setups:
        with tempfile.TemporaryDirectory() as tmp:
            run_setup("SQLite", Path(tmp) / "bench.db", 1, args, rows)
    if not pgcluster.available():
        print("\nPostgreSQL: no server binary installed (make postgresql); skipped")
    else:
        cluster = pgcluster.Cluster().start()
        try:
            for nodes in (1, 2):
                if f"pg{nodes}" in setups:
                    run_setup("PostgreSQL", cluster.create_database(), nodes, args, rows)
        finally:
            cluster.stop()
    table(rows)


if __name__ == "__main__":
    main()
