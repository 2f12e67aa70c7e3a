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
    async def activate(self, request: Request, data: JSONBody[s.ActivationRequest], di_auth: NamedDependency[AuthService],
                       di_store: NamedDependency[Store], di_settings: NamedDependency[Settings],
                       di_sessions: NamedDependency[Sessions]) -> Response[s.ActivationResponse]:
        client = ratelimit.client_key(request, di_settings)
        await anyio.to_thread.run_sync(ratelimit.check, di_store, di_settings, "activation:" + client,
                                       di_settings.activation_rate)
        data = await strict(request, s.ActivationRequest)
        try:
            token, body = await anyio.to_thread.run_sync(lambda: di_auth.activate(data.code, client=client[:12]))
        except Problem as refused:
            await _wrong_code(di_store, di_settings)
            raise refused from None
        return Response(body, cookies=[di_sessions.cookie(token, "enrolment")])

    @post("/passkeys/register/options", status_code=200, summary="Start registering a passkey",
          sync_to_thread=True)
    def register_options(self, di_session: NamedDependency[SessionInfo],
                         di_auth: NamedDependency[AuthService]) -> s.RegistrationOptionsResponse:
        return di_auth.registration_options(di_session)

    @post("/passkeys/register/verify", status_code=201, summary="Finish registering a passkey")
    async def register_verify(self, request: Request, data: JSONBody[s.RegisterVerifyRequest],
                              di_session: NamedDependency[SessionInfo], di_auth: NamedDependency[AuthService],
                              di_sessions: NamedDependency[Sessions]) -> Response[s.PasskeyOut]:
        data = await strict(request, s.RegisterVerifyRequest)
        token, body = await anyio.to_thread.run_sync(di_auth.register, di_session, data)
        cookies = [di_sessions.cookie(token, "full")] if token else []
        return Response(body, status_code=201, cookies=cookies)

    @post("/login/options", status_code=200, summary="Start logging in with a passkey", sync_to_thread=True)
    def login_options(self, request: Request, di_auth: NamedDependency[AuthService], di_store: NamedDependency[Store],
                      di_settings: NamedDependency[Settings]) -> s.LoginOptionsResponse:
        ratelimit.check(di_store, di_settings, "login:" + ratelimit.client_key(request, di_settings), di_settings.login_rate)
        return di_auth.login_options()

    @post("/login/verify", status_code=200, summary="Finish logging in with a passkey")
    async def login_verify(self, request: Request, data: JSONBody[s.LoginVerifyRequest], di_auth: NamedDependency[AuthService],
                           di_sessions: NamedDependency[Sessions]) -> Response[s.LoginResponse]:
        data = await strict(request, s.LoginVerifyRequest)
        token, body = await anyio.to_thread.run_sync(lambda: di_auth.login(data, di_sessions.resolve(request)))
        return Response(body, cookies=[di_sessions.cookie(token, "full")])

    @post("/logout", status_code=204, summary="Log out (ends this session)", sync_to_thread=True)
    def logout(self, request: Request, di_auth: NamedDependency[AuthService],
               di_sessions: NamedDependency[Sessions]) -> Response[None]:
        info = di_sessions.resolve(request)
        if info is not None:
            di_auth.logout(info)
        response: Response[None] = Response(None, status_code=204)
        di_sessions.clear_cookie(response)
        return response

    @get("/passkeys", summary="The household's passkeys", sync_to_thread=True)
    def list_passkeys(self, di_household_session: NamedDependency[SessionInfo],
                      di_auth: NamedDependency[AuthService]) -> s.PasskeyList:
        return di_auth.list_passkeys(di_household_session)

    @delete("/passkeys/{passkey_id:str}", status_code=204, summary="Remove a passkey", sync_to_thread=True)
    def delete_passkey(self, di_household_session: NamedDependency[SessionInfo], di_auth: NamedDependency[AuthService],
                       passkey_id: Annotated[str, PathParameter(max_length=64)]) -> None:
        di_auth.delete_passkey(di_household_session, passkey_id)


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
