"""Which toeslag years are open at a date: the rule lives in api/household/years.py (below the domains
that use it); re-exported here for the year views."""

from ..household.years import CURRENT, NEXT, PAST, kind_of, next_year_open, open_years  # noqa: F401
