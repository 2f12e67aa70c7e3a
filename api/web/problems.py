"""RFC 9457 problem details for every error: our own, Litestar's (validation, 404, 405, 413), and
shared_rules' InputError. `detail` is plain Dutch for the app; `field` names the offending field."""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any, TypedDict

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, InternalServerException, SerializationException, ValidationException
from litestar.params import HeaderParameter
from litestar.typing import FieldDefinition

from .security_log import event

log = logging.getLogger("api.problems")

# refused access (401, 403) and refused input (400, 413, 415, 422): one security event each (ASVS 7.1.3,
# 7.2.2), with the kind of problem and the field's name, never its value
ACCESS_DENIED = {401, 403}
INPUT_REFUSED = {400, 413, 415, 422}

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "/problems/"


class Problem(Exception):
    def __init__(self, status: int, slug: str, title: str, detail: str, *, field: str | None = None,
                 headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(f"{status} {slug}")
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.field = field
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        b: dict[str, Any] = {
            "type": TYPE_BASE + self.slug if self.slug != "about:blank" else "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if self.field:
            b["field"] = self.field
        b.update(self.extra)
        return b


# -- constructors for the common cases ------------------------------------------------------------

def invalid(field: str, detail: str, *, status: int = 422) -> Problem:
    return Problem(status, "validation-error", "Ongeldige invoer", detail, field=field,
                   extra={"errors": [{"field": field, "detail": detail}]})


def not_found(detail: str = "Dit hebben we niet gevonden.", *, field: str | None = None) -> Problem:
    return Problem(404, "not-found", "Niet gevonden", detail, field=field)


def unauthorized(detail: str = "Je bent niet ingelogd. Log opnieuw in met je sleutel.") -> Problem:
    return Problem(401, "not-logged-in", "Niet ingelogd", detail)


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Niet toegestaan", detail)


def conflict(slug: str, detail: str, *, field: str | None = None, status: int = 409) -> Problem:
    return Problem(status, slug, "Conflict", detail, field=field)


def too_many(retry_after: int) -> Problem:
    return Problem(429, "too-many-requests", "Te veel pogingen",
                   "Je hebt het te vaak geprobeerd. Wacht even en probeer het daarna opnieuw.",
                   headers={"Retry-After": str(retry_after)})


# -- Litestar/msgspec validation messages in plain Dutch -----------------------------------------

_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"unknown field `([^`]*)`"), "Dit veld kennen we niet."),
    (re.compile(r"missing required field `([^`]*)`"), "Dit veld ontbreekt."),
    (re.compile(r"Invalid enum value|Invalid value"), "Deze waarde is niet toegestaan."),
    (re.compile(r"Invalid date|Invalid RFC3339"), "Dit is geen geldige datum. Gebruik JJJJ-MM-DD."),
    (re.compile(r"Expected `int`.*>="), "Dit getal is te klein."),
    (re.compile(r"Expected `int`.*<="), "Dit getal is te groot."),
    (re.compile(r"Expected `str` of length <="), "Deze tekst is te lang."),
    (re.compile(r"Expected `str` of length >="), "Deze tekst is te kort."),
    (re.compile(r"Expected `str` matching regex"), "Deze tekst heeft niet de goede vorm."),
    (re.compile(r"Expected `array` of length <="), "Deze lijst is te lang."),
    (re.compile(r"Expected `array` of length >="), "Deze lijst is te kort."),
    (re.compile(r"Expected `int`"), "Vul hier een heel getal in."),
    (re.compile(r"Expected `str`"), "Vul hier tekst in."),
    (re.compile(r"Expected `bool`"), "Vul hier ja of nee in (true of false)."),
    (re.compile(r"Expected `object`"), "Hier hoort een object ({ … })."),
    (re.compile(r"Expected `array`"), "Hier hoort een lijst ([ … ])."),
    (re.compile(r"Expected `null`"), "Dit veld moet leeg zijn."),
]


def dutch(message: str) -> str:
    for pattern, text in _RULES:
        if pattern.search(message):
            return text
    return "Deze waarde klopt niet."


def _field_from(message: str, key: str | None) -> str | None:
    """Join Litestar's key with the field named inside the msgspec message, as a dotted path."""
    path = None
    m = re.search(r"at `\$(?:\.data)?\.?([^`]*)`", message)
    if m:
        path = m.group(1)
    elif key:
        path = key
    inner = re.search(r"(?:unknown|missing required) field `([^`]*)`", message)
    if inner:
        path = f"{path}.{inner.group(1)}" if path else inner.group(1)
    if path is not None:
        path = re.sub(r"^data\.?", "", path)
        path = re.sub(r"\.\[", "[", path)
    return path or None


# -- the handlers ---------------------------------------------------------------------------------

def problem_response(problem: Problem) -> Response:
    return Response(
        content=msgspec.json.encode(problem.body()),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def refused(request: Request, problem: Problem) -> Response:
    """The problem's response, and its security event when it refuses access or input."""
    if problem.status in ACCESS_DENIED or problem.status in INPUT_REFUSED:
        event("access.denied" if problem.status in ACCESS_DENIED else "input.refused", status=problem.status,
              type=problem.slug, field=problem.field, method=request.method, path=request.url.path)
    return problem_response(problem)


def handle_problem(request: Request, exc: Problem) -> Response:
    return refused(request, exc)


class FieldError(TypedDict):
    """One entry of a validation problem's `errors`."""

    field: str | None
    detail: str
    source: Any


def header_name(name: str, field: FieldDefinition) -> str | None:
    """The header a handler's parameter reads (`Idempotency-Key`), or None when it is no header."""
    kwarg = field.kwarg_definition
    if isinstance(kwarg, HeaderParameter):
        return kwarg.name or name
    return getattr(kwarg, "header", None)


def parameters(handler: Any) -> dict[str, FieldDefinition]:
    """The parameters a route handler asks for: its own and, through the dependencies it names, theirs
    (a header such as Idempotency-Key may be declared by a dependency: web/route.py)."""
    dependencies = handler.resolve_dependencies()
    out: dict[str, FieldDefinition] = {}
    todo = list(handler.parsed_fn_signature.parameters.items())
    while todo:
        name, field = todo.pop()
        if name not in out:
            out[name] = field
            if name in dependencies:
                todo += list(dependencies[name].parsed_fn_signature.parameters.items())
    return out


def _header_name(request: Request, key: str | None) -> str | None:
    """A header parameter by the header's name, not the argument's name."""
    field = parameters(request.route_handler).get(key) if isinstance(key, str) else None
    return (header_name(key, field) if key and field else None) or key


def handle_validation(request: Request, exc: ValidationException) -> Response:
    errors: list[FieldError] = []
    extra = exc.extra if isinstance(exc.extra, list) else []
    for e in extra:
        if not isinstance(e, dict):
            continue
        msg = str(e.get("message", ""))
        key = e.get("key")
        if e.get("source") == "header":
            key = _header_name(request, key)
        field = _field_from(msg, key)
        errors.append({"field": field, "detail": dutch(msg), "source": e.get("source")})
    if not errors:
        detail = exc.detail or ""
        if "JSON" in detail or "json" in detail or "decode" in detail.lower():
            p = Problem(400, "malformed-body", "Ongeldige invoer", "De gegevens zijn geen geldige JSON.")
            return refused(request, p)
        missing = re.search(r"Missing required (\w+) parameter '([^']+)'", detail)
        if missing:
            errors.append({"field": missing.group(2), "detail": "Dit veld ontbreekt.", "source": missing.group(1)})
        else:
            errors.append({"field": None, "detail": dutch(detail), "source": None})
    first = errors[0]
    p = Problem(400, "validation-error", "Ongeldige invoer", first["detail"], field=first["field"],
                extra={"errors": errors})
    return refused(request, p)


_TITLES = {
    400: ("bad-request", "Ongeldig verzoek", "Dit verzoek kunnen we niet verwerken."),
    401: ("not-logged-in", "Niet ingelogd", "Je bent niet ingelogd."),
    403: ("forbidden", "Niet toegestaan", "Dit mag niet."),
    404: ("not-found", "Niet gevonden", "Deze pagina of dit gegeven bestaat niet."),
    405: ("method-not-allowed", "Methode niet toegestaan", "Dit soort verzoek kan hier niet."),
    413: ("body-too-large", "Te veel gegevens", "Je stuurt te veel gegevens in één keer."),
    415: ("unsupported-media-type", "Verkeerd formaat", "Stuur de gegevens als JSON."),
    429: ("too-many-requests", "Te veel verzoeken", "Te veel verzoeken. Probeer het later opnieuw."),
}


def handle_http(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, ValidationException):
        return handle_validation(request, exc)
    status = exc.status_code
    slug, title, detail = _TITLES.get(status, ("error", "Fout", "Er ging iets mis."))
    # a body Litestar could not decode ("Input data was truncated", "JSON is malformed: …")
    if status == 400 and (isinstance(exc.__cause__, SerializationException) or (exc.detail and "JSON" in exc.detail)):
        slug, detail = "malformed-body", "De gegevens zijn geen geldige JSON."
    if client_went_away(exc):
        # not a server error: nobody is there to read an answer. Logged low, as nginx's 499.
        log.info("client closed the request (499) on %s %s", request.method, request.url.path)
        return problem_response(Problem(499, "client-closed-request", "Verbinding verbroken",
                                        "De verbinding werd verbroken voordat alle gegevens binnen waren."))
    if status >= 500:
        log.error("server error %s on %s %s", status, request.method, request.url.path)
        slug, title, detail = "server-error", "Serverfout", "Er ging bij ons iets mis. Probeer het later opnieuw."
    headers = dict(exc.headers or {})
    return refused(request, Problem(status, slug, title, detail, headers=headers))


def client_went_away(exc: HTTPException) -> bool:
    # Litestar's Request.stream() raises this when the ASGI server reports http.disconnect mid-body
    return isinstance(exc, InternalServerException) and exc.detail == "client disconnected prematurely"


def html_404_to_problem(response: Response) -> Response:
    """after_request of the OpenAPI router: Litestar answers an unknown /schema/<path> with an HTML page."""
    media_type = getattr(response.media_type, "value", response.media_type)  # MediaType.HTML or a str
    if response.status_code == 404 and str(media_type).startswith("text/html"):
        return problem_response(not_found())
    return response


def handle_input_error(request: Request, exc: Exception) -> Response:
    # shared_rules.InputError: a situation the rules refuse; `.field` names it.
    field = getattr(exc, "field", None)
    message = getattr(exc, "message", str(exc))
    p = Problem(422, "rules-input-error", "Ongeldige invoer",
                f"Deze gegevens kunnen we niet berekenen ({message}).", field=field)
    return refused(request, p)


def handle_recursion(request: Request, exc: RecursionError) -> Response:
    # deeply nested JSON ([[[[…]]]]) that the decoder or validator refuses to walk
    return refused(request, Problem(400, "malformed-body", "Ongeldige invoer", "De gegevens zijn te diep genest."))


def handle_database_error(request: Request, exc: Exception) -> Response:
    """sqlite3.OperationalError: a database busy with another process past the wait is temporary (503,
    Retry-After; the PWA outbox sends again with the same Idempotency-Key); so is a PostgreSQL server
    that cannot be reached (restarting, a network cut: the store reconnects on the next request);
    anything else is a 500."""
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        log.warning("database busy on %s %s", request.method, request.url.path)
        return problem_response(Problem(503, "busy", "Even druk",
                                        "Het is nu erg druk. Probeer het over een paar seconden opnieuw.",
                                        headers={"Retry-After": "2"}))
    if _database_unreachable(exc):
        # the type only: the message names the server's address
        log.warning("database unreachable (%s) on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem_response(Problem(503, "unavailable", "Even niet bereikbaar",
                                        "We kunnen je gegevens nu even niet bereiken. Probeer het over een paar "
                                        "seconden opnieuw.", headers={"Retry-After": "5"}))
    return handle_unexpected(request, exc)


# SQLSTATEs of a server that went away: class 08 (connection exception), 57P01-57P03 (shut down by the
# administrator or a crash, not accepting connections yet)
_GONE = ("08", "57P01", "57P02", "57P03")


def _database_unreachable(exc: Exception) -> bool:
    """A psycopg error about the connection rather than the statement: no SQLSTATE (the client lost the
    socket, or the pool found no connection in time: psycopg_pool.PoolTimeout) or one of _GONE."""
    if not type(exc).__module__.startswith(("psycopg", "psycopg_pool")):
        return False
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith(_GONE)


def handle_unexpected(request: Request, exc: Exception) -> Response:
    # Log the type and route only: the message may carry personal data.
    log.error("unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path,
              "".join(traceback.format_tb(exc.__traceback__)))
    return problem_response(Problem(500, "server-error", "Serverfout",
                                    "Er ging bij ons iets mis. Probeer het later opnieuw."))
