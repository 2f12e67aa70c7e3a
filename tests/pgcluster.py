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
import sys
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


def running():
    """A started throwaway cluster, stopped afterwards (the body of the pg_cluster fixtures); the test
    is skipped on a machine without the server binary."""
    import pytest

    if not available():
        pytest.skip("no PostgreSQL server binary (make test installs Debian's postgresql)")
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


def available() -> bool:
    return bindir() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, shared_buffers: str = "128MB"):
        # 128MB (PostgreSQL's default) for the tests' small databases; a benchmark on a million
        # households gives it what a server of its own would get (bench_drift_scan: a quarter of the RAM)
        self.shared_buffers = shared_buffers
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server binary (install Debian's postgresql)")
        self.root = Path(tempfile.mkdtemp(prefix="toeslagen-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self._counter = 0
        self._free: dict[str, list[str]] = {}     # template name -> copies not in use
        self._template_of: dict[str, str] = {}    # copy URL -> template name
        self._reset_sql: dict[str, str] = {}      # copy URL -> the script that puts the template's rows back

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
        self._watch()
        return self

    def _watch(self) -> None:
        """A small process that stops the cluster and removes its folder when the process that made it
        ends without stop() (killed by a timeout, a crash): pg_ctl starts the server in the background,
        so nothing else would, and a left cluster keeps its port, memory and files for good."""
        stop = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        if self.as_root:
            stop = ["runuser", "-u", "nobody", "--", *stop]
        subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.root), *stop],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True)

    def start_server(self) -> None:
        """Starts the server of an initialised cluster (again, after stop_server())."""
        opts = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
                f" -c shared_buffers={self.shared_buffers}")
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

    def checkout(self, template: str) -> str:
        """A database holding exactly the rows of database `template`, for one test; give it back with
        checkin(). The first checkout makes a copy (CREATE DATABASE … TEMPLATE) and keeps the template's
        rows beside it in a schema `pristine`; a later one takes a copy given back and puts those rows
        back (DELETE + INSERT per table, sequences set back). Why: a new copy and its DROP cost about
        0.2 s each (on 2 busy cores 0.6 s), putting back a demo's rows 0.02-0.1 s, and the API and
        hardening tests ask for several hundred databases."""
        free = self._free.setdefault(template, [])
        if free:
            url = free.pop()
            self._reset(url)
            return url
        url = self.create_database(template=template)
        self._template_of[url] = template
        self._reset_sql[url] = _keep_pristine(url)
        return url

    def checkin(self, url: str) -> None:
        self._free[self._template_of[url]].append(url)

    def _reset(self, url: str) -> None:
        import psycopg

        # a connection a test left open (a pool not closed, a thread still running) must not see or
        # hold anything of the next test: end it, as DROP DATABASE … WITH (FORCE) does
        self.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     f" WHERE datname = '{database_name(url)}' AND pid <> pg_backend_pid()")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(self._reset_sql[url])

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


# argv: the owner's pid, the cluster's folder, the stop command. Checks once a second; ends by itself
# as soon as the folder is gone (stop() removes it).
_WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.isdir(root):
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
        break
    time.sleep(1)
"""


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _keep_pristine(url: str) -> str:
    """Copies every table of schema public into schema `pristine` (the application only uses public)
    and returns the script that makes public equal to it again: every table emptied and refilled, every
    sequence set back. session_replication_role = replica turns off the triggers (the append-only
    events refuse DELETE) and the foreign key checks for that one transaction (the test cluster's
    user is its superuser)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        sequences = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1").fetchall()
        conn.execute("CREATE SCHEMA pristine")
        for t in tables:
            conn.execute(f'CREATE TABLE pristine."{t}" AS SELECT * FROM public."{t}"')
    script = ["BEGIN", "SET LOCAL session_replication_role = replica"]
    for t in tables:
        script.append(f'DELETE FROM public."{t}"')
        script.append(f'INSERT INTO public."{t}" OVERRIDING SYSTEM VALUE SELECT * FROM pristine."{t}"')
    for name, last in sequences:  # last_value is NULL for a sequence never used: its next value is 1
        value, called = (last, "true") if last is not None else (1, "false")
        script.append(f"SELECT setval('public.\"{name}\"', {value}, {called})")
    script.append("COMMIT")
    return ";\n".join(script) + ";"
