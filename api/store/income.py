"""Income drift: the monthly wages of the income feed per person, batched household reads for the
scan (one read per batch, every table at once), scan keys and progress, and the cautious-voorschot
choices. Portable SQL: lists of ids through dialect.any_of, keyset paging, no SQLite-only functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .db import Handle, row, rows
from .dialect import any_of


@contextmanager
def savepoint(db: Handle, name: str) -> Iterator[None]:
    """A nested transaction inside the caller's: undone on its own when the block raises."""
    if not name.isidentifier():
        raise ValueError("savepoint names are identifiers")
    db.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        db.execute(f"ROLLBACK TO SAVEPOINT {name}")
        db.execute(f"RELEASE SAVEPOINT {name}")
        raise
    db.execute(f"RELEASE SAVEPOINT {name}")


# -- wages ----------------------------------------------------------------------------------------

_WAGES_SQL = ("SELECT household_id, person_id, month, wages, holiday_allowance, one_off FROM feed_reports"
              " WHERE data_type = 'income' AND replaced_by IS NULL AND month >= ? AND month <= ?")


def wages(db: Handle, household_id: str, year: int, until_month: int = 12) -> list[tuple]:
    """The current income reports of `year` (up to `until_month`) as tuples (household_id,
    person_id, month, wages, holiday_allowance, one_off); one per income source per person and
    month (someone with two jobs has two). The caller adds them up."""
    return db.execute(_WAGES_SQL + " AND household_id = ?",
                      (f"{year}-01", f"{year}-{until_month:02d}", household_id)).fetchall()


# -- batched reads for the scan ----------------------------------------------------------------

# A household with its data version and last scan key. The scan key is a subquery by key, not a LEFT
# JOIN: PostgreSQL merged such a join by walking income_scans from its first row to the batch, so a
# batch cost more the further a run got (40 ms for a batch after 120,000 scanned; the million-household
# scan spent a third of its time there). A lookup per household costs the same everywhere in the run.
_WITH_SCAN_KEY = ("SELECT h.id, h.version, (SELECT s.scan_key FROM income_scans s WHERE s.household_id = h.id)"
                  " FROM households h")


def _in_id_order(db: Handle, select: str, after: str | None, *, last: str | None = None,
                 limit: int | None = None) -> list[tuple]:
    """`select` (from `households h`) for the households after `after` (None: from the first), up to and
    including `last` and at most `limit` of them, in id order."""
    where: list[str] = []
    params: list[str | int] = []
    if after is not None:
        where.append("h.id > ?")
        params.append(after)
    if last is not None:
        where.append("h.id <= ?")
        params.append(last)
    sql = select + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY h.id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return db.execute(sql, params).fetchall()


def households_after(db: Handle, after: str | None, limit: int) -> list[tuple[str, int, str | None]]:
    """The next `limit` households in id order with their data version and last scan key."""
    return _in_id_order(db, _WITH_SCAN_KEY, after, limit=limit)


# The columns the scan reads (api.income.evaluate and the situation builder it uses); fewer columns
# are fewer Python objects per row, which is most of what a batched read costs.
_SCAN_PERSONS = ("id, household_id, role, given_name, birth_date, insured, works, treaty_country, co_resident_is_child,"
                 " member_from, member_until")
_SCAN_HOMES = "household_id, valid_from, renting, rent, service_costs"
_SCAN_ESTIMATES = "household_id, person_id, year, income, assets"
_SCAN_DECISIONS = "id, household_id, toeslag, year, entitled, new_monthly, rules_version"


def load_batch(db: Handle, ids: list[str], year: int, until_month: int, prompt_kinds: Iterable[str],
               known: dict[str, tuple[int, str | None]] | None = None) -> dict:
    """What the scan needs for the households `ids`, in the shapes `households.load`, `decisions.for_year`
    and `decisions.payments` give for one household (same order, the columns the scan reads), plus the
    wage reports (`wages()` tuples), the prompts of `prompt_kinds`, the cautious choices and the last
    scan key. Call inside one read transaction. `known`: {id: (version, scan key)} when the caller
    read them in the same transaction already (`households_after`).

    The decisions in force carry `months_count` and `voorschot_total` (the sum of their scheduled
    voorschot) but `months` None: most households need no more (api.income.evaluate.Fast), and the 12
    rows per decision are the largest part of a batch. `load_months` adds them for those that do.
    Decision months are written once with their decision and never change, so they may be read later."""
    out: dict[str, dict] = {}
    if not ids:
        return out
    hh_in, hh_args = any_of(db, "household_id", ids)
    found: list[dict] = (rows(db, f"SELECT id, version FROM households WHERE {any_of(db, 'id', ids)[0]}", hh_args)
                         if known is None else [{"id": i, "version": known[i][0]} for i in ids if i in known])
    for h in found:
        out[h["id"]] = {"household": h, "persons": [], "homes": [], "contracts": [], "terms": [],
                        "estimates": [], "applications": [], "decisions": [], "payments": [], "wages": [],
                        "prompts": [], "scan_key": None if known is None else known[h["id"]][1], "cautious": []}

    def spread(key: str, found: list[dict], field: str = "household_id") -> None:
        for r in found:
            hh = out.get(r[field])
            if hh is not None:
                hh[key].append(r)

    spread("persons", rows(db, f"SELECT {_SCAN_PERSONS} FROM persons WHERE {hh_in}"
                               " ORDER BY household_id, member_from, birth_date, id", hh_args))
    spread("homes", rows(db, f"SELECT {_SCAN_HOMES} FROM homes WHERE {hh_in}"
                             " ORDER BY household_id, valid_from, id", hh_args))
    spread("contracts", rows(db, "SELECT c.*, o.name AS organisation_name FROM childcare_contracts c"
                                 f" JOIN organisations o ON o.id = c.organisation_id WHERE c.{hh_in}"
                                 " ORDER BY c.household_id, c.start_date, c.id", hh_args))
    spread("terms", rows(db, "SELECT t.*, c.household_id AS household_id FROM childcare_terms t"
                             f" JOIN childcare_contracts c ON c.id = t.contract_id WHERE c.{hh_in}"
                             " ORDER BY c.household_id, t.contract_id, t.valid_from, t.id", hh_args))
    spread("estimates", rows(db, f"SELECT {_SCAN_ESTIMATES} FROM estimates WHERE {hh_in}"
                                 " ORDER BY household_id, year, id", hh_args))
    spread("applications", rows(db, f"SELECT household_id, toeslag, year FROM applications WHERE {hh_in}"
                                    " ORDER BY household_id, year, toeslag", hh_args))
    decs = rows(db, f"SELECT {_SCAN_DECISIONS} FROM decisions WHERE {hh_in} AND year = ?"
                    " ORDER BY household_id, decided_at, rowid", [*hh_args, year])
    if decs:
        latest: dict[tuple, dict] = {}
        for d in decs:
            d["months"] = None
            d["months_count"] = 0
            d["voorschot_total"] = 0
            latest[(d["household_id"], d["toeslag"])] = d
        in_force = {d["id"]: d for d in latest.values()}
        dec_ids = list(in_force)
        for lo in range(0, len(dec_ids), 900):
            dec_in, dec_args = any_of(db, "decision_id", dec_ids[lo:lo + 900])
            for dec_id, count, total in db.execute(
                    f"SELECT decision_id, COUNT(*), SUM(voorschot) FROM decision_months WHERE {dec_in}"
                    " GROUP BY decision_id", dec_args).fetchall():
                in_force[dec_id]["months_count"] = count
                in_force[dec_id]["voorschot_total"] = total
        spread("decisions", decs)
    spread("payments", rows(db, "SELECT household_id, toeslag, year, month, kind, amount, payment_date, decision_id"
                                f" FROM payments WHERE {hh_in} AND year = ?"
                                " ORDER BY household_id, payment_date, toeslag, month, id", [*hh_args, year]))
    for w in db.execute(_WAGES_SQL + f" AND {hh_in}", [f"{year}-01", f"{year}-{until_month:02d}", *hh_args]).fetchall():
        out[w[0]]["wages"].append(w)
    kinds = list(prompt_kinds)
    if kinds:
        kind_in, kind_args = any_of(db, "kind", kinds)
        spread("prompts", rows(db, "SELECT id, household_id, kind, toeslag, subject, amount, status, fingerprint"
                                   f" FROM prompts WHERE {hh_in} AND {kind_in} ORDER BY household_id, id",
                               [*hh_args, *kind_args]))
    spread("cautious", rows(db, f"SELECT * FROM income_cautious WHERE {hh_in} AND year = ?"
                                " ORDER BY household_id, id", [*hh_args, year]))
    if known is None:
        for r in rows(db, f"SELECT household_id, scan_key FROM income_scans WHERE {hh_in}", hh_args):
            out[r["household_id"]]["scan_key"] = r["scan_key"]
    return out


def load_months(db: Handle, snaps: Iterable[dict]) -> None:
    """Adds `months` ({month, entitlement, voorschot}, in month order) to the decisions in force of `snaps`
    (from `load_batch`) that have none yet, [] to the older ones: for the households whose scan needs them."""
    waiting: dict[str, dict] = {}
    for snap in snaps:
        latest = {d["toeslag"]: d for d in snap["decisions"]}  # oldest first: the last one is in force
        for d in snap["decisions"]:
            if d["months"] is None:
                d["months"] = []
                if latest[d["toeslag"]] is d:   # as before: the months of the decision in force only
                    waiting[d["id"]] = d
    ids = list(waiting)
    for lo in range(0, len(ids), 900):
        dec_in, dec_args = any_of(db, "decision_id", ids[lo:lo + 900])
        for dec_id, month, entitlement, voorschot in db.execute(
                f"SELECT decision_id, month, entitlement, voorschot FROM decision_months WHERE {dec_in}"
                " ORDER BY decision_id, month", dec_args).fetchall():
            waiting[dec_id]["months"].append({"month": month, "entitlement": entitlement, "voorschot": voorschot})


def prompts_of(db: Handle, household_id: str, kinds: Iterable[str]) -> list[dict]:
    kind_in, args = any_of(db, "kind", list(kinds))
    return rows(db, "SELECT id, household_id, kind, toeslag, subject, amount, status, fingerprint FROM prompts"
                    f" WHERE household_id = ? AND {kind_in} ORDER BY id", [household_id, *args])


# -- scan keys and progress --------------------------------------------------------------------

def scan_key(db: Handle, household_id: str) -> str | None:
    r = row(db, "SELECT scan_key FROM income_scans WHERE household_id = ?", (household_id,))
    return r["scan_key"] if r else None


def put_scan_keys(db: Handle, keys: list[tuple[str, str]], now: str) -> None:
    """(household_id, scan_key) pairs: a statement per 300 rows (many rows in one VALUES list), not one
    per row: on PostgreSQL each statement is a round trip, even pipelined in executemany."""
    for lo in range(0, len(keys), 300):
        part = keys[lo:lo + 300]
        db.execute("INSERT INTO income_scans (household_id, scan_key, scanned_at) VALUES "
                   + ", ".join(["(?, ?, ?)"] * len(part))
                   + " ON CONFLICT (household_id) DO UPDATE SET scan_key = excluded.scan_key,"
                     " scanned_at = excluded.scanned_at", [v for h, k in part for v in (h, k, now)])


def run_state(db: Handle, shard: str, scan_date: str) -> dict | None:
    return row(db, "SELECT * FROM income_scan_runs WHERE shard = ? AND scan_date = ?", (shard, scan_date))


def run_start(db: Handle, shard: str, scan_date: str, now: str) -> None:
    """Starts (or starts over) the run of `shard` for `scan_date`."""
    db.execute(
        "INSERT INTO income_scan_runs (shard, scan_date, last_household_id, households, started_at, updated_at)"
        " VALUES (?, ?, NULL, 0, ?, ?) ON CONFLICT (shard, scan_date) DO UPDATE SET last_household_id = NULL,"
        " households = 0, started_at = excluded.started_at, updated_at = excluded.updated_at, finished_at = NULL",
        (shard, scan_date, now, now))


def run_progress(db: Handle, shard: str, scan_date: str, last_id: str, households: int, now: str) -> None:
    db.execute("UPDATE income_scan_runs SET last_household_id = ?, households = households + ?, updated_at = ?"
               " WHERE shard = ? AND scan_date = ?", (last_id, households, now, shard, scan_date))


def run_finish(db: Handle, shard: str, scan_date: str, now: str) -> None:
    db.execute("UPDATE income_scan_runs SET finished_at = ?, updated_at = ? WHERE shard = ? AND scan_date = ?",
               (now, now, shard, scan_date))


# -- cautious voorschot ------------------------------------------------------------------------

def add_cautious(db: Handle, *, household_id: str, year: int, toeslag: str, mode: str, percentage: int | None,
                 person_id: str | None, income: int | None, decision_id: str | None, event_id: int | None,
                 now: str, from_month: int | None = None) -> None:
    db.execute(
        "INSERT INTO income_cautious (household_id, year, toeslag, mode, percentage, person_id, income, decision_id,"
        " event_id, chosen_at, from_month) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (household_id, year, toeslag, mode, percentage, person_id, income, decision_id, event_id, now, from_month))


def end_cautious(db: Handle, household_id: str, year: int, toeslagen: Iterable[str], now: str) -> None:
    """The percentage choices in force for `toeslagen` end now (stopped, or replaced by a new one)."""
    names = list(toeslagen)
    if names:
        toeslag_in, args = any_of(db, "toeslag", names)
        db.execute(f"UPDATE income_cautious SET ended_at = ? WHERE household_id = ? AND year = ? AND mode = 'percentage'"
                   f" AND ended_at IS NULL AND {toeslag_in}", [now, household_id, year, *args])


CAUTIOUS_SQL = "SELECT * FROM income_cautious WHERE household_id = ? ORDER BY id"


def cautious(db: Handle, household_id: str) -> list[dict]:
    """The cautious choices of one household, every year, oldest first."""
    return rows(db, CAUTIOUS_SQL, (household_id,))


# -- bulk loading (benchmarks and imports) ------------------------------------------------------

BULK_TABLES = {"households", "persons", "homes", "estimates", "applications", "decisions", "decision_months",
               "feed_reports", "organisations", "org_links", "childcare_contracts", "childcare_terms"}


def bulk_insert(db: Handle, table: str, columns: tuple[str, ...], values: Iterable[tuple]) -> None:
    """Many rows in one statement execution (executemany; COPY on PostgreSQL); for generated data sets."""
    if table not in BULK_TABLES or not all(c.isidentifier() for c in columns):
        raise ValueError(f"bulk insert into {table} is not allowed")
    if getattr(db, "dialect", "sqlite") == "postgresql":  # COPY: the one bulk path PostgreSQL has
        db.conn.copy_rows(table, columns, values)  # type: ignore[attr-defined]
        return
    db.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        values)


# -- batches claimed by scan workers (any number, on any machine) ---------------------------------

def claim_batch(db: Handle, scan_date: str, holder: str, now: str, stale_before: str,
                limit: int) -> tuple[str | None, str] | None:
    """(after_id, last_id) of the batch `holder` scans now: first a batch another worker claimed
    before `stale_before` and never finished (it died), else the next `limit` households after the
    last batch claimed. None when every household of the day's run is claimed. Call inside a write
    transaction (one claimer at a time)."""
    stale = row(db, "SELECT after_id, last_id FROM income_scan_batches WHERE scan_date = ? AND done_at IS NULL"
                    " AND claimed_at < ? ORDER BY last_id LIMIT 1", (scan_date, stale_before))
    if stale is not None:
        db.execute("UPDATE income_scan_batches SET holder = ?, claimed_at = ? WHERE scan_date = ? AND last_id = ?",
                   (holder, now, scan_date, stale["last_id"]))
        return stale["after_id"], stale["last_id"]
    after = db.execute("SELECT max(last_id) FROM income_scan_batches WHERE scan_date = ?",
                       (scan_date,)).fetchone()[0]
    # the batch's last household: the ids alone (the index), its households are read when it is scanned
    found = _in_id_order(db, "SELECT h.id FROM households h", after, limit=limit)
    if not found:
        return None
    last = found[-1][0]
    db.execute("INSERT INTO income_scan_batches (scan_date, after_id, last_id, holder, claimed_at)"
               " VALUES (?, ?, ?, ?, ?)", (scan_date, after, last, holder, now))
    return after, last


def households_through(db: Handle, after: str | None, last: str) -> list[tuple[str, int, str | None]]:
    """The households after `after` up to and including `last`, with data version and last scan key."""
    return _in_id_order(db, _WITH_SCAN_KEY, after, last=last)


def finish_batch(db: Handle, scan_date: str, last_id: str, households: int, now: str) -> None:
    db.execute("UPDATE income_scan_batches SET done_at = ?, households = ? WHERE scan_date = ? AND last_id = ?",
               (now, households, scan_date, last_id))


def batches(db: Handle, scan_date: str) -> list[dict]:
    return rows(db, "SELECT * FROM income_scan_batches WHERE scan_date = ? ORDER BY last_id", (scan_date,))
