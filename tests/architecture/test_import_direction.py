"""The import direction of ARCHITECTURE.md, read from the source (ast, nothing is imported):

- `shared_rules` imports nothing of `api` and no third-party package: it runs in MicroPython too;
- `api/store` imports nothing of the domains (only store modules, settings and util);
- a domain does not import another domain's private names (`from ..changes.service import _x`);
- the packages of `api` import each other without cycles (function-level imports count: a cycle
  hidden inside a function is still a cycle)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# what MicroPython 1.27 and CPython both have that shared_rules may use (DESIGN.md)
# (uos/ubinascii: MicroPython's names, tried first, CPython's os/binascii as the fallback)
MICROPYTHON_STDLIB = {"json", "re", "hashlib", "sys", "os", "uos", "binascii", "ubinascii", "datetime",
                      "collections", "math", "time"}
STORE_MAY_IMPORT = {"store", "settings", "util"}


def _module(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def imports(path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(absolute module, imported name or None, line) for every import in the file, at any depth."""
    module, is_package = _module(path)
    here = module.split(".")
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                yield target, a.name, node.lineno


def _files(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _room(module: str, name: str | None = None) -> str:
    """The first-level part of `api` a module belongs to: `api.changes.service` -> `changes`;
    `from api import rules` -> `rules`."""
    parts = module.split(".")
    if len(parts) > 1:
        return parts[1]
    return name or "api"


def test_shared_rules_imports_neither_api_nor_third_party_packages():
    wrong = []
    for path in _files("shared_rules"):
        for target, _name, line in imports(path):
            top = target.split(".")[0]
            if top != "shared_rules" and top not in MICROPYTHON_STDLIB:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_store_imports_nothing_of_the_domains():
    wrong = []
    for path in _files("api/store"):
        for target, name, line in imports(path):
            if target.split(".")[0] == "api" and _room(target, name) not in STORE_MAY_IMPORT:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_domain_imports_private_names_of_another():
    wrong = []
    for path in _files("api"):
        own = _room(_module(path)[0])
        for target, name, line in imports(path):
            if target.split(".")[0] != "api" or name is None:
                continue
            if _room(target, name) != own and name.startswith("_"):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}.{name}")
    assert not wrong, "\n".join(wrong)


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in _files("api"):
        src = _room(_module(path)[0])
        for target, name, _line in imports(path):
            if target.split(".")[0] == "api":
                dst = _room(target, name)
                if dst != src:
                    graph.setdefault(src, set()).add(dst)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}   # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_no_import_cycles_among_the_api_packages():
    found = _cycle(package_graph())
    assert found is None, "import cycle: " + " -> ".join(found or [])


def test_the_checks_can_fail():
    """The cycle finder finds a cycle, and the changes -> income cycle issue 13 removed stays gone."""
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    graph = package_graph()
    assert "income" not in graph.get("changes", set()) and "changes" in graph.get("income", set())
    assert "household" in graph.get("changes", set())
