"""calculate(): the contract's shape, the no-parameter years, and bad input named by field."""

import json
import os
import subprocess
import sys

import pytest

import shared_rules
from shared_rules import InputError

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")

CONTRACT_EXAMPLE = {
    "year": 2026,
    "applicant": {"birth_date": "1990-05-01", "income": 2200000, "assets": 0,
                  "insured": True, "treaty_country": None},
    "partner": None,
    "children": [{"birth_date": "2018-03-01"}, {"age": 13}],
    "home": {"rent": 60000, "service_costs": 0, "persons": 4,
             "co_residents": [{"birth_date": "2004-02-01", "income": 500000}]},
    "childcare": [{"child": 0, "kind": "dagopvang", "hours": 122, "hourly_rate": 1050}],
}


def test_contract_example_has_every_toeslag_with_the_contract_keys():
    result = shared_rules.calculate(CONTRACT_EXAMPLE)
    assert result["year"] == 2026
    assert result["rules_version"].startswith("sha256:") and len(result["rules_version"]) == 71
    for name in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"):
        t = result["toeslagen"][name]
        assert {"entitled", "per_year", "per_month", "months", "reasons", "steps"} <= set(t)


def test_no_parameters_for_kinderopvangtoeslag_2025_is_said_not_guessed():
    """The KOT 2025 percentage table (Besluit KOT bijlage I) was not found: no_parameters, in the
    shape other parts build on, with one step that names the year."""
    t = shared_rules.calculate(dict(CONTRACT_EXAMPLE, year=2025))["toeslagen"]["kinderopvangtoeslag"]
    assert {k: v for k, v in t.items() if k not in ("steps", "computed")} == {
        "entitled": False, "reasons": ["no_parameters"], "per_year": 0, "per_month": 0,
        "months": [0] * 12, "provisional": False, "parts": [[0]] * 12}
    assert t["computed"] is False
    assert len(t["steps"]) == 1 and "2025" in t["steps"][0]["text"] and "tabel" in t["steps"][0]["text"]


def test_2025_zorgtoeslag_huurtoeslag_and_kgb_are_computed():
    t = shared_rules.calculate(dict(CONTRACT_EXAMPLE, year=2025))["toeslagen"]
    for name in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget"):
        assert t[name]["computed"] and t[name]["provisional"] is False


def test_a_year_without_any_parameters_is_an_error():
    with pytest.raises(InputError) as e:
        shared_rules.calculate(dict(CONTRACT_EXAMPLE, year=2023))
    assert e.value.field == "year"


@pytest.mark.parametrize("patch,field", [
    ({"children": [{"birth_date": "2018-3-01"}]}, "children[0].birth_date"),
    ({"children": [{"birth_date": "2018-02-30"}]}, "children[0].birth_date"),
    ({"applicant": {"income": "22000"}}, "applicant.income"),
    ({"applicant": {"income": 1.5}}, "applicant.income"),
    ({"applicant": {"income": True}}, "applicant.income"),
    ({"applicant": {"income": -1}}, "applicant.income"),
    ({"applicant": {"salary": 1}}, "applicant.salary"),
    ({"pets": 2}, "pets"),
    ({"home": {"rent": 60000, "garden": True}}, "home.garden"),
    ({"childcare": [{"child": 5, "kind": "dagopvang", "hours": 1, "hourly_rate": 1}]},
     "childcare[0].child"),
    ({"childcare": [{"child": 0, "kind": "creche", "hours": 1, "hourly_rate": 1}]},
     "childcare[0].kind"),
    ({"childcare": [{"child": 0, "kind": "bso", "hours": 745, "hourly_rate": 1}]},
     "childcare[0].hours"),
    ({"applicant": {"treaty_country": "be"}}, "applicant.treaty_country"),
    ({"applicant": {"treaty_country": "XX"}}, "applicant.treaty_country"),
    ({"year": "2026"}, "year"),
    ({"children": [{}]}, "children[0].birth_date"),
    ({"children": [{"birth_date": "2027-01-01"}]}, "children[0].birth_date"),
])
def test_bad_input_names_the_field(patch, field):
    s = dict(CONTRACT_EXAMPLE)
    s.update(patch)
    with pytest.raises(InputError) as e:
        shared_rules.calculate(s)
    assert e.value.field == field


def run_cli(payload, *args):
    return subprocess.run([sys.executable, "-m", "shared_rules", *args], input=payload,
                          capture_output=True, text=True, cwd=ROOT)


def test_command_line_json_in_json_out():
    done = run_cli(json.dumps(CONTRACT_EXAMPLE))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == shared_rules.calculate(CONTRACT_EXAMPLE)


def test_command_line_bad_input_exits_2_naming_the_field():
    s = dict(CONTRACT_EXAMPLE, children=[{"birth_date": "2018-3-01"}, {"age": 13}])
    done = run_cli(json.dumps(s))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == "children[0].birth_date: not a date (YYYY-MM-DD)"


def test_command_line_not_json_exits_2():
    done = run_cli("{year: 2026")
    assert done.returncode == 2 and done.stderr.startswith("input:")


def test_rules_version_is_stable_and_covers_the_parameters():
    from shared_rules.version import _package_dir, _sources
    files = _sources(_package_dir())
    assert "params/y2026.py" in files and "zorgtoeslag.py" in files
    assert shared_rules.calculate(CONTRACT_EXAMPLE)["rules_version"] == \
        shared_rules.calculate(CONTRACT_EXAMPLE)["rules_version"]


def test_explain_false_gives_the_same_amounts_without_steps():
    full = shared_rules.calculate(CONTRACT_EXAMPLE)
    bare = shared_rules.calculate(CONTRACT_EXAMPLE, explain=False)
    for name, t in full["toeslagen"].items():
        assert "steps" not in bare["toeslagen"][name] or not t["computed"]
        assert {k: v for k, v in t.items() if k != "steps"} == \
            {k: v for k, v in bare["toeslagen"][name].items() if k != "steps"}


def test_with_incomes_answers_as_calculate_with_the_incomes_filled_in():
    """shared_rules.situation.with_incomes (the drift scan's what-if over one parsed situation) gives
    what calculate() gives for the situation dict with those incomes."""
    import copy
    import random

    from shared_rules.situation import parse, with_incomes
    from shared_rules.voorschot import calculate_parsed

    rng = random.Random(7)
    base = {"year": 2026, "applicant": {"birth_date": "1988-02-29", "income": 2_600_000, "assets": 0},
            "partner": {"birth_date": "1990-11-01", "income": 1_400_000, "assets": 0},
            "children": [{"birth_date": "2014-03-01"}, {"birth_date": "2021-10-12"}],
            "home": {"rent": 82_000, "service_costs": 3_000, "co_residents": []},   # persons derived
            "childcare": [{"child": 1, "kind": "dagopvang", "hours": 120, "hourly_rate": 1_050}]}
    single = {k: v for k, v in base.items() if k != "partner"}
    for sit in (base, single):
        parsed = parse(sit)
        for _ in range(40):
            incomes = {"applicant": rng.randint(0, 9_000_000)}
            if rng.random() < 0.5:
                incomes["partner"] = rng.randint(0, 6_000_000)
            filled = copy.deepcopy(sit)
            for role, cents in incomes.items():
                if role in filled:
                    filled[role]["income"] = cents
            expected = shared_rules.calculate(filled, explain=False)
            got = calculate_parsed(with_incomes(parsed, incomes), explain=False)
            assert got["toeslagen"] == expected["toeslagen"]
        # the parsed situation itself is left as it was
        assert calculate_parsed(parsed, explain=False)["toeslagen"] == shared_rules.calculate(sit, explain=False)["toeslagen"]
    with pytest.raises(shared_rules.InputError) as e:
        with_incomes(parse(base), {"applicant": -1})
    assert e.value.field == "applicant.income"
    with pytest.raises(shared_rules.InputError):
        with_incomes(parse(base), {"child": 100})
