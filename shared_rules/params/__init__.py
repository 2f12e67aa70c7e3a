"""Parameters per year are data: one module `y<year>.py` per toeslagjaar. A toeslag whose section a
year lacks has no parameters for that year; the rules then say so and never take another year's.
Adding 2027 is one file: `y2027.py`."""

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
