"""Push routes: the VAPID public key, the household's push subscriptions and reminder settings."""

from __future__ import annotations

import anyio
from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..auth.sessions import SessionInfo
from ..settings import Settings
from ..store import Store
from ..web import idempotency
from . import schemas as s
from .service import PushService


class PushController(Controller):
    path = "/push"
    tags = ["push"]

    @get("/key", summary="The application server key (VAPID public key) for PushManager.subscribe(); "
                         "public, no session needed", sync_to_thread=True)
    def key(self, push: NamedDependency[PushService]) -> s.PublicKey:
        return push.public_key()

    @get("/subscriptions", summary="The household's devices that get reminders (push service host only)",
         sync_to_thread=True)
    def list_subscriptions(self, household_session: NamedDependency[SessionInfo],
                           push: NamedDependency[PushService]) -> s.SubscriptionList:
        return push.list_subscriptions(household_session.household_id)

    @post("/subscriptions", status_code=201,
          summary="Register this device's PushSubscription (201 new, 200 updated). Honours Idempotency-Key.")
    async def subscribe(self, request: Request, data: JSONBody[s.SubscribeRequest],
                        household_session: NamedDependency[SessionInfo], push: NamedDependency[PushService],
                        store: NamedDependency[Store], settings: NamedDependency[Settings],
                        idempotency_key: idempotency.Key = None) -> Response[s.SubscriptionOut]:
        data, key, h = await idempotency.read(request, s.SubscribeRequest)
        hid = household_session.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, store, settings, f"hh:{hid}", key, h, lambda db: push.subscribe(db, hid, data))

    @delete("/subscriptions", status_code=200,
            summary="Stop reminders on a device: remove its subscription by endpoint. Honours Idempotency-Key.")
    async def unsubscribe(self, request: Request, data: JSONBody[s.UnsubscribeRequest],
                          household_session: NamedDependency[SessionInfo], push: NamedDependency[PushService],
                          store: NamedDependency[Store], settings: NamedDependency[Settings],
                          idempotency_key: idempotency.Key = None) -> Response[s.Unsubscribed]:
        data, key, h = await idempotency.read(request, s.UnsubscribeRequest)
        hid = household_session.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, store, settings, f"hh:{hid}", key, h, lambda db: push.unsubscribe(db, hid, data.endpoint))

    @get("/settings", summary="Which reminders the household wants, and its quiet hours", sync_to_thread=True)
    def get_settings(self, household_session: NamedDependency[SessionInfo],
                     push: NamedDependency[PushService]) -> s.SettingsOut:
        return push.get_settings(household_session.household_id)

    @put("/settings", summary="Replace the reminder settings (every kind, and quiet hours or null). "
                              "Honours Idempotency-Key.")
    async def put_settings(self, request: Request, data: JSONBody[s.SettingsRequest],
                           household_session: NamedDependency[SessionInfo], push: NamedDependency[PushService],
                           store: NamedDependency[Store], settings: NamedDependency[Settings],
                           idempotency_key: idempotency.Key = None) -> Response[s.SettingsOut]:
        data, key, h = await idempotency.read(request, s.SettingsRequest)
        hid = household_session.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, store, settings, f"hh:{hid}", key, h, lambda db: push.put_settings(db, hid, data))
