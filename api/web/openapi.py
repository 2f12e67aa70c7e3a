"""The OpenAPI schema tells the truth about errors.

Every error of this API is an RFC 9457 problem (`application/problem+json`, see problems.py), never
Litestar's default `{"status_code", "detail", "extra"}`. Two Litestar plugins, wired once in create_app,
make /schema/openapi.json say so:

- `ProblemResponses` (a ReceiveRoutePlugin): as each route is registered, it sets every handler's
  `responses=` to one `ResponseSpec` per status the handler can answer with, all with the `Problem`
  schema. The statuses come from what the handler declares (a request body, parameters, a session, the
  CSRF or feed-token guard, a service on the store, the Idempotency-Key header parameter) and, for what
  only its own code shows (a rate limit, the rules, domain refusals, a second success status), from
  `ROUTES` (openapi_errors.py: the documented body, the causes and that table, as data). The
  `responses=` of a status replace Litestar's default 400 ValidationException response. The same
  plugin gives each operation what a client needs to make the request at all, read from the handler
  as well: its `security` (the session
  cookie for `di_household_session`, the session of an enrolment as well for `di_session`, the feed bearer
  token for the feed-token guard, else none: `[]`) and the `X-Requested-With` header where the CSRF guard
  applies (required). The `Idempotency-Key` header is a Litestar header parameter of the handlers that
  honour it (`idempotency.Key`): Litestar documents and validates it.
  Every operation documents a 500 `server-error` too.
- `ClosedStructs` (an OpenAPISchemaPlugin): a Struct with `forbid_unknown_fields` refuses unknown keys
  (400), so its schema says `additionalProperties: false`.

tests/api/test_openapi.py checks the schema against real error responses; the fuzz test
(tests/hardening/test_fuzz.py) checks that every status it meets is documented for its operation.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

import msgspec
from litestar import Response
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIHeader,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)
from litestar.plugins import OpenAPISchemaPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from . import idempotency
from .csrf import CSRF_HEADER, SAFE
from .openapi_errors import CAUSES, ROUTES, Problem
from .problems import PROBLEM_JSON, header_name, parameters

# a handler's signature: names that are not request parameters (Litestar's reserved kwargs)
_RESERVED = {"request", "data", "state", "scope", "headers", "cookies", "query", "body", "socket", "self"}
_GUARD_CAUSES = {"csrf_guard": "csrf", "feed_token_guard": "feed-token"}


def _unsafe(handler: HTTPRouteHandler) -> bool:
    return bool(set(handler.http_methods) - SAFE)


def _guards(handler: HTTPRouteHandler) -> set[str]:
    """The causes of the guards that apply to the handler (the CSRF guard lets GET and HEAD through)."""
    out = set()
    for guard in handler.resolve_guards():
        cause = _GUARD_CAUSES.get(getattr(getattr(guard, "func", guard), "__name__", ""))  # unwrap AsyncCallable
        if cause and (cause != "csrf" or _unsafe(handler)):
            out.add(cause)
    return out


def _needs(handler: HTTPRouteHandler) -> set[str]:
    """The names the handler asks for: its own parameters and, through them, its dependencies' ones."""
    return set(parameters(handler))


def _headers(handler: HTTPRouteHandler) -> set[str]:
    """The request headers the handler or a dependency it asks for declares (`Parameter(header=...)`)."""
    names = (header_name(name, field) for name, field in parameters(handler).items())
    return {name for name in names if name}


def reads_idempotency_key(handler: HTTPRouteHandler) -> bool:
    """Whether the handler honours an Idempotency-Key: it declares the header (`idempotency.Key`),
    itself or through `di_change` (web/route.py)."""
    return idempotency.HEADER in _headers(handler)


def causes_of(route: HTTPRoute, handler: HTTPRouteHandler, method: str) -> dict[int, list[str]]:
    """{status: [sentence, ...]} for one operation: from the handler's declaration and code, then from
    ROUTES."""
    params = handler.parsed_fn_signature.parameters
    dependencies = set(handler.resolve_dependencies())
    needs = _needs(handler)
    guards = _guards(handler)
    causes: list[str] = []
    if "data" in params:
        causes.append("body")
    if any(name not in _RESERVED and name not in dependencies and not header_name(name, field)
           for name, field in params.items()):
        causes.append("params")
    if any(p.type is not str for p in route.path_parameters.values()):
        causes.append("typed-path")
    if "di_household_session" in needs:
        causes.append("household-session")
    elif "di_session" in needs:
        causes.append("session")
    causes += [cause for cause in ("csrf", "feed-token") if cause in guards]
    if dependencies & set(params) or "feed-token" in causes:
        causes.append("store")  # every service, the sessions and the feed tokens live in the store
    if reads_idempotency_key(handler):
        causes.append("idempotency")
    causes.append("server")
    own: dict[int, str] = {}
    for item in ROUTES.get(f"{method} {route.path_format}", ()):
        if isinstance(item, dict):
            own.update(item)
        else:
            causes.append(item)
    out: dict[int, list[str]] = {}
    for cause in causes:
        for status, text in CAUSES[cause].items():
            out.setdefault(status, []).append(text)
    for status, text in own.items():
        out.setdefault(status, []).append(text)
    return dict(sorted(out.items()))


def _body_type(handler: HTTPRouteHandler) -> Any:
    """The type of the handler's success body (`X` of `Response[X]`)."""
    returns = handler.parsed_fn_signature.return_type
    if returns.is_subclass_of(Response) and returns.inner_types:
        return returns.inner_types[0].annotation
    return returns.annotation


def problem_responses(causes: dict[int, list[str]], handler: HTTPRouteHandler | None = None) \
        -> dict[int, ResponseSpec]:
    """The `responses=` of a handler: one problem+json ResponseSpec per error status; a success status
    beyond the handler's own (ROUTES) has the handler's body type."""
    def spec(status: int, texts: list[str]) -> ResponseSpec:
        description = f"{HTTPStatus(status).phrase}. " + " ".join(dict.fromkeys(texts))
        if status < 400 and handler is not None:
            return ResponseSpec(data_container=_body_type(handler), generate_examples=False, description=description)
        return ResponseSpec(data_container=Problem, media_type=PROBLEM_JSON, generate_examples=False,
                            description=description)
    return {status: spec(status, texts) for status, texts in causes.items()}


# -- what a client must send: security and request headers -------------------------------------------

SESSION, ENROLMENT, FEED = "sessionCookie", "enrolmentCookie", "feedToken"


def security_schemes(cookie_name: str) -> dict[str, SecurityScheme]:
    """The components' security schemes. The two cookie schemes are one cookie: what differs is the
    session it holds (a household's, after a passkey; or an enrolment's, after the activation code)."""
    return {
        SESSION: SecurityScheme(
            type="apiKey", name=cookie_name, security_scheme_in="cookie",
            description="The session of a logged-in household: set by `POST /api/login/verify` and by "
                        "`POST /api/passkeys/register/verify` (HttpOnly, SameSite=Strict)."),
        ENROLMENT: SecurityScheme(
            type="apiKey", name=cookie_name, security_scheme_in="cookie",
            description="The same cookie holding an enrolment session: set by `POST /api/activation`, it is "
                        "good only for registering the household's first passkey (other household routes "
                        "answer 401 until then)."),
        FEED: SecurityScheme(
            type="http", scheme="bearer",
            description="One token per organisation and data type, made with `python -m api feed-token`"),
    }


def security_of(handler: HTTPRouteHandler) -> list[SecurityRequirement]:
    """What the handler really requires, from its guards and dependencies: the feed token guard, the
    `di_household_session` dependency (a household's session only), the `di_session` dependency (a household's
    or an enrolment's session), or nothing (`[]`)."""
    needs = _needs(handler)
    requirement: list[SecurityRequirement] = [{}]
    if "feed-token" in _guards(handler):
        requirement = [{**r, FEED: []} for r in requirement]
    if "di_household_session" in needs:
        requirement = [{**r, SESSION: []} for r in requirement]
    elif "di_session" in needs:
        requirement = [{**r, scheme: []} for r in requirement for scheme in (SESSION, ENROLMENT)]
    return [] if requirement == [{}] else requirement


CSRF_PARAMETER = Parameter(
    name="-".join(w.capitalize() for w in CSRF_HEADER.split("-")), param_in="header", required=True,
    schema=Schema(type=OpenAPIType.STRING, min_length=1, examples=["toeslagen-pwa"]),
    description="Any value that is not empty (the PWA sends `toeslagen-pwa`): a cross-site form cannot send "
                "it. Without it the request is refused (403 `forbidden`), as is a request with an Origin "
                "or Sec-Fetch-Site of another site.")


def header_parameters(handler: HTTPRouteHandler) -> list[Parameter]:
    """The request header a guard reads: X-Requested-With where the CSRF guard applies. (It is not a
    Litestar header parameter: the guard refuses a request without it with a 403 `forbidden`, where
    parameter validation would answer 400; and it applies to the changing methods only, where a
    parameter layered on the /api router would be required of every GET too.) The headers a handler
    reads (Idempotency-Key) it declares itself, and Litestar documents them."""
    return [CSRF_PARAMETER] if "csrf" in _guards(handler) else []


# Retry-After: always with a 429; with a 503 when the database was busy (not for a missing year of rules)
_RETRY_AFTER = {
    "429": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER, minimum=0), required=True,
                         description="Seconds to wait before trying again"),
    "503": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER, minimum=0), required=False,
                         description="Seconds to wait before trying again (when the database was busy)"),
}


@dataclass
class ProblemOperation(Operation):
    """The Operation of every handler: adds the Retry-After header to 429 and 503 problems; an
    operation class `for_route` also sets the handler's security and adds its request headers."""

    route_security: ClassVar[list[SecurityRequirement] | None] = None
    route_headers: ClassVar[tuple[Parameter, ...]] = ()

    def __post_init__(self) -> None:
        for status, response in (self.responses or {}).items():
            if status in _RETRY_AFTER and isinstance(response, OpenAPIResponse):
                response.headers = {**(response.headers or {}), "Retry-After": _RETRY_AFTER[status]}
        if self.route_security is not None:
            self.security = list(self.route_security)  # `[]` stays: "no security", not "not said"
        if self.route_headers:
            self.parameters = [*(self.parameters or []), *self.route_headers]

    @classmethod
    def for_route(cls, security: list[SecurityRequirement], headers: list[Parameter]) -> type[ProblemOperation]:
        return type(cls.__name__, (cls,), {"route_security": security, "route_headers": tuple(headers)})


class ProblemResponses(ReceiveRoutePlugin):
    """Sets `responses=` and `operation_class` of each HTTP handler as its route is registered."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            # one handler serves one method here; a handler on several methods gets the union
            causes: dict[int, list[str]] = {}
            for method in sorted(handler.http_methods):
                for status, texts in causes_of(route, handler, method).items():
                    causes.setdefault(status, []).extend(texts)
            handler.responses = {**problem_responses(dict(sorted(causes.items())), handler),
                                 **(handler.responses or {})}
            if handler.resolve_security():
                raise TypeError(f"{handler}: declare no `security`; it is read from the guards and dependencies")
            if not (handler.operation_class is Operation or issubclass(handler.operation_class, ProblemOperation)):
                raise TypeError(f"{handler}: its own operation_class would lose the documented security")
            handler.operation_class = ProblemOperation.for_route(security_of(handler), header_parameters(handler))


# -- closed request objects -------------------------------------------------------------------------

class ClosedStructs(OpenAPISchemaPlugin):
    """`additionalProperties: false` for a Struct with forbid_unknown_fields; the schema itself is
    Litestar's own (the next plugin that supports the type makes it)."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return (not field_definition.is_union and field_definition.is_subclass_of(msgspec.Struct)
                and field_definition.type_.__struct_config__.forbid_unknown_fields)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        inner = next(p for p in schema_creator.plugins
                     if p is not self and schema_creator.plugin_supports_field(p, field_definition))
        schema = inner.to_openapi_schema(field_definition=field_definition, schema_creator=schema_creator)
        schema.additional_properties = False
        return schema


def plugins() -> list:
    return [ProblemResponses(), ClosedStructs()]

