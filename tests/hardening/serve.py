"""A real API server for the hardening tests and bench/bench_load.py: create_app + uvicorn (one worker,
one process) on 127.0.0.1, on an existing database, with a fixed "today". Unlike `python -m api serve`
it seeds nothing, prints no activation codes and runs the scheduled jobs only with --jobs.

    python -m tests.hardening.serve --db DB|postgresql://… --port PORT [--today YYYY-MM-DD] [--debug-log] [--jobs]

(from the repository's root, so that `api` and `tests` import without touching sys.path)

--debug-log: the api loggers at DEBUG and uvicorn's access log on, all to stdout (for the log grep of
test_security.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--today", default=None)
    ap.add_argument("--debug-log", action="store_true")
    ap.add_argument("--jobs", action="store_true")
    ap.add_argument("--overview-stored", type=int, default=1, help="0: overviews are worked out on every request")
    ap.add_argument("--activation-rate", type=int, default=100_000)
    ap.add_argument("--login-rate", type=int, default=100_000)
    ap.add_argument("--activation-alarm", type=int, default=None,
                    help="wrong activation codes (all clients) per window above which they are slowed down")
    ap.add_argument("--activation-slowdown", type=float, default=None)
    ap.add_argument("--rate-window", type=int, default=60, help="seconds of the activation and login windows")
    ap.add_argument("--trusted-proxies", default="", help="comma-separated addresses/networks of trusted proxies")
    ap.add_argument("--memory-report", action="store_true",
                    help="at shutdown print SQLite's own memory, the store's connections and open files")
    ap.add_argument("--trace-python", action="store_true",
                    help="with --memory-report: also trace Python allocations (slow) and print the top sites")
    args = ap.parse_args()
    if args.trace_python:
        import tracemalloc

        tracemalloc.start(1)

    import uvicorn

    from api.app import create_app
    from api.settings import Settings
    from api.store.dialect import is_postgres

    settings = Settings(db_path=args.db if is_postgres(args.db) else Path(args.db),
                        origins=(f"http://localhost:{args.port}",), rp_id="localhost",
                        today=dt.date.fromisoformat(args.today) if args.today else None,
                        activation_rate=(args.activation_rate, args.rate_window),
                        login_rate=(args.login_rate, args.rate_window),
                        run_jobs=args.jobs, overview_stored=bool(args.overview_stored),
                        trusted_proxies=tuple(p for p in args.trusted_proxies.split(",") if p))
    if args.activation_alarm is not None:
        settings = settings.with_(activation_failures_alarm=args.activation_alarm)
    if args.activation_slowdown is not None:
        settings = settings.with_(activation_slowdown=args.activation_slowdown)
    app = create_app(settings)
    if args.memory_report:  # first thing at shutdown, while the connections are still open
        app.on_shutdown.insert(0, lambda: memory_report(app))
    if args.debug_log:
        logging.basicConfig(stream=sys.stdout, level=logging.DEBUG, force=True,
                            format="%(asctime)s %(levelname)s %(name)s %(message)s")
        for name in ("api", "litestar", "uvicorn", "uvicorn.error", "uvicorn.access"):
            logging.getLogger(name).setLevel(logging.DEBUG)
        from api.web import security_log

        security_log.pseudonymize_access_log()  # as `python -m api serve` does
    uvicorn.run(app, host="127.0.0.1", port=args.port, workers=1, lifespan="on", server_header=False,
                proxy_headers=False, log_level="debug" if args.debug_log else "warning",
                access_log=args.debug_log, log_config=None if args.debug_log else uvicorn.config.LOGGING_CONFIG)


def memory_report(app) -> None:
    import ctypes
    import ctypes.util
    import os
    import threading
    import tracemalloc

    fds = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else -1
    print(f"threads {threading.active_count()}; store connections {app.state.store.connections()}; "
          f"open files {fds}", flush=True)
    if tracemalloc.is_tracing():
        current, peak = tracemalloc.get_traced_memory()
        print(f"python traced: {current / 2**20:.1f} MB (peak {peak / 2**20:.1f} MB)", flush=True)
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:25]:
            print(f"  {stat.size / 2**20:7.2f} MB {stat.count:8d}  {stat.traceback}", flush=True)
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3"))
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        lib.sqlite3_memory_highwater.restype = ctypes.c_int64
        print(f"sqlite: {lib.sqlite3_memory_used() / 2**20:.1f} MB in use "
              f"(high water {lib.sqlite3_memory_highwater(0) / 2**20:.1f} MB)", flush=True)
    except OSError as e:  # pragma: no cover - no shared libsqlite3
        print(f"sqlite: memory unknown ({e})", flush=True)


if __name__ == "__main__":
    main()
