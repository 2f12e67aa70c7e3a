"""Toeslagjaar 2026: all four toeslagen. Sources per value; the official "Berekening <toeslag>
2026" leaflets (tg0821z61fd, tg0831z61fd/z62fd, tg0811z61fd, tg0801z61fd) reproduce exactly."""

YEAR = 2026

ZORGTOESLAG = {
    "standaardpremie": 2119,        # EUR/yr per verzekerde; Stcrt. 2025, 40022
    "drempelinkomen": 29736,        # EUR; Berekening zorgtoeslag 2026 stap 3 (law: 29,735.424)
    "pct_single": 1912,             # 1.912 % per 100000; Stb. 2025, 412 (replaces 1.911 of Stb. 2024, 351)
    "pct_partner": 4289,            # 4.289 %; Stb. 2025, 412
    "pct_above": 13730,             # 13.730 %
    "asset_limit_single": 146011,   # EUR on 1 Jan; Wzt art. 3 lid 1
    "asset_limit_partner": 184633,
    "partner_not_insured_share": 50000,  # Wzt art. 2 lid 4
    # woonlandfactor per 10000; Regeling zorgverzekering bijlage 4 (2026)
    "woonlandfactor": {
        "BE": 8165,  # Belgie
        "BA": 881,  # Bosnie-Herzegovina
        "BG": 1363,  # Bulgarije
        "CY": 4498,  # Cyprus
        "DK": 10000,  # Denemarken
        "DE": 10000,  # Duitsland
        "EE": 3057,  # Estland
        "FI": 8148,  # Finland
        "FR": 8304,  # Frankrijk
        "GR": 2206,  # Griekenland
        "HU": 1887,  # Hongarije
        "IS": 10000,  # IJsland
        "IE": 9789,  # Ierland
        "IT": 4641,  # Italie
        "CV": 346,  # Kaapverdie
        "HR": 3201,  # Kroatie
        "LV": 2110,  # Letland
        "LI": 10000,  # Liechtenstein
        "LT": 2459,  # Litouwen
        "LU": 8430,  # Luxemburg
        "MT": 4370,  # Malta
        "MA": 212,  # Marokko
        "ME": 1202,  # Montenegro
        "MK": 599,  # Noord-Macedonie
        "NO": 10000,  # Noorwegen
        "AT": 9177,  # Oostenrijk
        "PL": 1940,  # Polen
        "PT": 3205,  # Portugal
        "RO": 1453,  # Roemenie
        "RS": 1118,  # Servie
        "SI": 4029,  # Slovenie
        "SK": 2684,  # Slowakije
        "ES": 4408,  # Spanje
        "CZ": 4257,  # Tsjechie
        "TN": 306,  # Tunesie
        "TR": 682,  # Turkije
        "GB": 8498,  # Verenigd Koninkrijk
        "SE": 10000,  # Zweden
        "CH": 10000,  # Zwitserland
    },
}

KINDGEBONDEN_BUDGET = {
    "per_child": 2580,              # EUR/yr, every child the same; Berekening KGB 2026 (tg0811z61fd)
    "alo_kop": 3416,                # EUR/yr; table: 1 child alone 5,996 = 2,580 + 3,416
    "supplement_12_15": 724,        # EUR/yr per child aged 12-15
    "supplement_16_17": 964,        # EUR/yr per child aged 16-17
    "drempel_single": 29736,        # EUR = drempelinkomen
    "drempel_partner": 39141,       # EUR
    "afbouw": 7600,                 # 7.60 % per 100000; Belastingplan 2025, confirmed by the 2026 leaflet
    "asset_limit_single": 146011,   # EUR on 1 Jan; Wkb art. 3 (same as zorgtoeslag)
    "asset_limit_partner": 184633,
}

HUURTOESLAG = {
    "max_rent": 93293,              # cents/month; Wht art. 13 lid 1 a: caps the rekenhuur only (2026)
    "max_rent_young": 49820,        # cents/month; Wht art. 13 lid 1 b: everyone under 21, no child
    "young_age": 21,                # Wht art. 13 (2026: under 21, was under 23)
    "kwaliteitskortingsgrens": 49820,  # cents/month; Wht art. 20 lid 1
    "aftoppingsgrens_small": 71302,    # cents/month, 1-2 persons; Wht art. 20 lid 2 a
    "aftoppingsgrens_large": 76414,    # cents/month, 3+ persons; Wht art. 20 lid 2 b
    "normhuur_minimum": 25249,      # cents/month at the minimum-inkomensijkpunt; Wht art. 17 lid 2
    "verlaging_single": 182,        # cents/month; Wht art. 17 lid 3 a
    "verlaging_multi": 363,         # cents/month; Wht art. 17 lid 3 b
    "verlaging_basishuur": 4815,    # cents/month; Wet verlaging eigen bijdrage huurtoeslag art. 1
    "share_b": 65000,               # 65 % per 100000; Besluit op de huurtoeslag art. 7 lid 1
    "share_c": 40000,               # 40 %; Besluit op de huurtoeslag art. 7 lid 2
    "ijkpunt_single": 2342500,      # cents/yr; Wht art. 17 lid 1 (minimum-inkomensijkpunt)
    "ijkpunt_multi": 3150000,       # cents/yr
    "afbouw_single": 27000,         # 27 % per 100000 a year; Wht art. 21 lid 2 a
    "afbouw_multi": 22000,          # 22 %; Wht art. 21 lid 2 b
    "asset_limit_person": 38479,    # EUR on 1 Jan, per person and per medebewoner; Awir art. 7 lid 3
    "asset_limit_partner": 76958,   # EUR with toeslagpartner
    "exempt_income_child": 621800,  # cents/yr, medebewoner child under 23; Awir art. 7 lid 6
    "exempt_age": 23,
}

KINDEROPVANGTOESLAG = {
    # max hourly price in cents; Besluit kinderopvangtoeslag art. 4 (definitive Besluit KOT 2026)
    "max_rate": {"dagopvang": 1123, "bso": 998, "gastouderopvang": 849},
    "max_hours": 230,               # per child per month; Wko art. 1.7 / Stb. 2022, 386
    # (income from EUR, income to EUR inclusive or None, % first child, % next children) per 1000;
    # Besluit kinderopvangtoeslag bijlage I (2026), Berekening KOT 2026 (tg0801z61fd)
    "table": (
        (0, 24149, 960, 960),
        (24150, 25756, 960, 960),
        (25757, 27363, 960, 960),
        (27364, 28973, 960, 960),
        (28974, 30579, 960, 960),
        (30580, 32189, 960, 960),
        (32190, 33795, 960, 960),
        (33796, 35400, 960, 960),
        (35401, 37129, 960, 960),
        (37130, 38855, 960, 960),
        (38856, 40586, 960, 960),
        (40587, 42313, 960, 960),
        (42314, 44046, 960, 960),
        (44047, 45776, 960, 960),
        (45777, 47546, 960, 960),
        (47547, 49318, 960, 960),
        (49319, 51092, 960, 960),
        (51093, 52864, 960, 960),
        (52865, 54641, 960, 960),
        (54642, 56412, 960, 960),
        (56413, 58184, 955, 956),
        (58185, 59957, 948, 956),
        (59958, 61895, 939, 956),
        (61896, 65695, 924, 956),
        (65696, 69492, 916, 952),
        (69493, 73292, 905, 946),
        (73293, 77094, 882, 942),
        (77095, 80891, 859, 939),
        (80892, 84693, 837, 932),
        (84694, 88491, 812, 927),
        (88492, 92291, 789, 922),
        (92292, 96091, 767, 915),
        (96092, 99889, 743, 909),
        (99890, 103694, 721, 905),
        (103695, 107492, 696, 902),
        (107493, 111290, 673, 895),
        (111291, 115090, 651, 891),
        (115091, 118963, 627, 886),
        (118964, 122857, 606, 879),
        (122858, 126747, 585, 874),
        (126748, 130638, 564, 870),
        (130639, 134527, 542, 867),
        (134528, 138420, 523, 860),
        (138421, 142312, 504, 854),
        (142313, 146205, 485, 850),
        (146206, 150092, 465, 844),
        (150093, 153982, 445, 840),
        (153983, 157877, 425, 833),
        (157878, 161766, 405, 827),
        (161767, 165657, 385, 817),
        (165658, 169547, 365, 814),
        (169548, 173440, 365, 806),
        (173441, 177335, 365, 797),
        (177336, 181223, 365, 791),
        (181224, 185114, 365, 782),
        (185115, 189002, 365, 777),
        (189003, 192896, 365, 769),
        (192897, 196789, 365, 762),
        (196790, 200681, 365, 755),
        (200682, 204571, 365, 745),
        (204572, 208458, 365, 740),
        (208459, 212353, 365, 733),
        (212354, 216242, 365, 725),
        (216243, 220134, 365, 718),
        (220135, 224026, 365, 712),
        (224027, 227915, 365, 704),
        (227916, 231807, 365, 696),
        (231808, 235697, 365, 691),
        (235698, None, 365, 682),
    ),
}

_HT_LAW = "Wet op de huurtoeslag (BWBR0008659), tekst geldig op 1 januari 2026, "
_HT_LEAFLET = "; Berekening huurtoeslag 2026 (tg0831z61fd/z62fd)"

# (source, unit, status) per value; status "final" | "provisional" | "missing" (value None).
SOURCES = {
    "ZORGTOESLAG": {
        "standaardpremie": ("Regeling standaardpremie, Stcrt. 2025, 40022", "EUR per jaar per verzekerde", "final"),
        "drempelinkomen": ("Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2026 EUR 2.294,40 = 29.735,424; "
                           "Stcrt. 2025, 34131); afgerond als in Berekening zorgtoeslag 2026 (tg0821z61fd) stap 3",
                           "EUR per jaar", "final"),
        "pct_single": ("Wzt art. 2 lid 3; Stb. 2025, 412 (vervangt 1,911% uit Stb. 2024, 351)", "per 100000", "final"),
        "pct_partner": ("Wzt art. 2 lid 3; Stb. 2025, 412", "per 100000", "final"),
        "pct_above": ("Wzt art. 2 lid 3; Berekening zorgtoeslag 2026 (tg0821z61fd)", "per 100000", "final"),
        "asset_limit_single": ("Wzt art. 3 lid 1 (2026); belastingdienst.nl", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Wzt art. 3 lid 1 (2026); belastingdienst.nl", "EUR op 1 januari", "final"),
        "partner_not_insured_share": ("Wzt art. 2 lid 4", "per 100000", "final"),
        "woonlandfactor": ("Regeling zorgverzekering bijlage 4 (2026)", "per 10000 per land", "final"),
    },
    "KINDGEBONDEN_BUDGET": {
        "per_child": ("Wkb art. 2 lid 2 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                      "EUR per jaar per kind", "final"),
        "alo_kop": ("Wkb art. 2 lid 2 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd): 5.996 - 2.580",
                    "EUR per jaar", "final"),
        "supplement_12_15": ("Wkb art. 2 lid 4 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                             "EUR per jaar per kind", "final"),
        "supplement_16_17": ("Wkb art. 2 lid 5 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                             "EUR per jaar per kind", "final"),
        "drempel_single": ("Wkb art. 2 lid 6: drempelinkomen 2026 (Wzt art. 1 lid 1 onder f)", "EUR per jaar", "final"),
        "drempel_partner": ("Wkb art. 2 lid 6 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                            "EUR per jaar", "final"),
        "afbouw": ("Wkb art. 2 lid 6; Belastingplan 2025; Berekening kindgebonden budget 2026 (tg0811z61fd)",
                   "per 100000", "final"),
        "asset_limit_single": ("Wkb art. 1 lid 4 jo. Wzt art. 3 (2026)", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Wkb art. 1 lid 4 jo. Wzt art. 3 (2026)", "EUR op 1 januari", "final"),
    },
    "HUURTOESLAG": {
        "max_rent": (_HT_LAW + "art. 13 lid 1 onder a (alleen nog een rekengrens)", "cent per maand", "final"),
        "max_rent_young": (_HT_LAW + "art. 13 lid 1 onder b", "cent per maand", "final"),
        "young_age": (_HT_LAW + "art. 13 lid 1 onder b (jonger dan 21)", "jaar", "final"),
        "kwaliteitskortingsgrens": (_HT_LAW + "art. 20 lid 1", "cent per maand", "final"),
        "aftoppingsgrens_small": (_HT_LAW + "art. 20 lid 2 onder a", "cent per maand", "final"),
        "aftoppingsgrens_large": (_HT_LAW + "art. 20 lid 2 onder b", "cent per maand", "final"),
        "normhuur_minimum": (_HT_LAW + "art. 17 lid 2" + _HT_LEAFLET, "cent per maand", "final"),
        "verlaging_single": (_HT_LAW + "art. 17 lid 3 onder a", "cent per maand", "final"),
        "verlaging_multi": (_HT_LAW + "art. 17 lid 3 onder b", "cent per maand", "final"),
        "verlaging_basishuur": ("Wet verlaging eigen bijdrage huurtoeslag (BWBR0049106) art. 1 (2026)" + _HT_LEAFLET,
                                "cent per maand", "final"),
        "share_b": ("Besluit op de huurtoeslag art. 7 lid 1", "per 100000", "final"),
        "share_c": ("Besluit op de huurtoeslag art. 7 lid 2", "per 100000", "final"),
        "ijkpunt_single": (_HT_LAW + "art. 17 lid 1" + _HT_LEAFLET + " stap 6", "cent per jaar", "final"),
        "ijkpunt_multi": (_HT_LAW + "art. 17 lid 1" + _HT_LEAFLET + " stap 6", "cent per jaar", "final"),
        "afbouw_single": (_HT_LAW + "art. 21 lid 2 onder a", "per 100000 per jaar", "final"),
        "afbouw_multi": (_HT_LAW + "art. 21 lid 2 onder b", "per 100000 per jaar", "final"),
        "asset_limit_person": ("Awir art. 7 lid 3 (2026); belastingdienst.nl", "EUR op 1 januari", "final"),
        "asset_limit_partner": ("Awir art. 7 lid 3 (2026); belastingdienst.nl", "EUR op 1 januari", "final"),
        "exempt_income_child": ("Awir art. 7 lid 6 (2026)" + _HT_LEAFLET, "cent per jaar", "final"),
        "exempt_age": ("Awir art. 7 lid 6 (jonger dan 23 op 1 januari)", "jaar", "final"),
    },
    "KINDEROPVANGTOESLAG": {
        "max_rate": ("Besluit kinderopvangtoeslag art. 4 (definitief besluit KOT 2026, kinderopvang.nl)",
                     "cent per uur per opvangsoort", "final"),
        "max_hours": ("Wko art. 1.7 lid 2 (230 uur per kind per maand, sinds 2023: Stb. 2022, 386)",
                      "uur per kind per maand", "final"),
        "table": ("Besluit kinderopvangtoeslag bijlage I (2026); Berekening kinderopvangtoeslag 2026 (tg0801z61fd)",
                  "per 1000 (eerste kind, volgende kinderen) per inkomensklasse in EUR", "final"),
    },
}
