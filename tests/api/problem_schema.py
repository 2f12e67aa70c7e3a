"""Checks a response against what /schema/openapi.json documents for its operation: the status is one
the operation lists, and an error body validates against the documented `Problem` schema (closed: no
member the schema does not name). Used by tests/api/test_openapi.py and the fuzz test."""

from __future__ import annotations

import copy
import json

import jsonschema_rs

PROBLEM = "application/problem+json"
PROBLEM_REF = "#/components/schemas/Problem"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations(spec: dict) -> dict[tuple[str, str], dict]:
    """{(METHOD, path): operation} of the schema."""
    return {(m.upper(), p): op for p, item in spec["paths"].items() for m, op in item.items() if m in METHODS}


def documented_statuses(spec: dict) -> dict[tuple[str, str], set[int]]:
    return {k: {int(s) for s in op["responses"]} for k, op in operations(spec).items()}


def problem_validator(spec: dict, *, closed: bool = True):
    """A validator of the Problem schema inside `spec`. closed=True also refuses members the schema does
    not name (RFC 9457 lets clients ignore unknown members; the test wants the schema complete)."""
    components = copy.deepcopy(spec["components"])
    if closed:
        for name in ("Problem", "ProblemError"):
            components["schemas"][name]["additionalProperties"] = False
    root = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": PROBLEM_REF, "components": components}
    return jsonschema_rs.validator_for(root)


def conformance_errors(spec: dict, validator, method: str, path: str, status: int, content_type: str,
                       body: bytes) -> list[str]:
    """What in this response the schema does not document (empty: all of it is documented). `path` is the
    schema's path template."""
    out = []
    statuses = documented_statuses(spec).get((method.upper(), path))
    if statuses is None:
        return [f"{method} {path} is not in the schema"]
    if status not in statuses:
        out.append(f"status {status} not documented for {method} {path} (documents {sorted(statuses)})")
    if status >= 400:
        if not (content_type or "").startswith(PROBLEM):
            out.append(f"content-type {content_type!r}")
        else:
            try:
                out += [f"Problem schema: {e.message}" for e in validator.iter_errors(json.loads(body))]
            except ValueError:
                out.append("body is no JSON")
    return out
