"""What /schema/openapi.json says about errors, as data: the documented problem+json body (`Problem`,
what problems.py, handle_validation and body.strict really send), one sentence per cause of an error
status (`CAUSES`), and per route what only its own code shows (`ROUTES`). openapi.py turns them into
each operation's responses."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

# -- the documented body: what Problem.body(), handle_validation and body.strict really send ----------

class ProblemError(msgspec.Struct):
    """One refused field of a validation error."""

    field: Annotated[str | None, Meta(description="The field as a dotted path (`change.partner.bsn`, "
                                                  "`reports[2].month`), a parameter or header name, or null "
                                                  "when it could not be told")]
    detail: Annotated[str, Meta(description="What is wrong, in plain Dutch")]
    source: Annotated[str | None, Meta(description="Where the field is: `body`, `query`, `path`, `header` or "
                                                   "`cookie` (null when unknown)")] | UnsetType = UNSET


class Problem(msgspec.Struct, kw_only=True):
    """An RFC 9457 problem: the body of every error response."""

    type: Annotated[str, Meta(description="The kind of problem, a stable URI reference (`/problems/<slug>`), "
                                          "e.g. `/problems/validation-error`",
                              pattern=r"^(/problems/[a-z0-9-]+|about:blank)$")]
    title: Annotated[str, Meta(description="A short summary of the kind of problem, in Dutch")]
    status: Annotated[int, Meta(ge=400, le=599, description="The HTTP status code")]
    detail: Annotated[str, Meta(description="What happened and what to do, in plain Dutch (B1)")]
    instance: Annotated[str, Meta(description="RFC 9457 member for this occurrence; this API does not send it "
                                              "(yet)")] | UnsetType = UNSET
    field: Annotated[str, Meta(description="Extension: the offending field, parameter or header (dotted path)")] \
        | UnsetType = UNSET
    errors: Annotated[list[ProblemError], Meta(description="Extension of validation errors: every refused "
                                                           "field")] | UnsetType = UNSET


# -- why a route answers with a status: one sentence per cause -----------------------------------------

CAUSES: dict[str, dict[int, str]] = {
    "body": {
        400: "The body is not JSON or is nested too deep (`malformed-body`), or a field has the wrong type, is "
             "missing or is unknown (`validation-error`; `field` names the first, `errors` every one), or a key "
             "appears twice in one object (`duplicate-key`; `field` names the key), or the request cannot be "
             "read at all, e.g. a wrong Content-Length (`bad-request`).",
        413: "The body is larger than this route accepts (`body-too-large`).",
        415: "The body's Content-Type is not application/json (`unsupported-media-type`).",
    },
    "params": {400: "A path or query parameter is missing or out of range (`validation-error`)."},
    "typed-path": {404: "A path segment of the wrong type matches no route (`not-found`)."},
    "session": {401: "No valid session: no cookie, or an expired or ended one (`not-logged-in`)."},
    "household-session": {401: "No valid session (no cookie, or an expired or ended one), or an enrolment "
                               "session that has not registered a passkey yet (`not-logged-in`)."},
    "csrf": {403: "The X-Requested-With header is missing, or the request comes from another site (`forbidden`)."},
    "feed-token": {
        401: "No bearer token, or an unknown or revoked one (`feed-token-missing`, `feed-token-invalid`).",
        403: "The token is for another data type (`forbidden`).",
    },
    "store": {503: "The database is busy with another process (`busy`, with Retry-After). Send the request "
                   "again; a changing request with the same Idempotency-Key."},
    "idempotency": {
        400: "The Idempotency-Key header is not 1 to 128 of `A-Z a-z 0-9 _ . : -` (`validation-error`, field "
             "`Idempotency-Key`).",
        422: "The Idempotency-Key was used before with another request (`idempotency-key-reused`).",
    },
    "rate-limit": {429: "Too many attempts from this client (`too-many-requests`, with Retry-After)."},
    "rules": {
        422: "The rules refuse the household's situation (`rules-input-error`; `field` names it).",
        503: "There are no rules for this year yet (`no-rules-for-year`).",
    },
    "household": {404: "The session's household is not there any more (`not-found`)."},
    "server": {500: "Something went wrong on our side (`server-error`); nothing to do but try again later."},
}

# What a handler's own code can answer with, beyond what its declaration shows (see `causes_of`):
# shared causes by name, and domain refusals as {status: sentence}; a status below 400 is another success
# (its body is the handler's own response type). Whether a handler honours the Idempotency-Key is read from
# its parameters (`reads_idempotency_key`), not listed here. Keys are "METHOD path" as in the schema;
# tests/api/test_openapi.py checks that every key names an operation.
RATE, RULES, HH = "rate-limit", "rules", "household"
REAUTH = ("The session's passkey login is too long ago to add or remove a passkey: log in again "
          "(`reauth-required`).")

ROUTES: dict[str, tuple[Any, ...]] = {
    # identity
    "POST /api/activation": (RATE, {422: "The activation code is wrong, used or expired (`validation-error`, "
                                         "field `code`)."}),
    "POST /api/passkeys/register/options": ({403: REAUTH},),
    "POST /api/passkeys/register/verify": ({400: "The passkey was not accepted (`passkey-failed`).",
                                            403: REAUTH,
                                            409: "This passkey is registered already (`passkey-exists`)."},),
    "POST /api/login/options": (RATE,),
    "POST /api/login/verify": ({400: "The passkey was not accepted (`passkey-failed`)."},),
    "DELETE /api/passkeys/{passkey_id}": ({403: REAUTH,
                                           404: "The household has no such passkey (`not-found`).",
                                           409: "It is the household's last passkey (`last-passkey`)."},),
    # household
    "GET /api/household": (HH,),
    "GET /api/overview": (HH, RULES, {422: "The year is not an open toeslag year of the household, or its "
                                          "definitieve berekening was made (`validation-error`, `year-closed`; "
                                          "field `year`)."}),
    "GET /api/history": (HH,),
    "GET /api/messages": (HH,),
    # changes
    "POST /api/changes/preview": (HH, RULES, {
        404: "A contract or child the change names is not the household's (`not-found`, `field`).",
        409: "The household has a toeslagpartner already (`partner-exists`).",
        422: "The change does not fit the household or the year (`validation-error`, `field`)."}),
    "POST /api/changes": (HH, RULES, {
        404: "A contract or child the change names is not the household's (`not-found`, `field`).",
        409: "The household has a toeslagpartner already (`partner-exists`).",
        422: "The change does not fit the household or the year (`validation-error`, `field`)."}),
    "POST /api/applications": (HH, RULES, {
        409: "The household applied for this toeslag this year already (`already-applied`).",
        422: "With its data the household gets no such toeslag (`validation-error`, field `toeslag`)."}),
    # the year cycle
    "GET /api/years": (HH, RULES, {422: "The year is not an open toeslag year of the household, or its "
                                        "definitieve berekening was made (`validation-error`, `year-closed`; "
                                        "field `year`)."}),
    **{f"POST /api/years/{path}": (HH, RULES, {
        422: "The year is not a past year still open, or the household had no toeslagpartner that year "
             "(`validation-error`, `year-closed`; field `year` or `person`)."})
       for path in ("final-income", "final-income/preview")},
    # childcare
    "GET /api/childcare": (HH, RULES),
    "POST /api/childcare/adopt/preview": (HH, RULES, {
        404: "The household has no such contract (`not-found`, field `contract`).",
        422: "Nothing to adopt for this contract and month (`validation-error`, `field`)."}),
    "POST /api/childcare/adopt": (HH, RULES, {
        404: "The household has no such contract (`not-found`, field `contract`).",
        422: "Nothing to adopt for this contract and month (`validation-error`, `field`)."}),
    "POST /api/childcare/undo": (HH, RULES, {
        404: "The household has no such adoption (`not-found`, field `event_id`).",
        409: "The adoption cannot be undone: undone already, its month is over, or the hours changed since "
             "(`already-undone`, `undo-too-late`, `changed-since`)."}),
    "POST /api/childcare/correct": (HH, RULES, {
        404: "The household has no such contract (`not-found`, field `contract`).",
        422: "The month or figures do not fit the contract (`validation-error`, `field`)."}),
    "POST /api/childcare/dispute": ({
        404: "The household has no such report (`not-found`, field `report_id`).",
        409: "A newer report replaced it, or it was disputed already (`report-replaced`, `already-disputed`)."},),
    # prompts
    "POST /api/prompts/{prompt_id}/dismiss": ({
        404: "The household has no such prompt (`not-found`).",
        409: "The prompt was dealt with already (`prompt-closed`)."},),
    # repayments
    "POST /api/repayments/arrangement": ({
        404: "The household has no such correction line (`not-found`, field `correction_id`).",
        409: "The terugvordering was repaid already, or has a betalingsregeling already (`repayment-settled`, "
             "`arrangement-exists`; field `correction_id`).",
        422: "The line is no terugvordering, or the monthly term does not fit the kind of regeling "
             "(`validation-error`, field `correction_id` or `monthly`)."},),
    # income
    "GET /api/income": (HH,),
    "POST /api/income/cautious/preview": (HH, RULES, {
        422: "The choice does not fit the household's income or year (`validation-error`, field `mode` or "
             "`percentage`)."}),
    "POST /api/income/cautious": (HH, RULES, {
        422: "The choice does not fit the household's income or year (`validation-error`, field `mode` or "
             "`percentage`)."}),
    # push
    "POST /api/push/subscriptions": ({200: "The device had a subscription with this endpoint already: its keys "
                                           "are updated (a new one is a 201).",
                                      422: "The endpoint or a key is not acceptable (`validation-error`, `field`)."},),
    "DELETE /api/push/subscriptions": ({404: "No device with this endpoint gets reminders (`not-found`, field "
                                             "`endpoint`)."},),
    "PUT /api/push/settings": ({422: "Quiet hours that begin when they end (`validation-error`, field "
                                     "`quiet_hours.end`)."},),
    # partner feeds
    **{f"POST /feeds/{feed}": ({
        404: "A person (or, for hours, a contract at that location in that month) is not known for the "
             "organisation (`not-found`, `field`).",
        422: "A report does not fit: a month in the future or too old, a reference and a bsn together or "
             "neither, an invalid bsn, a repeated month, more hours than the month has "
             "(`validation-error`, `field`)."},) for feed in ("childcare-hours", "income", "insurance", "rent")},
    "POST /feeds/income-final": ({
        404: "A person is not known for the organisation (`not-found`, `field`).",
        422: "A report does not fit: a year not over yet or more than five years back, a reference and a bsn "
             "together or neither, an invalid bsn (`validation-error`, `field`)."},),
}
