"""Receiving partner reports: strictly validated, idempotent per (organisation, person, month), and
scoped: an organisation only reaches the persons it was linked to, for the data type of its token."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import secrets
from typing import Any

import msgspec
from litestar import Response
from sqlite_utils import Database

from ..childcare import card as childcare_card
from ..childcare import compare as childcare
from ..settings import Settings
from ..store import Store
from ..store import events as events_store
from ..store import feeds as feeds_store
from ..store import households as households_store
from ..store.found import present
from ..util import bsn_valid, euro, iso, month_name, new_id, sha256_hex
from ..web import idempotency
from ..web.problems import Problem, forbidden, invalid, not_found
from . import schemas as s

log = logging.getLogger("api.feeds")

DATA_TYPES = ("childcare_hours", "income", "insurance", "rent")
SOURCE = {"childcare_hours": "kinderopvang", "income": "income_data", "insurance": "insurer", "rent": "landlord"}
TOKEN_PREFIX = "tsf_"


class FeedToken(msgspec.Struct, frozen=True):
    id: str
    organisation_id: str
    data_type: str


def hash_token(token: str) -> str:
    # Feed tokens carry 256 bits of randomness, so a plain sha256 is enough to store them.
    return sha256_hex(token)


def create_token(db: Database, org_id: str, data_type: str, now: str) -> str:
    if data_type not in DATA_TYPES:
        raise ValueError(f"unknown data type {data_type}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    feeds_store.add_token(db, new_id("ft"), org_id, data_type, hash_token(token), now)
    return token


def new_ref() -> str:
    return "ref_" + secrets.token_urlsafe(12)


class FeedService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    def authenticate(self, authorization: str | None, data_type: str) -> FeedToken:
        if not authorization or not authorization.startswith("Bearer ") or len(authorization) > 200:
            raise Problem(401, "feed-token-missing", "Geen toegang", "Stuur een geldige feed-token mee "
                          "(Authorization: Bearer …).", headers={"WWW-Authenticate": 'Bearer realm="feeds"'})
        row = feeds_store.token(self.store.db(), hash_token(authorization[7:].strip()))
        if row is None:
            raise Problem(401, "feed-token-invalid", "Geen toegang", "Deze feed-token is onbekend of ingetrokken.",
                          headers={"WWW-Authenticate": 'Bearer realm="feeds", error="invalid_token"'})
        if row["data_type"] != data_type:
            raise forbidden("Deze feed-token mag dit soort gegevens niet aanleveren.")
        return FeedToken(id=row["id"], organisation_id=row["organisation_id"], data_type=row["data_type"])

    def receive(self, token: FeedToken, reports: list, key: str | None, req_hash: str) -> Response:
        def work(db: Database) -> tuple[int, s.FeedResult]:
            result = self.receive_in(db, token.organisation_id, token.data_type, reports)
            if token.data_type == "income":  # the drift scan of every household this batch reached
                from ..income.scan import scan_after_feed
                scan_after_feed(db, self.settings, token.organisation_id, reports)
            return 200, result
        return idempotency.run(self.store, self.settings, f"org:{token.organisation_id}:{token.data_type}", key,
                               req_hash, work)

    def receive_final(self, token: FeedToken, reports: list, key: str | None, req_hash: str) -> Response:
        """Final incomes of past years (api/years/feed.py), one transaction for the whole batch."""
        from .final_income import receive_final

        def work(db: Database) -> tuple[int, s.FeedResult]:
            return 200, receive_final(db, self.settings, token.organisation_id, reports)
        return idempotency.run(self.store, self.settings, f"org:{token.organisation_id}:income_final", key,
                               req_hash, work)

    # -- the work, inside one transaction (the whole batch or nothing) --------------------------
    def receive_in(self, db: Database, org_id: str, data_type: str, reports: list) -> s.FeedResult:
        today = self.settings.today_date()
        now = iso(self.settings.now())
        this_month = f"{today.year}-{today.month:02d}"
        oldest = f"{today.year - 1}-01"
        org = feeds_store.organisation(db, org_id)
        results = []
        seen: set[tuple[str, str]] = set()
        touched: set[str] = set()
        for i, r in enumerate(reports):
            f = f"reports[{i}]"
            if r.month > this_month:
                raise invalid(f"{f}.month", "Deze maand ligt in de toekomst.")
            if r.month < oldest:
                raise invalid(f"{f}.month", f"Deze maand is te oud. Geef maanden vanaf {oldest} door.")
            ref = getattr(r, "child_ref", None) if data_type == "childcare_hours" else getattr(r, "person_ref", None)
            ref_field = "child_ref" if data_type == "childcare_hours" else "person_ref"
            if (ref is None) == (r.bsn is None):
                raise invalid(f"{f}.{ref_field}", f"Geef {ref_field} of bsn op (één van de twee).")
            if ref is not None:  # and so no bsn (checked above)
                person = feeds_store.linked_person_by_ref(db, org_id, data_type, ref)
                field = f"{f}.{ref_field}"
            else:
                if not bsn_valid(r.bsn):
                    raise invalid(f"{f}.bsn", "Dit burgerservicenummer klopt niet.")
                person = feeds_store.linked_person_by_bsn(db, org_id, data_type, r.bsn)
                field = f"{f}.bsn"
            if person is None:
                # the same answer whether the person exists elsewhere or not at all
                raise not_found("Deze persoon is bij ons niet bekend voor uw organisatie.", field=field)
            if data_type == "childcare_hours":
                if (person["id"], r.month) in seen:
                    raise invalid(f"{f}.month", "Deze maand staat voor dit kind al eerder in deze lijst. "
                                                "Stuur per kind één opgave per maand.")
                seen.add((person["id"], r.month))
            values: dict[str, Any] = {}
            contract_id = None
            warnings: list[str] = []
            if data_type == "childcare_hours":
                if r.hours > 24 * calendar.monthrange(int(r.month[:4]), int(r.month[5:]))[1]:
                    raise invalid(f"{f}.hours", "Zoveel uren passen niet in deze maand.")
                contract = self._contract_for(db, org_id, person, r.lrk_number, r.month)
                if contract is None:
                    raise not_found("Voor dit kind is er in deze maand geen opvangcontract op deze locatie "
                                    "(LRK-nummer).", field=f"{f}.lrk_number")
                contract_id = contract["id"]
                values = {"hours": r.hours, "hourly_rate": r.hourly_rate}
                cap = childcare.max_hours(int(r.month[:4]))
                if cap is not None and r.hours > cap:
                    warnings.append(f"Meer dan {cap} uur in een maand. Voor de toeslag tellen hoogstens {cap} uur "
                                    "per kind per maand (Wko art. 1.7). De opgave is opgeslagen zoals u die stuurde.")
            elif data_type == "income":
                values = {"wages": r.wages}
                if r.holiday_allowance or r.one_off:  # only when reported: older reports keep their hash
                    values.update(holiday_allowance=r.holiday_allowance, one_off=r.one_off)
            elif data_type == "insurance":
                values = {"insured": int(r.insured)}
            else:
                values = {"rent": r.rent, "service_costs": r.service_costs}
            payload_hash = sha256_hex(msgspec.json.encode({"contract_id": contract_id, **values}))
            current = feeds_store.current_report(db, org_id, person["id"], data_type, r.month)
            status: s.ReportStatus
            if current is not None and current["payload_hash"] == payload_hash:
                status = "unchanged"
            else:
                feeds_store.add_report(db, {
                    "organisation_id": org_id, "person_id": person["id"], "household_id": person["household_id"],
                    "data_type": data_type, "month": r.month, "contract_id": contract_id, **values,
                    "payload_hash": payload_hash, "received_at": now,
                }, current["id"] if current else None)
                status = "replaced" if current else "created"
                events_store.append(
                    db, household_id=person["household_id"], occurred_at=now, actor=f"org:{org_id}",
                    source=SOURCE[data_type], kind=f"feed.{data_type}", effective_date=f"{r.month}-01",
                    what={"organisation_id": org_id, "person_id": person["id"], "month": r.month,
                          "contract_id": contract_id, **values, "replaces": bool(current)},
                    amounts={},
                    summary=_summary(present(org, "organisation of the feed")["name"], data_type, person, r.month, values))
                households_store.bump_version(db, person["household_id"])
                touched.add(person["household_id"])
            results.append(s.ReportResult(index=i, month=r.month, ref=ref, status=status, warnings=warnings))
        if data_type == "childcare_hours":
            # the household's comparison with the estimate, and its prompt, follow every new report
            for household_id in sorted(touched):
                childcare_card.refresh(db, household_id, today, now)
        log.info("feed %s from %s: %d reports", data_type, org_id, len(results))
        return s.FeedResult(organisation_id=org_id, data_type=data_type, results=results)

    @staticmethod
    def _contract_for(db: Database, org_id: str, person: dict, lrk: str, month: str) -> dict | None:
        first = f"{month}-01"
        y, m = int(month[:4]), int(month[5:])
        last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
        for c in households_store.contracts(db, person["household_id"]):
            if (c["organisation_id"] == org_id and c["child_id"] == person["id"] and c["lrk_number"] == lrk
                    and c["start_date"] <= last and (c["end_date"] is None or c["end_date"] >= first)):
                return c
        return None


def _summary(org_name: str, data_type: str, person: dict, month: str, values: dict) -> str:
    when = f"{month_name(int(month[5:]))} {month[:4]}"
    name = person["given_name"]
    if data_type == "childcare_hours":
        return f"{org_name} gaf door: {values['hours']} uur opvang voor {name} in {when}."
    if data_type == "income":
        return f"{org_name} gaf het loon van {name} over {when} door: {euro(values['wages'])}."
    if data_type == "insurance":
        state = "verzekerd" if values["insured"] else "niet verzekerd"
        return f"{org_name} gaf door dat {name} in {when} {state} is."
    return f"{org_name} gaf de huur over {when} door: {euro(values['rent'])} per maand."
