"""Fixtures and markers shared by every test folder.

Markers by folder, so a fast subset can be run without naming paths:

    .venv/bin/python -m pytest -m "not e2e and not hardening"    # rules, conformance, API
    .venv/bin/python -m pytest -m rules                          # the rules alone, in seconds

Every test gets the marker of the folder it lives in (rules, conformance, api, e2e, hardening, ...).

The throwaway PostgreSQL cluster (tests/pgcluster.py) and which stores the store-parametrized tests
run on: TOESLAGEN_TEST_STORES=sqlite,postgresql (the default when a PostgreSQL server binary is
installed; sqlite alone otherwise) picks the stores; the PostgreSQL cluster starts once per session,
only when a test asks for it, and is removed at the end."""

from __future__ import annotations

import os
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
# which only make sense there. Every parametrized test on both stores: TOESLAGEN_PG_TESTS=all.
PG_SUBSET = {"test_access.py", "test_auth.py", "test_household.py", "test_income.py", "test_jobs.py",
             "test_prompts.py"}


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
