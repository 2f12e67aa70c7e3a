"""Parameters per year are data: one module `y<year>.py` per toeslagjaar. A toeslag whose section a
year lacks has no parameters for that year; the rules then say so and never take another year's.
Adding a year is one file `y<year>.py`; final figures replacing provisional ones are a change to
that one file.

Each value is written once, with where it comes from (URL or article of law with its date), its
unit and its status: `final(value, source, unit)`, `provisional(...)` (published but not yet final:
results say so) or `missing(source, unit)` (the value is None: not found or not published; the
toeslag then answers `no_parameters`), the builders in entries.py. `section` hands the rules a
toeslag's values (ZORGTOESLAG, ...) and fills the file's SOURCES = {section: {key: (source, unit,
status)}}, which the explanations cite."""

try:
    import os
except ImportError:
    import uos as os

from ..errors import InputError

_cache = {}
_years = None


def available_years():
    """The years that have a parameter file, from the files themselves (so a new year is one
    file, and an import error inside an existing file is not mistaken for a missing year)."""
    global _years
    if _years is None:
        here = __file__[:__file__.rfind("/")]
        years = []
        for name in os.listdir(here):
            # y2026.py beside the sources; y2026.mpy in the phone's bytecode bundle
            stem = name[:-3] if name.endswith(".py") else name[:-4] if name.endswith(".mpy") else ""
            if len(stem) == 5 and stem[0] == "y" and stem[1:].isdigit():
                years.append(int(stem[1:]))
        years.sort()
        _years = years
    return _years


def for_year(year):
    """The parameter module of `year`, or InputError('year', ...) when there is none."""
    if year in _cache:
        return _cache[year]
    if year not in available_years():
        raise InputError("year", "no parameters for %d" % year)
    name = "y%d" % year
    module = getattr(__import__("shared_rules.params." + name).params, name)
    _cache[year] = module
    return module


def section(year_params, name):
    """The parameters of one toeslag for the year, or None when the year has none."""
    return getattr(year_params, name, None)


def sources(year_params, name):
    """{key: (source, unit, status)} of one toeslag's parameters in a year ({} when there are none)."""
    return getattr(year_params, "SOURCES", {}).get(name, {})


def is_provisional(year_params, name):
    """True when any value of the toeslag's parameters for the year is provisional."""
    table = sources(year_params, name)
    return any(table[key][2] == "provisional" for key in table)


def provisional_sources(year_params, name):
    """The distinct sources of the provisional values, in key order: what a provisional result cites."""
    table = sources(year_params, name)
    keys = sorted(table)
    out = []
    for key in keys:
        if table[key][2] == "provisional" and table[key][0] not in out:
            out.append(table[key][0])
    return out


def missing(year_params, name):
    """The keys of the toeslag's parameters whose value is not known (None), sorted."""
    values = section(year_params, name)
    out = []
    if values is not None:
        for key in values:
            if values[key] is None:
                out.append(key)
    out.sort()
    return out


_cited = {}


def cite(year, name, *keys):
    """The sources of some parameters of a toeslag, joined: what an explanation step cites. Only
    called when steps are wanted; looked up once per (year, toeslag, keys)."""
    ck = (year, name, keys)
    text = _cited.get(ck)
    if text is None:
        table = sources(for_year(year), name)
        out = []
        for key in keys:
            entry = table.get(key)
            if entry is not None and entry[0] not in out:
                out.append(entry[0])
        text = "; ".join(out)
        _cited[ck] = text
    return text
