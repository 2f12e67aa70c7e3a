"""Crash safety (issue #8): kill -9 the server and the drift scan while both write.

- A temp database with the three demo households and 1,000 copies of each (3,003 households); every
  earner of the copies is linked to the demo employer and has wages reported for January-September
  (steady, a raise, or less work), so the drift scan raises prompts.
- A REAL server (tests/hardening/serve.py) receives income and childcare-hours feed batches from two
  writer threads without pause (October, November, October again with other figures, …), each batch
  with its Idempotency-Key; the income batches also run the drift scan of the households they reach,
  inside the server.
- At the same time `python -m api scan --batch 25` (the income-drift scan, its own process) walks all
  households. When it has stored some progress and is not finished, both processes get SIGKILL.

Then: PRAGMA integrity_check is "ok" and foreign_key_check is empty; at most one open prompt per
(household, kind, toeslag, subject); the scan run is unfinished with its progress stored. Running the
scan again resumes after the last stored household (it does not start over) and finishes; the prompts
it leaves are exactly those of a clean full scan (--restart --force) of a copy of the database: no
prompt twice, none missing. The server starts again on the same database; every feed batch sent
before (answered or cut off) is sent again with its key: the answered ones are replays of the same
answer, and in the end there is one idempotency record per batch, one current report per
organisation, person and month, and one event per stored report.

SQLite only, on purpose: what a kill -9 can break here is the database FILE (a torn write, a WAL not
replayed), checked with SQLite's PRAGMA integrity_check and foreign_key_check. On PostgreSQL the API
processes hold no file: a killed client's transaction is rolled back by the server, whose own crash
recovery is not our code. What is ours on PostgreSQL is covered there: a scan worker that dies leaves its
batch to be taken over (tests/api/test_income.py, claimed batches, both stores) and kill -9 of an API
node under load loses and doubles nothing (tests/hardening/test_nodes.py).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

from api.demo import EMPLOYER_ID, KOO_ID, LRK_BSO, LRK_DAGOPVANG

from .common import ROOT, TODAY, ServerProcess, add_demo_copies, fixed_clock, integrity, make_feed_token, make_settings, seed_db

COPIES = 1000
BATCH = 50


def seed(path) -> dict:
    """The households, the links and January-September wages; returns the feed targets."""
    from api.feeds import schemas as fs
    from api.feeds.service import FeedService, new_ref
    from api.store import Store
    from api.store import feeds as feeds_store

    settings = make_settings(path, clock=fixed_clock())
    seed_db(path, settings)
    add_demo_copies(path, settings, COPIES)
    rng = random.Random(11)
    now = settings.now().isoformat(timespec="seconds")
    store = Store(path)
    income_refs, kids = [], []
    try:
        with store.write() as db:
            earners = db.execute(
                "SELECT p.id FROM persons p JOIN households h ON h.id = p.household_id WHERE h.demo_key GLOB "
                "'*_[0-9]*' AND p.role IN ('applicant', 'partner') ORDER BY p.id").fetchall()
            reports = []
            for (pid,) in earners:
                ref = new_ref()
                feeds_store.add_link(db, EMPLOYER_ID, pid, "income", ref, now)
                base = rng.randint(150_000, 400_000)
                step = rng.choice([0, 0, 0, 25_000, 45_000, -35_000])
                income_refs.append((ref, base + step))
                for m in range(1, 10):
                    reports.append(fs.IncomeReport(person_ref=ref, month=f"2026-{m:02d}",
                                                   wages=base + (step if m >= 5 else 0)))
            feeds = FeedService(store, settings)
            for i in range(0, len(reports), 1000):
                feeds.receive_in(db, EMPLOYER_ID, "income", reports[i:i + 1000])
            kids = [(r[0], LRK_DAGOPVANG if r[1] == "dagopvang" else LRK_BSO) for r in db.execute(
                "SELECT l.ref, c.kind FROM org_links l JOIN childcare_contracts c ON c.child_id = l.person_id "
                "WHERE l.organisation_id = ? AND l.data_type = 'childcare_hours' ORDER BY l.ref", (KOO_ID,))]
        tokens = {"income": make_feed_token(store, settings, EMPLOYER_ID, "income"),
                  "childcare_hours": make_feed_token(store, settings, KOO_ID, "childcare_hours")}
    finally:
        store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return {"tokens": tokens, "income_refs": income_refs, "kids": kids}


def rounds(world: dict):
    """Feed batches without end: October, then November, then October again with other figures (a
    replacement), … — each batch with its own Idempotency-Key."""
    r = 0
    while True:
        month = ("2026-10", "2026-11")[r % 2]
        for i in range(0, len(world["income_refs"]), BATCH):
            yield ("income", f"inc-{r}-{i}", {"reports": [
                {"person_ref": ref, "month": month, "wages": wages + 500 * r}
                for ref, wages in world["income_refs"][i:i + BATCH]]})
        for i in range(0, len(world["kids"]), BATCH):
            yield ("childcare-hours", f"koo-{r}-{i}", {"reports": [
                {"child_ref": ref, "lrk_number": lrk, "month": month, "hours": 120 + r, "hourly_rate": 1025}
                for ref, lrk in world["kids"][i:i + BATCH]]})
        r += 1


def post(port: int, token: str, path: str, key: str, body: dict, timeout: float = 30) -> tuple[int, dict | None, bool]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", f"/feeds/{path}", body=json.dumps(body).encode(), headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key})
        r = conn.getresponse()
        data = r.read()
        return r.status, json.loads(data), r.getheader("Idempotent-Replayed") == "true"
    finally:
        conn.close()


def scan(path, *extra) -> dict:
    env = {**os.environ, "TOESLAGEN_DB": str(path), "TOESLAGEN_TODAY": TODAY.isoformat(), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "api", "scan", *extra], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    return {k: int(v) for k, v in (x.split("=") for x in r.stdout.split())}


def rows(path, sql: str, args: tuple = (), timeout: float = 5.0) -> list[tuple]:
    """The rows of one query, on a connection of its own (the server process holds the file too)."""
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def prompts(path) -> list[tuple]:
    return rows(path, "SELECT id, household_id, kind, toeslag, subject, status, amount, fingerprint, title, body "
                      "FROM prompts ORDER BY id")


def open_duplicates(path) -> list[tuple]:
    return rows(path, "SELECT household_id, kind, toeslag, subject, count(*) FROM prompts WHERE status = 'open' "
                      "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1")


def run_state(path) -> tuple | None:
    try:
        found = rows(path, "SELECT households, last_household_id, finished_at FROM income_scan_runs "
                           "WHERE shard = '0/1' AND scan_date = ?", (TODAY.isoformat(),), timeout=1)
    except sqlite3.OperationalError:
        return None
    return found[0] if found else None


def test_kill9_during_scan_and_feeds(tmp_path):
    started = time.monotonic()
    path = tmp_path / "crash.db"
    world = seed(path)
    seeded_s = time.monotonic() - started
    total = sqlite3.connect(path).execute("SELECT count(*) FROM households").fetchone()[0]
    server = ServerProcess(path, log_path=tmp_path / "server.log").start()
    sent: dict[str, tuple[int, dict | None]] = {}
    order: list[tuple[str, str, dict]] = []
    stop = threading.Event()
    lock = threading.Lock()
    source = rounds(world)

    def writer() -> None:
        while not stop.is_set():
            with lock:
                kind, key, body = next(source)
                order.append((kind, key, body))
            token = world["tokens"]["income" if kind == "income" else "childcare_hours"]
            try:
                status, answer, _ = post(server.port, token, kind, key, body)
            except (OSError, http.client.HTTPException):
                status, answer = 0, None
            with lock:
                sent[key] = (status, answer)

    writers = [threading.Thread(target=writer, daemon=True) for _ in range(2)]
    scanner = None
    try:
        for w in writers:
            w.start()
        while len(sent) < 4:
            time.sleep(0.01)
        env = {**os.environ, "TOESLAGEN_DB": str(path), "TOESLAGEN_TODAY": TODAY.isoformat(), "PYTHONPATH": str(ROOT)}
        scanner = subprocess.Popen([sys.executable, "-m", "api", "scan", "--batch", "25"], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        state = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = run_state(path)
            if state and state[0] >= 300:
                break
            if scanner.poll() is not None:
                break
            time.sleep(0.002)
        scanner.kill()
        server.kill9()
        scanner.wait(10)
        stop.set()
        for w in writers:
            w.join(30)
    finally:
        stop.set()
        if scanner is not None and scanner.poll() is None:
            scanner.kill()
        server.stop()
    killed_s = time.monotonic() - started
    answered_before = sum(1 for s, _ in sent.values() if s == 200)
    cut_off = sum(1 for s, _ in sent.values() if s == 0)
    assert all(s in (0, 200) for s, _ in sent.values()), {k: v for k, v in sent.items() if v[0] not in (0, 200)}
    assert cut_off >= 1, "feed batches were sent and not answered because of the kill"

    # -- right after the crash ---------------------------------------------------------------------------
    ok, fks = integrity(path)
    assert ok == "ok", ok
    assert fks == [], fks[:5]
    assert open_duplicates(path) == []
    state = run_state(path)
    assert state is not None and state[2] is None, f"the scan was killed before it finished: {state}"
    progress_at_kill = state[0]
    assert 0 < progress_at_kill < total, (progress_at_kill, total)
    prompts_at_kill = len(prompts(path))

    # -- the scan resumes where it stopped ---------------------------------------------------------------
    resumed = scan(path, "--batch", "25")
    state = run_state(path)
    assert state[2] is not None, "the resumed run finished"
    assert resumed["households"] + progress_at_kill == total, (resumed, progress_at_kill, total)
    assert open_duplicates(path) == []
    resumed_prompts = len(prompts(path))
    # the next run (the same day): a finished run starts over; only households whose data changed after
    # the killed run had scanned them (childcare reports do not rescan) are computed again
    again = scan(path)
    assert again["households"] == total, again
    assert open_duplicates(path) == []
    after_resume = prompts(path)

    # -- the same prompts as a clean full scan of a copy -----------------------------------------------------
    clean = tmp_path / "clean.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copy(path, clean)
    forced = scan(clean, "--restart", "--force")
    assert forced["raised"] == 0 and forced["resolved"] == 0, forced
    assert prompts(clean) == after_resume, "a clean scan finds other prompts"  # ids, status, amounts, texts

    # -- the server comes back; every batch sent again is stored once -----------------------------------------
    server.start()
    replayed = stored_now = 0
    try:
        for kind, key, body in order:
            token = world["tokens"]["income" if kind == "income" else "childcare_hours"]
            status, answer, replay = post(server.port, token, kind, key, body)
            assert status == 200, (key, status, answer)
            replayed += replay
            stored_now += not replay
            if sent.get(key, (0, None))[0] == 200:
                assert replay and answer == sent[key][1], key
    finally:
        server.stop()
    conn = sqlite3.connect(path)
    try:
        current = conn.execute("SELECT count(*), count(DISTINCT organisation_id || person_id || data_type || month) "
                               "FROM feed_reports WHERE replaced_by IS NULL").fetchone()
        events = conn.execute("SELECT count(*) FROM events WHERE kind LIKE 'feed.%'").fetchone()[0]
        reports = conn.execute("SELECT count(*) FROM feed_reports").fetchone()[0]
        keys = conn.execute("SELECT count(*) FROM idempotency_records WHERE scope LIKE 'org:%'").fetchone()[0]
    finally:
        conn.close()
    assert current[0] == current[1], "one current report per organisation, person and month"
    assert events == reports, "one event per stored report"
    assert keys == len(order), "one idempotency record per batch"
    assert integrity(path) == ("ok", [])
    print(f"\ncrash: {total} households (seeded in {seeded_s:.1f} s); {len(order)} feed batches of ≤ {BATCH} "
          f"reports, {answered_before} answered before the kill -9, {cut_off} cut off by it; "
          f"scan killed at {progress_at_kill}/{total} households "
          f"({prompts_at_kill} prompts then); integrity_check ok, foreign keys ok, 0 duplicate open prompts; "
          f"resumed scan {resumed} ({resumed_prompts} prompts); next run {again}; "
          f"clean forced scan of a copy: identical {len(after_resume)} prompts "
          f"({forced}); after restart {replayed} batches replayed, {stored_now} stored now; feed reports "
          f"{reports} ({current[0]} current), feed events {events}; {time.monotonic() - started:.1f} s "
          f"(to the kill {killed_s:.1f} s)")
