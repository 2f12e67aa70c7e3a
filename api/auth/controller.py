"""Identity routes: activation code, passkey registration, passkey login, logout, passkey management."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import anyio
from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from ..settings import Settings
from ..store import Store
from ..web import ratelimit
from ..web.body import strict
from ..web.problems import Problem
from ..web.security_log import event
from . import schemas as s
from .service import AuthService
from .sessions import SessionInfo, Sessions


class AuthController(Controller):
    path = "/"
    tags = ["identity"]

    @post("/activation", status_code=200, summary="Use the activation code from the letter")
    async def activate(self, request: Request, data: JSONBody[s.ActivationRequest], auth: NamedDependency[AuthService],
                       store: NamedDependency[Store], settings: NamedDependency[Settings],
                       sessions: NamedDependency[Sessions]) -> Response[s.ActivationResponse]:
        client = ratelimit.client_key(request, settings)
        await anyio.to_thread.run_sync(ratelimit.check, store, settings, "activation:" + client, settings.activation_rate)
        data = await strict(request, s.ActivationRequest)
        try:
            token, body = await anyio.to_thread.run_sync(lambda: auth.activate(data.code, client=client[:12]))
        except Problem as refused:
            await _wrong_code(store, settings)
            raise refused from None
        return Response(body, cookies=[sessions.cookie(token, "enrolment")])

    @post("/passkeys/register/options", status_code=200, summary="Start registering a passkey",
          sync_to_thread=True)
    def register_options(self, session: NamedDependency[SessionInfo],
                         auth: NamedDependency[AuthService]) -> s.RegistrationOptionsResponse:
        return auth.registration_options(session)

    @post("/passkeys/register/verify", status_code=201, summary="Finish registering a passkey")
    async def register_verify(self, request: Request, data: JSONBody[s.RegisterVerifyRequest],
                              session: NamedDependency[SessionInfo], auth: NamedDependency[AuthService],
                              sessions: NamedDependency[Sessions]) -> Response[s.PasskeyOut]:
        data = await strict(request, s.RegisterVerifyRequest)
        token, body = await anyio.to_thread.run_sync(auth.register, session, data)
        cookies = [sessions.cookie(token, "full")] if token else []
        return Response(body, status_code=201, cookies=cookies)

    @post("/login/options", status_code=200, summary="Start logging in with a passkey", sync_to_thread=True)
    def login_options(self, request: Request, auth: NamedDependency[AuthService], store: NamedDependency[Store],
                      settings: NamedDependency[Settings]) -> s.LoginOptionsResponse:
        ratelimit.check(store, settings, "login:" + ratelimit.client_key(request, settings), settings.login_rate)
        return auth.login_options()

    @post("/login/verify", status_code=200, summary="Finish logging in with a passkey")
    async def login_verify(self, request: Request, data: JSONBody[s.LoginVerifyRequest], auth: NamedDependency[AuthService],
                           sessions: NamedDependency[Sessions]) -> Response[s.LoginResponse]:
        data = await strict(request, s.LoginVerifyRequest)
        token, body = await anyio.to_thread.run_sync(lambda: auth.login(data, sessions.resolve(request)))
        return Response(body, cookies=[sessions.cookie(token, "full")])

    @post("/logout", status_code=204, summary="Log out (ends this session)", sync_to_thread=True)
    def logout(self, request: Request, auth: NamedDependency[AuthService],
               sessions: NamedDependency[Sessions]) -> Response[None]:
        info = sessions.resolve(request)
        if info is not None:
            auth.logout(info)
        response: Response[None] = Response(None, status_code=204)
        sessions.clear_cookie(response)
        return response

    @get("/passkeys", summary="The household's passkeys", sync_to_thread=True)
    def list_passkeys(self, household_session: NamedDependency[SessionInfo],
                      auth: NamedDependency[AuthService]) -> s.PasskeyList:
        return auth.list_passkeys(household_session)

    @delete("/passkeys/{passkey_id:str}", status_code=204, summary="Remove a passkey", sync_to_thread=True)
    def delete_passkey(self, household_session: NamedDependency[SessionInfo], auth: NamedDependency[AuthService],
                       passkey_id: Annotated[str, PathParameter(max_length=64)]) -> None:
        auth.delete_passkey(household_session, passkey_id)


async def _wrong_code(store: Store, settings: Settings) -> None:
    """Wrong codes from all addresses together. No shared cap refuses anyone here: a cap that all
    addresses fill together let ~100 addresses lock every household out of activation. The per-address
    limit (checked first) bounds each guesser, and 80-bit codes make a guess hopeless; above the alarm
    level the app warns once per window and answers wrong codes slowly, so a spread-out attack costs time.
    A right code is never slowed or refused."""
    window = settings.activation_rate[1]
    failures, _ = await anyio.to_thread.run_sync(ratelimit.count, store, settings, "activation-failed:all", window)
    if failures > settings.activation_failures_alarm:
        if failures == settings.activation_failures_alarm + 1:
            event("activation.guessing", level=logging.WARNING, count=failures, window=window)
        await asyncio.sleep(settings.activation_slowdown)
