"""The same inputs through CPython and MicroPython-wasm give identical results.

Inputs (tests/conformance/cases.py): the official worked examples as situations, more than a
thousand generated households (some deliberately invalid) and more than a hundred generated
previews. CPython runs ``shared_rules.bridge.call`` in this process; MicroPython runs what the phone
runs, the bytecode bundle ``pwa/vendor/rules.mpypack`` compiled from the same source files by
``make build``, loaded with the phone's loader, in ONE ``node tests/conformance/mp_runner.mjs
--bundle`` process for all lines (startup is the slow part). Both answers are parsed with
``json.loads`` and compared as objects (MicroPython dicts do not keep order), ``rules_version``
included.
"""

import importlib.util
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RUNNER = HERE / "mp_runner.mjs"
MP_PACKAGE = REPO / "node_modules" / "@micropython" / "micropython-webassembly-pyscript"
BUNDLE = REPO / "pwa" / "vendor" / "rules.mpypack"


def _load_cases():
    spec = importlib.util.spec_from_file_location("conformance_cases", HERE / "cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


cases_mod = _load_cases()
CASES = cases_mod.all_cases()
BY_ID = {c["id"]: c for c in CASES}
assert len(BY_ID) == len(CASES), "case ids must be unique"


def _cpython_answer(kind, payload):
    from shared_rules import bridge

    try:
        return bridge.call(kind, json.dumps(payload))
    except Exception as e:
        return json.dumps({"uncaught": type(e).__name__, "message": str(e)})


def _parse(text):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as e:
        return {"unparsable": repr(text)[:300], "why": str(e)}


@pytest.fixture(scope="module")
def answers(request):
    """{case id: (cpython answer, micropython answer)}, computed once for the whole module."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: the CPython-vs-MicroPython conformance suite needs Node.js")
    if not (MP_PACKAGE / "micropython.mjs").exists():
        pytest.fail(f"{MP_PACKAGE} is missing: run `make install` (npm ci) first")
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run `make build` first")

    t0 = time.perf_counter()
    cp = {c["id"]: _parse(_cpython_answer(c["kind"], c["payload"])) for c in CASES}
    t_cp = time.perf_counter() - t0

    lines = "".join(json.dumps({"kind": c["kind"], "payload": c["payload"]}) + "\n" for c in CASES)
    t0 = time.perf_counter()
    proc = subprocess.run([node, str(RUNNER), "--bundle", str(BUNDLE)], input=lines, capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=1800)
    t_mp = time.perf_counter() - t0
    out = proc.stdout.splitlines()
    if proc.returncode != 0 or len(out) != len(CASES):
        pytest.fail(f"mp_runner exited {proc.returncode} with {len(out)} lines for {len(CASES)} inputs; "
                    f"stderr:\n{proc.stderr[-4000:]}")
    mp = {c["id"]: _parse(line) for c, line in zip(CASES, out, strict=True)}
    # A bundle built from other sources differs in every answer's rules_version: say so once.
    versions = {(cp[i]["result"]["rules_version"], mp[i]["result"]["rules_version"]) for i in cp
                if cp[i].get("ok") is True and mp[i].get("ok") is True}
    if any(a != b for a, b in versions):
        pytest.fail(f"MicroPython answers with rules_version {sorted(versions)[0][1]}, the sources are "
                    f"{sorted(versions)[0][0]}: {BUNDLE} is stale, run `make build`")

    ready = [ln for ln in proc.stderr.splitlines() if "ready in" in ln]
    summary = (f"conformance: {len(CASES)} cases compared (CPython {t_cp:.1f} s in-process; "
               f"MicroPython {t_mp:.1f} s in one node process; {ready[0].split(': ', 1)[-1] if ready else ''})")
    lines_out = getattr(request.config, "_conformance_summary", [])
    lines_out.append(summary)
    request.config._conformance_summary = lines_out
    print(summary)
    return {cid: (cp[cid], mp[cid]) for cid in cp}


def _first_difference(a, b, path="$"):
    if type(a) is not type(b):
        return f"{path}: CPython {type(a).__name__} {a!r:.120} vs MicroPython {type(b).__name__} {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                side = "MicroPython" if k not in a else "CPython"
                return f"{path}.{k}: only in {side}"
            d = _first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = _first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: CPython {a!r:.200} vs MicroPython {b!r:.200}"


def test_enough_cases():
    kinds = [c["kind"] for c in CASES]
    generated = [c for c in CASES if c["id"].startswith("hh-")]
    assert len(generated) >= 1000
    assert kinds.count("preview") >= 100
    assert len(cases_mod.official_examples()) >= 19


@pytest.mark.parametrize("case_id", list(BY_ID))
def test_cpython_and_micropython_agree(answers, case_id):
    cp, mp = answers[case_id]
    assert "uncaught" not in cp, f"shared_rules.bridge.call raised in CPython: {cp}"
    assert "uncaught" not in mp, f"shared_rules.bridge.call raised in MicroPython: {mp}"
    assert cp == mp, _first_difference(cp, mp)


def test_answers_have_the_bridge_shape(answers):
    bad = []
    for cid, (cp, _mp) in answers.items():
        ok = cp.get("ok")
        if ok is True and not (isinstance(cp.get("result"), dict) and
                               str(cp["result"].get("rules_version", "")).startswith("sha256:")):
            bad.append(f"{cid}: ok without a result carrying rules_version")
        elif ok is False and not (isinstance(cp.get("error"), str) and ": " in cp["error"]):
            bad.append(f"{cid}: error is not 'field: message': {cp.get('error')!r}")
        elif ok not in (True, False):
            bad.append(f"{cid}: {str(cp)[:200]}")
    assert not bad, f"{len(bad)} answers not of the bridge's shape:\n" + "\n".join(bad[:20])


def test_generated_inputs_are_answered_as_expected(answers):
    """Valid inputs give ok: true and the deliberately invalid ones ok: false (so that the
    comparison above is not vacuous, and both runtimes refuse the same inputs)."""
    wrong = []
    for c in CASES:
        if c["expect_ok"] is None:
            continue
        cp = answers[c["id"]][0]
        if cp.get("ok") is not c["expect_ok"]:
            wrong.append(f"{c['id']}: expected ok={c['expect_ok']}, got {json.dumps(cp)[:240]}")
    assert not wrong, f"{len(wrong)} of {len(CASES)} cases:\n" + "\n".join(wrong[:25])


@pytest.mark.parametrize("case", cases_mod.official_examples(), ids=lambda c: c["id"])
def test_official_examples_reproduce_in_micropython(answers, case):
    """The leaflet's amount comes out of MicroPython too (tests/rules/official checks CPython)."""
    expected = case["expected"]
    name = expected["toeslag"]
    _cp, mp = answers[case["id"]]
    assert mp.get("ok") is True, mp
    got = mp["result"]["toeslagen"][name]
    for key in ("per_month", "per_year"):
        if key in expected:
            assert got[key] == expected[key], f"{name}.{key}: {got[key]} != {expected[key]}"
