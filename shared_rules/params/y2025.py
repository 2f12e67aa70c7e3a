"""Toeslagjaar 2025. Huurtoeslag 2025 is the old system (a normhuur that rises with income,
Wht art. 17-19 as in force on 1 January 2025). The kinderopvangtoeslag percentage table 2025
(Besluit kinderopvangtoeslag, bijlage I) was not found: its value is None, so kinderopvangtoeslag
2025 answers `no_parameters` instead of guessing. Each value's source, unit and status: SOURCES."""

YEAR = 2025

ZORGTOESLAG = {
    "standaardpremie": 2112,
    "drempelinkomen": 28406,
    "pct_single": 1896,
    "pct_partner": 4273,
    "pct_above": 13700,
    "asset_limit_single": 141896,
    "asset_limit_partner": 179429,
    "partner_not_insured_share": 50000,
    "woonlandfactor": {"BE": 7981},  # only Belgium is known for 2025
}

KINDGEBONDEN_BUDGET = {
    "per_child": 2511,
    "alo_kop": 3389,
    "supplement_12_15": 703,
    "supplement_16_17": 936,
    "drempel_single": 28406,
    "drempel_partner": 37545,
    "afbouw": 7100,
    "asset_limit_single": 141896,
    "asset_limit_partner": 179429,
}

HUURTOESLAG = {
    "rent_limit": 90007,            # cents/month: above it no huurtoeslag at all (2025: a hard limit)
    "rent_limit_young": 47720,
    "young_age": 23,
    "max_service_costs": 4800,      # cents/month: 4 items of EUR 12
    "kwaliteitskortingsgrens": 47720,
    "aftoppingsgrens_small": 68296,
    "aftoppingsgrens_large": 73193,
    # normhuur (EUR/month) = a*Y^2 + b*Y, Y = rekeninkomen in EUR/year; a and b per 10**12
    "normhuur_a_single": 438698,
    "normhuur_b_single": 446392665,
    "normhuur_a_multi": 298184,
    "normhuur_b_multi": -1382497146,
    "ijkpunt_single": 2270000,      # cents/yr: minimum-inkomensijkpunt
    "ijkpunt_multi": 3045000,
    "verlaging_basishuur": 3714,
    "share_b": 65000,
    "share_c": 40000,
    "asset_limit_person": 37395,
    "asset_limit_partner": 74790,
    "exempt_income_child": 604200,
    "exempt_age": 23,
}

KINDEROPVANGTOESLAG = {
    "max_rate": {"dagopvang": 1071, "bso": 952, "gastouderopvang": 810},
    "max_hours": 230,
    "table": None,                  # Besluit kinderopvangtoeslag bijlage I (2025): not found
}

_HT_LAW = "Wet op de huurtoeslag (BWBR0008659), tekst geldig op 1 januari 2025, "
_HT_FACTORS = ("Regeling huurtoeslag 2025 (Staatscourant niet zelf gelezen); twee onafhankelijke publieke "
               "coderingen (een huurtoeslagcalculator 2025 en EUROMOD NL_2025) komen tot op het cijfer overeen en "
               "raken de ankerbedragen van Wht art. 17 en 18 (236,19 / 234,38 en 481,51 / 479,24)")

# (source, unit, status) per value; status "final" | "provisional" | "missing" (value None).
SOURCES = {
    "ZORGTOESLAG": {
        "standaardpremie": ("Regeling standaardpremie, Stcrt. 2024, 38887", "EUR per jaar per verzekerde", "final"),
        "drempelinkomen": ("Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2025 EUR 2.191,80 = 28.405,728); "
                           "afgerond als in Berekening zorgtoeslag 2025 (tg0821z51fd) stap 3", "EUR per jaar", "final"),
        "pct_single": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000", "final"),
        "pct_partner": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000", "final"),
        "pct_above": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000", "final"),
        "asset_limit_single": ("Wzt art. 3 lid 1 (2025); Meijburg Promemorie 2025 p. 33", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Wzt art. 3 lid 1 (2025); Meijburg Promemorie 2025 p. 33", "EUR op 1 januari", "final"),
        "partner_not_insured_share": ("Wzt art. 2 lid 4", "per 100000", "final"),
        "woonlandfactor": ("Regeling zorgverzekering bijlage (2025); Berekening zorgtoeslag 2025 rv3 (Belgie 0,7981)",
                           "per 10000 per land", "final"),
    },
    "KINDGEBONDEN_BUDGET": {
        "per_child": ("Wkb art. 2 lid 2 (2025); rijksoverheid.nl / wierdavannes.nl", "EUR per jaar per kind", "final"),
        "alo_kop": ("Wkb art. 2 lid 2 (2025); rijksoverheid.nl / wierdavannes.nl", "EUR per jaar", "final"),
        "supplement_12_15": ("Wkb art. 2 lid 4 (2025); 2026-bedrag 724 / tabelcorrectiefactor 1,029",
                             "EUR per jaar per kind", "final"),
        "supplement_16_17": ("Wkb art. 2 lid 5 (2025); 2026-bedrag 964 / tabelcorrectiefactor 1,029",
                             "EUR per jaar per kind", "final"),
        "drempel_single": ("Wkb art. 2 lid 6: drempelinkomen 2025 (Wzt art. 1 lid 1 onder f)", "EUR per jaar", "final"),
        "drempel_partner": ("Wkb art. 2 lid 6 (2025); secundaire bron, consistent met 2026 na indexatie",
                            "EUR per jaar", "final"),
        "afbouw": ("Wkb art. 2 lid 6; Belastingplan 2025", "per 100000", "final"),
        "asset_limit_single": ("Wkb art. 1 lid 4 jo. Wzt art. 3 (2025)", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Wkb art. 1 lid 4 jo. Wzt art. 3 (2025)", "EUR op 1 januari", "final"),
    },
    "HUURTOESLAG": {
        "rent_limit": (_HT_LAW + "art. 13 lid 1 onder a", "cent per maand", "final"),
        "rent_limit_young": (_HT_LAW + "art. 13 lid 1 onder b", "cent per maand", "final"),
        "young_age": (_HT_LAW + "art. 13 lid 1 onder b (jonger dan 23)", "jaar", "final"),
        "max_service_costs": (_HT_LAW + "art. 5 lid 3 (4 posten van EUR 12)", "cent per maand", "final"),
        "kwaliteitskortingsgrens": (_HT_LAW + "art. 20 lid 1", "cent per maand", "final"),
        "aftoppingsgrens_small": (_HT_LAW + "art. 20 lid 2 onder a", "cent per maand", "final"),
        "aftoppingsgrens_large": (_HT_LAW + "art. 20 lid 2 onder b", "cent per maand", "final"),
        "normhuur_a_single": (_HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR^2)", "final"),
        "normhuur_b_single": (_HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR)", "final"),
        "normhuur_a_multi": (_HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR^2)", "final"),
        "normhuur_b_multi": (_HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR)", "final"),
        "ijkpunt_single": (_HT_LAW + "art. 17 lid 1 (minimum-inkomensijkpunt EUR 22.700)", "cent per jaar", "final"),
        "ijkpunt_multi": (_HT_LAW + "art. 17 lid 1 (minimum-inkomensijkpunt EUR 30.450)", "cent per jaar", "final"),
        "verlaging_basishuur": ("Wet verlaging eigen bijdrage huurtoeslag (BWBR0049106) art. 1 onder b (2025)",
                                "cent per maand", "final"),
        "share_b": ("Besluit op de huurtoeslag art. 7 lid 1", "per 100000", "final"),
        "share_c": ("Besluit op de huurtoeslag art. 7 lid 2; vanaf 2025 voor ieder huishouden "
                    "(Rijksoverheid, 17 december 2024)", "per 100000", "final"),
        "asset_limit_person": ("Awir art. 7 lid 3 (2025); Meijburg Promemorie 2025", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Awir art. 7 lid 3 (2025); Meijburg Promemorie 2025", "EUR op 1 januari", "final"),
        "exempt_income_child": ("Awir art. 7 lid 6 (2025); Meijburg Promemorie 2025", "cent per jaar", "final"),
        "exempt_age": ("Awir art. 7 lid 6 (jonger dan 23 op 1 januari)", "jaar", "final"),
    },
    "KINDEROPVANGTOESLAG": {
        "max_rate": ("Besluit kinderopvangtoeslag art. 4 (2025); Meijburg Promemorie 2025; kinderopvang-wijzer.nl",
                     "cent per uur per opvangsoort", "final"),
        "max_hours": ("Wko art. 1.7 lid 2 (230 uur per kind per maand, sinds 2023: Stb. 2022, 386)",
                      "uur per kind per maand", "final"),
        "table": ("Besluit kinderopvangtoeslag bijlage I (2025): niet gevonden", "per 1000", "missing"),
    },
}
