"""Toeslagjaar 2025. Huurtoeslag 2025 is the old system (a normhuur that rises with income,
Wht art. 17-19 as in force on 1 January 2025). The kinderopvangtoeslag percentage table 2025
(Besluit kinderopvangtoeslag, bijlage I) was not found: its value is None, so kinderopvangtoeslag
2025 answers `no_parameters` instead of guessing. Each value's source, unit and status: SOURCES."""

from .entries import final, missing, section

YEAR = 2025

_HT_LAW = "Wet op de huurtoeslag (BWBR0008659), tekst geldig op 1 januari 2025, "

_HT_FACTORS = ("Regeling huurtoeslag 2025 (Staatscourant niet zelf gelezen); twee onafhankelijke publieke "
               "coderingen (een huurtoeslagcalculator 2025 en EUROMOD NL_2025) komen tot op het cijfer overeen en "
               "raken de ankerbedragen van Wht art. 17 en 18 (236,19 / 234,38 en 481,51 / 479,24)")

# Each toeslag's parameters: a value with its source, unit and status (params/entries.py);
# section() keeps the values here and the (source, unit, status) in SOURCES.
SOURCES = {}

ZORGTOESLAG = section(SOURCES, "ZORGTOESLAG", {
    "standaardpremie": final(2112, "Regeling standaardpremie, Stcrt. 2024, 38887", "EUR per jaar per verzekerde"),
    "drempelinkomen": final(28406,
                            "Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2025 EUR 2.191,80 = 28.405,728); "
                            "afgerond als in Berekening zorgtoeslag 2025 (tg0821z51fd) stap 3", "EUR per jaar"),
    "pct_single": final(1896, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000"),
    "pct_partner": final(4273, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000"),
    "pct_above": final(13700, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2025 (tg0821z51fd)", "per 100000"),
    "asset_limit_single": final(141896, "Wzt art. 3 lid 1 (2025); Meijburg Promemorie 2025 p. 33", "EUR op 1 januari"),
    "asset_limit_partner": final(179429, "Wzt art. 3 lid 1 (2025); Meijburg Promemorie 2025 p. 33", "EUR op 1 januari"),
    "partner_not_insured_share": final(50000, "Wzt art. 2 lid 4", "per 100000"),
    "woonlandfactor": final({"BE": 7981},  # only Belgium is known for 2025
                            "Regeling zorgverzekering bijlage (2025); Berekening zorgtoeslag 2025 rv3 (Belgie 0,7981)",
                            "per 10000 per land"),
})

KINDGEBONDEN_BUDGET = section(SOURCES, "KINDGEBONDEN_BUDGET", {
    "per_child": final(2511, "Wkb art. 2 lid 2 (2025); rijksoverheid.nl / wierdavannes.nl", "EUR per jaar per kind"),
    "alo_kop": final(3389, "Wkb art. 2 lid 2 (2025); rijksoverheid.nl / wierdavannes.nl", "EUR per jaar"),
    "supplement_12_15": final(703, "Wkb art. 2 lid 4 (2025); 2026-bedrag 724 / tabelcorrectiefactor 1,029",
                              "EUR per jaar per kind"),
    "supplement_16_17": final(936, "Wkb art. 2 lid 5 (2025); 2026-bedrag 964 / tabelcorrectiefactor 1,029",
                              "EUR per jaar per kind"),
    "drempel_single": final(28406, "Wkb art. 2 lid 6: drempelinkomen 2025 (Wzt art. 1 lid 1 onder f)", "EUR per jaar"),
    "drempel_partner": final(37545, "Wkb art. 2 lid 6 (2025); secundaire bron, consistent met 2026 na indexatie", "EUR per jaar"),
    "afbouw": final(7100, "Wkb art. 2 lid 6; Belastingplan 2025", "per 100000"),
    "asset_limit_single": final(141896, "Wkb art. 1 lid 4 jo. Wzt art. 3 (2025)", "EUR op 1 januari"),
    "asset_limit_partner": final(179429, "Wkb art. 1 lid 4 jo. Wzt art. 3 (2025)", "EUR op 1 januari"),
})

HUURTOESLAG = section(SOURCES, "HUURTOESLAG", {
    # cents/month: above it no huurtoeslag at all (2025: a hard limit)
    "rent_limit": final(90007, _HT_LAW + "art. 13 lid 1 onder a", "cent per maand"),
    "rent_limit_young": final(47720, _HT_LAW + "art. 13 lid 1 onder b", "cent per maand"),
    "young_age": final(23, _HT_LAW + "art. 13 lid 1 onder b (jonger dan 23)", "jaar"),
    # cents/month: 4 items of EUR 12
    "max_service_costs": final(4800, _HT_LAW + "art. 5 lid 3 (4 posten van EUR 12)", "cent per maand"),
    "kwaliteitskortingsgrens": final(47720, _HT_LAW + "art. 20 lid 1", "cent per maand"),
    "aftoppingsgrens_small": final(68296, _HT_LAW + "art. 20 lid 2 onder a", "cent per maand"),
    "aftoppingsgrens_large": final(73193, _HT_LAW + "art. 20 lid 2 onder b", "cent per maand"),
    # normhuur (EUR/month) = a*Y^2 + b*Y, Y = rekeninkomen in EUR/year; a and b per 10**12
    "normhuur_a_single": final(438698, _HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR^2)"),
    "normhuur_b_single": final(446392665, _HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR)"),
    "normhuur_a_multi": final(298184, _HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR^2)"),
    "normhuur_b_multi": final(-1382497146, _HT_FACTORS + "; Wht art. 19", "per 10**12 (EUR per maand per EUR)"),
    # cents/yr: minimum-inkomensijkpunt
    "ijkpunt_single": final(2270000, _HT_LAW + "art. 17 lid 1 (minimum-inkomensijkpunt EUR 22.700)", "cent per jaar"),
    "ijkpunt_multi": final(3045000, _HT_LAW + "art. 17 lid 1 (minimum-inkomensijkpunt EUR 30.450)", "cent per jaar"),
    "verlaging_basishuur": final(3714, "Wet verlaging eigen bijdrage huurtoeslag (BWBR0049106) art. 1 onder b (2025)",
                                 "cent per maand"),
    "share_b": final(65000, "Besluit op de huurtoeslag art. 7 lid 1", "per 100000"),
    "share_c": final(40000,
                     "Besluit op de huurtoeslag art. 7 lid 2; vanaf 2025 voor ieder huishouden "
                     "(Rijksoverheid, 17 december 2024)", "per 100000"),
    "asset_limit_person": final(37395, "Awir art. 7 lid 3 (2025); Meijburg Promemorie 2025", "EUR op 1 januari"),
    "asset_limit_partner": final(74790, "Awir art. 7 lid 3 (2025); Meijburg Promemorie 2025", "EUR op 1 januari"),
    "exempt_income_child": final(604200, "Awir art. 7 lid 6 (2025); Meijburg Promemorie 2025", "cent per jaar"),
    "exempt_age": final(23, "Awir art. 7 lid 6 (jonger dan 23 op 1 januari)", "jaar"),
})

KINDEROPVANGTOESLAG = section(SOURCES, "KINDEROPVANGTOESLAG", {
    "max_rate": final({"dagopvang": 1071, "bso": 952, "gastouderopvang": 810},
                      "Besluit kinderopvangtoeslag art. 4 (2025); Meijburg Promemorie 2025; kinderopvang-wijzer.nl",
                      "cent per uur per opvangsoort"),
    "max_hours": final(230, "Wko art. 1.7 lid 2 (230 uur per kind per maand, sinds 2023: Stb. 2022, 386)",
                       "uur per kind per maand"),
    # Besluit kinderopvangtoeslag bijlage I (2025): not found
    "table": missing("Besluit kinderopvangtoeslag bijlage I (2025): niet gevonden", "per 1000"),
})
