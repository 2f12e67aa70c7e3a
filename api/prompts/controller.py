"""Prompt routes: the household's open prompts, and dismissing one with a reason."""

from __future__ import annotations

from typing import Annotated

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from ..auth.sessions import SessionInfo
from ..settings import Settings
from ..store import Store
from ..web import idempotency
from . import schemas as s
from .service import PromptService


class PromptsController(Controller):
    path = "/"
    tags = ["prompts"]

    @get("/prompts", summary="What to check now: the household's open prompts", sync_to_thread=True)
    def list_prompts(self, household_session: NamedDependency[SessionInfo],
                     prompts: NamedDependency[PromptService]) -> s.PromptList:
        return prompts.list(household_session.household_id)

    @post("/prompts/{prompt_id:int}/dismiss", status_code=200,
          summary="\"Klopt, het blijft zo\": dismiss a prompt with a reason. Honours Idempotency-Key.")
    async def dismiss(self, request: Request, data: JSONBody[s.DismissRequest],
                      prompt_id: Annotated[int, PathParameter(ge=1, le=2**62)],
                      household_session: NamedDependency[SessionInfo], prompts: NamedDependency[PromptService],
                      store: NamedDependency[Store], settings: NamedDependency[Settings],
                      idempotency_key: idempotency.Key = None) -> Response[s.PromptList]:
        data, key, h = await idempotency.read(request, s.DismissRequest)
        hid = household_session.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, store, settings, f"hh:{hid}", key, h,
            lambda db: prompts.dismiss(db, hid, prompt_id, data.reason))
