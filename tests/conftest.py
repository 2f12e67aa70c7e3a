"""Fixtures and markers shared by every test folder.

Markers by folder, so a fast subset can be run without naming paths:

    .venv/bin/python -m pytest -m "not e2e and not hardening"    # rules, conformance, API
    .venv/bin/python -m pytest -m rules                          # the rules alone, in seconds

Every test gets the marker of the folder it lives in (rules, conformance, api, e2e, hardening, ...).

The throwaway PostgreSQL cluster (tests/pgcluster.py) and which stores the store-parametrized tests
run on: TOESLAGEN_TEST_STORES=sqlite,postgresql (the default when a PostgreSQL server binary is
installed; sqlite alone otherwise) picks the stores, and every store-parametrized test runs on each
(`make test`, CI). The PostgreSQL cluster starts once per session, only when a test asks for it, and is
removed at the end; the tests' databases are copies of seeded templates, reused from test to test
(Cluster.checkout), which keeps the PostgreSQL half of `make test` to a few minutes on 2 cores."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests import pgcluster

FOLDERS = ("rules", "conformance", "api", "e2e", "hardening", "architecture")
_HERE = Path(__file__).resolve().parent


def stores() -> list[str]:
    wanted = os.environ.get("TOESLAGEN_TEST_STORES")
    if wanted:
        return [s.strip() for s in wanted.split(",") if s.strip()]
    return ["sqlite", "postgresql"] if pgcluster.available() else ["sqlite"]


# one throwaway cluster for the whole run
pg_cluster = pytest.fixture(pgcluster.running, scope="session", name="pg_cluster")


def pytest_configure(config: pytest.Config) -> None:
    for name in FOLDERS:
        config.addinivalue_line("markers", f"{name}: a test under tests/{name}/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            top = Path(str(item.path)).resolve().relative_to(_HERE).parts[0]
        except ValueError:
            continue
        if top in FOLDERS:
            item.add_marker(getattr(pytest.mark, top))


def copy_database(request, kind: str, source: Path | str, path: Path) -> Path | str:
    """A fresh copy of a template database for the requesting test or module: a file copy at `path` on
    SQLite; on PostgreSQL a database of the cluster put back to the template's rows
    (pgcluster.Cluster.checkout), given back when the test or module ends."""
    if kind == "sqlite":
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, path)
        return path
    cluster = request.getfixturevalue("pg_cluster")
    url = cluster.checkout(str(source).rsplit("/", 1)[1])
    request.addfinalizer(lambda: cluster.checkin(url))
    return url
