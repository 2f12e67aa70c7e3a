"""The preview on the phone (shared_rules.changes.preview_change in MicroPython-wasm, on the facts of
GET /api/household) equals the server's POST /api/changes/preview (the same function in CPython, on the
store's facts) for the same change, for every kind of change."""

from __future__ import annotations

import pytest

from .conftest import PHONE_PREVIEW, api_json, enrol, pretty

TOP = ("computed", "paid", "voorschot", "new_monthly", "difference_per_month", "past_months", "repayment",
       "settlement", "settlement_unchanged", "hoge_terugvordering", "hoge_terugvordering_unchanged", "threshold")
YEAR = ("entitled", "per_year", "per_month", "months", "reasons")


def normalise(result: dict) -> dict:
    out = {k: result.get(k) for k in ("year", "today", "effective_month", "rules_version")}
    for t, r in sorted(result["toeslagen"].items()):
        item = {k: r.get(k) for k in TOP}
        for side in ("before", "after"):
            y = r.get(side) or {}
            item[side] = {k: y.get(k) for k in YEAR}
        item["steps"] = [(s.get("text"), s.get("amount"), s.get("law")) for s in (r.get("after") or {}).get("steps") or []]
        out[t] = item
    return out


SERVER = """async (change) => {
    const r = await fetch('/api/changes/preview', {method: 'POST', headers: {'Content-Type': 'application/json',
        'X-Requested-With': 'test'}, body: JSON.stringify({change})});
    return {status: r.status, body: await r.json()};
}"""


def cases(hh: dict) -> list[dict]:
    by_name = {p["given_name"]: p for p in hh["persons"]}
    label = hh["label"]
    if label.endswith("De Vries"):
        return [
            {"kind": "income", "date": "2026-05-10", "person": "applicant", "income": 3_650_000},
            {"kind": "home", "date": "2026-06-01", "rent": 60_000, "service_costs": 2_000},
            {"kind": "address", "date": "2026-07-15", "address": {"street": "Dorpsstraat", "house_number": "1",
             "postcode": "1234 AB", "city": "Ergens"}, "renting": False},
            {"kind": "partner", "date": "2026-05-20", "action": "moves_in", "partner": {
                "given_name": "Jan", "birth_date": "1994-02-01", "income": 2_900_000, "assets": 0,
                "insured": True, "works": True}},
        ]
    if label.endswith("El Amrani"):
        noor = next(c for c in hh["contracts"] if c["kind"] == "dagopvang")
        bso = next(c for c in hh["contracts"] if c["kind"] == "bso")
        return [
            {"kind": "income", "date": "2026-08-03", "person": "applicant", "income": 2_100_000},
            {"kind": "childcare", "date": "2026-05-10", "contract_id": noor["id"], "hours_per_month": 160, "ends": False},
            {"kind": "childcare", "date": "2026-09-01", "contract_id": bso["id"], "ends": True},
            {"kind": "child", "date": "2026-05-02", "action": "born",
             "child": {"given_name": "Yara", "birth_date": "2026-05-02"}},
        ]
    return [
        {"kind": "income", "date": "2026-05-10", "person": "partner", "income": 900_000},
        {"kind": "partner", "date": "2026-06-12", "action": "moves_out"},
        {"kind": "child", "date": "2026-05-30", "action": "moves_out", "child_id": by_name["Daan"]["id"]},
        {"kind": "child", "date": "2026-06-01", "action": "moves_in",
         "child": {"given_name": "Mila", "birth_date": "2016-01-09"}},
    ]


@pytest.mark.parametrize("demo_key", ["single_tenant", "single_parent", "couple_three_children"])
def test_phone_preview_equals_server_preview(page, server, demo_key):
    enrol(page, server, demo_key)
    hh = api_json(page, "/api/household")["body"]
    for change in cases(hh):
        phone = page.evaluate(PHONE_PREVIEW, change)
        assert "error" not in phone, (change, phone)
        srv = page.evaluate(SERVER, change)
        assert srv["status"] == 200, (change, srv)
        a, b = normalise(phone), normalise(srv["body"])
        assert a == b, f"{change['kind']}: phone and server differ\nphone: {pretty(a)}\nserver: {pretty(b)}"
        assert a["rules_version"].startswith("sha256:") and a["effective_month"]
        assert any(a[t]["difference_per_month"] != [0] * 12 or a[t]["after"] != a[t]["before"]
                   for t in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")), change
