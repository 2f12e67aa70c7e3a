"""The ledger of one household, toeslag and year: the one place the screens read money from.

Lines (typed below):
- a **paid** line per month whose voorschot was paid: the amount and the date. It is never rewritten.
  A month whose payment date has passed without a recorded payment (the payment run is not
  materialised for every day) was paid with the voorschot of the decision in force *on that date*.
- the **due** amount per month: the voorschot of the decision in force now.
- a **correction** line per decision that changed months already paid: a nabetaling (> 0, paid out on
  the next payment date) or a terugvordering (< 0, open until repaid, or under a betalingsregeling),
  and the definitive settlement of a year (issue #15), which closes the year.

"Al betaald" is `paid_so_far()`: the sum of the payment lines, i.e. the voorschotten paid plus the
corrections that have been settled (money that moved). An open terugvordering is not subtracted
from it: it is shown as its own line until it is settled.
"""

from __future__ import annotations

from .build import build, build_all, in_force_on, nabetaling_date
from .lines import CorrectionLine, MonthLine, ToeslagLedger, paid_so_far

__all__ = [
           "CorrectionLine",
           "MonthLine",
           "ToeslagLedger",
           "build",
           "build_all",
           "in_force_on",
           "nabetaling_date",
           "paid_so_far",
]
