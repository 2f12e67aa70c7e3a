"""python -m shared_rules < situation.json > result.json   (CONTRACT.md)
python -m shared_rules preview < input.json > output.json  (PREVIEW.md)
Bad input: exit status 2 and one line on standard error naming the field."""

import json
import sys

from . import calculate, preview
from .errors import InputError


def main(argv):
    kind = argv[1] if len(argv) > 1 else "calculate"
    if kind not in ("calculate", "preview"):
        sys.stderr.write("usage: python -m shared_rules [calculate|preview] < input.json\n")
        return 2
    try:
        data = json.loads(sys.stdin.read())
    except ValueError as e:
        sys.stderr.write("input: not valid JSON (%s)\n" % e)
        return 2
    try:
        result = (calculate if kind == "calculate" else preview)(data)
    except InputError as e:
        sys.stderr.write(str(e) + "\n")
        return 2
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
