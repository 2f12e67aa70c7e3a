"""Fixtures shared by every test folder: the throwaway PostgreSQL cluster (tests/pgcluster.py) and
which stores the store-parametrized tests run on.

TOESLAGEN_TEST_STORES=sqlite,postgresql (the default when a PostgreSQL server binary is installed;
sqlite alone otherwise) picks the stores; the PostgreSQL cluster starts once per session, only when
a test asks for it, and is removed at the end."""

from __future__ import annotations

import os

import pytest

from tests import pgcluster


def stores() -> list[str]:
    wanted = os.environ.get("TOESLAGEN_TEST_STORES")
    if wanted:
        return [s.strip() for s in wanted.split(",") if s.strip()]
    return ["sqlite", "postgresql"] if pgcluster.available() else ["sqlite"]


@pytest.fixture(scope="session")
def pg_cluster():
    if not pgcluster.available():
        pytest.skip("no PostgreSQL server binary (make test installs Debian's postgresql)")
    cluster = pgcluster.Cluster().start()
    yield cluster
    cluster.stop()
