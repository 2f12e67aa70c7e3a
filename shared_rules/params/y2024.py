"""Toeslagjaar 2024. Only zorgtoeslag is here: the other toeslagen have no verified 2024 parameters
and are reported as `no_parameters`. Each value's source, unit and status: SOURCES below."""

from .entries import final, section

YEAR = 2024

# What a toeslag without a section here says (the default, "nog niet bekend", fits future years only).
MISSING_TEXT = ("De bedragen voor 2024 hebben we niet. Daarom kunnen we deze toeslag voor 2024 niet "
                "uitrekenen.")

# Each toeslag's parameters: a value with its source, unit and status (params/entries.py);
# section() keeps the values here and the (source, unit, status) in SOURCES.
SOURCES = {}

ZORGTOESLAG = section(SOURCES, "ZORGTOESLAG", {
    "standaardpremie": final(1987, "Regeling standaardpremie, Stcrt. 2023, 32413", "EUR per jaar per verzekerde"),
    "drempelinkomen": final(26819,
                            "Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2024 EUR 2.069,40); afgerond als in "
                            "Berekening zorgtoeslag 2024 (tg0821z41fd) stap 3", "EUR per jaar"),
    "pct_single": final(1879, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000"),
    "pct_partner": final(4256, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000"),
    "pct_above": final(13670, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2024 (tg0821z41fd)", "per 100000"),
    "asset_limit_single": final(140213, "Wzt art. 3 lid 1 (2024)", "EUR op 1 januari"),
    "asset_limit_partner": final(177301, "Wzt art. 3 lid 1 (2024)", "EUR op 1 januari"),
    "partner_not_insured_share": final(50000, "Wzt art. 2 lid 4", "per 100000"),
    # not found for 2024: a verdragsgerechtigde is refused (field named)
    "woonlandfactor": final({}, "Regeling zorgverzekering bijlage (2024): niet gevonden, lege tabel", "per 10000 per land"),
})
