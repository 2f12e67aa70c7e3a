"""Which store the hardening tests run on: every test that takes `store_kind` (directly, or through
`fresh_db` / demo_database()) runs on SQLite and, when a PostgreSQL server binary is installed, on a
database of the session's throwaway cluster (tests/conftest.py, TOESLAGEN_TEST_STORES). The demo is
seeded once per session and store; each test gets a copy of it (a file copy, or a cluster database
put back to the seeded rows: pgcluster.Cluster.checkout).

`store_kind` is module-scoped so the module-scoped worlds (test_isolation, test_fuzz) are built once
per store. A test that is about SQLite alone does not take it and says why in its docstring."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_database, stores

from .common import seed_db

_TEMPLATES: dict[str, Path | str] = {}


@pytest.fixture(scope="module", params=stores())
def store_kind(request) -> str:
    return request.param


def demo_database(request, kind: str, path: Path) -> Path | str:
    """The demo (as seed_db seeds it) in a database of its own for the requesting test or module: a
    SQLite file at `path`, or a PostgreSQL URL (given back when the test or module ends)."""
    if kind not in _TEMPLATES:
        if kind == "sqlite":
            folder = request.getfixturevalue("tmp_path_factory").mktemp("hardening-template")
            _TEMPLATES[kind] = seed_db(folder / "demo.db")
        else:
            _TEMPLATES[kind] = seed_db(request.getfixturevalue("pg_cluster").create_database())
    return copy_database(request, kind, _TEMPLATES[kind], path)


@pytest.fixture
def fresh_db(request, store_kind, tmp_path):
    """make(name) -> a seeded demo database for this test on this test's store."""
    return lambda name="demo.db": demo_database(request, store_kind, tmp_path / name)
