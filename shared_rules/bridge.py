"""The one call the phone makes into Python: JSON string in, JSON string out. Numbers at or above
2**31 wrap when they cross the JS boundary as numbers, so nothing crosses except strings."""

import json

from . import calculate, preview
from .errors import InputError

_KINDS = {"calculate": calculate, "preview": preview}


def call(kind, payload):
    if kind not in _KINDS:
        return json.dumps({"ok": False, "error": "kind: must be calculate or preview"})
    try:
        data = json.loads(payload)
    except ValueError:
        return json.dumps({"ok": False, "error": "input: not valid JSON"})
    try:
        return json.dumps({"ok": True, "result": _KINDS[kind](data)})
    except InputError as e:
        return json.dumps({"ok": False, "error": str(e)})
