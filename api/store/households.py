"""The household aggregate: household, persons, homes, childcare contracts and terms, estimates,
applications."""

from __future__ import annotations

from typing import Any

from .db import Handle, row, rows, scalar, select_many
from .income import CAUTIOUS_SQL


def create(db: Handle, *, id: str, label: str, now: str, demo_key: str | None = None) -> None:
    db.execute(
        "INSERT INTO households (id, label, demo_key, version, created_at) VALUES (?, ?, ?, 1, ?)",
        (id, label, demo_key, now),
    )


_GET = "SELECT * FROM households WHERE id = ?"


def get(db: Handle, household_id: str) -> dict | None:
    return row(db, _GET, (household_id,))


def by_demo_key(db: Handle, demo_key: str) -> dict | None:
    return row(db, "SELECT * FROM households WHERE demo_key = ?", (demo_key,))


def demo_households(db: Handle) -> list[dict]:
    return rows(db, "SELECT * FROM households WHERE demo_key IS NOT NULL ORDER BY rowid")


def every(db: Handle) -> list[dict]:
    """Every household (id, label, demo_key) in the order they were made."""
    return rows(db, "SELECT id, label, demo_key FROM households ORDER BY rowid")


def version(db: Handle, household_id: str) -> int | None:
    return scalar(db, "SELECT version FROM households WHERE id = ?", (household_id,))


def bump_version(db: Handle, household_id: str) -> int | None:
    """One more data version; returns it (None: no such household)."""
    r = db.execute("UPDATE households SET version = version + 1 WHERE id = ? RETURNING version",
                   (household_id,)).fetchone()
    return None if r is None else r[0]


# -- persons --------------------------------------------------------------------------------------

PERSON_COLUMNS = (
    "id", "household_id", "role", "given_name", "birth_date", "bsn", "insured", "works",
    "treaty_country", "co_resident_is_child", "member_from", "member_until", "created_at",
)


def add_person(db: Handle, person: dict[str, Any]) -> None:
    values = {c: person.get(c) for c in PERSON_COLUMNS}
    for flag, default in (("insured", 1), ("works", 1), ("co_resident_is_child", 0)):
        values[flag] = int(default if values[flag] is None else bool(values[flag]))
    db.execute(
        f"INSERT INTO persons ({', '.join(PERSON_COLUMNS)}) VALUES ({', '.join('?' * len(PERSON_COLUMNS))})",
        tuple(values[c] for c in PERSON_COLUMNS),
    )


_PERSONS = "SELECT * FROM persons WHERE household_id = ? ORDER BY member_from, birth_date, id"


def persons(db: Handle, household_id: str) -> list[dict]:
    return rows(db, _PERSONS, (household_id,))


def person(db: Handle, household_id: str, person_id: str) -> dict | None:
    return row(db, "SELECT * FROM persons WHERE id = ? AND household_id = ?", (person_id, household_id))


def end_membership(db: Handle, household_id: str, person_id: str, date: str) -> None:
    db.execute(
        "UPDATE persons SET member_until = ? WHERE id = ? AND household_id = ?",
        (date, person_id, household_id),
    )


# -- homes ----------------------------------------------------------------------------------------

def add_home(db: Handle, household_id: str, home: dict[str, Any], now: str) -> None:
    db.execute(
        "INSERT INTO homes (household_id, valid_from, street, house_number, postcode, city, renting,"
        " rent, service_costs, landlord_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            household_id, home["valid_from"], home["street"], home["house_number"], home["postcode"],
            home["city"], int(bool(home["renting"])), home.get("rent"), home.get("service_costs") or 0,
            home.get("landlord_id"), now,
        ),
    )


_HOMES = "SELECT * FROM homes WHERE household_id = ? ORDER BY valid_from, id"


def homes(db: Handle, household_id: str) -> list[dict]:
    return rows(db, _HOMES, (household_id,))


# -- childcare ------------------------------------------------------------------------------------

def add_contract(db: Handle, contract: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO childcare_contracts (id, household_id, child_id, organisation_id, location_name,"
        " lrk_number, kind, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tuple(contract.get(c) for c in (
            "id", "household_id", "child_id", "organisation_id", "location_name", "lrk_number", "kind",
            "start_date", "end_date", "created_at",
        )),
    )


def add_terms(db: Handle, contract_id: str, valid_from: str, hours: int, rate: int, now: str) -> None:
    db.execute(
        "INSERT INTO childcare_terms (contract_id, valid_from, hours_per_month, hourly_rate, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (contract_id, valid_from, hours, rate, now),
    )


def end_contract(db: Handle, household_id: str, contract_id: str, end_date: str) -> None:
    db.execute(
        "UPDATE childcare_contracts SET end_date = ? WHERE id = ? AND household_id = ?",
        (end_date, contract_id, household_id),
    )


_CONTRACTS = ("SELECT c.*, o.name AS organisation_name FROM childcare_contracts c"
              " JOIN organisations o ON o.id = c.organisation_id"
              " WHERE c.household_id = ? ORDER BY c.start_date, c.id")


def contracts(db: Handle, household_id: str) -> list[dict]:
    return rows(db, _CONTRACTS, (household_id,))


def contract(db: Handle, household_id: str, contract_id: str) -> dict | None:
    return row(
        db, "SELECT * FROM childcare_contracts WHERE id = ? AND household_id = ?", (contract_id, household_id)
    )


_TERMS = ("SELECT t.* FROM childcare_terms t JOIN childcare_contracts c ON c.id = t.contract_id"
          " WHERE c.household_id = ? ORDER BY t.contract_id, t.valid_from, t.id")


def terms(db: Handle, household_id: str) -> list[dict]:
    return rows(db, _TERMS, (household_id,))


# -- estimates and applications -------------------------------------------------------------------

def add_estimate(db: Handle, household_id: str, person_id: str, year: int, income: int, assets: int,
                 source: str, now: str) -> None:
    db.execute(
        "INSERT INTO estimates (household_id, person_id, year, income, assets, source, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (household_id, person_id, year, income, assets, source, now),
    )


_ESTIMATES = "SELECT * FROM estimates WHERE household_id = ? ORDER BY year, id"


def estimates(db: Handle, household_id: str) -> list[dict]:
    """Every estimate, oldest first; the last one per (person, year) is the current one."""
    return rows(db, _ESTIMATES, (household_id,))


def add_application(db: Handle, household_id: str, toeslag: str, year: int, from_month: int, now: str) -> None:
    db.execute(
        "INSERT INTO applications (household_id, toeslag, year, from_month, applied_at) VALUES (?, ?, ?, ?, ?)",
        (household_id, toeslag, year, from_month, now),
    )


_APPLICATIONS = "SELECT * FROM applications WHERE household_id = ? ORDER BY year, toeslag"


def applications(db: Handle, household_id: str) -> list[dict]:
    return rows(db, _APPLICATIONS, (household_id,))


def load_queries(household_id: str) -> dict[str, tuple[str, tuple]]:
    """The reads of `load` by name, for db.select_many (one statement on PostgreSQL): the household's
    row as a list of at most one ("household"), then its persons, homes, contracts, terms, estimates,
    applications and voorzichtig voorschot choices (every recalculation keeps the ones in force)."""
    one = (household_id,)
    return {"household": (_GET, one), "persons": (_PERSONS, one), "homes": (_HOMES, one),
            "contracts": (_CONTRACTS, one), "terms": (_TERMS, one), "estimates": (_ESTIMATES, one),
            "applications": (_APPLICATIONS, one), "cautious": (CAUTIOUS_SQL, one)}


def loaded(found: dict[str, list[dict]]) -> dict | None:
    """`load`'s answer from the rows of `load_queries` (None: no such household)."""
    if not found["household"]:
        return None
    return {k: (v[0] if k == "household" else v) for k, v in found.items() if k in _LOADED}


_LOADED = ("household", "persons", "homes", "contracts", "terms", "estimates", "applications", "cautious")


def load(db: Handle, household_id: str) -> dict | None:
    """Everything the situation builder needs, in one consistent read: the reads of `load_queries`
    together (one statement on PostgreSQL, store/db.select_many; a submit loads a household two or
    three times)."""
    return loaded(select_many(db, load_queries(household_id)))
