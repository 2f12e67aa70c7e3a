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


# `make test` on 2 cores stays under 15 minutes: by default the store-parametrized tests of these
# modules run on PostgreSQL too (identity and sessions, the household read, the income scan, prompts,
# access between households) beside tests/api/test_migrations.py and tests/hardening/test_nodes.py,
# which only make sense there. Every parametrized test on both stores: TOESLAGEN_PG_TESTS=all
# (322 tests, all green; about 13 minutes on the shared 2-core machine).
PG_SUBSET = {"test_access.py", "test_auth.py", "test_household.py", "test_income.py", "test_jobs.py",
             "test_prompts.py"}


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TOESLAGEN_PG_TESTS", "subset") == "all":
        return
    keep, drop = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        on_pg = spec is not None and spec.params.get("store_kind") == "postgresql"
        (drop if on_pg and item.path.name not in PG_SUBSET else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
