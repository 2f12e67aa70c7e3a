"""Childcare routes: the comparison of reported and estimated hours, "Neem over" (preview and submit),
undo, a correction of one month, and "Klopt niet". The household always comes from the session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..auth.sessions import SessionInfo
from ..web import idempotency
from ..web.body import strict
from . import schemas as s
from .service import ChildcareService


class ChildcareController(Controller):
    path = "/childcare"
    tags = ["childcare"]

    @get("/", summary="Per contract and month: estimated vs reported hours and rate, the difference in "
                      "kinderopvangtoeslag, the running total and the year end if nothing changes",
         sync_to_thread=True)
    def overview(self, household_session: NamedDependency[SessionInfo],
                 childcare: NamedDependency[ChildcareService]) -> s.ChildcareOut:
        return childcare.overview(household_session.household_id)

    @post("/adopt/preview", status_code=200,
          summary="\"Neem over\": what adopting the reported (or average) figures does (nothing is stored)")
    async def adopt_preview(self, request: Request, data: JSONBody[s.AdoptRequest],
                            household_session: NamedDependency[SessionInfo],
                            childcare: NamedDependency[ChildcareService]) -> s.AdoptPreviewOut:
        data = await strict(request, s.AdoptRequest)
        return await anyio.to_thread.run_sync(childcare.adopt_preview, household_session.household_id, data)

    @post("/adopt", status_code=201,
          summary="\"Neem over\": a change with source kinderopvang, new voorschot decisions, event logged. "
                  "Honours Idempotency-Key.")
    async def adopt(self, request: Request, data: JSONBody[s.AdoptRequest],
                    household_session: NamedDependency[SessionInfo],
                    childcare: NamedDependency[ChildcareService],
                    idempotency_key: idempotency.Key = None) -> Response[s.ChildcareChangeOut]:
        return await _run(request, s.AdoptRequest, household_session, childcare.adopt)

    @post("/undo", status_code=201,
          summary="Undo an adoption in the calendar month it was made: the previous figures come back as a new "
                  "change. Honours Idempotency-Key.")
    async def undo(self, request: Request, data: JSONBody[s.UndoRequest],
                   household_session: NamedDependency[SessionInfo],
                   childcare: NamedDependency[ChildcareService],
                   idempotency_key: idempotency.Key = None) -> Response[s.ChildcareChangeOut]:
        return await _run(request, s.UndoRequest, household_session, childcare.undo)

    @post("/correct", status_code=201,
          summary="Set the hours and rate of one month by hand. Honours Idempotency-Key.")
    async def correct(self, request: Request, data: JSONBody[s.CorrectRequest],
                      household_session: NamedDependency[SessionInfo],
                      childcare: NamedDependency[ChildcareService],
                      idempotency_key: idempotency.Key = None) -> Response[s.ChildcareChangeOut]:
        return await _run(request, s.CorrectRequest, household_session, childcare.correct)

    @post("/dispute", status_code=201,
          summary="\"Klopt niet\": mark a report as wrong; recorded for follow-up, not adopted. "
                  "Honours Idempotency-Key.")
    async def dispute(self, request: Request, data: JSONBody[s.DisputeRequest],
                      household_session: NamedDependency[SessionInfo],
                      childcare: NamedDependency[ChildcareService],
                      idempotency_key: idempotency.Key = None) -> Response[s.DisputeOut]:
        return await _run(request, s.DisputeRequest, household_session, childcare.dispute)


async def _run(request: Request, type_: type, household_session: SessionInfo,
               fn: Callable[[str, Any, str | None, str], Response]) -> Response:
    data, key, h = await idempotency.read(request, type_)
    return await anyio.to_thread.run_sync(fn, household_session.household_id, data, key, h)
