"""Routes for changes and applications."""

from __future__ import annotations

import anyio
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..auth.sessions import SessionInfo
from ..web import idempotency
from ..web.body import strict
from . import schemas as s
from .service import ChangeService


class ChangesController(Controller):
    path = "/"
    tags = ["changes"]

    @post("/changes/preview", status_code=200,
          summary="What a proposed change does to each toeslag (nothing is stored)")
    async def preview(self, request: Request, data: JSONBody[s.ChangeRequest],
                      household_session: NamedDependency[SessionInfo],
                      changes: NamedDependency[ChangeService]) -> s.PreviewOut:
        data = await strict(request, s.ChangeRequest)
        return await anyio.to_thread.run_sync(changes.preview, household_session.household_id, data)

    @post("/changes", status_code=201,
          summary="Pass a change on: stored, new voorschot decisions, event logged. Honours Idempotency-Key.")
    async def submit(self, request: Request, data: JSONBody[s.ChangeRequest], household_session: NamedDependency[SessionInfo],
               changes: NamedDependency[ChangeService],
                     idempotency_key: idempotency.Key = None) -> Response[s.SubmitOut]:
        data, key, h = await idempotency.read(request, s.ChangeRequest)
        return await anyio.to_thread.run_sync(changes.submit, household_session.household_id, data, key, h)

    @post("/applications", status_code=201,
          summary="Apply for a toeslag the household does not have yet. Honours Idempotency-Key.")
    async def apply(self, request: Request, data: JSONBody[s.ApplicationRequest], household_session: NamedDependency[SessionInfo],
              changes: NamedDependency[ChangeService],
                    idempotency_key: idempotency.Key = None) -> Response[s.SubmitOut]:
        data, key, h = await idempotency.read(request, s.ApplicationRequest)
        return await anyio.to_thread.run_sync(changes.apply_for, household_session.household_id, data, key, h)
