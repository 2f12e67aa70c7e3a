"""Command line: serve, migrate, seed-demo, feed-token, feed-refs, activation-code, households, reminders, scan."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from .settings import Settings

if TYPE_CHECKING:
    from .auth.service import AuthService
    from .store import Store


def _services(settings: Settings) -> tuple[Store, AuthService]:
    from .auth.service import AuthService
    from .auth.sessions import Sessions
    from .store import Store
    from .store.migrate import migrate

    migrate(settings.db_path)
    store = Store(settings.db_path)
    return store, AuthService(store, settings, Sessions(store, settings))


def _print_codes(store: Store, settings: Settings, auth: AuthService) -> None:
    from . import demo

    codes = demo.activation_codes(store, settings, auth)
    if not codes:
        return
    print("\nDemo-huishoudens — activatiecodes (eenmalig te gebruiken, "
          f"{settings.activation_ttl.days} dagen geldig):")
    for hh, code in codes:
        print(f"  {code}   {hh['label']} ({demo.describe(hh['demo_key'])})")


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from . import demo
    from .app import create_app
    from .web import security_log

    security_log.configure()
    security_log.pseudonymize_access_log()
    settings = Settings.from_env(port=args.port)
    store, auth = _services(settings)
    if demo.seed(store, settings):
        print(f"Demo aangemaakt in {settings.db_label}.")
    _print_codes(store, settings, auth)
    store.close()
    print(f"\nOpen de app op {settings.public_url}/ (passkeys werken niet op een IP-adres zoals "
          f"http://127.0.0.1:{args.port}; die stuurt door naar localhost).\n", flush=True)
    # TOESLAGEN_RUN_JOBS=0: this node only serves HTTP (the jobs run in `python -m api worker` or on
    # other nodes); with it on, the scheduled jobs still run once across all nodes (jobs/schedule.py)
    run_jobs = os.environ.get("TOESLAGEN_RUN_JOBS", "1").lower() not in ("0", "false", "no")
    uvicorn.run(create_app(settings.with_(run_jobs=run_jobs)), host=args.host, port=args.port, workers=1,
                log_level=args.log_level, proxy_headers=False, server_header=False)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """The scheduled jobs without HTTP: as many workers and API nodes as wanted, each job runs once."""
    import logging
    import signal

    from .jobs import registry
    from .jobs.schedule import Scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = Settings.from_env()
    store, _ = _services(settings)
    scheduler = Scheduler(store, settings, registry.jobs(), first_delay=0.0, poll=args.poll)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop(timeout=0))
    try:
        scheduler.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from .store.migrate import migrate

    settings = Settings.from_env()
    ran = migrate(settings.db_path)
    print(f"{settings.db_label}: " + (", ".join(ran) if ran else "up to date"))
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from . import demo

    settings = Settings.from_env()
    store, auth = _services(settings)
    print("Demo aangemaakt." if demo.seed(store, settings) else "De demo bestond al.")
    _print_codes(store, settings, auth)
    store.close()
    return 0


def cmd_feed_token(args: argparse.Namespace) -> int:
    from .feeds.service import create_token
    from .store import feeds as feeds_store
    from .util import iso

    settings = Settings.from_env()
    store, _ = _services(settings)
    now = iso(settings.now())
    with store.write() as db:
        if feeds_store.organisation(db, args.org) is None:
            feeds_store.add_organisation(db, args.org, args.name or args.org, now)
            print(f"Organisatie '{args.org}' aangemaakt.", file=sys.stderr)
        token = create_token(db, args.org, args.type, now)
    store.close()
    print(f"Feed-token for {args.org} ({args.type}), shown once — store it safely:", file=sys.stderr)
    print(token)
    return 0


def cmd_feed_refs(args: argparse.Namespace) -> int:
    from .store import feeds as feeds_store

    settings = Settings.from_env()
    store, _ = _services(settings)
    for link in feeds_store.links(store.db(), args.org):
        print(f"{link['ref']}  {link['data_type']:16} {link['role']:10} {link['given_name']}")
    store.close()
    return 0


def cmd_activation_code(args: argparse.Namespace) -> int:
    from .store import households as households_store

    settings = Settings.from_env()
    store, auth = _services(settings)
    with store.write() as db:
        hh = households_store.get(db, args.household_id) or households_store.by_demo_key(db, args.household_id)
        if hh is None:
            print(f"Unknown household {args.household_id}", file=sys.stderr)
            return 1
        code = auth.issue_code(db, hh["id"])
    store.close()
    print(code)
    return 0


def cmd_households(args: argparse.Namespace) -> int:
    from .store import households as households_store

    settings = Settings.from_env()
    store, _ = _services(settings)
    for hh in households_store.every(store.db()):
        print(f"{hh['id']}  {hh['label']}  {hh['demo_key'] or ''}")
    store.close()
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from .reminders import delivery

    settings = _settings_on(args.today)
    shard = _shard(args.shard) if args.shard else None
    if shard is None and args.shard:
        print("--shard must be i/n with 0 <= i < n", file=sys.stderr)
        return 2
    store, _ = _services(settings)
    try:
        counts = delivery.run(store, settings, shard=shard)
    finally:
        store.close()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def _settings_on(today: str | None) -> Settings:
    """The settings from the environment, on `--today` when given (YYYY-MM-DD)."""
    import datetime as dt

    settings = Settings.from_env()
    return settings.with_(today=dt.date.fromisoformat(today)) if today else settings


def _shard(text: str) -> tuple[int, int] | None:
    """`--shard i/n` as (i, n), or None when it is not i/n with 0 <= i < n."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        return None
    return (i, n) if 0 <= i < n else None


def cmd_scan(args: argparse.Namespace) -> int:
    """The scan of every open year (issues #6, #15): all households of a shard, or one."""
    from .jobs import drift

    settings = _settings_on(args.today)
    shard = _shard(args.shard)
    if shard is None or args.workers < 1 or args.batch < 1:
        print("--shard must be i/n with 0 <= i < n; --workers and --batch at least 1", file=sys.stderr)
        return 2
    i, n = shard
    store, _ = _services(settings)
    try:
        if args.household:
            counts = drift.scan_household(store, settings, args.household)
        else:
            # per open year: this year's drift and each past year's settlement risk, in the same
            # batches, shards and claims (api/years/scan.py)
            counts = drift.scan_all(store, settings, shard=(i, n), workers=args.workers, batch=args.batch,
                                    force=args.force, resume=not args.restart, claims=args.claim)
    finally:
        store.close()
    print(" ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def cmd_definitive(args: argparse.Namespace) -> int:
    """The agency's definitieve berekening of a year for one household: recorded, and the year closes."""
    from .store import households as households_store

    settings = Settings.from_env()
    store, _auth = _services(settings)
    from .web.problems import Problem
    from .years.service import YearService
    try:
        with store.write() as db:
            hh = households_store.by_demo_key(db, args.household) or households_store.get(db, args.household)
            if hh is None:
                print("unknown household", file=sys.stderr)
                return 2
            try:
                lines = YearService(store, settings).decide(db, hh["id"], args.year)
            except Problem as e:
                print(e.detail, file=sys.stderr)
                return 2
    finally:
        store.close()
    for line in lines:
        print(f"{line['toeslag']}: per_year={line['per_year']} paid={line['paid']} amount={line['amount']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m api", description="toeslagen-pwa API")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="migrate, seed the demo once, print activation codes, serve")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--log-level", default="info")
    s.set_defaults(fn=cmd_serve)
    w = sub.add_parser("worker", help="run the scheduled jobs (once across all nodes) without serving HTTP")
    w.add_argument("--poll", type=float, default=5.0, help="seconds between looks for due jobs (default 5)")
    w.set_defaults(fn=cmd_worker)
    sub.add_parser("migrate", help="create or update the database (TOESLAGEN_DB)").set_defaults(fn=cmd_migrate)
    sub.add_parser("seed-demo", help="seed the demo households (once)").set_defaults(fn=cmd_seed_demo)
    ft = sub.add_parser("feed-token", help="feed tokens")
    ft_sub = ft.add_subparsers(dest="action", required=True)
    ftc = ft_sub.add_parser("create", help="create a token for one organisation and one data type")
    ftc.add_argument("--org", required=True)
    ftc.add_argument("--type", required=True, choices=["childcare_hours", "income", "insurance", "rent"])
    ftc.add_argument("--name", help="organisation name when it is new")
    ftc.set_defaults(fn=cmd_feed_token)
    fr = sub.add_parser("feed-refs", help="the person references an organisation may report on")
    fr.add_argument("--org", required=True)
    fr.set_defaults(fn=cmd_feed_refs)
    ac = sub.add_parser("activation-code", help="issue a new activation code for a household")
    ac.add_argument("household_id", help="household id (or demo key)")
    ac.set_defaults(fn=cmd_activation_code)
    sub.add_parser("households", help="list households").set_defaults(fn=cmd_households)
    rm = sub.add_parser("reminders", help="one run of the life-event reminders (push, or a card without push)")
    rm.add_argument("--today", help="YYYY-MM-DD: run as if it were this day (Europe/Amsterdam)")
    rm.add_argument("--shard", help="i/n: only the households whose id hashes to i modulo n")
    rm.set_defaults(fn=cmd_reminders)
    sc = sub.add_parser("scan", help="the scan per open year: this year's drift, assets, January, non-use; "
                                          "each open past year's settlement risk")
    sc.add_argument("--shard", default="0/1", help="i/n: only the households whose id hashes to i modulo n")
    sc.add_argument("--workers", type=int, default=1, help="processes for this shard (default 1)")
    sc.add_argument("--batch", type=int, default=500, help="households per read/write batch (default 500)")
    sc.add_argument("--claim", action="store_true",
                    help="share today's run with every other --claim worker (any machine) by claiming batches")
    sc.add_argument("--force", action="store_true", help="also recompute households whose data did not change")
    sc.add_argument("--restart", action="store_true", help="start over instead of resuming today's unfinished run")
    sc.add_argument("--household", help="scan this one household (id) only")
    sc.add_argument("--today", help="YYYY-MM-DD: run as if it were this day (Europe/Amsterdam)")
    sc.set_defaults(fn=cmd_scan)
    de = sub.add_parser("definitive", help="record the definitieve berekening of a year (closes it for changes)")
    de.add_argument("household", help="household id (or demo key)")
    de.add_argument("year", type=int)
    de.set_defaults(fn=cmd_definitive)
    args = p.parse_args(argv)
    return args.fn(args)
