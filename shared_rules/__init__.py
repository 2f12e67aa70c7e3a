"""shared_rules: one rule source for the server (CPython) and the phone (MicroPython-wasm).

calculate(situation) -> result   (CONTRACT.md)
preview(input) -> output         (PREVIEW.md)
Bad input raises InputError naming the field."""

from . import voorschot as _voorschot
from .errors import InputError as InputError  # re-exported: callers catch shared_rules.InputError
from .version import rules_version


def calculate(situation, explain=True):
    """explain=False: the same amounts without `steps` (bulk jobs); the contract's default has them."""
    result = _voorschot.calculate(situation, explain)
    result["rules_version"] = rules_version()
    return result


def preview(data):
    result = _voorschot.preview(data)
    result["rules_version"] = rules_version()
    return result
