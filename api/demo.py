"""The demo: three realistic households, seeded once, plus a KOO feed and an income feed that arrive
through the same service functions the /feeds routes use."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .feeds import schemas as fs
from .feeds.service import FeedService, new_ref
from .household import situation, voorschot
from .settings import Settings
from .store import Store
from .store import events as events_store
from .store import feeds as feeds_store
from .store import households as households_store
from .store.found import present
from .util import TOESLAG_NAMES, euro, iso, new_id

if TYPE_CHECKING:
    from .auth.service import AuthService

KOO_ID = "kinderopvang-zonnebloem"
EMPLOYER_ID = "restaurant-gouden-lepel"
LRK_DAGOPVANG = "184503962110"
LRK_BSO = "705612839447"

# Fictional, elfproef-valid BSNs (the demo never shows them).
BSN = {"sanne": "111222333", "fatima": "123456782", "mark": "100000009", "lisa": "100000010",
       "noor": "100000022", "adam": "100000034", "daan": "100000046", "sophie": "100000058",
       "lucas": "100000071"}

HOUSEHOLDS: list[dict[str, Any]] = [
    {
        "key": "single_tenant", "label": "Huishouden De Vries",
        "description": "alleenstaande huurder, inkomen rond de afbouw van de huurtoeslag",
        "persons": [("sanne", "applicant", "Sanne", "1996-04-12", 2_750_000, 0)],
        "home": {"street": "Kanaalstraat", "house_number": "88-2", "postcode": "3531 CL", "city": "Utrecht",
                 "rent": 68_500, "service_costs": 4_500},
        "applied": ["zorgtoeslag", "huurtoeslag"],
        # last year (issue #15): estimated € 26.000, the final income came out at € 34.500 — the expected
        # definitieve berekening is a hoge terugvordering while that year is still open
        "last_year": {"income": 2_600_000, "final_income": 3_450_000},
    },
    {
        "key": "single_parent", "label": "Huishouden El Amrani",
        "description": "alleenstaande ouder, twee kinderen in dagopvang en bso",
        "persons": [("fatima", "applicant", "Fatima", "1989-09-03", 3_400_000, 0),
                    ("noor", "child", "Noor", "2022-06-15", 0, 0),
                    ("adam", "child", "Adam", "2017-02-08", 0, 0)],
        "home": {"street": "Vleutenseweg", "house_number": "212", "postcode": "3532 HM", "city": "Utrecht",
                 "rent": 81_200, "service_costs": 3_800},
        "contracts": [("noor", "dagopvang", "Zonnebloem Dagopvang Oost", LRK_DAGOPVANG, 120, 1025),
                      ("adam", "bso", "Zonnebloem BSO Wittevrouwen", LRK_BSO, 64, 940)],
        "applied": ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"],
    },
    {
        "key": "couple_three_children", "label": "Huishouden Jansen",
        "description": "stel met drie kinderen, huurt",
        "persons": [("mark", "applicant", "Mark", "1984-01-20", 3_750_000, 0),
                    ("lisa", "partner", "Lisa", "1986-05-30", 1_200_000, 0),
                    ("daan", "child", "Daan", "2011-03-14", 0, 0),
                    ("sophie", "child", "Sophie", "2014-10-02", 0, 0),
                    ("lucas", "child", "Lucas", "2019-07-22", 0, 0)],
        "home": {"street": "Bos en Lommerweg", "house_number": "301-3", "postcode": "1055 EE", "city": "Amsterdam",
                 "rent": 92_500, "service_costs": 0},
        "applied": ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget"],
    },
]


def seed(store: Store, settings: Settings) -> bool:
    """Seeds the demo once; returns False when it was already there."""
    today = settings.today_date()
    year = today.year
    now = iso(settings.now())
    with store.write() as db:
        if households_store.by_demo_key(db, HOUSEHOLDS[0]["key"]) is not None:
            return False
        _organisations(db, now)
        person_ids: dict[str, str] = {}
        for spec in HOUSEHOLDS:
            spec = dict(spec)  # _last_year notes the ids it made on this copy, never on the module's list
            _last_year(db, spec, year - 1, today, now)
            _household(db, spec, year, today, now, person_ids)
        _demo_feeds(db, store, settings, today, person_ids, now)
    return True


def _organisations(db: Database, now: str) -> None:
    for org_id, name in ((KOO_ID, "Kinderopvang De Zonnebloem"), (EMPLOYER_ID, "Restaurant De Gouden Lepel B.V.")):
        if feeds_store.organisation(db, org_id) is None:
            feeds_store.add_organisation(db, org_id, name, now)


def _last_year(db: Database, spec: dict, year: int, today: dt.date, now: str) -> None:
    """The household's last year, whatever the date the demo starts on: applied, decided and paid in
    full, so every household has last year to settle. The estimate is the household's own
    (`last_year.income`, else this year's); only a household with `last_year.final_income` has the
    income data's final figure already (De Vries: a hoge terugvordering). Its childcare started in
    September of that year, on the terms it has now. `_household` then adds this year to the same household."""
    last = spec.get("last_year") or {}
    hh = new_id("hh")
    households_store.create(db, id=hh, label=spec["label"], now=now, demo_key=spec["key"])
    spec["_household_id"] = hh
    persons = {}
    for key, role, name, birth, _income, assets in spec["persons"]:
        pid = new_id("prs")
        persons[key] = pid
        households_store.add_person(db, {
            "id": pid, "household_id": hh, "role": role, "given_name": name, "birth_date": birth,
            "bsn": BSN[key], "member_from": birth if role == "child" else "2018-01-01", "created_at": now})
        if role == "applicant":
            households_store.add_estimate(db, hh, pid, year, last.get("income", _income), assets, "agency", now)
        elif role == "partner":
            households_store.add_estimate(db, hh, pid, year, _income, assets, "agency", now)
    spec["_person_ids"] = persons
    households_store.add_home(db, hh, {**spec["home"], "valid_from": "2020-03-01", "renting": True}, now)
    spec["_contracts"] = _contracts(db, spec, hh, persons, f"{year}-09-01", now)
    for t in spec["applied"]:
        households_store.add_application(db, hh, t, year, 1, f"{year - 1}-11-15T10:00:00+00:00")
    state = present(households_store.load(db, hh), "demo household")
    planned = voorschot.plan(state=state, year=year, today=dt.date(year - 1, 12, 1),
                             paid={t: [None] * 12 for t in situation.TOESLAGEN})
    decided_at = f"{year - 1}-12-01T09:00:00+00:00"
    event_id = events_store.append(db, household_id=hh, occurred_at=decided_at, actor="agency", source="agency",
                                   kind="decision.initial", effective_date=f"{year}-01-01",
                                   what={"year": year, "toeslagen": spec["applied"]}, amounts={},
                                   summary=f"Voorschot {year} vastgesteld.")
    voorschot.save(db, household_id=hh, year=year, today=dt.date(year - 1, 12, 1), planned=planned,
                   toeslagen=set(spec["applied"]), reason="initial", event_id=event_id, decided_at=decided_at)
    voorschot.record_due_payments(db, hh, year, today)
    if "final_income" not in last:
        return
    from .household.years import record_final_income
    applicant = next(p for p in state["persons"] if p["role"] == "applicant")
    record_final_income(db, household_id=hh, person=applicant, year=year, income=last["final_income"],
                        source="income_data", organisation_id=None, now=now)


def _contracts(db: Database, spec: dict, hh: str, person_ids: dict, start: str, now: str) -> list[str]:
    """The household's childcare contracts (from `start`, on the spec's terms) and the KOO's links to its
    children; returns the contract ids."""
    ids = []
    for child, kind, location, lrk, hours, rate in spec.get("contracts", []):
        cid = new_id("ctr")
        households_store.add_contract(db, {
            "id": cid, "household_id": hh, "child_id": person_ids[child], "organisation_id": KOO_ID,
            "location_name": location, "lrk_number": lrk, "kind": kind, "start_date": start,
            "end_date": None, "created_at": now})
        households_store.add_terms(db, cid, start, hours, rate, now)
        feeds_store.add_link(db, KOO_ID, person_ids[child], "childcare_hours", new_ref(), now)
        ids.append(cid)
    return ids


def _household(db: Database, spec: dict, year: int, today: dt.date, now: str, person_ids: dict) -> None:
    hh = spec.get("_household_id")
    if hh is None:
        hh = new_id("hh")
        households_store.create(db, id=hh, label=spec["label"], now=now, demo_key=spec["key"])
    known = spec.get("_person_ids") or {}
    for key, role, name, birth, income, assets in spec["persons"]:
        pid = known.get(key)
        if pid is None:
            pid = new_id("prs")
            households_store.add_person(db, {
                "id": pid, "household_id": hh, "role": role, "given_name": name, "birth_date": birth,
                "bsn": BSN[key], "member_from": birth if role == "child" else "2018-01-01", "created_at": now})
        person_ids[key] = pid
        if role in ("applicant", "partner"):
            households_store.add_estimate(db, hh, pid, year, income, assets, "agency", now)
    if not known:
        households_store.add_home(db, hh, {**spec["home"], "valid_from": "2020-03-01", "renting": True}, now)
    if "_contracts" not in spec:  # the contracts already run since last year (_last_year)
        _contracts(db, spec, hh, person_ids, f"{year - 1}-09-01", now)
    decided_at = f"{year - 1}-12-01T09:00:00+00:00"
    for t in spec["applied"]:
        households_store.add_application(db, hh, t, year, 1, f"{year - 1}-11-15T10:00:00+00:00")
    state = present(households_store.load(db, hh), "demo household")
    planned = voorschot.plan(state=state, year=year, today=dt.date(year - 1, 12, 1),
                             paid={t: [None] * 12 for t in situation.TOESLAGEN})
    amounts = {t: {"before": 0, "after": planned[t].new_monthly} for t in spec["applied"] if t in planned}
    summary = "Voorschot {} vastgesteld: {}.".format(year, ", ".join(
        f"{TOESLAG_NAMES[t].lower()} {euro(a['after'], whole=True)} per maand" for t, a in amounts.items()))
    event_id = events_store.append(db, household_id=hh, occurred_at=decided_at, actor="agency", source="agency",
                                   kind="decision.initial", effective_date=f"{year}-01-01",
                                   what={"year": year, "toeslagen": spec["applied"]}, amounts=amounts,
                                   summary=summary)
    voorschot.save(db, household_id=hh, year=year, today=dt.date(year - 1, 12, 1), planned=planned,
                   toeslagen=set(spec["applied"]), reason="initial", event_id=event_id, decided_at=decided_at)
    voorschot.record_due_payments(db, hh, year, today)


def _demo_feeds(db: Database, store: Store, settings: Settings, today: dt.date, person_ids: dict, now: str) -> None:
    """A KOO report with more hours than the parent estimated, and monthly wages that drift above the
    estimate for the single tenant."""
    feeds = FeedService(store, settings)  # receive_in() works in the db (the transaction) handed to it
    last = today.month - 1
    if last < 1:
        return
    months = [m for m in (last - 1, last) if m >= 1]
    noor_hours = {months[-1]: 142}
    if len(months) > 1:
        noor_hours[months[0]] = 136
    refs = {k: present(feeds_store.link_for_person(db, KOO_ID, person_ids[k], "childcare_hours"), "demo KOO link")["ref"]
            for k in ("noor", "adam")}
    koo = [fs.ChildcareHoursReport(child_ref=refs["noor"], lrk_number=LRK_DAGOPVANG, month=f"{today.year}-{m:02d}",
                                   hours=h, hourly_rate=1025) for m, h in sorted(noor_hours.items())]
    koo += [fs.ChildcareHoursReport(child_ref=refs["adam"], lrk_number=LRK_BSO, month=f"{today.year}-{m:02d}",
                                    hours=64 if i == 0 else 72, hourly_rate=940) for i, m in enumerate(months)]
    feeds.receive_in(db, KOO_ID, "childcare_hours", koo)
    feeds_store.add_link(db, EMPLOYER_ID, person_ids["sanne"], "income", new_ref(), now)
    sanne_ref = present(feeds_store.link_for_person(db, EMPLOYER_ID, person_ids["sanne"], "income"), "demo income link")["ref"]
    # estimate € 27.500 a year ≈ € 2.292 a month; a raise in the summer and extra shifts push it up
    wages = [229_000, 229_000, 231_500, 229_000, 234_000, 236_000, 268_000, 271_000, 274_500, 276_000, 279_000]
    income = [fs.IncomeReport(person_ref=sanne_ref, month=f"{today.year}-{m:02d}", wages=wages[m - 1])
              for m in range(1, min(last, 11) + 1)]
    feeds.receive_in(db, EMPLOYER_ID, "income", income)


def activation_codes(store: Store, settings: Settings, auth: AuthService) -> list[tuple[dict, str]]:
    """A fresh activation code for every demo household (codes are stored hashed, so old ones cannot be
    shown again)."""
    out = []
    with store.write() as db:
        for hh in households_store.demo_households(db):
            out.append((hh, auth.issue_code(db, hh["id"])))
    return out


def describe(demo_key: str) -> str:
    return next((h["description"] for h in HOUSEHOLDS if h["key"] == demo_key), "")
