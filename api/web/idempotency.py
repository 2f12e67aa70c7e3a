"""Idempotency-Key: the first response to (scope, key) is stored with a hash of the request, in the
same transaction as the change itself. A replay returns that response verbatim and changes nothing;
the same key with another request is refused (422)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, cast

import msgspec
from litestar import Request, Response
from litestar.params import HeaderParameter
from sqlite_utils import Database

from ..settings import Settings
from ..store import Store
from ..store import idempotency as idem_store
from ..util import iso, sha256_hex
from .body import strict
from .problems import Problem, invalid

HEADER = "Idempotency-Key"
_FORMAT = r"[A-Za-z0-9_.:\-]{1,128}"
KEY = re.compile(f"^{_FORMAT}$")  # the Idempotency-Key format, once it is unquoted

# A handler that honours the header declares it as a parameter, `idempotency_key: idempotency.Key = None`,
# itself (the feeds) or through the dependency it asks for (`di_change`, web/route.py): Litestar then
# documents it (OpenAPI) and refuses a malformed one (400 `validation-error`, field `Idempotency-Key`)
# before the handler runs. The handler reads it through `read` (unquoted).
Key = Annotated[str | None, HeaderParameter(
    name=HEADER, required=False, pattern=f'^"?{_FORMAT}"?$',
    description="Optional. 1 to 128 of `A-Z a-z 0-9 _ . : -`, bare or as a quoted string (`\"key\"`, as the "
                "IETF draft sends it); anything else is a 400. The first success with a key is stored: "
                "the same request with the same key again gets that response (with `Idempotent-Replayed: "
                "true`) and changes nothing; another request with the same key is a 422. Keys are per "
                "household over all its routes (for a feed: per organisation and data type).",
    schema_extra={"examples": ["0b6f2c9e-4d1a-4f7e"]})]


def key_from(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip().strip('"')  # the IETF draft sends it as a quoted string
    if not KEY.match(key):
        raise invalid(HEADER, "De Idempotency-Key mag 1 tot 128 tekens hebben: letters, cijfers en _ . : -",
                      status=400)
    return key


def request_hash(method: str, path: str, body: object) -> str:
    return sha256_hex(method.encode() + b" " + path.encode() + b"\n" + msgspec.json.encode(body))


async def read(request: Request, type_: type) -> tuple[Any, str | None, str]:
    """What every changing route needs: the strictly decoded body, the Idempotency-Key and the hash of the
    request (its own method and path, so a route never spells its path a second time)."""
    data: Any = await strict(request, type_)
    return data, key_from(request), request_hash(request.method, request.url.path, data)


def run(store: Store, settings: Settings, scope: str, key: str | None, req_hash: str,
        fn: Callable[[Database], tuple[int, object]]) -> Response:
    def once(db: Database) -> Response:
        if key is not None:
            rec = idem_store.get(db, scope, key)
            if rec is not None:
                if rec["request_hash"] != req_hash:
                    raise Problem(422, "idempotency-key-reused", "Sleutel al gebruikt",
                                  "Deze Idempotency-Key is al gebruikt voor een ander verzoek.", field=HEADER)
                return Response(content=bytes(rec["response_body"]), status_code=rec["status_code"],
                                media_type="application/json", headers={"Idempotent-Replayed": "true"})
        status, body = fn(db)
        raw = msgspec.json.encode(body)
        if key is not None:
            idem_store.put(db, scope, key, req_hash, status, raw, iso(settings.now()))
        return Response(content=raw, status_code=status, media_type="application/json")

    # a household's scope ("hh:<id>") writes that household only: its lock, not the global one (store/db.py);
    # a transaction that lost a deadlock runs again whole (the record and the change go in together or not)
    return cast(Response, store.run_write(once, household=scope[3:] if scope.startswith("hh:") else None))
