"""Toeslagjaar 2024. Only zorgtoeslag is complete for 2024; the other toeslagen have no
parameters here on purpose (see SPEC.md section 6) and are reported as not computable."""

YEAR = 2024

ZORGTOESLAG = {
    "standaardpremie": 1987,        # EUR/yr per verzekerde; Stcrt. 2023, 32413
    "drempelinkomen": 26819,        # EUR; Berekening zorgtoeslag 2024 (tg0821z41fd) stap 3 (108% x 12 x WML 2069.40, rounded as the Dienst does)
    "pct_single": 1879,             # 1.879 % per 100000; Wzt art. 2 lid 3
    "pct_partner": 4256,            # 4.256 %
    "pct_above": 13670,             # 13.670 %
    "asset_limit_single": 140213,   # EUR on 1 Jan; Wzt art. 3 lid 1
    "asset_limit_partner": 177301,
    "partner_not_insured_share": 50000,  # 50 % per 100000; Wzt art. 2 lid 4
    "woonlandfactor": {},           # not found for 2024: a verdragsgerechtigde is not computable
}
