"""Toeslagjaar 2026: all four toeslagen. Sources per value; the official "Berekening <toeslag>
2026" leaflets (tg0821z61fd, tg0831z61fd/z62fd, tg0811z61fd, tg0801z61fd) reproduce exactly."""

from .entries import final, section

YEAR = 2026

_HT_LAW = "Wet op de huurtoeslag (BWBR0008659), tekst geldig op 1 januari 2026, "

_HT_LEAFLET = "; Berekening huurtoeslag 2026 (tg0831z61fd/z62fd)"

# Each toeslag's parameters: a value with its source, unit and status (params/entries.py);
# section() keeps the values here and the (source, unit, status) in SOURCES.
SOURCES = {}

ZORGTOESLAG = section(SOURCES, "ZORGTOESLAG", {
    # EUR/yr per verzekerde; Stcrt. 2025, 40022
    "standaardpremie": final(2119, "Regeling standaardpremie, Stcrt. 2025, 40022", "EUR per jaar per verzekerde"),
    "drempelinkomen": final(29736,  # EUR; Berekening zorgtoeslag 2026 stap 3 (law: 29,735.424)
                            "Wzt art. 1 lid 1 onder f (108% x 12 x WML jan. 2026 EUR 2.294,40 = 29.735,424; "
                            "Stcrt. 2025, 34131); afgerond als in Berekening zorgtoeslag 2026 (tg0821z61fd) stap 3",
                            "EUR per jaar"),
    # 1.912 % per 100000; Stb. 2025, 412 (replaces 1.911 of Stb. 2024, 351)
    "pct_single": final(1912, "Wzt art. 2 lid 3; Stb. 2025, 412 (vervangt 1,911% uit Stb. 2024, 351)", "per 100000"),
    "pct_partner": final(4289, "Wzt art. 2 lid 3; Stb. 2025, 412", "per 100000"),  # 4.289 %; Stb. 2025, 412
    "pct_above": final(13730, "Wzt art. 2 lid 3; Berekening zorgtoeslag 2026 (tg0821z61fd)", "per 100000"),  # 13.730 %
    # EUR on 1 Jan; Wzt art. 3 lid 1
    "asset_limit_single": final(146011, "Wzt art. 3 lid 1 (2026); belastingdienst.nl", "EUR op 1 januari"),
    "asset_limit_partner": final(184633, "Wzt art. 3 lid 1 (2026); belastingdienst.nl", "EUR op 1 januari"),
    "partner_not_insured_share": final(50000, "Wzt art. 2 lid 4", "per 100000"),  # Wzt art. 2 lid 4
    # woonlandfactor per 10000; Regeling zorgverzekering bijlage 4 (2026)
    "woonlandfactor": final(
        {
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
        "Regeling zorgverzekering bijlage 4 (2026)",
        "per 10000 per land"),
})

KINDGEBONDEN_BUDGET = section(SOURCES, "KINDGEBONDEN_BUDGET", {
    # EUR/yr, every child the same; Berekening KGB 2026 (tg0811z61fd)
    "per_child": final(2580, "Wkb art. 2 lid 2 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                       "EUR per jaar per kind"),
    # EUR/yr; table: 1 child alone 5,996 = 2,580 + 3,416
    "alo_kop": final(3416, "Wkb art. 2 lid 2 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd): 5.996 - 2.580",
                     "EUR per jaar"),
    # EUR/yr per child aged 12-15
    "supplement_12_15": final(724, "Wkb art. 2 lid 4 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                              "EUR per jaar per kind"),
    # EUR/yr per child aged 16-17
    "supplement_16_17": final(964, "Wkb art. 2 lid 5 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)",
                              "EUR per jaar per kind"),
    # EUR = drempelinkomen
    "drempel_single": final(29736, "Wkb art. 2 lid 6: drempelinkomen 2026 (Wzt art. 1 lid 1 onder f)", "EUR per jaar"),
    # EUR
    "drempel_partner": final(39141, "Wkb art. 2 lid 6 (2026); Berekening kindgebonden budget 2026 (tg0811z61fd)", "EUR per jaar"),
    # 7.60 % per 100000; Belastingplan 2025, confirmed by the 2026 leaflet
    "afbouw": final(7600, "Wkb art. 2 lid 6; Belastingplan 2025; Berekening kindgebonden budget 2026 (tg0811z61fd)",
                    "per 100000"),
    # EUR on 1 Jan; Wkb art. 3 (same as zorgtoeslag)
    "asset_limit_single": final(146011, "Wkb art. 1 lid 4 jo. Wzt art. 3 (2026)", "EUR op 1 januari"),
    "asset_limit_partner": final(184633, "Wkb art. 1 lid 4 jo. Wzt art. 3 (2026)", "EUR op 1 januari"),
})

HUURTOESLAG = section(SOURCES, "HUURTOESLAG", {
    # cents/month; Wht art. 13 lid 1 a: caps the rekenhuur only (2026)
    "max_rent": final(93293, _HT_LAW + "art. 13 lid 1 onder a (alleen nog een rekengrens)", "cent per maand"),
    # cents/month; Wht art. 13 lid 1 b: everyone under 21, no child
    "max_rent_young": final(49820, _HT_LAW + "art. 13 lid 1 onder b", "cent per maand"),
    # Wht art. 13 (2026: under 21, was under 23)
    "young_age": final(21, _HT_LAW + "art. 13 lid 1 onder b (jonger dan 21)", "jaar"),
    "kwaliteitskortingsgrens": final(49820, _HT_LAW + "art. 20 lid 1", "cent per maand"),  # cents/month; Wht art. 20 lid 1
    # cents/month, 1-2 persons; Wht art. 20 lid 2 a
    "aftoppingsgrens_small": final(71302, _HT_LAW + "art. 20 lid 2 onder a", "cent per maand"),
    # cents/month, 3+ persons; Wht art. 20 lid 2 b
    "aftoppingsgrens_large": final(76414, _HT_LAW + "art. 20 lid 2 onder b", "cent per maand"),
    # cents/month at the minimum-inkomensijkpunt; Wht art. 17 lid 2
    "normhuur_minimum": final(25249, _HT_LAW + "art. 17 lid 2" + _HT_LEAFLET, "cent per maand"),
    "verlaging_single": final(182, _HT_LAW + "art. 17 lid 3 onder a", "cent per maand"),  # cents/month; Wht art. 17 lid 3 a
    "verlaging_multi": final(363, _HT_LAW + "art. 17 lid 3 onder b", "cent per maand"),  # cents/month; Wht art. 17 lid 3 b
    # cents/month; Wet verlaging eigen bijdrage huurtoeslag art. 1
    "verlaging_basishuur": final(4815, "Wet verlaging eigen bijdrage huurtoeslag (BWBR0049106) art. 1 (2026)" + _HT_LEAFLET,
                                 "cent per maand"),
    # 65 % per 100000; Besluit op de huurtoeslag art. 7 lid 1
    "share_b": final(65000, "Besluit op de huurtoeslag art. 7 lid 1", "per 100000"),
    # 40 %; Besluit op de huurtoeslag art. 7 lid 2
    "share_c": final(40000, "Besluit op de huurtoeslag art. 7 lid 2", "per 100000"),
    # cents/yr; Wht art. 17 lid 1 (minimum-inkomensijkpunt)
    "ijkpunt_single": final(2342500, _HT_LAW + "art. 17 lid 1" + _HT_LEAFLET + " stap 6", "cent per jaar"),
    "ijkpunt_multi": final(3150000, _HT_LAW + "art. 17 lid 1" + _HT_LEAFLET + " stap 6", "cent per jaar"),  # cents/yr
    # 27 % per 100000 a year; Wht art. 21 lid 2 a
    "afbouw_single": final(27000, _HT_LAW + "art. 21 lid 2 onder a", "per 100000 per jaar"),
    "afbouw_multi": final(22000, _HT_LAW + "art. 21 lid 2 onder b", "per 100000 per jaar"),  # 22 %; Wht art. 21 lid 2 b
    # EUR on 1 Jan, per person and per medebewoner; Awir art. 7 lid 3
    "asset_limit_person": final(38479, "Awir art. 7 lid 3 (2026); belastingdienst.nl", "EUR op 1 januari"),
    # EUR with toeslagpartner
    "asset_limit_partner": final(76958, "Awir art. 7 lid 3 (2026); belastingdienst.nl", "EUR op 1 januari"),
    # cents/yr, medebewoner child under 23; Awir art. 7 lid 6
    "exempt_income_child": final(621800, "Awir art. 7 lid 6 (2026)" + _HT_LEAFLET, "cent per jaar"),
    "exempt_age": final(23, "Awir art. 7 lid 6 (jonger dan 23 op 1 januari)", "jaar"),
})

KINDEROPVANGTOESLAG = section(SOURCES, "KINDEROPVANGTOESLAG", {
    # max hourly price in cents; Besluit kinderopvangtoeslag art. 4 (definitive Besluit KOT 2026)
    "max_rate": final({"dagopvang": 1123, "bso": 998, "gastouderopvang": 849},
                      "Besluit kinderopvangtoeslag art. 4 (definitief besluit KOT 2026, kinderopvang.nl)",
                      "cent per uur per opvangsoort"),
    # per child per month; Wko art. 1.7 / Stb. 2022, 386
    "max_hours": final(230, "Wko art. 1.7 lid 2 (230 uur per kind per maand, sinds 2023: Stb. 2022, 386)",
                       "uur per kind per maand"),
    # (income from EUR, income to EUR inclusive or None, % first child, % next children) per 1000;
    # Besluit kinderopvangtoeslag bijlage I (2026), Berekening KOT 2026 (tg0801z61fd)
    "table": final(
        (
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
        "Besluit kinderopvangtoeslag bijlage I (2026); Berekening kinderopvangtoeslag 2026 (tg0801z61fd)",
        "per 1000 (eerste kind, volgende kinderen) per inkomensklasse in EUR"),
})
