"""Toeslagjaar 2024. Only zorgtoeslag is here: the other toeslagen have no verified 2024 parameters
and are reported as `no_parameters`. Each value's source, unit and status: SOURCES below."""

YEAR = 2024

# What a toeslag without a section here says (the default, "nog niet bekend", fits future years only).
MISSING_TEXT = ("De bedragen voor 2024 hebben we niet. Daarom kunnen we deze toeslag voor 2024 niet "
                "uitrekenen.")

ZORGTOESLAG = {
    "standaardpremie": 1987,
    "drempelinkomen": 26819,
    "pct_single": 1879,
    "pct_partner": 4256,
    "pct_above": 13670,
    "asset_limit_single": 140213,
    "asset_limit_partner": 177301,
    "partner_not_insured_share": 50000,
    "woonlandfactor": {},           # not found for 2024: a verdragsgerechtigde is refused (field named)
}

# (source, unit, status) per value; status "final" | "provisional" | "missing" (value None).
SOURCES = {
    "ZORGTOESLAG": {
        "standaardpremie": ("Regeling standaardpremie, Stcrt. 2023, 32413", "EUR per jaar per verzekerde", "final"),
        "drempelinkomen": ("Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2024 EUR 2.069,40); afgerond als in "
                           "Berekening zorgtoeslag 2024 (tg0821z41fd) stap 3", "EUR per jaar", "final"),
        "pct_single": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000", "final"),
        "pct_partner": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000", "final"),
        "pct_above": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000", "final"),
        "asset_limit_single": ("Wzt art. 3 lid 1 (2024)", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Wzt art. 3 lid 1 (2024)", "EUR op 1 januari", "final"),
        "partner_not_insured_share": ("Wzt art. 2 lid 4", "per 100000", "final"),
        "woonlandfactor": ("Regeling zorgverzekering bijlage (2024): niet gevonden, lege tabel",
                           "per 10000 per land", "final"),
    },
}
