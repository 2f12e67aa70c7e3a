"""Prompt routes: the household's open prompts, and dismissing one with a reason."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import PromptService

Route = NamedDependency[HouseholdRoute[PromptService]]


class PromptsController(Controller):
    path = "/prompts"
    tags = ["prompts"]
    dependencies = route_of("prompts")

    @get("/", summary="What to check now: the household's open prompts", sync_to_thread=True)
    def list_prompts(self, di_route: Route) -> s.PromptList:
        return di_route.service.list(di_route.household_id)

    @post("/{prompt_id:int}/dismiss", status_code=200,
          summary="\"Klopt, het blijft zo\": dismiss a prompt with a reason. Honours Idempotency-Key.")
    async def dismiss(self, data: JSONBody[s.DismissRequest], prompt_id: Annotated[int, PathParameter(ge=1, le=2**62)],
                      di_change: Route) -> Response[s.PromptList]:
        return await di_change.change_in(lambda db, hid, req: di_change.service.dismiss(db, hid, prompt_id, req.reason))
