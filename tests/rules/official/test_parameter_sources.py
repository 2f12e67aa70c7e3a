"""Every parameter value carries its source, its unit and its status, in a form the code reads
(params/y<year>.py SOURCES), and a provisional or missing value shows in the results."""

import importlib

import pytest

import shared_rules
from shared_rules.params import available_years

SECTIONS = ("ZORGTOESLAG", "HUURTOESLAG", "KINDGEBONDEN_BUDGET", "KINDEROPVANGTOESLAG")
STATUSES = ("final", "provisional", "missing")


def _module(year):
    return importlib.import_module("shared_rules.params.y%d" % year)


@pytest.mark.parametrize("year", available_years())
def test_every_value_has_a_source_a_unit_and_a_status(year):
    mod = _module(year)
    sources = mod.SOURCES
    assert set(sources) <= set(SECTIONS)
    for name in SECTIONS:
        values = getattr(mod, name, None)
        if values is None:
            assert name not in sources
            continue
        table = sources[name]
        assert set(table) == set(values), (name, set(table) ^ set(values))
        for key, entry in table.items():
            source, unit, status = entry
            assert isinstance(source, str) and len(source) > 10, (name, key)
            assert isinstance(unit, str) and unit, (name, key)
            assert status in STATUSES, (name, key, status)
            # a value that is not known is None, and only then "missing"
            assert (values[key] is None) is (status == "missing"), (name, key)
            # a source names an article of law, a publication or an address
            assert any(w in source for w in ("art.", "Stcrt.", "Stb.", "Berekening", "Kamerstukken",
                                             "http", "bijlage", "Regeling")), (name, key, source)


def test_a_value_without_a_source_is_caught(monkeypatch):
    """The check above is not vacuous: a value added without its source fails it."""
    mod = _module(2026)
    monkeypatch.setitem(mod.KINDGEBONDEN_BUDGET, "extra", 1)
    with pytest.raises(AssertionError):
        test_every_value_has_a_source_a_unit_and_a_status(2026)


def test_steps_cite_the_parameters_own_source():
    s = {"year": 2026, "applicant": {"income": 2_973_600}}
    steps = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]["steps"]
    premie = next(st for st in steps if "standaardpremie is" in st["text"])
    assert premie["source"] == _module(2026).SOURCES["ZORGTOESLAG"]["standaardpremie"][0]
    norm = next(st for st in steps if "normpremie" in st["text"])
    assert "Stb. 2025, 412" in norm["source"]


def test_provisional_year_says_so_and_names_its_source():
    s = {"year": 2027, "applicant": {"income": 3_000_000}, "children": [{"age": 8}]}
    t = shared_rules.calculate(s)["toeslagen"]["kindgebonden_budget"]
    assert t["provisional"] is True
    last = t["steps"][-1]
    assert "voorlopig" in last["text"] and "37 020 XV" in last["text"] and "37 020 XV" in last["source"]
