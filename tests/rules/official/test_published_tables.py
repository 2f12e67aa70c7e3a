"""Every parameter value against the published tables in data/ (README.md), and the law's own
anchor amounts the 2025 huurtoeslag factors must hit. Numbers from publications, never from our code."""

import csv
import os
import re

import pytest

from shared_rules.huurtoeslag import normhuur
from shared_rules.params import for_year

DATA = os.path.join(os.path.dirname(__file__), "data")


def rows(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def number(text):
    """The first number in a cell ('900.07 (harde grens, 23+)' -> '900.07'), as a string."""
    m = re.search(r"-?\d+(\.\d+)?", text)
    return m.group(0)


def scaled(text, scale):
    """'1.912' with scale 1000 -> 1912: exact, no floats."""
    whole, _, frac = number(text).partition(".")
    sign = -1 if whole.startswith("-") else 1
    digits = whole.lstrip("-") + frac
    value = int(digits) * scale
    div = 10 ** len(frac)
    assert value % div == 0, (text, scale)
    return sign * value // div


def by_param(name):
    return {r["parameter"]: r for r in rows(name)}


ZT = {"standaardpremie": ("standaardpremie", 1), "drempelinkomen_dienst (zoals Dienst Toeslagen rekent)": ("drempelinkomen", 1),
      "normpremie_pct_drempel_zonder_partner": ("pct_single", 1000),
      "normpremie_pct_drempel_met_partner": ("pct_partner", 1000),
      "normpremie_pct_boven_drempel": ("pct_above", 1000),
      "vermogensgrens_zonder_partner": ("asset_limit_single", 1),
      "vermogensgrens_met_partner": ("asset_limit_partner", 1),
      "aandeel_partner_niet_verzekerd": ("partner_not_insured_share", 1000)}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_zorgtoeslag_parameters(year):
    table = by_param("zorgtoeslag_parameters.csv")
    p = for_year(year).ZORGTOESLAG
    for row, (key, scale) in ZT.items():
        assert p[key] == scaled(table[row][str(year)], scale), key


def test_woonlandfactoren_2026():
    factors = for_year(2026).ZORGTOESLAG["woonlandfactor"]
    published = {r["iso2"]: scaled(r["woonlandfactor"], 10000) for r in rows("zorgtoeslag_woonlandfactoren_2026.csv")}
    assert factors == published


KGB = {"bedrag_per_kind (1e, 2e, 3e ... gelijk)": ("per_child", 1), "alleenstaande_ouderkop": ("alo_kop", 1),
       "verhoging_12_tm_15": ("supplement_12_15", 1), "verhoging_16_17": ("supplement_16_17", 1),
       "drempel_zonder_partner": ("drempel_single", 1), "drempel_met_partner": ("drempel_partner", 1),
       "afbouwpercentage": ("afbouw", 1000), "vermogensgrens_zonder_partner": ("asset_limit_single", 1),
       "vermogensgrens_met_partner": ("asset_limit_partner", 1)}


@pytest.mark.parametrize("year", [2025, 2026])
def test_kindgebonden_budget_parameters(year):
    table = by_param("kgb_parameters.csv")
    p = for_year(year).KINDGEBONDEN_BUDGET
    for row, (key, scale) in KGB.items():
        assert p[key] == scaled(table[row][str(year)], scale), key


@pytest.mark.parametrize("year", [2025, 2026])
def test_kinderopvang_maximum_hourly_prices(year):
    kinds = {"dagopvang": "dagopvang", "buitenschoolse_opvang": "bso", "gastouderopvang": "gastouderopvang"}
    published = {kinds[r["opvangsoort"]]: scaled(r[str(year)], 100) for r in rows("kot_max_uurprijs.csv")}
    assert for_year(year).KINDEROPVANGTOESLAG["max_rate"] == published


def test_kinderopvang_table_2026_row_by_row():
    published = []
    for r in rows("kot_percentages_2026.csv"):
        high = r["toetsingsinkomen_tot_en_met"]
        published.append((int(r["toetsingsinkomen_van"]), int(high) if high else None,
                          scaled(r["pct_eerste_kind"], 10), scaled(r["pct_tweede_en_volgende_kind"], 10)))
    assert list(for_year(2026).KINDEROPVANGTOESLAG["table"]) == published


def test_kinderopvang_table_2025_stays_missing():
    """Besluit KOT bijlage I (2025) was not found: no table, so no amounts (no_parameters)."""
    assert for_year(2025).KINDEROPVANGTOESLAG["table"] is None


def test_vermogensgrenzen():
    for r in rows("vermogensgrenzen.csv"):
        for year in (2024, 2025, 2026):
            y = for_year(year)
            value = r[str(year)]
            if r["toeslag"] == "huurtoeslag" and hasattr(y, "HUURTOESLAG"):
                key = "asset_limit_person" if r["situatie"].startswith("per persoon") else "asset_limit_partner"
                assert y.HUURTOESLAG[key] == int(value)
            if r["toeslag"] in ("zorgtoeslag", "kindgebonden budget"):
                section = y.ZORGTOESLAG if r["toeslag"] == "zorgtoeslag" else getattr(y, "KINDGEBONDEN_BUDGET", None)
                if section is not None:
                    key = "asset_limit_single" if r["situatie"] == "zonder partner" else "asset_limit_partner"
                    assert section[key] == int(value)


HT = {"maximale_huurgrens (21+/23+ of met kind/handicap)": ("rent_limit", "max_rent"),
      "maximale_huurgrens_jongeren": ("rent_limit_young", "max_rent_young"),
      "kwaliteitskortingsgrens": ("kwaliteitskortingsgrens", "kwaliteitskortingsgrens"),
      "aftoppingsgrens_1_2_personen": ("aftoppingsgrens_small", "aftoppingsgrens_small"),
      "aftoppingsgrens_3plus": ("aftoppingsgrens_large", "aftoppingsgrens_large"),
      "verlaging_basishuur (Wet verlaging eigen bijdrage)": ("verlaging_basishuur", "verlaging_basishuur"),
      "subsidie_pct_kwaliteitskorting_tot_aftopping": ("share_b", "share_b"),
      "subsidie_pct_boven_aftopping": ("share_c", "share_c"),
      "vrijgesteld_inkomen_kind_onder_23 (Awir 7 lid 6)": ("exempt_income_child", "exempt_income_child")}


@pytest.mark.parametrize("year,column", [(2025, 0), (2026, 1)])
def test_huurtoeslag_parameters(year, column):
    table = by_param("huurtoeslag_parameters.csv")
    p = for_year(year).HUURTOESLAG
    for row, keys in HT.items():
        key = keys[column]
        scale = 1000 if key.startswith("share") else 100
        assert p[key] == scaled(table[row][str(year)], scale), key
    if year == 2026:
        assert p["ijkpunt_single"] == scaled(table["minimum_inkomensijkpunt_eenpersoons"]["2026"], 100)
        assert p["ijkpunt_multi"] == scaled(table["minimum_inkomensijkpunt_meerpersoons"]["2026"], 100)
        assert p["normhuur_minimum"] == scaled(table["normhuur_bij_minimum_inkomensijkpunt"]["2026"], 100)


def test_huurtoeslag_2025_factors_as_published():
    table = by_param("huurtoeslag_2025_parameters.csv")
    p = for_year(2025).HUURTOESLAG
    for column, suffix in (("eenpersoonshuishouden", "single"), ("meerpersoonshuishouden", "multi")):
        assert p["normhuur_a_" + suffix] == scaled(table["factor_a (normhuur = a*Y^2 + b*Y + c)"][column], 10 ** 12)
        assert p["normhuur_b_" + suffix] == scaled(table["factor_b"][column], 10 ** 12)
        assert p["ijkpunt_" + suffix] == scaled(table["minimum-inkomensijkpunt"][column], 100)
        assert p["max_service_costs"] == scaled(table["max subsidiabele servicekosten"][column], 100)


# The law's own anchors (Wht 2025): art. 17 normhuur at the minimum-inkomensijkpunt = 238.01 minus
# 1.82 (one person) / 3.63 (more); art. 18 normhuur at the referentie-inkomensijkpunt (32,625 /
# 42,475) = 483.78 minus 2.27 / 4.54; art. 19 lid 3: the normhuur is rounded UP to whole cents.
@pytest.mark.parametrize("single,income,expected", [
    (True, 22_700, 238_01 - 1_82), (False, 30_450, 238_01 - 3_63),
    (True, 32_625, 483_78 - 2_27), (False, 42_475, 483_78 - 4_54),
])
def test_huurtoeslag_2025_normhuur_hits_the_law_anchors(single, income, expected):
    p = for_year(2025).HUURTOESLAG
    assert normhuur(p, single, income * 100) == expected


def test_huurtoeslag_2025_normhuur_is_rounded_up_to_cents():
    """Wht art. 19 lid 3: 0.000000438698 * 32625^2 + 0.000446392665 * 32625 = 481.5096 -> 481.51
    (up, where rounding half up would also give 481.51); at 22,700: 236.1898 -> 236.19. Where the
    two differ: at 27,500 (one person) a*Y^2+b*Y = 344.04116 -> 344.05 (half up: 344.04)."""
    p = for_year(2025).HUURTOESLAG
    assert normhuur(p, True, 27_500_00) == 344_05
    # below the ijkpunt the normhuur at the ijkpunt applies (art. 17)
    assert normhuur(p, True, 0) == normhuur(p, True, 22_700_00)


def test_huurtoeslag_2025_minimum_basishuur():
    table = by_param("huurtoeslag_2025_parameters.csv")
    p = for_year(2025).HUURTOESLAG
    minimum = table["minimum basishuur (normhuur - 37.14)"]
    assert normhuur(p, True, 0) - p["verlaging_basishuur"] == scaled(minimum["eenpersoonshuishouden"], 100) == 199_05
    assert normhuur(p, False, 0) - p["verlaging_basishuur"] == scaled(minimum["meerpersoonshuishouden"], 100) == 197_24


def test_published_2027_figures():
    published = {(r["toeslag"], r["parameter"]): r["value"] for r in rows("published_2027.csv")}
    y = for_year(2027)
    kgb = y.KINDGEBONDEN_BUDGET
    for key in ("per_child", "alo_kop", "supplement_12_15", "supplement_16_17", "drempel_single",
                "drempel_partner", "knikpunt", "asset_limit_single", "asset_limit_partner"):
        assert kgb[key] == int(published[("kindgebonden_budget", key)]), key
    assert kgb["afbouw"] == scaled(published[("kindgebonden_budget", "afbouw")], 1000)
    assert kgb["afbouw_above_knikpunt"] == scaled(published[("kindgebonden_budget", "afbouw_above_knikpunt")], 1000)
    kot = y.KINDEROPVANGTOESLAG
    for kind in ("dagopvang", "bso", "gastouderopvang"):
        assert kot["max_rate"][kind] == scaled(published[("kinderopvangtoeslag", "max_rate_" + kind)], 100)
    table = kot["table"]
    assert table[0] == (0, int(published[("kinderopvangtoeslag", "first_child_96_up_to")]), 960, None)
    assert table[1][0] == int(published[("kinderopvangtoeslag", "first_child_plus_5_1_from")])
    assert table[-2][1] == int(published[("kinderopvangtoeslag", "first_child_plus_5_1_up_to")])
    assert table[-1][2:] == (scaled(published[("kinderopvangtoeslag", "first_child_above")], 10), None)
    # the first-child percentages from 71,904 to 175,430 are those of 2026 plus 5.1 points (band by
    # band, in the same order), and the second-child column is not published
    p2026 = [r[2] for r in for_year(2026).KINDEROPVANGTOESLAG["table"] if r[2] + 51 <= 960 and r[1] is not None
             and r[1] <= 169547]
    assert [r[2] for r in table[1:-1]] == [p + 51 for p in p2026]
    assert all(r[3] is None for r in table)
    assert not hasattr(y, "ZORGTOESLAG") and not hasattr(y, "HUURTOESLAG")
