"""Delivery of the reminders that are due: by Web Push, or, for a household without a push
subscription, a card on the overview (a prompt of kind `life_event`).

Delivery is AT MOST ONCE per (household, kind, subject, occasion):
  1. claim: the reminder row is inserted with status 'claimed' in its own transaction, committed
     before anything is sent (a second run, or a second process, finds the row and skips it);
  2. send to every subscription of the household;
  3. finish: 'sent' when one push service accepted it; otherwise the reminder falls back to a card
     ('card') or, for kinds without a card, 'failed'.
A crash between 1 and 3 leaves 'claimed': the push may or may not have gone out, so it is never
sent again; a later run turns such a stale claim into a card instead, so the household still sees
it (a card may then double a push that did arrive — harmless, and better than a second push).
For a household without push, claim and card are one transaction (exactly once).
Quiet hours postpone a push (nothing is claimed, a later run within the window sends it).

Logs carry counts only."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlite_utils import Database

from ..prompts.service import PromptDraft, raise_prompt, resolve
from ..push import windows as w
from ..push.sender import Outcome, Sender, payload
from ..push.service import PushService, household_settings
from ..settings import AMSTERDAM, Settings
from ..store import Store
from ..store import push as push_store
from ..util import iso
from . import due
from .due import CARD_KIND, NO_CARD_KINDS
from .model import Reminder

log = logging.getLogger("api.reminders")

STALE_CLAIM = dt.timedelta(minutes=15)


def run(store: Store, settings: Settings, *, shard: tuple[int, int] | None = None,
        sender: Sender | None = None) -> dict:
    today = settings.today_date()
    now = settings.now()
    now_s = iso(now)
    push = PushService(store, settings)
    counts = {"households": 0, "due": 0, "sent": 0, "cards": 0, "postponed": 0, "failed": 0,
              "gone_subscriptions": 0, "stale_claims": 0, "cards_closed": 0, "errors": 0}
    own_sender = sender is None
    sender = sender or Sender(push.keys(), settings.vapid_subject, timeout=settings.push_timeout)
    try:
        _recover_stale(store, now, shard, counts)
        _close_expired_cards(store, today, now_s, shard, counts)
        db = store.db()
        cands, rent, partner, prompts = due.candidates(db, today, now)
        ids = sorted(h for h in cands if due.in_shard(h, shard))
        prefs = push_store.settings_for(db, ids)
        for hid in ids:
            hs = household_settings(prefs.get(hid))
            kinds = [k for k in sorted(cands[hid]) if hs["kinds"].get(k)]
            if kinds and not push_store.count_subscriptions(db, hid):
                # no push: only kinds with a card can do anything
                kinds = [k for k in kinds if k not in NO_CARD_KINDS]
            if not kinds:
                continue
            counts["households"] += 1
            try:
                found = due.due_for(store, db, settings, today, hid, kinds, rent, partner, prompts)
                counts["due"] += len(found)
                if found:
                    _deliver(store, settings, sender, hid, hs, found, now, counts)
            except Exception as e:  # one household must not stop the others
                # type only: a message could carry personal data
                log.error("reminders: a household failed (%s); the next run tries again", type(e).__name__)
                counts["errors"] += 1
    finally:
        if own_sender:
            sender.close()
    log.info("reminders: %s", counts)
    return counts


def _row(hid: str, r: Reminder) -> dict[str, Any]:
    return {"household_id": hid, "kind": r.kind, "subject": r.subject, "occasion": r.occasion,
            "due_on": r.window.due.isoformat(), "until_on": r.window.until.isoformat(), "toeslag": r.toeslag,
            "title": r.title, "body": r.body, "url": r.url, "tag": r.tag, "data": r.data}


def _card(db: Database, hid: str, rem: dict, now: str) -> int | None:
    """The overview card a reminder falls back to (raise_prompt is idempotent per subject)."""
    effect = (rem.get("data") or {}).get("effect") or {}
    diffs = [v["difference"] for v in effect.values() if isinstance(v, dict) and v.get("difference")]
    key = f"{rem['kind']}:{rem['subject']}:{rem['occasion']}"
    return raise_prompt(db, hid, PromptDraft(
        kind=CARD_KIND, toeslag=rem.get("toeslag") or "", subject=key, fingerprint=key,
        amount=sum(diffs) if diffs else None, title=rem["title"], body=rem["body"],
        action=rem["url"][1:] if rem["url"].startswith("/#") else rem["url"],
        data={"reminder": rem["kind"], "due_on": rem["due_on"], "until_on": rem["until_on"], **(rem.get("data") or {})},
    ), now)


def _deliver(store: Store, settings: Settings, sender: Sender, hid: str, hs: dict, found: list[Reminder],
             now: dt.datetime, counts: dict) -> None:
    now_s = iso(now)
    subs = push_store.subscriptions(store.db(), hid)
    quiet = hs["quiet"] is not None and w.in_quiet_hours(now.astimezone(AMSTERDAM).time(), *hs["quiet"])
    for r in found:
        rem = _row(hid, r)
        if not subs:
            if not r.card:
                continue
            with store.write() as db:
                if push_store.claim(db, rem, "card", now_s):
                    pid = _card(db, hid, rem, now_s)
                    push_store.finish(db, hid, r.kind, r.subject, r.occasion, "card", now_s, prompt_id=pid)
                    counts["cards"] += 1
            continue
        if quiet:
            counts["postponed"] += 1
            continue
        data = payload(r.title, r.body, r.url, r.tag)
        with store.write() as db:
            claimed = push_store.claim(db, rem, "claimed", now_s)
        if not claimed:
            continue  # another run got it first
        ttl = settings.push_ttl if r.ttl is None else r.ttl
        outcomes: list[tuple[dict, Outcome]] = [(s, sender.send(s, data, ttl=ttl, urgency=r.urgency)) for s in subs]
        with store.write() as db:
            for s, o in outcomes:
                if o.status == "sent":
                    push_store.mark_sent(db, s["id"], now_s)
                elif o.status == "gone":
                    push_store.delete_subscription_by_id(db, s["id"])
                    counts["gone_subscriptions"] += 1
                else:
                    push_store.mark_failed(db, s["id"])
            if any(o.status == "sent" for _, o in outcomes):
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "sent", now_s)
                counts["sent"] += 1
            elif r.card:
                pid = _card(db, hid, rem, now_s)
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "card", now_s, prompt_id=pid)
                counts["cards"] += 1
            else:
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "failed", now_s)
                counts["failed"] += 1
        subs = [s for s, o in outcomes if o.status != "gone"]


def _recover_stale(store: Store, now: dt.datetime, shard: tuple[int, int] | None, counts: dict) -> None:
    """Claims never finished (the process died between claim and send, or during the send): never
    pushed again; shown as a card where the kind has one."""
    now_s = iso(now)
    for rem in push_store.stale_claims(store.db(), iso(now - STALE_CLAIM)):
        hid = rem["household_id"]
        if not due.in_shard(hid, shard):
            continue
        with store.write() as db:
            current = push_store.reminder(db, hid, rem["kind"], rem["subject"], rem["occasion"])
            if current is None or current["status"] != "claimed":
                continue
            if rem["kind"] in NO_CARD_KINDS:
                push_store.finish(db, hid, rem["kind"], rem["subject"], rem["occasion"], "failed", now_s)
            else:
                pid = _card(db, hid, rem, now_s)
                push_store.finish(db, hid, rem["kind"], rem["subject"], rem["occasion"], "card", now_s, prompt_id=pid)
        counts["stale_claims"] += 1


def _close_expired_cards(store: Store, today: dt.date, now_s: str, shard: tuple[int, int] | None,
                         counts: dict) -> None:
    """A reminder card leaves the overview once its window has passed (unless dismissed before)."""
    for rem in push_store.expired_cards(store.db(), today.isoformat()):
        hid = rem["household_id"]
        if not due.in_shard(hid, shard):
            continue
        key = f"{rem['kind']}:{rem['subject']}:{rem['occasion']}"
        with store.write() as db:
            resolve(db, hid, CARD_KIND, rem["toeslag"] or "", key, now_s)
            push_store.close_card(db, hid, rem["kind"], rem["subject"], rem["occasion"])
        counts["cards_closed"] += 1
