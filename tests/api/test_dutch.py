"""Every sentence the API and shared_rules can produce, rendered with sample data and read once for
the slips parents saw (tests/dutch_slips.py): messages of every kind of decision, the summary of
every kind of change, the steps of every toeslag and every warning."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import msgspec

import shared_rules
from api.household import voorschot
from api.household.models import Decision
from api.util import TOESLAGEN

from ..dutch_slips import slips
from .conftest import enrol


def test_the_checker_catches_the_slips_parents_saw():
    for bad in ("Je gaf door dat Mila op 1 maart 2026 komt bij je wonen.",
                "Je toeslagpartner gaat niet meer bij je wonen.", "Huishouden: Huishouden De Vries",
                "Je krijgt € 12,00  per maand.", "Je krijg € 12,00 per maand.", "Je krijgt het het geld.",
                "Je krijgt undefined.", "Voor kindgebonden_budget verandert er niets."):
        assert slips(bad), bad
    assert slips("Je gaf door dat Mila op 1 maart 2026 bij je komt wonen.") == []


def _decisions():
    for reason, entitled, all_paid, monthly, past in itertools.product(
            ("initial", "application", "change"), (0, 1), (0, 1), (0, 12300), (-45600, 0, 7800)):
        for t in TOESLAGEN:
            yield Decision(id=f"dec_{t}", toeslag=t, year=2026, decided_at="", reason=reason, entitled=bool(entitled),
                           all_paid=bool(all_paid), new_monthly=monthly, past_months=past, effective_month=6,
                           per_year=monthly * 12)


def test_every_decision_message_reads_right():
    problems = []
    for d in _decisions():
        for previous in (None, msgspec.structs.replace(d, new_monthly=d.new_monthly + 1000, per_year=1)):
            title, body = voorschot.message(d, previous)
            problems += [(title, body, s) for s in slips(title + "\n" + body)]
    assert not problems, problems[:5]


def test_every_change_message_reads_right():
    problems = []
    rows = list(_decisions())
    for group in ([r for r in rows if r.reason == "change" and r.all_paid == a and r.past_months == p
                   and r.new_monthly == m] for a in (False, True) for p in (-45600, 0, 7800) for m in (0, 12300)):
        group = group[:4]
        for previous in ({}, {g.toeslag: msgspec.structs.replace(g, new_monthly=g.new_monthly + 500) for g in group},
                         {g.toeslag: g for g in group}):
            _names, title, body = voorschot.change_message(group, previous)
            problems += [(title, body, s) for s in slips(title + "\n" + body)]
            assert body.count("al allemaal betaald") <= 1
    assert not problems, problems[:5]


CHANGES = [
    {"kind": "income", "date": "2026-06-15", "person": "applicant", "income": 3_100_000},
    {"kind": "income", "date": "2026-06-15", "person": "applicant", "income": 3_100_000, "assets": 100_000},
    {"kind": "home", "date": "2026-06-15", "rent": 70_000, "service_costs": 2_000},
    {"kind": "address", "date": "2026-06-15", "renting": True, "rent": 70_000, "service_costs": 0,
     "address": {"street": "Dorpsstraat", "house_number": "3", "postcode": "1234 AB", "city": "Utrecht"}},
    {"kind": "partner", "date": "2026-06-15", "action": "moves_in",
     "partner": {"given_name": "Sam", "birth_date": "1990-02-02", "income": 2_000_000, "assets": 0,
                 "insured": True, "works": True}},
    {"kind": "child", "date": "2026-03-01", "action": "moves_in", "child": {"given_name": "Mila", "birth_date": "2019-05-05"}},
    {"kind": "child", "date": "2026-04-02", "action": "born", "child": {"given_name": "Noa", "birth_date": "2026-04-02"}},
]


def test_every_change_summary_and_its_message_reads_right(client, app):
    enrol(client, app, "single_tenant")
    problems = []
    for i, change in enumerate(CHANGES):
        r = client.post("/api/changes", json={"change": change}, headers={"Idempotency-Key": f"nl-{i}"})
        assert r.status_code == 201, r.text
        out = r.json()
        problems += [(out["summary"], s) for s in slips(out["summary"])]
        for t in out["toeslagen"]:
            if t["message"]:
                problems += [(t["message"], s) for s in slips(t["message"])]
    # and the ways out: the partner and the child leave again
    hh = client.get("/api/household").json()
    for i, change in enumerate([
            {"kind": "partner", "date": "2026-09-15", "action": "moves_out"},
            {"kind": "child", "date": "2026-10-15", "action": "moves_out",
             "child_id": next(p["id"] for p in hh["persons"] if p["given_name"] == "Mila")}]):
        r = client.post("/api/changes", json={"change": change}, headers={"Idempotency-Key": f"nl-out-{i}"})
        assert r.status_code == 201, r.text
        problems += [(r.json()["summary"], s) for s in slips(r.json()["summary"])]
    for m in client.get("/api/messages").json()["messages"]:
        problems += [(m["body"], s) for s in slips(m["title"] + "\n" + m["body"])]
    for e in client.get("/api/history?year=2026").json()["events"]:
        problems += [(e["summary"], s) for s in slips(e["summary"])]
    assert not problems, problems[:5]


def _cases():
    spec = importlib.util.spec_from_file_location(
        "conformance_cases", Path(__file__).resolve().parents[1] / "conformance" / "cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_step_and_warning_of_shared_rules_reads_right():
    """The steps of every toeslag over the generated households and the warning previews."""
    cases = _cases()
    problems = []
    seen = set()
    for case in cases.generated_households(n=300) + cases.warning_previews() + cases.generated_previews(n=60):
        if case.get("expect_ok") is False:
            continue
        try:
            out = (shared_rules.calculate(case["payload"]) if case["kind"] == "calculate"
                   else shared_rules.preview(case["payload"]))
        except shared_rules.InputError:
            continue
        texts = [w["text"] for w in out.get("warnings", [])]
        for r in out["toeslagen"].values():
            res = r.get("after", r)
            texts += [s["text"] for s in res.get("steps", [])]
        for text in texts:
            if text in seen:
                continue
            seen.add(text)
            problems += [(text, s) for s in slips(text)]
    assert len(seen) > 100
    assert not problems, problems[:5]
