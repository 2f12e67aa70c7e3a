"""The real API (create_app + uvicorn) in a background thread on a free loopback port, with a SQLite
database in `folder`, the demo households seeded and a fixed "today". Used by the e2e tests and by
bench/bench_pwa.py."""

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
        c = sqlite3.connect(self.db_path)
        try:
            return c.execute(sql, args).fetchall()
        finally:
            c.close()

    def stop(self) -> None:
        self._uvicorn.should_exit = True
        self._thread.join(timeout=10)
        self.store.close()


def start_server(folder: Path, today: dt.date) -> Server:
    import uvicorn

    from api import demo
    from api.app import create_app
    from api.auth.service import AuthService
    from api.auth.sessions import Sessions
    from api.settings import Settings
    from api.store import Store
    from api.store.migrate import migrate

    port = free_port()
    db_path = Path(folder) / "toeslagen.db"
    # localhost, not 127.0.0.1: a secure context and a valid WebAuthn RP ID
    settings = Settings(db_path=db_path, today=today, origins=(f"http://localhost:{port}",), rp_id="localhost",
                        activation_rate=(10_000, 60), login_rate=(10_000, 60))
    migrate(db_path)
    store = Store(db_path)
    demo.seed(store, settings)
    auth = AuthService(store, settings, Sessions(store, settings))
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    return Server(f"http://localhost:{port}", db_path, settings, store, auth, srv, thread)
