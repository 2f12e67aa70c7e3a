"""Markers by folder, so a fast subset can be run without naming paths:

    .venv/bin/python -m pytest -m "not e2e and not hardening"    # rules, conformance, API: about a minute
    .venv/bin/python -m pytest -m rules                          # the rules alone, in seconds

Every test gets the marker of the folder it lives in (rules, conformance, api, e2e, hardening)."""

from __future__ import annotations

from pathlib import Path

import pytest

FOLDERS = ("rules", "conformance", "api", "e2e", "hardening")
_HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    for name in FOLDERS:
        config.addinivalue_line("markers", f"{name}: a test under tests/{name}/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        try:
            top = Path(str(item.path)).resolve().relative_to(_HERE).parts[0]
        except ValueError:
            continue
        if top in FOLDERS:
            item.add_marker(getattr(pytest.mark, top))
