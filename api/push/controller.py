"""Push routes: the VAPID public key, the household's push subscriptions and reminder settings."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import PushService

Route = NamedDependency[HouseholdRoute[PushService]]


class PushController(Controller):
    path = "/push"
    tags = ["push"]
    dependencies = route_of("push")

    @get("/key", summary="The application server key (VAPID public key) for PushManager.subscribe(); "
                         "public, no session needed", sync_to_thread=True)
    def key(self, di_push: NamedDependency[PushService]) -> s.PublicKey:
        return di_push.public_key()

    @get("/subscriptions", summary="The household's devices that get reminders (push service host only)",
         sync_to_thread=True)
    def list_subscriptions(self, di_route: Route) -> s.SubscriptionList:
        return di_route.service.list_subscriptions(di_route.household_id)

    @post("/subscriptions", status_code=201,
          summary="Register this device's PushSubscription (201 new, 200 updated). Honours Idempotency-Key.")
    async def subscribe(self, data: JSONBody[s.SubscribeRequest], di_change: Route) -> Response[s.SubscriptionOut]:
        return await di_change.change_in(di_change.service.subscribe)

    @delete("/subscriptions", status_code=200,
            summary="Stop reminders on a device: remove its subscription by endpoint. Honours Idempotency-Key.")
    async def unsubscribe(self, data: JSONBody[s.UnsubscribeRequest], di_change: Route) -> Response[s.Unsubscribed]:
        return await di_change.change_in(lambda db, hid, req: di_change.service.unsubscribe(db, hid, req.endpoint))

    @get("/settings", summary="Which reminders the household wants, and its quiet hours", sync_to_thread=True)
    def get_settings(self, di_route: Route) -> s.SettingsOut:
        return di_route.service.get_settings(di_route.household_id)

    @put("/settings", summary="Replace the reminder settings (every kind, and quiet hours or null). "
                              "Honours Idempotency-Key.")
    async def put_settings(self, data: JSONBody[s.SettingsRequest], di_change: Route) -> Response[s.SettingsOut]:
        return await di_change.change_in(di_change.service.put_settings)
