"""API benchmark: GET /api/overview side by side with a bare hello-world route (GET /api/ping) of the
same Litestar app, at 50 concurrent clients, against a real uvicorn server (one worker) on a seeded
temp database. Prints a markdown table; the target is overview ≥ 50 % of hello world (requests/s).

    .venv/bin/python bench/bench_api.py [--duration 10] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import demo  # noqa: E402
from api.auth.service import AuthService  # noqa: E402
from api.auth.sessions import Sessions  # noqa: E402
from api.settings import Settings  # noqa: E402
from api.store import Store, households  # noqa: E402
from api.store.migrate import migrate  # noqa: E402
from tests.api.soft_authenticator import SoftAuthenticator  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(db: Path, port: int) -> str:
    settings = Settings(db_path=db, origins=(f"http://localhost:{port}",))
    migrate(db)
    store = Store(db)
    demo.seed(store, settings)
    auth = AuthService(store, settings, Sessions(store, settings))
    with store.write() as conn:
        code = auth.issue_code(conn, households.by_demo_key(conn, "single_parent")["id"])
    store.close()
    return code


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            if httpx.get(base + "/api/ping", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def login(base: str, code: str, port: int) -> httpx.Cookies:
    h = {"X-Requested-With": "bench"}
    with httpx.Client(base_url=base, headers=h) as c:
        c.post("/api/activation", json={"code": code}).raise_for_status()
        opts = c.post("/api/passkeys/register/options").raise_for_status().json()["publicKey"]
        auth = SoftAuthenticator(origin=f"http://localhost:{port}")
        c.post("/api/passkeys/register/verify", json={"credential": auth.create(opts)}).raise_for_status()
        opts = c.post("/api/login/options").raise_for_status().json()["publicKey"]
        c.post("/api/login/verify", json={"credential": auth.get(opts)}).raise_for_status()
        assert c.get("/api/overview").status_code == 200
        return c.cookies


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One keep-alive HTTP/1.1 GET; returns the status. (httpx's async pool is itself the bottleneck at
    50 connections on 2 cores, so the load generator speaks HTTP/1.1 directly.)"""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def load(base: str, path: str, cookies: httpx.Cookies, concurrency: int, duration: float) -> dict:
    host, port = base.removeprefix("http://").split(":")
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = (f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nCookie: {cookie}\r\n"
               f"Accept: application/json\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    end = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.perf_counter() < end:
                t0 = time.perf_counter()
                status = await _get(reader, writer, request)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"path": path, "n": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49] * 1000,
            "p95": q[94] * 1000, "errors": errors}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, default=50)
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        code = prepare(db, port)
        results = []
        for label, cache, paths in (("", None, ("/api/ping", "/api/overview")),
                                    (" (no cache)", "0", ("/api/overview",))):
            env = {**os.environ, "TOESLAGEN_DB": str(db), "PYTHONPATH": str(ROOT)}
            if cache is not None:
                env["TOESLAGEN_OVERVIEW_CACHE"] = cache
            proc = subprocess.Popen(
                [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True)
            try:
                wait_ready(base, proc)
                if not results:
                    cookies = login(base, code, port)
                for path in paths:
                    asyncio.run(load(base, path, cookies, args.concurrency, 1.0))  # warm-up
                    r = asyncio.run(load(base, path, cookies, args.concurrency, args.duration))
                    r["label"] = label
                    results.append(r)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
    hello = results[0]["rps"]
    print(f"\nAPI benchmark — uvicorn, 1 worker, {args.concurrency} concurrent clients, {args.duration:g} s per route, "
          f"{os.cpu_count()} CPUs (client and server share them)\n")
    print("| route | requests | errors | req/s | p50 ms | p95 ms | vs hello world |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| GET {r['path']}{r['label']} | {r['n']} | {r['errors']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
              f"{100 * r['rps'] / hello:.0f} % |")
    ratio = results[1]["rps"] / hello
    print(f"\noverview / hello world = {100 * ratio:.0f} % (target ≥ 50 %): {'OK' if ratio >= 0.5 else 'BELOW TARGET'}")
    return 0 if ratio >= 0.5 and not any(r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
