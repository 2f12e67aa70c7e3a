"""SECURITY.md maps every OWASP ASVS 4.0.3 level-2 requirement of the chapters that concern the app to
how it is met and the test that shows it. This test reads that table and fails when a requirement is
missing or unknown, when a row has no status or no reason, or when a named test does not exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY_MD = ROOT / "SECURITY.md"
STATUSES = {"met", "partly", "operator", "gap", "n/a"}
NEEDS_TEST = {"met", "partly"}
TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def _ids(prefix: str, spec: str) -> list[str]:
    """'1-12' -> prefix.1 … prefix.12; '1,3,5' -> those."""
    out = []
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += [f"{prefix}.{i}" for i in range(int(a), int(b) + 1)]
        else:
            out.append(f"{prefix}.{part}")
    return out


# Every requirement of ASVS 4.0.3 with a level-2 mark (✓, "o" or "OS assisted") in these chapters, from
# the standard's own CSV (OWASP/ASVS, 4.0/docs_en/OWASP Application Security Verification Standard
# 4.0.3-en.csv). Level-3-only and deleted requirements are not in it.
ASVS_L2 = [
    *_ids("2.1", "1-12"), *_ids("2.2", "1-3"), *_ids("2.3", "1-3"), *_ids("2.4", "1-6"), *_ids("2.5", "1-7"),
    *_ids("2.6", "1-3"), *_ids("2.7", "1-6"), *_ids("2.8", "1-7"), *_ids("2.9", "1-3"), *_ids("2.10", "1-4"),
    "3.1.1", *_ids("3.2", "1-4"), *_ids("3.3", "1-4"), *_ids("3.4", "1-5"), *_ids("3.5", "1-3"), "3.7.1",
    *_ids("4.1", "1,2,3,5"), *_ids("4.2", "1-2"), *_ids("4.3", "1-3"),
    *_ids("5.1", "1-5"), *_ids("5.2", "1-8"), *_ids("5.3", "1-10"), *_ids("5.4", "1-3"), *_ids("5.5", "1-4"),
    *_ids("6.1", "1-3"), *_ids("6.2", "1-6"), *_ids("6.3", "1-2"), *_ids("6.4", "1-2"),
    *_ids("7.1", "1-4"), *_ids("7.2", "1-2"), *_ids("7.3", "1,3,4"), *_ids("7.4", "1-3"),
    *_ids("8.1", "1-4"), *_ids("8.2", "1-3"), *_ids("8.3", "1-8"),
    *_ids("9.1", "1-3"), *_ids("9.2", "1-4"),
    *_ids("13.1", "1,3,4,5"), *_ids("13.2", "1,2,3,5,6"), *_ids("13.3", "1-2"), *_ids("13.4", "1-2"),
    *_ids("14.1", "1-4"), *_ids("14.2", "1-6"), *_ids("14.3", "2,3"), *_ids("14.4", "1-7"), *_ids("14.5", "1-4"),
]


def rows() -> list[dict]:
    """The requirement table's rows: {id, requirement, status, how, tests: [(file, name)]}."""
    out = []
    for line in SECURITY_MD.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not re.fullmatch(r"\d+\.\d+\.\d+", cells[0]):
            continue
        out.append({"id": cells[0], "requirement": cells[1], "status": cells[2], "how": cells[3],
                    "tests": TEST_REF.findall(cells[4]), "test_cell": cells[4]})
    return out


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.name.startswith("test_")}


def test_every_level_2_requirement_is_mapped_once():
    ids = [r["id"] for r in rows()]
    assert len(ids) > 100, "the table was not found"
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    missing = [i for i in ASVS_L2 if i not in ids]
    unknown = [i for i in ids if i not in ASVS_L2]
    assert not duplicates and not missing and not unknown, {"duplicates": duplicates, "missing": missing,
                                                            "unknown (not L2 in these chapters)": unknown}
    # in the standard's order, so a reader finds a requirement where the standard has it
    key = [tuple(int(x) for x in i.split(".")) for i in ids]
    assert key == sorted(key)


def test_every_row_has_a_status_a_reason_and_tests_where_it_claims_to_be_met():
    problems = []
    for r in rows():
        if r["status"] not in STATUSES:
            problems.append(f"{r['id']}: status {r['status']!r}")
        if len(r["how"].split()) < 2 or not r["requirement"]:
            problems.append(f"{r['id']}: no explanation")
        if r["status"] in NEEDS_TEST and not r["tests"]:
            problems.append(f"{r['id']}: {r['status']} without a test")
        if r["test_cell"] and not r["tests"]:
            problems.append(f"{r['id']}: test cell {r['test_cell']!r} names no tests/…py::test_name")
    assert not problems, problems


def test_every_named_test_exists():
    cache: dict[str, set[str]] = {}
    missing = []
    for r in rows():
        for file, name in r["tests"]:
            path = ROOT / file
            if not path.is_file():
                missing.append(f"{r['id']}: {file} does not exist")
                continue
            if file not in cache:
                cache[file] = _test_functions(path)
            if name not in cache[file]:
                missing.append(f"{r['id']}: {file}::{name} does not exist")
    assert not missing, missing
    assert len(cache) >= 8  # the map leans on many test files, not one


def test_the_checker_finds_what_it_looks_for(tmp_path):
    fake = tmp_path / "SECURITY.md"
    fake.write_text("| 2.1.1 | x | met | long enough reason | tests/api/test_nothing.py::test_nope |\n"
                    "| 3.1.1 | y | maybe | long enough reason | |\n", encoding="utf-8")
    globals()["SECURITY_MD"] = fake
    try:
        got = rows()
        assert [r["id"] for r in got] == ["2.1.1", "3.1.1"]
        assert got[0]["tests"] == [("tests/api/test_nothing.py", "test_nope")]
        assert not (ROOT / "tests/api/test_nothing.py").exists()
        assert got[1]["status"] not in STATUSES
    finally:
        globals()["SECURITY_MD"] = ROOT / "SECURITY.md"
