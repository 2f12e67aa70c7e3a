"""Builders of a year's parameter file (OpenFisca / regelrecht style: each value stands with where it
comes from). An entry is (value, source, unit, status): `final` (the law or regulation as in force),
`provisional` (published, not final yet: results say so) or `missing` (not found or not published:
the value is None and the toeslag answers `no_parameters`). `section` splits a toeslag's entries into
its values, which the rules read, and {key: (source, unit, status)} in the file's SOURCES."""


def final(value, source, unit):
    return (value, source, unit, "final")


def provisional(value, source, unit):
    return (value, source, unit, "provisional")


def missing(source, unit):
    return (None, source, unit, "missing")


def section(sources, name, entries):
    """The values of one toeslag's entries; their (source, unit, status) go into sources[name]."""
    values = {}
    table = {}
    for key in entries:
        value, source, unit, status = entries[key]
        values[key] = value
        table[key] = (source, unit, status)
    sources[name] = table
    return values
