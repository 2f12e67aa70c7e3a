"""Income-drift scan benchmark (issue #6): 100,000 generated households in a temp SQLite, written
directly through the store (bulk inserts), then `api.jobs.drift.scan_all` over all of them. Prints a
markdown table: households per second and peak memory (max RSS) per run, and where the time goes.
Target: ≥ 10,000 households/s on a 2-core machine (6 M households in 10 minutes).

    .venv/bin/python bench/bench_drift_scan.py [--households 100000] [--keep DIR]

The population (fixed seed): singles, couples (35 %), children (40 %), renters (60 %); per earner ten
monthly wage reports (January to October; "today" is 29 November 2026) with vakantiebijslag in May for
most: 74 % steady around the estimate, 12 % a raise from some month, 5 % less work or job loss,
5 % irregular, 4 % a one-off bonus; 3 % with vermogen near a limit; 1 % a child born this year (two
situations in the year: the exact path); 4 % not applied for a toeslag they could get. Voorschot
decisions are made with shared_rules from the same situation the scan builds (so "no drift" is zero).

Each scan runs in a fresh process (clean memory figures) on a fresh copy of the database, read once
beforehand (warm(): "cold" below means no scan keys yet, not an empty page cache):
- cold, 1 worker / 2 workers: every household computed (no scan keys yet);
- warm, 2 workers: the same data scanned again (scan keys unchanged: skipped);
- new month, 2 workers: a November wage report for every earner (every household changed).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shared_rules  # noqa: E402
from api.household import situation, voorschot  # noqa: E402
from api.jobs import drift  # noqa: E402
from api.settings import Settings  # noqa: E402
from api.store import Store  # noqa: E402
from api.store import income as income_store  # noqa: E402
from api.store.migrate import migrate  # noqa: E402
from api.util import TOESLAGEN  # noqa: E402
from shared_rules.version import rules_version  # noqa: E402

TODAY = dt.date(2026, 11, 29)
YEAR = 2026
NOW = "2026-11-29T03:00:00+00:00"
ORG = "bench-employer"
TARGET = 10_000


def settings_for(db: Path) -> Settings:
    return Settings(db_path=db, today=TODAY, clock=lambda: dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC))


# -- generating the population ------------------------------------------------------------------

def _wages(rng: random.Random, income: int) -> list[tuple[int, int, int]]:
    """Ten months (regular, holiday allowance, one-off) for someone whose estimate is `income`."""
    base = income * 100 // 1296  # the estimate includes 8 % holiday allowance: 12 × 1.08 = 12.96
    kind = rng.random()
    split = rng.random() < 0.8    # the loonaangifte's split is reported
    out = []
    start = rng.randint(3, 9)
    factor = 1 + rng.randint(5, 25) / 100 if kind < 0.74 + 0.12 and kind >= 0.74 else 1
    cut = rng.choice((0.0, 0.5, 0.7)) if 0.86 <= kind < 0.91 else 1
    for m in range(1, 11):
        w = base
        if kind < 0.74:
            w = base * rng.randint(98, 102) // 100
        elif kind < 0.86 and m >= start:
            w = int(base * factor)
        elif kind < 0.91 and m >= start:
            w = int(base * cut)
        elif 0.91 <= kind < 0.96:
            w = base * rng.randint(60, 140) // 100
        holiday = 0
        one_off = 0
        if m == 5:
            holiday = base * 96 // 100  # ≈ 8 % of a year
            if not split:
                w, holiday = w + holiday, 0
        if kind >= 0.96 and m == 6:
            one_off = base * rng.randint(50, 200) // 100
        out.append((w, holiday, one_off))
    return out


def generate(db: Path, n: int, seed: int = 6) -> dict:
    rng = random.Random(seed)
    migrate(db)
    store = Store(db)
    rv = rules_version()
    stats = {"households": n, "persons": 0, "decisions": 0, "wage_reports": 0, "two_situations": 0}
    started = time.perf_counter()
    with store.write() as w:
        income_store.bulk_insert(w, "organisations", ("id", "name", "created_at"), [(ORG, "Bench B.V.", NOW)])
    batch = 2000
    for lo in range(0, n, batch):
        hh_rows, persons, homes, estimates, apps, decs, months, reports = [], [], [], [], [], [], [], []
        for i in range(lo, min(n, lo + batch)):
            hid = f"hh_{rng.getrandbits(64):016x}{i:07d}"
            hh_rows.append((hid, f"Huishouden {i}", 1, NOW))
            couple = rng.random() < 0.35
            kids = rng.choice((1, 1, 2, 2, 3)) if rng.random() < 0.40 else 0
            newborn = kids and rng.random() < 0.025
            renting = rng.random() < 0.60
            state = {"household": {"id": hid, "version": 1}, "persons": [], "homes": [], "contracts": [],
                     "terms": [], "estimates": [], "applications": []}
            people = [("applicant", 1960 + rng.randint(0, 45))]
            if couple:
                people.append(("partner", 1960 + rng.randint(0, 45)))
            for _k in range(kids):
                people.append(("child", 2009 + rng.randint(0, 16)))
            earners = []
            for j, (role, year) in enumerate(people):
                pid = f"prs_{hid[3:]}_{j}"
                birth = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                member_from = "2018-01-01" if role != "child" else birth
                if role == "child" and newborn and j == len(people) - 1:
                    birth = member_from = f"2026-{rng.randint(2, 9):02d}-{rng.randint(2, 28):02d}"
                p = {"id": pid, "household_id": hid, "role": role, "given_name": "X", "birth_date": birth,
                     "bsn": None, "insured": 1, "works": 1, "treaty_country": None, "co_resident_is_child": 0,
                     "member_from": member_from, "member_until": None, "created_at": NOW}
                state["persons"].append(p)
                if role in ("applicant", "partner"):
                    income = rng.randint(1_400_000, 5_200_000) if role == "applicant" else rng.choice(
                        (0, rng.randint(600_000, 3_600_000)))
                    assets = 0
                    if rng.random() < 0.03:
                        assets = rng.randint(3_300_000, 3_800_000) if renting else rng.randint(13_500_000, 14_600_000)
                    e = {"household_id": hid, "person_id": pid, "year": YEAR, "income": income, "assets": assets,
                         "source": "agency", "recorded_at": NOW, "id": len(estimates)}
                    state["estimates"].append(e)
                    estimates.append((hid, pid, YEAR, income, assets, "agency", NOW))
                    if income:
                        earners.append((pid, income))
            state["persons"].sort(key=lambda p: (p["member_from"], p["birth_date"], p["id"]))
            persons.extend(tuple(p[c] for c in PERSON_COLS) for p in state["persons"])
            if renting:
                h = {"household_id": hid, "valid_from": "2020-03-01", "street": "Straat", "house_number": "1",
                     "postcode": "1234 AB", "city": "Utrecht", "renting": 1,
                     "rent": rng.randint(45_000, 95_000), "service_costs": rng.choice((0, 2_500, 4_500)),
                     "landlord_id": None, "created_at": NOW, "id": i}
                state["homes"].append(h)
                homes.append(tuple(h[c] for c in HOME_COLS))
            tl = situation.timeline(state, YEAR)
            if len(tl) == 1:
                res = shared_rules.calculate(tl[0]["situation"])["toeslagen"]
                planned = {t: {"months": res[t]["months"], "entitled": res[t]["entitled"],
                               "per_year": res[t]["per_year"]} for t in TOESLAGEN}
            else:
                stats["two_situations"] += 1
                pl = voorschot.plan(state=state, year=YEAR, today=dt.date(2025, 12, 1),
                                    paid={t: [None] * 12 for t in TOESLAGEN})
                planned = {t: {"months": list(pl[t].months), "entitled": pl[t].entitled,
                               "per_year": pl[t].per_year} for t in TOESLAGEN}
            for t in TOESLAGEN:
                if not planned[t]["entitled"] or rng.random() < 0.04:
                    continue  # not entitled, or (4 %) entitled and not applied for: possible non-use
                apps.append((hid, t, YEAR, 1, "2025-11-15T10:00:00+00:00"))
                dec = f"dec_{hid[3:]}_{t[:3]}"
                ms = planned[t]["months"]
                decs.append((dec, hid, t, YEAR, "2025-12-01T09:00:00+00:00", "initial", 1,
                             int(planned[t]["entitled"]), planned[t]["per_year"], ms[0], 0, 0, rv))
                months.extend((dec, m + 1, ms[m], ms[m], f"{YEAR - (m == 0)}-{(m or 12):02d}-20") for m in range(12))
            for pid, income in earners:
                for m, (wage, holiday, one_off) in enumerate(_wages(rng, income), start=1):
                    reports.append((ORG, pid, hid, "income", f"{YEAR}-{m:02d}", wage, holiday or None,
                                    one_off or None, "bench", NOW))
        with store.write() as w:
            income_store.bulk_insert(w, "households", ("id", "label", "version", "created_at"), hh_rows)
            income_store.bulk_insert(w, "persons", PERSON_COLS, persons)
            income_store.bulk_insert(w, "homes", HOME_COLS, homes)
            income_store.bulk_insert(w, "estimates", ("household_id", "person_id", "year", "income", "assets",
                                                      "source", "recorded_at"), estimates)
            income_store.bulk_insert(w, "applications", ("household_id", "toeslag", "year", "from_month",
                                                         "applied_at"), apps)
            income_store.bulk_insert(w, "decisions", ("id", "household_id", "toeslag", "year", "decided_at",
                                                      "reason", "effective_month", "entitled", "per_year",
                                                      "new_monthly", "past_months", "all_paid", "rules_version"),
                                     decs)
            income_store.bulk_insert(w, "decision_months", ("decision_id", "month", "entitlement", "voorschot",
                                                            "payment_date"), months)
            income_store.bulk_insert(w, "feed_reports", ("organisation_id", "person_id", "household_id",
                                                         "data_type", "month", "wages", "holiday_allowance",
                                                         "one_off", "payload_hash", "received_at"), reports)
        stats["persons"] += len(persons)
        stats["decisions"] += len(decs)
        stats["wage_reports"] += len(reports)
    if not isinstance(db, Path):
        analyze(store)
    store.close()
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats["mb"] = round(db.stat().st_size / 1e6) if isinstance(db, Path) else None
    return stats


GENERATED = ("organisations", "households", "persons", "homes", "estimates", "applications", "decisions",
             "decision_months", "feed_reports")


# What a copy changes, per table: the ids that name a household, person or decision get the copy's
# suffix; the wage reports are scaled by a factor of 0.95-1.05 that varies per report (so no two copies
# earn alike); every other column is copied. A table's AUTOINCREMENT id is left out (a new one). The
# originals are the rows of households whose id has no "r" (generated ids are "hh_" and hex digits).
_SUFFIXED = "{c} || ?"
_SCALED = "{c} * (95 + (id * 7 + ?) % 11) / 100"
_ORIGINAL = "household_id NOT LIKE '%r%'"
_COPIED: dict[str, tuple[dict[str, str | None], str, str]] = {  # changes, which rows, in which order
    "households": ({"id": _SUFFIXED}, "id NOT LIKE '%r%'", "id"),
    "persons": ({"id": _SUFFIXED, "household_id": _SUFFIXED}, _ORIGINAL, "id"),
    "homes": ({"id": None, "household_id": _SUFFIXED}, _ORIGINAL, "id"),
    "estimates": ({"id": None, "household_id": _SUFFIXED, "person_id": _SUFFIXED}, _ORIGINAL, "id"),
    "applications": ({"household_id": _SUFFIXED}, _ORIGINAL, "household_id, toeslag, year"),
    "decisions": ({"id": _SUFFIXED, "household_id": _SUFFIXED}, _ORIGINAL, "id"),
    "decision_months": ({"decision_id": _SUFFIXED},
                        "decision_id IN (SELECT id FROM decisions WHERE household_id NOT LIKE '%r%')",
                        "decision_id, month"),
    "feed_reports": ({"id": None, "person_id": _SUFFIXED, "household_id": _SUFFIXED, "wages": _SCALED,
                      "holiday_allowance": _SCALED, "one_off": _SCALED}, _ORIGINAL, "id"),
}


def replicate(target: Path | str, copies: int) -> float:
    """Makes the generated households `copies` times as many: copy r of each household has ids ending
    in "r<r>", the same situation and voorschot decisions, and its own wage history (each report scaled
    by 0.95-1.05). One INSERT … SELECT per table and copy, the same statements on both stores, so
    SQLite and PostgreSQL hold the same million households without working out the rules a million
    times (generate) or streaming every row through Python (copy_to_postgres). The scan still reads
    and computes every household on its own: no copy shares a row or a cache with its original.
    Returns the seconds it took."""
    started = time.perf_counter()
    store = Store(target)
    with store.read() as db:  # the columns in the schema's order
        cols = {t: [d[0] for d in db.execute(f"SELECT * FROM {t} LIMIT 0").description] for t in _COPIED}
    for r in range(1, copies):
        with store.write() as w:
            for table, (change, where, order) in _COPIED.items():
                names = [c for c in cols[table] if change.get(c, "") is not None]
                exprs = [(change.get(c) or "{c}").format(c=c) for c in names]
                params = [r if change[c] == _SCALED else f"r{r}" for c in names if change.get(c)]
                w.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {table}"
                          f" WHERE {where} ORDER BY {order}", params)
    if not isinstance(target, Path):
        analyze(store)
    store.close()
    return round(time.perf_counter() - started, 1)


def analyze(store: Store) -> None:
    """PostgreSQL: planner statistics for the freshly loaded tables now (autovacuum would take them a
    while later; a scan that starts at once would otherwise be planned on an empty-table guess)."""
    db = store.db()
    for table in GENERATED:
        db.execute(f"ANALYZE {table}")


def copy_to_postgres(lite: Path, url: str) -> float:
    """The generated households of the SQLite file `lite` into the PostgreSQL database `url`, row for
    row (COPY, through store.income.bulk_insert): the same data on both stores without working out
    every household's decisions a second time. Returns the seconds it took."""
    started = time.perf_counter()
    migrate(url)
    src = sqlite3.connect(lite)
    store = Store(url)
    with store.write() as w:
        for table in GENERATED:
            cols = tuple(r[1] for r in src.execute(f"PRAGMA table_info({table})"))
            try:  # in the order of insertion (what `rowid` means on both stores)
                cur = src.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY rowid")
            except sqlite3.OperationalError:  # WITHOUT ROWID: in key order, as SQLite keeps it
                cur = src.execute(f"SELECT {', '.join(cols)} FROM {table}")
            income_store.bulk_insert(w, table, cols, iter(cur.fetchone, None))
            for (col,) in w.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?"
                                    " AND is_identity = 'YES' AND column_name <> 'rowid'", (table,)).fetchall():
                # explicit ids went in: move the identity on past them
                w.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), coalesce(max({col}), 1))"
                          f" FROM {table}")
    analyze(store)
    store.close()
    src.close()
    return round(time.perf_counter() - started, 1)


PERSON_COLS = ("id", "household_id", "role", "given_name", "birth_date", "bsn", "insured", "works", "treaty_country",
               "co_resident_is_child", "member_from", "member_until", "created_at")
HOME_COLS = ("household_id", "valid_from", "street", "house_number", "postcode", "city", "renting", "rent",
             "service_costs", "landlord_id", "created_at")


def new_month(db: Path) -> None:
    """A November wage report for every earner (as October), and every household's version bumped."""
    store = Store(db)
    with store.write() as w:
        w.execute("INSERT INTO feed_reports (organisation_id, person_id, household_id, data_type, month, wages,"
                  " payload_hash, received_at) SELECT organisation_id, person_id, household_id, data_type, '2026-11',"
                  " wages, payload_hash, received_at FROM feed_reports WHERE month = '2026-10'")
        w.execute("UPDATE households SET version = version + 1")
    store.close()


# -- one scan in a fresh process -----------------------------------------------------------------

def run_scan(db: Path | str, workers: int, profile: bool, claims: bool = False) -> dict:
    settings = settings_for(db)
    store = Store(db)
    prof = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if prof:
        prof.enable()
    counts = drift.scan_all(store, settings, workers=workers, claims=claims)
    if prof:
        prof.disable()
    seconds = time.perf_counter() - started
    store.close()
    out = {"seconds": seconds, "counts": counts,
           "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("tottime").print_stats(18)
        out["profile"] = s.getvalue()
    return out


def warm(db: Path | str) -> float:
    """Reads the whole database once, into the operating system's page cache, before a scan; returns the
    seconds it took. Why: how much of the data a scan finds in memory decided the figures more than
    the code did. The same million households in SQLite scanned at 4,138/s after a copy of the file and
    at 8,080/s once it had been read (nothing else changed); PostgreSQL at 5,145/s and 6,272/s. A scan
    that runs every night finds its data read the night before, so each store is measured warm (as far
    as it fits in the RAM: the store being measured evicts the other one's pages). SQLite: the file
    (and its WAL) read as it lies; PostgreSQL: pg_prewarm's 'read' mode over every table and index
    (the same OS cache; shared_buffers fill as the scan runs, as on SQLite its page cache)."""
    started = time.perf_counter()
    if isinstance(db, Path):
        for f in (db, db.with_name(db.name + "-wal")):
            if f.exists():
                with f.open("rb") as fh:
                    while fh.read(1 << 24):
                        pass
    else:
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            names = [r[0] for r in conn.execute(
                "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')").fetchall()]
            for name in names:
                conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", (name,))
    return time.perf_counter() - started


def scan_in_subprocess(db: Path | str, workers: int, profile: bool = False, claims: bool = False) -> dict:
    name = "PostgreSQL" if isinstance(db, str) else "SQLite"
    print(f"warming {name} (read once) in {warm(db):.1f} s", flush=True)
    print(f"scanning {name} with {workers} workers"
          f"{' (claims)' if claims else ''} …", flush=True)
    r = subprocess.run([sys.executable, __file__, "--run-scan", str(db), "--workers", str(workers)]
                       + (["--profile"] if profile else []) + (["--claims"] if claims else []),
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def baseline() -> str:
    return subprocess.run([sys.executable, "-m", "timeit", "sum(i*i for i in range(1000))"], capture_output=True,
                          text=True).stdout.strip()


def compare_stores(n: int, distinct: int | None = None, wait_for: Path | None = None,
                   only: str | None = None) -> None:
    """The cold scan with 2 workers on SQLite and on PostgreSQL (sharded and claiming batches), on the
    same households: `distinct` of them generated once into SQLite, copied row for row into PostgreSQL
    (COPY), then replicated to `n` in both by the same SQL (replicate), so a million households cost
    the rules once per distinct household."""
    distinct = distinct or n
    if n % distinct:
        raise SystemExit("--households must be a multiple of --distinct")
    started = time.perf_counter()
    from tests import pgcluster

    # --only: one store, so its data has the page cache to itself (both at a million did not fit)
    postgresql, sqlite = only != "sqlite", only != "postgresql"
    pg = postgresql and pgcluster.available()
    print("timeit baseline:", baseline())
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        lite = Path(tmp) / "scan.db"
        gen = generate(lite, distinct)
        print(f"generated {distinct:,} households in SQLite in {gen['seconds']} s", flush=True)
        if pg:  # the same rows into PostgreSQL before the SQLite scan writes its prompts
            # shared_buffers a quarter of the RAM, as PostgreSQL advises for a server of its own (the tests'
            # 128MB is for small databases). Measured at a million households, PostgreSQL alone (before
            # warm(), partly read from disk): 3,877/s with 128MB, 4,030/s with 5.8GB: it helps, a little.
            ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
            cluster = pgcluster.Cluster(shared_buffers=f"{max(128, ram_mb // 4)}MB").start()
            url = cluster.create_database()
            copied = copy_to_postgres(lite, url)
            print(f"copied to PostgreSQL (COPY) in {copied} s", flush=True)
            if n > distinct:
                copied += replicate(url, n // distinct)
                print(f"replicated to {n:,} in PostgreSQL: {copied} s in all", flush=True)
        if n > distinct and sqlite:
            gen["seconds"] += replicate(lite, n // distinct)
            print(f"replicated to {n:,} in SQLite: {gen['seconds']:.1f} s in all", flush=True)
        if pg and sqlite:  # (alone: only the claimed batches, the split that spreads over machines)
            url2 = cluster.create_database(template=url.rsplit("/", 1)[1])   # the same data, for the second run
        print(f"ready to scan after {time.perf_counter() - started:.0f} s", flush=True)
        if wait_for is not None:  # the data can be made on a busy machine; the scans want a quiet one
            print(f"waiting for {wait_for} to exist before the scans", flush=True)
            while not wait_for.exists():
                time.sleep(5)
            print("timeit baseline now:", baseline(), flush=True)
        if sqlite:
            # the same data for the claimed batches (a scan writes prompts and scan keys)
            with contextlib.closing(sqlite3.connect(lite)) as conn:  # everything in the file, none in a WAL
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            lite2 = lite.with_name("scan-claims.db")
            shutil.copy(lite, lite2)
            results.append(("SQLite", "shards", round(gen["seconds"], 1), scan_in_subprocess(lite, 2)))
            lite.unlink()  # (one copy at a time on disk and in the page cache)
            results.append(("SQLite", "claimed batches", round(gen["seconds"], 1),
                            scan_in_subprocess(lite2, 2, claims=True)))
    if postgresql and not pg:
        print("PostgreSQL: no server binary installed (make postgresql); skipped")
    elif pg:
        try:
            if sqlite:
                results.append(("PostgreSQL", "shards", copied, scan_in_subprocess(url, 2)))
                results.append(("PostgreSQL", "claimed batches", copied, scan_in_subprocess(url2, 2, claims=True)))
            else:
                results.append(("PostgreSQL", "claimed batches", copied, scan_in_subprocess(url, 2, claims=True)))
        finally:
            cluster.stop()
    print(f"\n### Cold drift scan, {n:,} generated households, 2 workers\n")
    print("| store | split | generated / copied in (s) | scan (s) | households/s | read / compute / write (s, summed) |")
    print("|---|---|---:|---:|---:|---:|")
    for store, split, gen_s, r in results:
        c = r["counts"]
        phases = " / ".join(f"{c[f'{p}_ms'] / 1000:.1f}" for p in ("read", "compute", "write"))
        print(f"| {store} | {split} | {gen_s} | {r['seconds']:.1f} | {c['households'] / r['seconds']:,.0f} | {phases} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--keep", help="keep the generated database in this folder")
    ap.add_argument("--run-scan", help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--claims", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--distinct", type=int, help="with --stores: generate this many households and replicate them"
                                                 " to --households (replicate())")
    ap.add_argument("--wait-for", help="with --stores: make the data, then wait until this file exists to scan")
    ap.add_argument("--only", choices=("sqlite", "postgresql"),
                    help="with --stores: one store alone (its data then has the page cache to itself)")
    ap.add_argument("--stores", action="store_true",
                    help="only: SQLite vs PostgreSQL (throwaway cluster) on the same generated data, 2 workers")
    args = ap.parse_args()
    if args.run_scan:
        target = args.run_scan if args.run_scan.startswith("postgresql://") else Path(args.run_scan)
        print(json.dumps(run_scan(target, args.workers, args.profile, args.claims)))
        return
    if args.stores:
        compare_stores(args.households, args.distinct, Path(args.wait_for) if args.wait_for else None,
                       only=args.only)
        return

    tmp = Path(args.keep or tempfile.mkdtemp(prefix="bench-drift-"))
    tmp.mkdir(parents=True, exist_ok=True)
    base = tmp / "base.db"
    for f in tmp.glob("*.db*"):
        f.unlink()
    print(f"Generating {args.households:,} households …", file=sys.stderr)
    gen = generate(base, args.households)
    print(f"generated in {gen['seconds']} s: {gen['persons']:,} persons, {gen['decisions']:,} voorschot decisions, "
          f"{gen['wage_reports']:,} wage reports, {gen['two_situations']:,} households with two situations in the "
          f"year; {gen['mb']} MB", file=sys.stderr)

    def fresh(name: str) -> Path:
        for old in tmp.glob("*.db*"):  # one copy at a time (each is as large as the base)
            if old.name != "base.db":
                old.unlink()
        path = tmp / f"{name}.db"
        shutil.copy(base, path)
        return path

    rows = []
    cold1 = fresh("cold1")
    r = scan_in_subprocess(cold1, 1, profile=False)
    rows.append(("cold: every household computed", 1, r))
    cold2 = fresh("cold2")
    r = scan_in_subprocess(cold2, 2)
    rows.append(("cold: every household computed", 2, r))
    r = scan_in_subprocess(cold2, 2)
    rows.append(("warm: same data again (skipped by scan key)", 2, r))
    new_month(cold2)
    r = scan_in_subprocess(cold2, 2)
    rows.append(("new month: a wage report for every earner", 2, r))
    prof = scan_in_subprocess(fresh("profile"), 1, profile=True)

    c = rows[0][2]["counts"]
    print(f"\n### Income-drift scan, {args.households:,} households (SQLite, {os.cpu_count()} cores)\n")
    print("| run | workers | seconds | households/s | computed | prompts raised | peak RSS (MB) | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, workers, r in rows:
        n = r["counts"]["households"]
        rate = n / r["seconds"]
        peak = max(r["maxrss_mb"], r["children_maxrss_mb"])
        per = "per worker" if workers > 1 else ""
        print(f"| {name} | {workers} | {r['seconds']:.1f} | {rate:,.0f} | {r['counts']['computed']:,} | "
              f"{r['counts']['raised']:,} | {peak:.0f} {per} | {'met' if rate >= TARGET else 'below'} "
              f"(≥ {TARGET:,}/s) |")
    print(f"\nCold scan: {c['raised']:,} prompts raised for {c['households']:,} households; "
          f"{c['exact']:,} households took the exact engine (shared_rules.preview: two situations in the year), "
          f"the others the fast engine (shared_rules.calculate, the same amounts). Failed: {c.get('failed', 0)}.")
    one = rows[0][2]["counts"]
    total_ms = one["read_ms"] + one["compute_ms"] + one["write_ms"]
    print("\nPer household and core (cold, 1 worker, no profiler): "
          + ", ".join(f"{name} {one[f'{name}_ms'] * 1000 / one['households']:.0f} µs "
                      f"({one[f'{name}_ms'] * 100 / total_ms:.0f} %)"
                      for name in ("read", "compute", "write"))
          + ". read = the batched SQLite reads into Python rows, with each household's timeline (it decides "
            "who needs the decisions' month rows); compute = projection and shared_rules per household; "
            "write = prompts, scan keys and progress.")
    print("\nWhere the time goes (cold, 1 worker, cProfile — adds overhead; top functions by own time):\n")
    print("```")
    lines = [ln for ln in prof["profile"].splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
    print("\n".join(lines[start:start + 19]))
    print("```")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
