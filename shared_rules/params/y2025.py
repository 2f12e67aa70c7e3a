"""Toeslagjaar 2025. Huurtoeslag 2025 (the old quadratic system) and the kinderopvangtoeslag
table 2025 are not here: there are no verified parameters (SPEC.md section 6), so the rules
report them as not computable instead of guessing."""

YEAR = 2025

ZORGTOESLAG = {
    "standaardpremie": 2112,        # EUR/yr per verzekerde; Stcrt. 2024, 38887
    "drempelinkomen": 28406,        # EUR; Berekening zorgtoeslag 2025 (tg0821z51fd) stap 3 (law: 28,405.728)
    "pct_single": 1896,             # 1.896 % per 100000; Wzt art. 2 lid 3
    "pct_partner": 4273,            # 4.273 %
    "pct_above": 13700,             # 13.700 %
    "asset_limit_single": 141896,   # EUR on 1 Jan; Wzt art. 3 lid 1
    "asset_limit_partner": 179429,
    "partner_not_insured_share": 50000,  # Wzt art. 2 lid 4
    "woonlandfactor": {"BE": 7981},  # Regeling zorgverzekering bijlage (2025); only Belgium is known
}

KINDGEBONDEN_BUDGET = {
    "per_child": 2511,              # EUR/yr, every child the same; wierdavannes.nl, metronieuws (M-H)
    "alo_kop": 3389,                # EUR/yr, alleenstaande ouder (M-H)
    "supplement_12_15": 703,        # EUR/yr per child aged 12-15 (M)
    "supplement_16_17": 936,        # EUR/yr per child aged 16-17 (M)
    "drempel_single": 28406,        # EUR = drempelinkomen
    "drempel_partner": 37545,       # EUR (M)
    "afbouw": 7100,                 # 7.10 % per 100000; Belastingplan 2025
    "asset_limit_single": 141896,   # EUR on 1 Jan
    "asset_limit_partner": 179429,
}
