"""The one call the phone makes into Python: JSON string in, JSON string out. Numbers at or above
2**31 wrap when they cross the JS boundary as numbers, so nothing crosses except strings."""

import json

from . import calculate, preview
from .changes import ChangeRefused, preview_change
from .errors import InputError

_KINDS = {"calculate": calculate, "preview": preview, "change": preview_change}


def call(kind, payload):
    if kind not in _KINDS:
        return json.dumps({"ok": False, "error": "kind: must be calculate, preview or change"})
    try:
        data = json.loads(payload)
    except ValueError:
        return json.dumps({"ok": False, "error": "input: not valid JSON"})
    try:
        return json.dumps({"ok": True, "result": _KINDS[kind](data)})
    except ChangeRefused as e:
        # a change the household's facts do not allow: the Dutch message is for the parent
        return json.dumps({"ok": False, "error": str(e), "refused": e.message, "field": e.field})
    except InputError as e:
        return json.dumps({"ok": False, "error": str(e)})
