"""The betalingsregeling at the HTTP edge."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec


class ArrangementRequest(msgspec.Struct, forbid_unknown_fields=True):
    # the terugvordering: a correction line of the household's ledger (GET /api/overview `ledger`)
    correction_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
    # standaard: the whole amount in 24 monthly terms; persoonlijk: a lower monthly term the household
    # can pay (`monthly`), which Dienst Toeslagen then weighs
    kind: Literal["standaard", "persoonlijk"] = "standaard"
    monthly: Annotated[int, msgspec.Meta(ge=1, le=10**11)] | None = None  # cents; persoonlijk only


class ArrangementOut(msgspec.Struct, kw_only=True):
    correction_id: str
    toeslag: str
    year: int
    repayment: int              # the amount to pay back, cents (> 0)
    status: Literal["betalingsregeling"]
    arrangement_kind: Literal["standaard", "persoonlijk"]
    arrangement_monthly: int    # the monthly term asked for, cents
    standard_monthly: int       # the standard regeling's monthly term (24 months), cents
    requested_on: str           # ISO date
    message: str                # plain Dutch: what was asked and what happens now
