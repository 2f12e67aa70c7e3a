"""SQLite vs PostgreSQL behind 1 and 2 API processes (issue #16): overview (cold: no cache), preview and
submit p50/p95 and errors with simulated phones (threads, each its own household session), and the
cold overview in requests/s as a share of hello-world (/api/ping) on the same setup.

Real server processes (tests/hardening/serve.py), a throwaway PostgreSQL cluster (tests/pgcluster.py)
and a SQLite file, each seeded with the demo plus copies. Run once; on a shared machine the figures
are indicative only. Prints the timeit baseline so machines can be compared.

    .venv/bin/python bench/bench_stores.py [--phones 50] [--seconds 8] [--copies 30]"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import datetime as dt  # noqa: E402

import httpx  # noqa: E402

from api import demo  # noqa: E402
from api.store import Store  # noqa: E402
from api.store.migrate import migrate  # noqa: E402
from tests import pgcluster  # noqa: E402
from tests.hardening.common import CSRF, ServerProcess, add_demo_copies, household_id, make_settings, mint_session, seed_db  # noqa: E402

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
    cookies = [{settings.session_cookie_name: mint_session(store, settings, household_id(store, k))} for k in keys]
    store.close()
    return cookies


def load(bases: list[str], cookies: list[dict], phones: int, seconds: float, what: str) -> dict:
    lat, errors, lock = [], [0], threading.Lock()
    stop = time.monotonic() + seconds
    rr = itertools.count()

    def phone(i: int) -> None:
        jar = cookies[i % len(cookies)]
        with httpx.Client(cookies=jar, headers=CSRF, timeout=30) as c:
            while time.monotonic() < stop:
                base = bases[next(rr) % len(bases)]
                t0 = time.perf_counter()
                try:
                    if what == "ping":
                        r = c.get(base + "/api/ping")
                    elif what == "overview":
                        r = c.get(base + "/api/overview")
                    elif what == "preview":
                        r = c.post(base + "/api/changes/preview", json={"change": {
                            "kind": "income", "date": "2026-08-01", "person": "applicant", "income": 3_100_000}})
                    else:
                        r = c.post(base + "/api/changes", json={"change": {
                            "kind": "income", "date": "2026-08-01", "person": "applicant",
                            "income": 2_000_000 + (i * 7919 + len(lat)) % 3_000_000}},
                            headers={"Idempotency-Key": uuid.uuid4().hex})
                    ok = r.status_code < 400
                except httpx.HTTPError:
                    ok = False
                dt_ms = (time.perf_counter() - t0) * 1000
                with lock:
                    if ok:
                        lat.append(dt_ms)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    pick = (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 1)) if lat else (lambda q: None)
    return {"req/s": round(len(lat) / seconds, 1), "p50 ms": pick(0.5), "p95 ms": pick(0.95), "errors": errors[0]}


def run_setup(name: str, target, nodes: int, args) -> None:
    cookies = seed(target, args.copies)
    procs = [ServerProcess(target, today=TODAY, extra=["--overview-cache", "0"]).start() for _ in range(nodes)]
    try:
        bases = [p.base for p in procs]
        results = {w: load(bases, cookies, args.phones, args.seconds, w)
                   for w in ("ping", "overview", "preview", "submit")}
    finally:
        for p in procs:
            p.stop()
    share = results["overview"]["req/s"] / results["ping"]["req/s"] if results["ping"]["req/s"] else 0
    print(f"\n{name} ({nodes} API process{'es' if nodes > 1 else ''}, {args.phones} phones, {len(cookies)} households):")
    for w, r in results.items():
        print(f"  {w:9} {r}")
    print(f"  cold overview = {share:.0%} of hello-world")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--copies", type=int, default=30)
    args = ap.parse_args()
    print("timeit baseline:", baseline())
    with tempfile.TemporaryDirectory() as tmp:
        run_setup("SQLite", Path(tmp) / "bench.db", 1, args)
    if not pgcluster.available():
        print("\nPostgreSQL: no server binary installed (make postgresql); skipped")
        return
    cluster = pgcluster.Cluster().start()
    try:
        run_setup("PostgreSQL", cluster.create_database(), 1, args)
        run_setup("PostgreSQL", cluster.create_database(), 2, args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
