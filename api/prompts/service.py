"""Prompts on the overview: raised by the income-drift scan, the childcare comparison and the
life-event reminders; dismissed by the household with a reason. A dismissed prompt stays dismissed
until what it is about grows materially (see `raise_prompt`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from ..settings import Settings
from ..store import Store
from ..store import prompts as store
from ..util import iso
from ..web.problems import Problem
from . import schemas as s


@dataclass(frozen=True)
class PromptDraft:
    kind: str
    toeslag: str
    subject: str
    fingerprint: str
    amount: int | None
    title: str
    body: str
    action: str | None
    data: dict


_READ = object()  # raise_prompt reads the latest prompt itself


def raise_prompt(db: Database, household_id: str, draft: PromptDraft, now: str, *,
                 materiality: int = 0, last: dict | object | None = _READ,
                 pending: list[tuple] | None = None) -> int | None:
    """Create or refresh the open prompt for (kind, toeslag, subject). Idempotent: the same draft twice
    changes nothing. After a dismissal the prompt only comes back when |amount| grew by more than
    `materiality` cents since it was dismissed (or, without amounts, when the fingerprint changed).
    Returns the open prompt's id, or None when it stays dismissed. `last`: the newest prompt of this
    key (or None), when the caller read it in this transaction already (store.latest_of: a scan batch).
    `pending`: a new prompt is added to this list instead of written, for the caller's one
    `store.insert_many` (a scan batch); its id is then not known yet and 0 is returned.
    """
    if last is _READ:
        last = store.latest(db, household_id, draft.kind, draft.toeslag, draft.subject)
    assert last is None or isinstance(last, dict)
    if last is not None and last["status"] == "open":
        if (last["fingerprint"], last["amount"], last["title"], last["body"]) != \
                (draft.fingerprint, draft.amount, draft.title, draft.body) or last["data"] != draft.data:
            store.update_open(db, last["id"], fingerprint=draft.fingerprint, amount=draft.amount,
                              title=draft.title, body=draft.body, action=draft.action, data=draft.data, now=now)
        return last["id"]
    if last is not None and last["status"] == "dismissed":
        if draft.amount is not None and last["amount"] is not None:
            if abs(draft.amount) <= abs(last["amount"]) + materiality:
                return None
        elif draft.fingerprint == last["fingerprint"]:
            return None
    values = store.insert_values(household_id=household_id, kind=draft.kind, toeslag=draft.toeslag,
                                 subject=draft.subject, fingerprint=draft.fingerprint, amount=draft.amount,
                                 title=draft.title, body=draft.body, action=draft.action, data=draft.data, now=now)
    if pending is not None:
        pending.append(values)
        return 0
    return store.insert(db, values)


def resolve(db: Database, household_id: str, kind: str, toeslag: str, subject: str, now: str) -> bool:
    return store.resolve_open(db, household_id, kind, toeslag, subject, now)


def _out(p: dict) -> s.PromptOut:
    return s.PromptOut(id=p["id"], kind=p["kind"], toeslag=p["toeslag"] or None, title=p["title"],
                       body=p["body"], amount=p["amount"], action=p["action"], data=p["data"],
                       created_at=p["created_at"], updated_at=p["updated_at"])


class PromptService:
    def __init__(self, store_: Store, settings: Settings):
        self.store = store_
        self.settings = settings

    def list(self, household_id: str) -> s.PromptList:
        with self.store.read() as db:
            return s.PromptList(prompts=[_out(p) for p in store.open_for(db, household_id)])

    def dismiss(self, db: Database, household_id: str, prompt_id: int, reason: str) -> tuple[int, s.PromptList]:
        if store.get(db, household_id, prompt_id) is None:
            raise Problem(404, "not-found", "Niet gevonden", "Deze melding bestaat niet (meer).")
        if not store.set_status(db, household_id, prompt_id, "dismissed", reason, iso(self.settings.now())):
            raise Problem(409, "prompt-closed", "Melding al afgehandeld", "Deze melding is al afgehandeld.")
        return 200, s.PromptList(prompts=[_out(p) for p in store.open_for(db, household_id)])
