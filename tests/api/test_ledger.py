"""The ledger (issue #14): paid months stay as paid, each correction is its own dated line with a
status, and the confirmation after a submit never says "€ 0,00" for a toeslag that continues.
Each regression test is named after what a parent saw."""

from __future__ import annotations

import datetime as dt

from api import ledger
from api.store import decisions as decisions_store
from api.store import ledger as ledger_store

from .conftest import enrol, household_id

# De Vries earns more: huurtoeslag drops for the whole year (Awir art. 5: from the month of the change,
# but the yearly income counts for every month).
RAISE = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}}


def _overview(client) -> dict:
    return {t["toeslag"]: t for t in client.get("/api/overview").json()["toeslagen"]}


def test_de_vries_huurtoeslag_history_is_not_rewritten_after_an_income_change(client, app):
    """Seen: "Al betaald dit jaar € 3.132" and every past month "€ 261 Betaald" while € 325 a month
    was paid and € 768 must be paid back. Now: the paid months stay as paid, "Al betaald" is what was
    paid, and the repayment is its own open line on the overview until it is settled."""
    enrol(client, app, "single_tenant")
    before = _overview(client)["huurtoeslag"]
    paid_before = [m["paid"] for m in before["ledger"]["months"]]
    assert all(p is not None for p in paid_before)  # 29 November: December was paid on the 20th
    r = client.post("/api/changes", json=RAISE)
    assert r.status_code == 201, r.text
    huur = next(t for t in r.json()["toeslagen"] if t["toeslag"] == "huurtoeslag")
    assert huur["past_months"] < 0
    after = _overview(client)["huurtoeslag"]
    book = after["ledger"]
    assert [m["paid"] for m in book["months"]] == paid_before
    assert after["year_so_far"]["paid"] == sum(paid_before) == book["paid_so_far"]
    assert after["amount_this_month"] == paid_before[10]  # November as paid, not as recalculated
    [line] = book["corrections"]
    assert line["kind"] == "terugvordering" and line["status"] == "open"
    assert line["amount"] == huur["past_months"] and line["decided_on"] == "2026-11-29"
    assert line["months"] == list(range(1, 13))
    assert book["open_repayment"] == -huur["past_months"]
    # the repayment is counted once: shared_rules' "paid" (settled amount per month) still includes it
    assert sum(after["paid"]) == sum(paid_before) + huur["past_months"]


def test_confirmation_says_the_year_is_paid_instead_of_a_new_monthly_amount_of_zero(client, app):
    """Seen: "Nieuw bedrag per maand € 0,00 … Vanaf december" for every toeslag after any submit."""
    enrol(client, app, "single_tenant")
    r = client.post("/api/changes", json=RAISE)
    for t in r.json()["toeslagen"]:
        if not t["applied"]:
            continue
        assert t["all_paid"] is True
        assert t["before_monthly"] is None  # no "Was per maand € 0,00" either
        assert t["threshold"] > 0
        assert "al allemaal betaald" in t["message"]


def test_a_nabetaling_is_paid_out_on_the_next_payment_run(client, app, clock):
    """El Amrani seen: October "€ 1.902 Betaald" while the € 144 was still to be paid out. A nabetaling
    is its own line, open until the next payment run, then settled."""
    enrol(client, app, "single_tenant")
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                                                     "income": 2_200_000}})
    assert r.status_code == 201, r.text
    huur = next(t for t in r.json()["toeslagen"] if t["toeslag"] == "huurtoeslag")
    assert huur["past_months"] > 0 and huur["payout_on"] == "2026-12-21"
    assert "21 december 2026" in huur["message"]
    book = _overview(client)["huurtoeslag"]["ledger"]
    [line] = book["corrections"]
    assert line["kind"] == "nabetaling" and line["status"] == "open" and line["due_on"] == "2026-12-21"
    assert book["open_payout"] == huur["past_months"]
    # on the payment run the nabetaling is paid: then (and only then) it counts in "Al betaald"
    hh = household_id(app, "single_tenant")
    db = app.state.store.db()
    args = (decisions_store.for_year(db, hh, 2026), decisions_store.payments(db, hh, 2026),
            ledger_store.corrections(db, hh, 2026))
    later = ledger.build("huurtoeslag", 2026, dt.date(2026, 12, 21), *args)
    assert later.corrections[0].status == "settled" and later.open_payout == 0
    assert later.paid_so_far == book["paid_so_far"] + huur["past_months"]


def test_a_payment_follows_the_decision_in_force_on_its_date():
    """A month paid before a change keeps the amount of the decision in force on its payment date."""
    def dec(i, at, amount):
        return {"id": f"d{i}", "toeslag": "zorgtoeslag", "decided_at": at,
                "months": [{"month": m, "entitlement": amount, "voorschot": amount, "payment_date": ""} for m in range(1, 13)]}
    decs = [dec(1, "2025-12-01T09:00:00+00:00", 10_000), dec(2, "2026-06-01T09:00:00+00:00", 8_000)]
    book = ledger.build("zorgtoeslag", 2026, dt.date(2026, 6, 30), decs, [], [])
    assert [m.paid for m in book.months[:7]] == [10_000] * 6 + [8_000]  # July is paid on 22 June
    assert [m.paid for m in book.months[7:]] == [None] * 5
    assert book.paid_so_far == 68_000 and not book.all_paid


def test_the_ledger_tables_are_created_by_migration_0008(app):
    db = app.state.store.db()
    cols = {d[0] for d in db.execute("SELECT * FROM ledger_corrections WHERE 1 = 0").description}  # either store
    assert {"year", "kind", "amount", "decided_on", "due_on", "status", "settled_on", "decision_id"} <= cols


def test_undo_of_adopted_childcare_hours_never_says_was_per_maand_zero(client, app):
    """Seen: "Was per maand € 0,00" after an undo of adopted childcare hours (the decision before it had
    no month left to pay, so its 'new monthly amount' was 0). Now: when the year is paid there is no
    monthly comparison, and the settlement is shown; the adoption's nabetaling is its own line."""
    enrol(client, app, "single_parent")
    noor = app.state.store.db().execute(
        "SELECT c.id FROM childcare_contracts c JOIN persons p ON p.id = c.child_id WHERE p.given_name = 'Noor'"
    ).fetchone()[0]
    r = client.post("/api/childcare/adopt", json={"contract": noor, "from_month": "2026-10", "mode": "reported"})
    assert r.status_code == 201, r.text
    adopted = r.json()
    undo = client.post("/api/childcare/undo", json={"event_id": adopted["event_id"]})
    assert undo.status_code == 201, undo.text
    for out in (adopted, undo.json()):
        for t in out["toeslagen"]:
            if t["applied"]:
                assert t["all_paid"] is True and t["before_monthly"] is None and t["new_monthly"] == 0
    kot = next(t for t in undo.json()["toeslagen"] if t["toeslag"] == "kinderopvangtoeslag")
    book = _overview(client)["kinderopvangtoeslag"]["ledger"]
    kinds = [(c["kind"], c["amount"]) for c in book["corrections"]]
    # the adoption paid out a nabetaling; the undo asks it back: two lines, they cancel
    assert len(kinds) == 2 and kinds[0][0] == "nabetaling" and kinds[1][0] == "terugvordering"
    assert kinds[0][1] + kinds[1][1] == 0 and kinds[1][1] == kot["past_months"]


def test_before_monthly_is_the_previous_schedule_of_the_same_month(client, app, clock):
    """Mid-year: "Was per maand" is what the decision before scheduled for the month the new amount
    starts in (not that decision's own first month)."""
    import msgspec

    from api.household.models import Decision, DecisionMonth
    from api.household.recalc import _before_monthly

    prev = Decision(id="dec_1", toeslag="zorgtoeslag", year=2026, decided_at="2026-01-01T00:00:00Z", reason="initial",
                    effective_month=1, entitled=True, per_year=132_000, new_monthly=10_000, past_months=0,
                    months=tuple(DecisionMonth(month=m, entitlement=0, voorschot=10_000 if m < 7 else 12_000,
                                               payment_date="") for m in range(1, 13)))
    assert _before_monthly(prev, 8) == 12_000
    assert _before_monthly(msgspec.structs.replace(prev, all_paid=True), 8) is None
    assert _before_monthly(None, 8) is None


def _year_step(item: dict) -> dict:
    return next(s for s in item["steps"] if s["text"].startswith("Over het hele jaar"))


def test_kinderopvangtoeslag_explanation_totals_what_the_page_header_says(client, app):
    """Seen: the kinderopvangtoeslag explanation totalled € 21.096,00, the page header € 21.240,00 (the
    explanation held this month's situation for twelve months; the header is the year's timeline)."""
    enrol(client, app, "single_parent")
    noor = app.state.store.db().execute(
        "SELECT c.id FROM childcare_contracts c JOIN persons p ON p.id = c.child_id WHERE p.given_name = 'Noor'"
    ).fetchone()[0]
    r = client.post("/api/changes", json={"change": {"kind": "childcare", "date": "2026-10-01", "contract_id": noor,
                                                     "hours_per_month": 142, "ends": False}})
    assert r.status_code == 201, r.text
    kot = _overview(client)["kinderopvangtoeslag"]
    assert kot["months"][0] != kot["months"][11]  # the hours changed in the year
    assert _year_step(kot)["amount"] == kot["per_year"] == sum(kot["months"])


def test_kindgebonden_budget_steps_do_not_jump_from_one_yearly_amount_to_another(client, app):
    """Seen (Jansen): "Kindgebonden budget: € 8.400,72 per jaar", then "over het hele jaar € 7.797,38"
    with no step between (Sophie turns 12 in October: the months count different yearly amounts)."""
    enrol(client, app, "couple_three_children")
    kgb = _overview(client)["kindgebonden_budget"]
    texts = [s["text"] for s in kgb["steps"]]
    i = next(n for n, t in enumerate(texts) if t.startswith("Over het hele jaar"))
    between = texts[i - 1]
    assert between.startswith("Niet elke maand is het jaarbedrag hetzelfde")
    assert "januari tot en met oktober" in between and "november en december" in between
    assert "€ 8.400,72 per jaar" in between  # the amount of the step before it, for the months it holds
    assert _year_step(kgb)["amount"] == kgb["per_year"]


def test_every_toeslag_explanation_ends_in_the_years_total(client, app):
    for key in ("single_tenant", "single_parent", "couple_three_children"):
        enrol(client, app, key)
        for t in _overview(client).values():
            if t["per_year"]:
                assert _year_step(t)["amount"] == t["per_year"], (key, t["toeslag"])


def test_a_nabetaling_from_before_the_ledger_is_paid_on_the_payment_run_after_its_decision():
    line = {"id": "cor_dec_3", "toeslag": "huurtoeslag", "year": 2026, "kind": "nabetaling", "amount": 2_000,
            "decided_on": "2026-06-10", "due_on": None, "status": "open", "settled_on": None,
            "arrangement_monthly": None, "decision_id": "dec_3"}
    open_ = ledger.build("huurtoeslag", 2026, dt.date(2026, 6, 19), [], [], [line])
    assert open_.corrections[0].due_on == "2026-06-22" and open_.open_payout == 2_000  # 20 June is a Saturday
    paid = ledger.build("huurtoeslag", 2026, dt.date(2026, 6, 22), [], [], [line])
    assert paid.corrections[0].status == "settled" and paid.paid_so_far == 2_000


def test_the_overview_warns_about_a_toeslagpartner_who_moved_in_this_year(client, app):
    """Issue 14: the partner warning on the overview too, not only in the preview. De Vries's partner
    Joris moves in on 1 August: the overview says what his income and vermogen do to each toeslag (the
    amounts of shared_rules/warnings.py, as the preview said them) and that he must be in the same
    application."""
    enrol(client, app, "single_tenant")
    assert not [w for w in client.get("/api/overview").json()["warnings"] if w["code"].startswith("partner_")]
    change = {"kind": "partner", "date": "2026-08-01", "action": "moves_in",
              "partner": {"given_name": "Joris", "birth_date": "1993-02-11", "income": 2_400_000}}
    told = client.post("/api/changes/preview", json={"change": change}).json()["warnings"]
    assert client.post("/api/changes", json={"change": change}).status_code == 201
    warnings = client.get("/api/overview").json()["warnings"]
    partner = [w for w in warnings if w["code"].startswith("partner_")]
    assert [w["code"] for w in partner][:2] == ["partner_moves_in", "partner_same_application"]
    assert "dezelfde aanvraag" in partner[1]["text"] and "vanaf augustus 2026" in partner[0]["text"].lower()
    effects = {w["toeslag"]: w["amount"] for w in partner if w["code"] == "partner_effect"}
    assert effects and effects == {w["toeslag"]: w["amount"] for w in told if w["code"] == "partner_effect"}
