"""Load benchmark (issue #8): 200 concurrent simulated phones for 60 s against ONE uvicorn process on
loopback (tests/hardening/serve.py: create_app + uvicorn, one worker), on a temp SQLite database with
the three demo households and 67 copies of each (204 households: every phone its own household).

Each phone has a session made through the service layer (api.auth.sessions.Sessions.create, the
last step of a passkey login; 200 passkey ceremonies would only measure the soft authenticator) and
its own keep-alive connection, and then loops until the time is up: GET /api/overview (60 %),
POST /api/changes/preview (30 %), POST /api/changes with an Idempotency-Key (10 %) — income, rent and
(for the single parents) childcare-hours changes — with a think time of 0.5–1.5 s between requests
(--think 0 0: as fast as the server answers).
Every answer other than 200/201, every broken connection and every timeout counts as an error.
The server's memory (VmRSS) is read every 5 s; "flat" means the last sample is within 10 % (+ 8 MB) of
the sample at the middle of the run. The load generator speaks HTTP/1.1 itself (asyncio streams), as
bench_api.py does, so it costs the shared 2 cores little.

    .venv/bin/python bench/bench_load.py [--phones 200] [--duration 60] [--think 0.5 1.5] [--max-requests 2000]
                                         [--memory-report]

Prints markdown tables; exits 1 when there were errors.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hardening.common import (  # noqa: E402  (after the sys.path insert above)
    ServerProcess,
    add_demo_copies,
    fixed_clock,
    make_settings,
    mint_session,
    seed_db,
)

TODAY = dt.date(2026, 6, 15)
MIX = (("overview", 0.6), ("preview", 0.3), ("submit", 0.1))


def prepare(db: Path, phones: int) -> list[dict]:
    from api.store import Store

    settings = make_settings(db, today=TODAY, clock=fixed_clock())
    seed_db(db, settings)
    copies = max(0, (phones - 3 + 2) // 3)
    add_demo_copies(db, settings, copies)
    store = Store(db)
    try:
        conn = sqlite3.connect(db)
        households = conn.execute("SELECT id, demo_key FROM households ORDER BY rowid").fetchall()
        contracts = {}
        for hh, cid in conn.execute("SELECT household_id, id FROM childcare_contracts"):
            contracts.setdefault(hh, []).append(cid)
        conn.close()
        real = make_settings(db, today=TODAY)  # sessions on the real clock: the server checks them with it
        out = []
        for hh, key in households[:phones]:
            out.append({"household": hh, "key": key, "contracts": contracts.get(hh, []),
                        "cookie": f"{real.session_cookie_name}={mint_session(store, real, hh)}"})
        return out
    finally:
        store.close()


def change_body(rng: random.Random, phone: dict) -> dict:
    kinds = ["income", "rent"] + (["childcare"] if phone["contracts"] else [])
    kind = rng.choice(kinds)
    date = f"2026-{rng.randint(6, 12):02d}-01"
    if kind == "income":
        return {"change": {"kind": "income", "date": date, "income": rng.randint(1_500_000, 5_500_000)}}
    if kind == "rent":
        return {"change": {"kind": "home", "date": date, "rent": rng.randint(55_000, 100_000)}}
    return {"change": {"kind": "childcare", "date": date, "contract_id": rng.choice(phone["contracts"]),
                       "hours_per_month": rng.randint(40, 200)}}


class Conn:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        head = [f"{method} {path} HTTP/1.1", f"Host: localhost:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body or b""))
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        length = 0
        for line in raw.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        data = await self.reader.readexactly(length) if length else b""
        return status, data


async def phone(p: dict, port: int, end: float, think: tuple[float, float], max_requests: int, seed: int,
                results: dict, errors: list) -> None:
    rng = random.Random(seed)
    conn = Conn(port)
    await asyncio.sleep(rng.uniform(0, think[1]))  # the phones do not all start in the same millisecond
    n = 0
    try:
        while time.perf_counter() < end and n < max_requests:
            x = rng.random()
            route = next(name for name, share in _cumulative() if x < share)
            headers = {"Cookie": p["cookie"], "Accept": "application/json"}
            body = None
            if route == "overview":
                method, path = "GET", "/api/overview"
            else:
                method, path = "POST", "/api/changes/preview" if route == "preview" else "/api/changes"
                headers["X-Requested-With"] = "bench"
                body = json.dumps(change_body(rng, p)).encode()
                if route == "submit":
                    headers["Idempotency-Key"] = str(uuid.UUID(int=rng.getrandbits(128)))
            t0 = time.perf_counter()
            try:
                status, data = await asyncio.wait_for(conn.request(method, path, headers, body), timeout=30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                errors.append(f"{route}: {type(e).__name__}")
                conn.close()
                continue
            finally:
                n += 1
            results[route].append(time.perf_counter() - t0)
            if status not in (200, 201):
                errors.append(f"{route}: {status} {data[:120]!r}")
            await asyncio.sleep(rng.uniform(*think))
    finally:
        conn.close()


def _cumulative():
    total = 0.0
    for name, share in MIX:
        total += share
        yield name, total


async def run_load(phones: list[dict], port: int, duration: float, think, max_requests: int, server) -> dict:
    results = {name: [] for name, _ in MIX}
    errors: list[str] = []
    memory: list[tuple[float, int]] = []
    start = time.perf_counter()
    end = start + duration

    async def sample_memory():
        while time.perf_counter() < end:
            memory.append((time.perf_counter() - start, server.rss_kb()))
            await asyncio.sleep(5)
        memory.append((time.perf_counter() - start, server.rss_kb()))

    sampler = asyncio.create_task(sample_memory())
    await asyncio.gather(*(phone(p, port, end, think, max_requests, i, results, errors) for i, p in enumerate(phones)))
    elapsed = time.perf_counter() - start
    await sampler
    return {"results": results, "errors": errors, "memory": memory, "elapsed": elapsed}


def pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100)[p - 1] * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--phones", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5))
    ap.add_argument("--max-requests", type=int, default=2000, help="per phone")
    ap.add_argument("--memory-report", action="store_true",
                    help="the server prints SQLite's memory, its connections and open files at the end")
    ap.add_argument("--trace-python", action="store_true", help="with --memory-report: trace Python allocations (slow)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        t0 = time.perf_counter()
        phones = prepare(db, args.phones)
        prep_s = time.perf_counter() - t0
        server = ServerProcess(db, today=TODAY, log_path=Path(tmp) / "server.log",
                               extra=(["--memory-report"] if args.memory_report else [])
                               + (["--trace-python"] if args.trace_python else []),
                               env={"MALLOC_ARENA_MAX": os.environ["MALLOC_ARENA_MAX"]}
                               if "MALLOC_ARENA_MAX" in os.environ else None).start()
        try:
            # warm-up: every phone's overview once (a cold cache is not what a phone sees on its 2nd visit)
            asyncio.run(run_load(phones, server.port, 3.0, (0.0, 0.05), 1, server))
            rss_start = server.rss_kb()
            out = asyncio.run(run_load(phones, server.port, args.duration, tuple(args.think), args.max_requests,
                                       server))
            rss_end = server.rss_kb()
        finally:
            server.stop()
            log = (Path(tmp) / "server.log").read_text(errors="replace")
        conn = sqlite3.connect(db)
        changes = conn.execute("SELECT count(*) FROM events WHERE kind LIKE 'change.%'").fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
    res, errors, memory, elapsed = out["results"], out["errors"], out["memory"], out["elapsed"]
    total = sum(len(v) for v in res.values())
    print(f"\nLoad benchmark — {args.phones} phones (own household and keep-alive connection each, sessions made "
          f"through the service layer), think time {args.think[0]:g}–{args.think[1]:g} s, {args.duration:g} s, "
          f"one uvicorn process, {os.cpu_count()} CPUs shared with the load generator; setup {prep_s:.1f} s\n")
    print("| route | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    labels = {"overview": "GET /api/overview", "preview": "POST /api/changes/preview",
              "submit": "POST /api/changes (Idempotency-Key)"}
    for name, _ in MIX:
        v = res[name]
        errs = sum(1 for e in errors if e.startswith(name + ":"))
        print(f"| {labels[name]} | {len(v)} | {errs} | {len(v) / elapsed:.1f} | {pct(v, 50):.1f} | {pct(v, 95):.1f} | "
              f"{pct(v, 99):.1f} | {max(v, default=0) * 1000:.0f} |")
    every = [x for v in res.values() for x in v]
    print(f"| **all** | {total} | {len(errors)} | {total / elapsed:.1f} | {pct(every, 50):.1f} | {pct(every, 95):.1f} | "
          f"{pct(every, 99):.1f} | {max(every, default=0) * 1000:.0f} |")
    print("\n| server memory (VmRSS) | MB |")
    print("|---|---:|")
    mid = min(memory, key=lambda m: abs(m[0] - elapsed / 2))
    print(f"| start (after warm-up) | {rss_start / 1024:.1f} |")
    print(f"| middle ({mid[0]:.0f} s) | {mid[1] / 1024:.1f} |")
    print(f"| end | {rss_end / 1024:.1f} |")
    print("\nsamples every 5 s (MB): " + ", ".join(f"{kb / 1024:.0f}" for _, kb in memory))
    flat = rss_end <= mid[1] * 1.10 + 8 * 1024
    half = [m for m in memory if m[0] >= elapsed / 2]
    slope = (half[-1][1] - half[0][1]) / 1024 / max(1e-9, (half[-1][0] - half[0][0]) / 60) if len(half) > 1 else 0.0
    print(f"\nmemory {'flat' if flat else 'GROWING'} (end vs middle {100 * (rss_end - mid[1]) / mid[1]:+.1f} %, "
          f"{slope:+.1f} MB/min over the second half); "
          f"{changes} changes stored; integrity_check {integrity}; server log errors: "
          f"{log.count('ERROR')}")
    if errors:
        print("errors (first 10): " + "; ".join(errors[:10]))
    if args.memory_report:
        print("\n" + log[log.find("threads "):])
    # memory is reported, not judged: SQLite's page caches fill as the database grows (bounded by
    # connections × cache_size), which makes a short run look like growth
    return 0 if not errors and integrity == "ok" and "ERROR" not in log else 1


if __name__ == "__main__":
    sys.exit(main())
