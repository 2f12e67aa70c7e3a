"""Childcare hours from the kinderopvangorganisatie (issue #5): the feed's validation, the comparison
with the estimate (equal to shared_rules), the prompt and its threshold, "Neem over" in both modes,
undo (in the same month only), a correction by hand, "Klopt niet", idempotent replays, other
households, and bad input that changes nothing.

The demo's single parent (TODAY = 2026-11-29): Noor's dagopvang estimated at 120 h × € 10,25, reported
136 h (September) and 142 h (October); Adam's bso estimated at 64 h × € 9,40, reported 64 h and 72 h."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from litestar.testing import TestClient

import shared_rules
from api import demo
from api.app import create_app
from api.childcare import compare as childcare

from .conftest import CSRF, ORIGIN, enrol, enrolled_on, fingerprint, household_id, is_problem
from .test_feeds import auth, ref, token

KOT = "kinderopvangtoeslag"


# -- helpers --------------------------------------------------------------------------------------

def koo(app) -> str:
    return token(app, demo.KOO_ID, "childcare_hours")


def report(child_ref: str, month: str, hours: int, rate: int, lrk: str) -> dict:
    return {"child_ref": child_ref, "lrk_number": lrk, "month": month, "hours": hours, "hourly_rate": rate}


def send(client, tok: str, *reports: dict, **headers):
    return client.post("/feeds/childcare-hours", json={"reports": list(reports)}, headers={**auth(tok), **headers})


def noor_report(app, month: str = "2026-10", hours: int = 142, rate: int = 1025) -> dict:
    return report(ref(app, demo.KOO_ID, "Noor", "childcare_hours"), month, hours, rate, demo.LRK_DAGOPVANG)


def adam_report(app, month: str = "2026-10", hours: int = 72, rate: int = 940) -> dict:
    return report(ref(app, demo.KOO_ID, "Adam", "childcare_hours"), month, hours, rate, demo.LRK_BSO)


def contract(client, name: str) -> dict:
    body = client.get("/api/childcare").json()
    return next(c for c in body["contracts"] if c["child_name"] == name)


def contract_id(app, name: str) -> str:
    db = app.state.store.db()
    return db.execute("SELECT c.id FROM childcare_contracts c JOIN persons p ON p.id = c.child_id"
                      " WHERE p.given_name = ?", (name,)).fetchone()[0]


def open_prompts(client) -> list[dict]:
    return [p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "childcare_hours"]


def all_prompts(app) -> list:
    return app.state.store.db().execute("SELECT * FROM prompts ORDER BY id").fetchall()


def everything(app) -> tuple:
    return fingerprint(app), all_prompts(app)


def terms(app, name: str) -> list[tuple]:
    return app.state.store.db().execute(
        "SELECT valid_from, hours_per_month, hourly_rate FROM childcare_terms WHERE contract_id = ? ORDER BY id",
        (contract_id(app, name),)).fetchall()


def event(app, event_id: int) -> dict:
    import json
    row = app.state.store.db().execute("SELECT source, kind, actor, amounts, what FROM events WHERE id = ?",
                                       (event_id,)).fetchone()
    return {"source": row[0], "kind": row[1], "actor": row[2], "amounts": json.loads(row[3]),
            "what": json.loads(row[4])}


def kot_month(situation: dict, month: int) -> int:
    return shared_rules.calculate(situation)["toeslagen"][KOT]["months"][month - 1]


def kot_part(situation: dict, kind: str, month: int) -> int:
    """The part of the contract of `kind` in the month's kinderopvangtoeslag, as shared_rules divides it."""
    k = next(i for i, c in enumerate(situation["childcare"]) if c["kind"] == kind)
    return shared_rules.calculate(situation)["toeslagen"][KOT]["parts"][month - 1][k]


def with_figures(situation: dict, kind: str, hours: int, rate: int) -> dict:
    sit = copy.deepcopy(situation)
    entry = next(c for c in sit["childcare"] if c["kind"] == kind)
    entry["hours"], entry["hourly_rate"] = hours, rate
    return sit


# -- the feed -------------------------------------------------------------------------------------

def _bad_items(app) -> list[tuple[dict, int, str]]:
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    good = {"child_ref": noor, "lrk_number": demo.LRK_DAGOPVANG, "month": "2026-10", "hours": 130, "hourly_rate": 1025}
    return [
        ({**good, "lrk_number": "18450396211"}, 400, "reports[0].lrk_number"),          # 11 digits
        ({**good, "lrk_number": "18450396211X"}, 400, "reports[0].lrk_number"),         # not digits
        ({**good, "lrk_number": "999999999999"}, 404, "reports[0].lrk_number"),         # no contract there
        ({**good, "lrk_number": demo.LRK_BSO}, 404, "reports[0].lrk_number"),          # another location
        ({**good, "month": "2026-12"}, 422, "reports[0].month"),                        # in the future
        ({**good, "month": "2027-01"}, 422, "reports[0].month"),
        ({**good, "month": "2026-00"}, 400, "reports[0].month"),
        ({**good, "hours": -1}, 400, "reports[0].hours"),
        ({**good, "hours": 745}, 400, "reports[0].hours"),                              # more than 31 × 24
        ({**good, "month": "2026-02", "hours": 673}, 422, "reports[0].hours"),          # more than 28 × 24
        ({**good, "hours": 130.5}, 400, "reports[0].hours"),
        ({**good, "hourly_rate": -5}, 400, "reports[0].hourly_rate"),
        ({**good, "hourly_rate": 5001}, 400, "reports[0].hourly_rate"),
        ({**good, "child_ref": "ref_not_a_child_of_ours"}, 404, "reports[0].child_ref"),
        ({k: v for k, v in good.items() if k != "child_ref"} | {"bsn": demo.BSN["lucas"]}, 404, "reports[0].bsn"),
        ({k: v for k, v in good.items() if k != "child_ref"} | {"bsn": demo.BSN["fatima"]}, 404, "reports[0].bsn"),
    ]


@pytest.mark.parametrize("case", range(16))
def test_feed_refuses_bad_reports_and_stores_nothing(client, app, case):
    tok = koo(app)
    item, status, field = _bad_items(app)[case]
    before = everything(app)
    # a bad item anywhere refuses the whole batch, the good one included
    body = {"reports": [item, noor_report(app, "2026-09", 150)]}
    problem = is_problem(client.post("/feeds/childcare-hours", json=body, headers=auth(tok)), status)
    assert problem["field"] == field, problem
    assert problem["detail"]
    assert everything(app) == before


def test_feed_refuses_the_same_child_and_month_twice_in_one_batch(client, app):
    tok = koo(app)
    before = everything(app)
    r = send(client, tok, noor_report(app, "2026-10", 150), noor_report(app, "2026-10", 151))
    assert is_problem(r, 422)["field"] == "reports[1].month"
    assert everything(app) == before


def test_feed_accepts_more_than_the_toeslag_counts_with_a_warning(client, app):
    tok = koo(app)
    r = send(client, tok, noor_report(app, "2026-10", 240))
    assert r.status_code == 200, r.text
    result = r.json()["results"][0]
    assert result["status"] == "replaced"
    assert "230" in result["warnings"][0]
    ok = send(client, tok, noor_report(app, "2026-10", 150)).json()["results"][0]
    assert ok["warnings"] == []


def test_replayed_report_changes_nothing_and_does_not_raise_a_second_prompt(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    first = send(client, tok, noor_report(app, "2026-10", 150))
    assert first.json()["results"][0]["status"] == "replaced"
    prompts = open_prompts(client)
    before = everything(app)
    again = send(client, tok, noor_report(app, "2026-10", 150))
    assert again.json()["results"][0]["status"] == "unchanged"
    assert everything(app) == before
    assert open_prompts(client) == prompts
    # with an Idempotency-Key the whole answer is replayed
    h = {"Idempotency-Key": "koo-batch-2026-10"}
    one = send(client, tok, noor_report(app, "2026-10", 151), **h)
    snapshot = everything(app)
    two = send(client, tok, noor_report(app, "2026-10", 151), **h)
    assert two.content == one.content and two.headers["idempotent-replayed"] == "true"
    assert everything(app) == snapshot


# -- the comparison -------------------------------------------------------------------------------

def test_comparison_equals_shared_rules_for_estimated_and_reported_figures(client, app):
    enrol(client, app, "single_parent")
    body = client.get("/api/childcare").json()
    assert body["year"] == 2026 and body["applied"] is True
    assert body["threshold"] == {"min_year_end": 10_000, "min_pace_per_year": 25_000, "high_repayment": 100_000,
                                 "recent_months": 3}
    timeline = client.get("/api/household").json()["rules_input"]["timeline"]
    assert len(timeline) == 1  # one situation all year: the month's situation is this one
    sit = timeline[0]["situation"]
    noor = next(c for c in body["contracts"] if c["child_name"] == "Noor")
    adam = next(c for c in body["contracts"] if c["child_name"] == "Adam")
    assert noor["kind"] == "dagopvang" and noor["organisation"] == "Kinderopvang De Zonnebloem"
    assert noor["lrk_number"] == demo.LRK_DAGOPVANG and len(noor["months"]) == 12

    def both(m: int) -> dict:
        """The situation of month m with every contract's reported (or projected) figures."""
        return with_figures(with_figures(sit, "dagopvang", {9: 136, 10: 142}.get(m, 139 if m > 10 else 120), 1025),
                            "bso", {9: 64, 10: 72}.get(m, 68 if m > 10 else 64), 940)

    # each contract's difference is its part (shared_rules `parts`) of the household's difference with
    # every contract's reported figures at once, so the contracts add up to the total
    for c, kind, reported in ((noor, "dagopvang", {9: 136, 10: 142}), (adam, "bso", {9: 64, 10: 72})):
        rate = c["months"][0]["estimated"]["hourly_rate"]
        avg = (sum(reported.values()) * 2 + 2) // 4
        assert c["average"] == {"hours": avg, "hourly_rate": rate, "months": ["2026-09", "2026-10"]}
        running = 0
        for m, row in enumerate(c["months"], start=1):
            est = row["estimated"]["hours"]
            expected_est = kot_part(sit, kind, m)
            actual = kot_part(both(m), kind, m)
            if m in reported:
                assert row["basis"] == "reported" and row["reported"]["hours"] == reported[m]
                assert row["reported"]["status"] == "current"
                assert row["difference_hours"] == reported[m] - est
            elif m > 10:
                assert row["basis"] == "projected" and row["projected"] == {"hours": avg, "hourly_rate": rate}
                assert row["difference_hours"] == avg - est
            else:
                assert row["basis"] == "estimate" and row["reported"] is None and row["difference_hours"] is None
                assert actual == expected_est
            running += actual - expected_est
            assert (row["toeslag_estimated"], row["toeslag_actual"]) == (expected_est, actual), (c["child_name"], m)
            assert row["difference"] == actual - expected_est
            assert row["running_total"] == running
        ye = c["year_end"]
        assert ye["total"] == running == ye["reported_so_far"] + ye["projected_rest"]
        assert ye["reported_so_far"] == sum(r["difference"] for r in c["months"] if r["basis"] == "reported")
        assert ye["reported_months"] == 2 and ye["pace_per_year"] == ye["reported_so_far"] * 6  # 2 months × 6
        assert ye["direction"] == "receive" and ye["matters"] is True
        assert "krijg je aan het eind van het jaar ongeveer" in ye["text"]

    # both contracts at once (the first child is the one with the most hours); the parts add up
    for m in range(1, 13):
        assert body["total"]["months"][m - 1] == kot_month(both(m), m) - kot_month(sit, m)
        assert body["total"]["months"][m - 1] == noor["months"][m - 1]["difference"] + adam["months"][m - 1]["difference"]
    assert body["total"]["total"] == sum(body["total"]["months"]) == noor["year_end"]["total"] + adam["year_end"]["total"]

    # the suggested adoptions, each with the `change` the phone can preview offline
    modes = {o["mode"]: o for o in noor["adopt_options"]}
    assert (modes["reported"]["from_month"], modes["reported"]["hours"]) == ("2026-10", 142)
    assert (modes["average"]["from_month"], modes["average"]["hours"]) == ("2026-09", 139)
    assert modes["average"]["based_on"] == ["2026-09", "2026-10"]
    assert "gemiddelde van september en oktober" in modes["average"]["text"]
    # the change is the year after adopting: as it is until September, 142 h from October on
    assert modes["reported"]["change"] == {"date": "2026-10-01", "timeline": [
        {"from": "2026-01-01", "situation": sit},
        {"from": "2026-10-01", "situation": with_figures(sit, "dagopvang", 142, 1025)}]}


def test_a_repayment_if_nothing_changes(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    send(client, tok, noor_report(app, "2026-09", 100), noor_report(app, "2026-10", 96))
    noor = contract(client, "Noor")
    ye = noor["year_end"]
    assert ye["direction"] == "repay" and ye["total"] < 0 and ye["matters"] is True
    assert "terugbetalen" in ye["text"]
    card = next(p for p in open_prompts(client) if p["data"]["contract_id"] == noor["contract_id"])
    assert card["amount"] == ye["total"]
    assert "minder uren" in card["body"] and "terugbetalen" in card["body"]


def test_older_reports_are_kept_and_shown(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    send(client, tok, noor_report(app, "2026-10", 140))
    oct_ = contract(client, "Noor")["months"][9]
    assert oct_["reported"]["hours"] == 140
    assert [e["hours"] for e in oct_["reported"]["earlier"]] == [142]


# -- the prompt and its threshold -----------------------------------------------------------------

def test_prompt_only_above_the_threshold_and_never_twice(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    noor_id, adam_id = contract_id(app, "Noor"), contract_id(app, "Adam")
    # the demo's reports: both contracts above the threshold
    cards = {p["data"]["contract_id"]: p for p in open_prompts(client)}
    assert set(cards) == {noor_id, adam_id}
    card = cards[noor_id]
    assert card["title"] == "Je kinderopvang gaf andere uren door"
    assert card["action"] == "#/kinderopvang" and card["toeslag"] == KOT
    noor_total = contract(client, "Noor")["year_end"]["total"]
    assert card["amount"] == noor_total > 0
    assert "Noor" in card["body"] and "meer uren" in card["body"] and f"€ {noor_total // 100} extra" in card["body"]

    # Adam's October back to the estimate: no difference, the card goes
    send(client, tok, adam_report(app, "2026-10", 64))
    assert adam_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # one hour more (96 % of € 9,40 a month, about € 9): a few tens of euros at year end and a year — under both
    # lines (Adam is the last child counted, so his part also carries the rounding of the month)
    send(client, tok, adam_report(app, "2026-10", 65))
    ye = contract(client, "Adam")["year_end"]
    assert 0 < ye["total"] < childcare.MIN_YEAR_END and 0 < ye["pace_per_year"] < childcare.MIN_PACE
    assert ye["matters"] is False
    assert adam_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # eight hours more in November only: about € 280 a year at that pace, but under € 100 at year end — no card
    send(client, tok, adam_report(app, "2026-10", 64), adam_report(app, "2026-11", 72))
    ye = contract(client, "Adam")["year_end"]
    assert ye["pace_per_year"] >= childcare.MIN_PACE and abs(ye["total"]) < childcare.MIN_YEAR_END
    assert ye["matters"] is False and adam_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # one odd month (March) in a year of reports: € 144 at year end, but the recent months are even — no card
    send(client, tok, adam_report(app, "2026-11", 64),
         *[adam_report(app, f"2026-{m:02d}", 80 if m == 3 else 64) for m in range(1, 9)])
    ye = contract(client, "Adam")["year_end"]
    assert abs(ye["total"]) >= childcare.MIN_YEAR_END and ye["pace_per_year"] < childcare.MIN_PACE
    assert ye["matters"] is False and adam_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # twelve hours more in October (a recent month): above both lines, the card comes
    send(client, tok, adam_report(app, "2026-03", 64), adam_report(app, "2026-10", 76))
    ye = contract(client, "Adam")["year_end"]
    assert ye["matters"] is True
    first = [p for p in open_prompts(client) if p["data"]["contract_id"] == adam_id]
    assert len(first) == 1 and first[0]["amount"] == ye["total"]
    # the same report again: nothing new; a slightly different one refreshes the same card
    send(client, tok, adam_report(app, "2026-10", 76))
    assert [p for p in open_prompts(client) if p["data"]["contract_id"] == adam_id] == first
    send(client, tok, adam_report(app, "2026-10", 77))
    again = [p for p in open_prompts(client) if p["data"]["contract_id"] == adam_id]
    assert len(again) == 1 and again[0]["id"] == first[0]["id"] and again[0]["amount"] > first[0]["amount"]
    assert contract(client, "Adam")["prompt_id"] == first[0]["id"]


def test_a_dismissed_card_comes_back_only_when_the_amount_grows(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    noor_id = contract_id(app, "Noor")
    card = next(p for p in open_prompts(client) if p["data"]["contract_id"] == noor_id)
    r = client.post(f"/api/prompts/{card['id']}/dismiss", json={"reason": "Ik betaal die uren zelf"})
    assert r.status_code == 200
    send(client, tok, noor_report(app, "2026-10", 143))  # € 747 → a few euros more: stays away
    assert noor_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    send(client, tok, noor_report(app, "2026-10", 160))  # grows by more than € 100: back
    assert noor_id in {p["data"]["contract_id"] for p in open_prompts(client)}


def test_no_card_without_kinderopvangtoeslag(client, app):
    enrol(client, app, "single_parent")
    with app.state.store.write() as db:
        db.execute("DELETE FROM applications WHERE household_id = ? AND toeslag = ?",
                   (household_id(app, "single_parent"), KOT))
    send(client, koo(app), noor_report(app, "2026-10", 170))
    body = client.get("/api/childcare").json()
    assert body["applied"] is False
    assert all(not c["year_end"]["matters"] for c in body["contracts"])
    noor_id = contract_id(app, "Noor")
    assert noor_id not in {p["data"]["contract_id"] for p in open_prompts(client)}


# -- "Neem over" ----------------------------------------------------------------------------------

def test_adopt_preview_is_the_phones_preview_and_stores_nothing(client, app):
    enrol(client, app, "single_parent")
    noor = contract(client, "Noor")
    before = everything(app)
    req = {"contract": noor["contract_id"], "from_month": "2026-10", "mode": "reported"}
    r = client.post("/api/childcare/adopt/preview", json=req)
    assert r.status_code == 200, r.text
    out = r.json()
    assert everything(app) == before
    assert (out["mode"], out["from_month"], out["hours"], out["hourly_rate"]) == ("reported", "2026-10", 142, 1025)
    assert out["based_on"] == ["2026-10"] and out["estimated"] == {"hours": 120, "hourly_rate": 1025}
    assert "142 uur per maand" in out["text"] and "oktober 2026" in out["text"]
    option = next(o for o in noor["adopt_options"] if o["mode"] == "reported")
    assert out["change"] == option["change"]
    # the phone: GET /api/household's rules_input plus the change, through the same function
    inp = client.get("/api/household").json()["rules_input"]
    inp["change"] = out["change"]
    expected = shared_rules.preview(inp)
    got = out["preview"]
    assert got["rules_version"] == expected["rules_version"] and got["effective_month"] == 10
    for t, exp in expected["toeslagen"].items():
        for k in ("paid", "voorschot", "new_monthly", "past_months", "repayment", "settlement",
                  "settlement_unchanged", "difference_per_month", "hoge_terugvordering", "threshold"):
            assert got["toeslagen"][t][k] == exp[k], (t, k)
        assert got["toeslagen"][t]["after"]["months"] == exp["after"]["months"]
    kot = got["toeslagen"][KOT]
    assert kot["applied"] is True and kot["past_months"] > 0  # October and later were paid: paid out now
    assert kot["difference_per_month"][:9] == [0] * 9


def test_adopt_reported_is_a_change_from_the_kinderopvang(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    req = {"contract": noor_id, "from_month": "2026-10", "mode": "reported"}
    preview = client.post("/api/childcare/adopt/preview", json=req).json()["preview"]
    r = client.post("/api/childcare/adopt", json=req, headers={"Idempotency-Key": "adopt-noor-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["kind"] == "childcare_adopt" and out["effective_date"] == "2026-10-01"
    assert out["contract_id"] == noor_id and out["prompt_resolved"] is True
    assert "142 uur per maand" in out["summary"] and out["summary"].startswith("Je nam de uren over")
    a = out["adoption"]
    assert (a["mode"], a["from_month"], a["hours"], a["hourly_rate"]) == ("reported", "2026-10", 142, 1025)
    assert a["can_undo"] is True and a["undo_until"] == "2026-11-30" and a["undone_by"] is None
    kot = next(o for o in out["toeslagen"] if o["toeslag"] == KOT)
    assert kot["decision_id"] and kot["past_months"] == preview["toeslagen"][KOT]["past_months"]
    assert "2026" in kot["message"]
    # the event: source kinderopvang, before/after amounts
    ev = event(app, out["event_id"])
    assert (ev["source"], ev["kind"], ev["actor"]) == ("kinderopvang", "childcare.adopt", "parent")
    amounts = ev["amounts"][KOT]
    assert amounts["before"] == preview["toeslagen"][KOT]["before"]["months"][9]
    assert amounts["after"] == preview["toeslagen"][KOT]["after"]["months"][9] > amounts["before"]
    assert amounts["per_year_after"] - amounts["per_year_before"] == amounts["past_months"] > 0
    assert ev["what"]["mode"] == "reported" and ev["what"]["hours_per_month"] == 142
    # the new amounts: the overview follows the adopted figures from October on
    ov = next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == KOT)
    assert ov["months"] == preview["toeslagen"][KOT]["after"]["months"]
    assert terms(app, "Noor")[-1] == ("2026-10-01", 142, 1025)
    # the comparison now shows no difference for October; the card for Noor is gone
    noor = contract(client, "Noor")
    assert noor["months"][9]["difference"] == 0 and noor["months"][8]["difference"] > 0
    assert noor["prompt_id"] is None and noor["adoptions"][0]["event_id"] == out["event_id"]
    assert noor_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # adopting the same again: nothing to adopt
    before = everything(app)
    assert is_problem(client.post("/api/childcare/adopt", json=req), 422)["field"] == "from_month"
    assert everything(app) == before


def test_adopt_average_for_the_coming_months(client, app):
    enrol(client, app, "single_parent")
    adam_id = contract_id(app, "Adam")
    req = {"contract": adam_id, "from_month": "2026-09", "mode": "average"}
    r = client.post("/api/childcare/adopt", json=req)
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["adoption"]["hours"], out["adoption"]["hourly_rate"]) == (68, 940)
    assert "gemiddelde van september en oktober" in out["summary"]
    ev = event(app, out["event_id"])
    assert ev["source"] == "kinderopvang" and ev["what"]["months"] == ["2026-09", "2026-10"]
    assert ev["amounts"][KOT]["after"] > ev["amounts"][KOT]["before"]
    assert terms(app, "Adam")[-1] == ("2026-09-01", 68, 940)
    adam = contract(client, "Adam")
    # September −4 h, October +4 h, November and December on the average: about even
    assert [m["difference_hours"] for m in adam["months"][8:]] == [-4, 4, 0, 0]
    assert adam["year_end"]["matters"] is False and adam["prompt_id"] is None


def test_adopt_refuses_what_cannot_be_adopted(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    before = everything(app)
    cases = [
        ({"contract": noor_id, "from_month": "2026-05", "mode": "reported"}, 422, "from_month"),  # no report
        ({"contract": noor_id, "from_month": "2025-10", "mode": "reported"}, 422, "from_month"),  # other year
        ({"contract": "ctr_doesnotexist", "from_month": "2026-10", "mode": "reported"}, 404, "contract"),
    ]
    for body, status, field in cases:
        for path in ("/api/childcare/adopt/preview", "/api/childcare/adopt"):
            assert is_problem(client.post(path, json=body), status)["field"] == field, (path, body)
    assert everything(app) == before


# -- undo -----------------------------------------------------------------------------------------

def test_undo_puts_the_previous_figures_back_as_a_third_event(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    ov_before = next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == KOT)
    adopted = client.post("/api/childcare/adopt", json={"contract": noor_id, "from_month": "2026-09",
                                                         "mode": "average"}).json()
    r = client.post("/api/childcare/undo", json={"event_id": adopted["event_id"]},
                    headers={"Idempotency-Key": "undo-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["kind"] == "childcare_undo" and out["undoes"] == adopted["event_id"]
    assert "ongedaan" in out["summary"] and "120 uur per maand" in out["summary"]
    ev = event(app, out["event_id"])
    assert (ev["source"], ev["kind"]) == ("kinderopvang", "childcare.undo")
    adopt_amounts = event(app, adopted["event_id"])["amounts"][KOT]
    assert ev["amounts"][KOT]["before"] == adopt_amounts["after"]
    assert ev["amounts"][KOT]["after"] == adopt_amounts["before"]
    assert ev["amounts"][KOT]["past_months"] == -adopt_amounts["past_months"]
    # history is kept: the adopted term stays, a new term brings 120 h back
    assert terms(app, "Noor")[-2:] == [("2026-09-01", 139, 1025), ("2026-09-01", 120, 1025)]
    ov = next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == KOT)
    assert ov["months"] == ov_before["months"]
    # the history shows the report, the adoption and the undo
    kinds = [(e["kind"], e["source"]) for e in client.get("/api/history", params={"year": 2026}).json()["events"]]
    assert kinds.index(("childcare.undo", "kinderopvang")) < kinds.index(("childcare.adopt", "kinderopvang")) \
        < kinds.index(("feed.childcare_hours", "kinderopvang"))
    # the difference is back, and so is the card
    noor = contract(client, "Noor")
    assert noor["year_end"]["matters"] is True and noor["prompt_id"] is not None
    assert noor["adoptions"][0]["undone_by"] == out["event_id"] and noor["adoptions"][0]["can_undo"] is False
    # a replay returns the same answer; a second undo is refused
    snapshot = everything(app)
    replay = client.post("/api/childcare/undo", json={"event_id": adopted["event_id"]},
                         headers={"Idempotency-Key": "undo-1"})
    assert replay.content == r.content and replay.headers["idempotent-replayed"] == "true"
    assert is_problem(client.post("/api/childcare/undo", json={"event_id": adopted["event_id"]}), 409)["type"] \
        == "/problems/already-undone"
    assert everything(app) == snapshot


def test_undo_is_refused_after_the_month(client, app, settings):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    adopted = client.post("/api/childcare/adopt", json={"contract": noor_id, "from_month": "2026-10",
                                                         "mode": "reported"}).json()
    december = create_app(settings.with_(today=dt.date(2026, 12, 1)))
    with TestClient(december, base_url=ORIGIN) as later:
        later.headers.update(CSRF)
        enrol(later, december, "single_parent")
        assert contract(later, "Noor")["adoptions"][0]["can_undo"] is False
        before = everything(december)
        problem = is_problem(later.post("/api/childcare/undo", json={"event_id": adopted["event_id"]}), 409)
        assert problem["type"] == "/problems/undo-too-late"
        assert "maand" in problem["detail"]
        assert everything(december) == before


def test_undo_is_refused_when_the_hours_changed_again(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    adopted = client.post("/api/childcare/adopt", json={"contract": noor_id, "from_month": "2026-10",
                                                         "mode": "reported"}).json()
    r = client.post("/api/changes", json={"change": {"kind": "childcare", "date": "2026-12-01",
                                                     "contract_id": noor_id, "hours_per_month": 100}})
    assert r.status_code == 201, r.text
    before = everything(app)
    problem = is_problem(client.post("/api/childcare/undo", json={"event_id": adopted["event_id"]}), 409)
    assert problem["type"] == "/problems/changed-since"
    assert everything(app) == before


# -- correct one month ------------------------------------------------------------------------------

def test_correct_one_month_by_hand(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    r = client.post("/api/childcare/correct", json={"contract": noor_id, "month": "2026-09", "hours": 136,
                                                    "hourly_rate": 1025}, headers={"Idempotency-Key": "corr-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["kind"] == "childcare_correct" and out["effective_date"] == "2026-09-01"
    assert "september 2026" in out["summary"] and "136 uur" in out["summary"]
    ev = event(app, out["event_id"])
    assert (ev["source"], ev["kind"]) == ("parent", "childcare.correct")
    assert ev["amounts"][KOT]["after"] > ev["amounts"][KOT]["before"]
    # only September: October is back on the estimate
    assert terms(app, "Noor")[-2:] == [("2026-09-01", 136, 1025), ("2026-10-01", 120, 1025)]
    noor = contract(client, "Noor")
    assert [m["estimated"]["hours"] for m in noor["months"][7:]] == [120, 136, 120, 120, 120]
    assert noor["months"][8]["difference"] == 0 and noor["months"][9]["difference_hours"] == 22
    # a replay returns the first answer; the same correction again (a new request) is refused
    before = everything(app)
    replay = client.post("/api/childcare/correct", json={"contract": noor_id, "month": "2026-09", "hours": 136,
                                                         "hourly_rate": 1025}, headers={"Idempotency-Key": "corr-1"})
    assert replay.content == r.content and replay.headers["idempotent-replayed"] == "true"
    assert is_problem(client.post("/api/childcare/correct", json={"contract": noor_id, "month": "2026-09",
                                                                  "hours": 136, "hourly_rate": 1025}), 422)
    assert everything(app) == before


# -- "Klopt niet" ---------------------------------------------------------------------------------

def test_dispute_records_the_report_for_follow_up(client, app):
    enrol(client, app, "single_parent")
    tok = koo(app)
    noor_id = contract_id(app, "Noor")
    report_id = contract(client, "Noor")["months"][9]["reported"]["id"]
    r = client.post("/api/childcare/dispute", json={"report_id": report_id, "reason": "Noor was een week ziek"},
                    headers={"Idempotency-Key": "dispute-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["report"]["status"] == "disputed" and out["report"]["dispute_reason"] == "Noor was een week ziek"
    assert out["month"] == "2026-10" and out["prompt_resolved"] is True and "niet kloppen" in out["summary"]
    ev = event(app, out["event_id"])
    assert (ev["source"], ev["kind"]) == ("parent", "childcare.dispute") and ev["amounts"] == {}
    assert "ziek" not in str(ev)  # the reason stays with the dispute
    # not adopted: the terms are as they were; October no longer counts in the comparison
    assert terms(app, "Noor") == [("2025-09-01", 120, 1025)]
    noor = contract(client, "Noor")
    assert noor["months"][9]["basis"] == "disputed" and noor["months"][9]["difference"] == 0
    assert noor["average"] == {"hours": 136, "hourly_rate": 1025, "months": ["2026-09"]}
    assert noor["prompt_id"] is None and noor_id not in {p["data"]["contract_id"] for p in open_prompts(client)}
    # a disputed report cannot be adopted, nor disputed twice; a replay returns the first answer
    snapshot = everything(app)
    replay = client.post("/api/childcare/dispute", json={"report_id": report_id, "reason": "Noor was een week ziek"},
                         headers={"Idempotency-Key": "dispute-1"})
    assert replay.content == r.content
    assert is_problem(client.post("/api/childcare/dispute", json={"report_id": report_id, "reason": "nog eens"}),
                      409)["type"] == "/problems/already-disputed"
    assert is_problem(client.post("/api/childcare/adopt", json={"contract": noor_id, "from_month": "2026-10",
                                                                "mode": "reported"}), 422)["field"] == "from_month"
    assert everything(app) == snapshot
    # the organisation sends a corrected report: it counts again, the disputed one is kept as earlier
    send(client, tok, noor_report(app, "2026-10", 124))
    oct_ = contract(client, "Noor")["months"][9]
    assert oct_["basis"] == "reported" and oct_["reported"]["hours"] == 124
    assert oct_["reported"]["earlier"] == [{"id": report_id, "hours": 142, "hourly_rate": 1025,
                                            "received_at": oct_["reported"]["earlier"][0]["received_at"],
                                            "disputed": True}]
    # and a replaced report can no longer be disputed
    assert is_problem(client.post("/api/childcare/dispute", json={"report_id": report_id, "reason": "x"}),
                      409)["type"] == "/problems/report-replaced"


# -- idempotency, other households, bad input -------------------------------------------------------

def test_adopt_replay_changes_nothing(client, app):
    enrol(client, app, "single_parent")
    req = {"contract": contract_id(app, "Noor"), "from_month": "2026-10", "mode": "reported"}
    first = client.post("/api/childcare/adopt", json=req, headers={"Idempotency-Key": "outbox-42"})
    assert first.status_code == 201
    snapshot = everything(app)
    again = client.post("/api/childcare/adopt", json=req, headers={"Idempotency-Key": "outbox-42"})
    assert again.status_code == 201 and again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert everything(app) == snapshot
    other = {**req, "mode": "average"}
    assert is_problem(client.post("/api/childcare/adopt", json=other, headers={"Idempotency-Key": "outbox-42"}),
                      422)["type"] == "/problems/idempotency-key-reused"
    assert everything(app) == snapshot


def test_another_households_childcare_is_a_404(client, app, new_client):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    report_id = contract(client, "Noor")["months"][9]["reported"]["id"]
    adopted = client.post("/api/childcare/adopt", json={"contract": noor_id, "from_month": "2026-10",
                                                         "mode": "reported"}).json()
    tenant = new_client()
    enrol(tenant, app, "single_tenant")
    body = tenant.get("/api/childcare").json()
    assert body["contracts"] == [] and body["applied"] is False
    before = everything(app)
    for path, req in (
        ("/api/childcare/adopt/preview", {"contract": noor_id, "from_month": "2026-10", "mode": "reported"}),
        ("/api/childcare/adopt", {"contract": noor_id, "from_month": "2026-10", "mode": "reported"}),
        ("/api/childcare/correct", {"contract": noor_id, "month": "2026-10", "hours": 1, "hourly_rate": 1}),
        ("/api/childcare/dispute", {"report_id": report_id, "reason": "niet van mij"}),
        ("/api/childcare/undo", {"event_id": adopted["event_id"]}),
    ):
        problem = is_problem(tenant.post(path, json=req), 404)
        assert noor_id not in problem["detail"]
    assert everything(app) == before


BAD = [
    ("/api/childcare/adopt", {"contract": "X", "from_month": "2026-10"}, 400),                       # no mode
    ("/api/childcare/adopt", {"contract": "X", "from_month": "2026-10", "mode": "guess"}, 400),
    ("/api/childcare/adopt", {"contract": "X", "from_month": "2026-13", "mode": "reported"}, 400),
    ("/api/childcare/adopt", {"contract": "X", "from_month": "2026-10", "mode": "reported", "household": "B"}, 400),
    ("/api/childcare/adopt", {"contract": 12, "from_month": "2026-10", "mode": "reported"}, 400),
    ("/api/childcare/adopt/preview", {"contract": "", "from_month": "2026-10", "mode": "reported"}, 400),
    ("/api/childcare/undo", {"event_id": 0}, 400),
    ("/api/childcare/undo", {"event_id": "1"}, 400),
    ("/api/childcare/undo", {}, 400),
    ("/api/childcare/correct", {"contract": "X", "month": "2026-10", "hours": 745, "hourly_rate": 1}, 400),
    ("/api/childcare/correct", {"contract": "X", "month": "2026-10", "hours": 10, "hourly_rate": -1}, 400),
    ("/api/childcare/correct", {"contract": "X", "month": "oktober", "hours": 10, "hourly_rate": 1}, 400),
    ("/api/childcare/dispute", {"report_id": 1, "reason": ""}, 400),
    ("/api/childcare/dispute", {"report_id": 1, "reason": "x" * 501}, 400),
    ("/api/childcare/dispute", {"report_id": -1, "reason": "x"}, 400),
]


@pytest.mark.parametrize("path,body,status", BAD, ids=[f"{p.rsplit('/', 1)[-1]}-{i}" for i, (p, _, _) in enumerate(BAD)])
def test_bad_input_is_a_problem_and_changes_nothing(client, app, path, body, status):
    enrol(client, app, "single_parent")
    before = everything(app)
    is_problem(client.post(path, json=body), status)
    assert everything(app) == before


def test_correct_and_contract_rules(client, app):
    enrol(client, app, "single_parent")
    noor_id = contract_id(app, "Noor")
    before = everything(app)
    assert is_problem(client.post("/api/childcare/correct", json={"contract": noor_id, "month": "2027-01",
                                                                  "hours": 1, "hourly_rate": 1}), 422)["field"] == "month"
    assert is_problem(client.post("/api/childcare/correct", json={"contract": "ctr_nope", "month": "2026-10",
                                                                  "hours": 1, "hourly_rate": 1}), 404)
    assert is_problem(client.post("/api/childcare/dispute", json={"report_id": 999999, "reason": "x"}), 404)
    # a report id of another data type (the employer's income report) is not a childcare report
    income_id = app.state.store.db().execute(
        "SELECT id FROM feed_reports WHERE data_type = 'income' ORDER BY id LIMIT 1").fetchone()[0]
    assert is_problem(client.post("/api/childcare/dispute", json={"report_id": income_id, "reason": "x"}), 404)
    assert everything(app) == before


def test_childcare_needs_a_session_and_the_csrf_header(client, app):
    before = everything(app)
    is_problem(client.get("/api/childcare"), 401)
    enrol(client, app, "single_parent")
    req = {"contract": contract_id(app, "Noor"), "from_month": "2026-10", "mode": "reported"}
    before = everything(app)
    is_problem(client.post("/api/childcare/adopt", json=req, headers={"X-Requested-With": ""}), 403)
    is_problem(client.post("/api/childcare/adopt", json=req, headers={"Origin": "https://evil.example"}), 403)
    assert everything(app) == before


def test_nothing_personal_in_the_answers_of_the_feed(client, app):
    r = send(client, koo(app), {"bsn": demo.BSN["noor"], "lrk_number": demo.LRK_DAGOPVANG, "month": "2026-10",
                                "hours": 150, "hourly_rate": 1025})
    assert r.status_code == 200 and demo.BSN["noor"] not in r.text


# -- issue #14: the parts per child add up to the total and stay put (El Amrani, 7 December 2026) ----

DECEMBER = dt.date(2026, 12, 7)


@pytest.fixture
def december(request, tmp_path, settings):
    yield from enrolled_on(request, tmp_path, settings, DECEMBER, "single_parent")


def test_childcare_total_669_was_not_the_sum_of_108_and_560(december):
    """What the parent saw on 7 December: "Alle opvang samen € 669" above Adam € 108 and Noor € 560. Every
    month and the year: the contracts' differences add up to the household's, and each is the
    contract's part of shared_rules' `parts` (never a sum or a rounding of the API's own)."""
    _app, client = december
    body = client.get("/api/childcare").json()
    noor, adam = (next(c for c in body["contracts"] if c["child_name"] == n) for n in ("Noor", "Adam"))
    for m in range(12):
        assert noor["months"][m]["difference"] + adam["months"][m]["difference"] == body["total"]["months"][m]
    assert noor["year_end"]["total"] + adam["year_end"]["total"] == body["total"]["total"] != 0
    # the household's months are shared_rules' months; the parts are its parts
    sit = client.get("/api/household").json()["rules_input"]["timeline"][0]["situation"]
    result = shared_rules.calculate(sit)["toeslagen"][KOT]
    k_noor = next(i for i, c in enumerate(sit["childcare"]) if c["kind"] == "dagopvang")
    for m in range(12):
        assert noor["months"][m]["toeslag_estimated"] == result["parts"][m][k_noor]
        assert noor["months"][m]["toeslag_estimated"] + adam["months"][m]["toeslag_estimated"] == result["months"][m]
    # the prompt cards say the same amounts as the screen
    cards = {p["data"]["contract_id"]: p["amount"] for p in open_prompts(client)}
    for c in (noor, adam):
        if c["contract_id"] in cards:
            assert cards[c["contract_id"]] == c["year_end"]["total"]


def test_noors_560_became_561_after_a_change_to_adam_only(december):
    """What the parent saw: Noor's amount moved by € 1 after a change that concerned Adam only. Adopting
    Adam's reported hours, then changing Adam's hours by hand: Noor's months and year stay the same."""
    _app, client = december
    noor_before = contract(client, "Noor")
    adam = contract(client, "Adam")
    option = adam["adopt_options"][0]
    r = client.post("/api/childcare/adopt", json={"contract": adam["contract_id"], "from_month": option["from_month"],
                                                  "mode": option["mode"]}, headers={"Idempotency-Key": "adopt-adam-dec"})
    assert r.status_code == 201, r.text
    noor_after = contract(client, "Noor")
    assert noor_after["year_end"] == noor_before["year_end"]
    assert [m["difference"] for m in noor_after["months"]] == [m["difference"] for m in noor_before["months"]]
    # Adam's hours of November by hand, a few hours more and another price: Noor still unchanged
    r = client.post("/api/childcare/correct", json={"contract": adam["contract_id"], "month": "2026-11",
                                                    "hours": 75, "hourly_rate": 955},
                    headers={"Idempotency-Key": "correct-adam-dec"})
    assert r.status_code in (200, 201), r.text
    again = contract(client, "Noor")
    assert again["year_end"] == noor_before["year_end"]
    body = client.get("/api/childcare").json()
    assert sum(c["year_end"]["total"] for c in body["contracts"]) == body["total"]["total"]
