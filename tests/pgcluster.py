"""A throwaway PostgreSQL cluster for the tests and benchmarks: `initdb` in a temporary folder, the
server on a free 127.0.0.1 port (`pg_ctl`), removed afterwards. No system service, no fixed port.

PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to `nobody` and its
commands run through `runuser`. Trust authentication on 127.0.0.1 only (a test cluster, no data).
`available()` is False when no server binary is installed (`make test` installs Debian's
`postgresql`); the PostgreSQL half of the tests is then skipped."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "toeslagen"


def bindir() -> Path | None:
    env = os.environ.get("TOESLAGEN_PG_BIN")
    candidates = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def available() -> bool:
    return bindir() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server binary (install Debian's postgresql)")
        self.root = Path(tempfile.mkdtemp(prefix="toeslagen-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self._counter = 0

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "nobody", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=self.root, **kw)

    def start(self) -> Cluster:
        if self.as_root:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, "nobody")
        # C collation: text sorts by byte as on SQLite (ids, months and dates compare the same)
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync")
        self.start_server()
        return self

    def start_server(self) -> None:
        """Starts the server of an initialised cluster (again, after stop_server())."""
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
                " -c shared_buffers=128MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", opts, "-w", "start")

    def stop_server(self, mode: str = "fast") -> None:
        """Stops the server and keeps the data (fast: every session is ended, as on a restart)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """pg_ctl restart: every connection is ended, the server is back on the same port."""
        self.stop_server()
        self.start_server()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`); returns its URL."""
        self._counter += 1
        name = f"t{os.getpid()}_{self._counter}"
        self.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.root, ignore_errors=True)


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]
