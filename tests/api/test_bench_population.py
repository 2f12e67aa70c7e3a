"""The drift-scan benchmark's population (bench/bench_drift_scan.py) stays usable: its generator once
broke without anyone noticing (it read the voorschot plan as a dict after the plan became a typed
struct), and the million-household comparison of the stores depends on `replicate` making the same
households on SQLite and PostgreSQL. Small numbers: this checks the data, not the speed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from api.jobs import drift
from api.store import Store
from tests.conftest import stores

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_drift_scan as bench


def _population(target: Path | str) -> tuple[list, list]:
    store = Store(target)
    with store.read() as db:
        households = [r[0] for r in db.execute("SELECT id FROM households ORDER BY id").fetchall()]
        wages = db.execute("SELECT household_id, month, wages, holiday_allowance, one_off FROM feed_reports"
                           " ORDER BY household_id, person_id, month").fetchall()
    store.close()
    return households, [tuple(w) for w in wages]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    lite = tmp_path_factory.mktemp("population") / "scan.db"
    bench.generate(lite, 40)
    return lite


@pytest.mark.parametrize("kind", stores())
def test_replicated_population_is_the_same_on_both_stores_and_every_copy_is_scanned(kind, generated, tmp_path,
                                                                                    request):
    base_households, base_wages = _population(generated)
    if kind == "sqlite":
        target: Path | str = tmp_path / "scan.db"
        target.write_bytes(generated.read_bytes())
    else:
        target = request.getfixturevalue("pg_cluster").create_database()
        bench.copy_to_postgres(generated, target)
    bench.replicate(target, 3)

    households, wages = _population(target)
    assert len(households) == 3 * len(base_households) == 120
    assert sorted(h for h in households if not h.endswith(("r1", "r2"))) == base_households
    copy = {(h[:-2], m): (w, ha, oo) for h, m, w, ha, oo in wages if h.endswith("r1")}
    original = {(h, m): (w, ha, oo) for h, m, w, ha, oo in base_wages}
    assert copy.keys() == original.keys()
    assert copy != original  # each copy earns its own wages (scaled 0.95-1.05 per report) ...
    for key, (w, _, _) in original.items():  # ... close to the original's
        assert w is None or 0.95 * w - 1 <= copy[key][0] <= 1.05 * w
    if kind == "postgresql":  # the same rows as the same statements make on SQLite
        lite = tmp_path / "lite.db"
        lite.write_bytes(generated.read_bytes())
        bench.replicate(lite, 3)
        assert _population(lite) == (households, wages)

    store = Store(target)
    counts = drift.scan_all(store, bench.settings_for(target), workers=1)
    store.close()
    assert counts["households"] == counts["computed"] == 120
    assert counts["failed"] == 0
    assert counts["raised"] > 0
