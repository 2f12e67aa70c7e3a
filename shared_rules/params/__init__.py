"""Parameters per year are data: one module `y<year>.py` per toeslagjaar. A toeslag whose section a
year lacks has no parameters for that year; the rules then say so and never take another year's.
Adding 2027 is one file: `y2027.py`."""

from ..errors import InputError

_cache = {}


def for_year(year):
    """The parameter module of `year`, or InputError('year', ...) when there is none."""
    if year in _cache:
        return _cache[year]
    name = "y%d" % year
    try:
        package = __import__("shared_rules.params." + name)
    except ImportError:
        raise InputError("year", "no parameters for %d" % year)
    module = getattr(package.params, name)
    _cache[year] = module
    return module


def section(year_params, name):
    """The parameters of one toeslag for the year, or None when the year has none."""
    return getattr(year_params, name, None)
