"""rules_version: a hash of the rules source and parameters, so the phone and the server can tell
that they computed with the very same rules. Computed once from the .py files themselves.

The phone runs a bytecode bundle (pwa/build-rules.mjs) that holds no .py files to hash: the build
hashes the sources with this very function in CPython and compiles the result into the bundle as
the module `_bundled` (RULES_VERSION). It never exists beside the sources."""

import hashlib

try:
    import os
except ImportError:  # MicroPython ports that name it uos
    import uos as os

try:
    import binascii
except ImportError:
    import ubinascii as binascii

_version = None


def _package_dir():
    path = __file__
    cut = path.rfind("/")
    return path[:cut] if cut >= 0 else "."


def _sources(base):
    """Every .py file of the package and its params/, as sorted relative paths."""
    files = []
    for sub in ("", "params"):
        folder = base + "/" + sub if sub else base
        for name in os.listdir(folder):
            if name.endswith(".py"):
                files.append(sub + "/" + name if sub else name)
    files.sort()
    return files


def rules_version():
    global _version
    if _version is None:
        try:
            from ._bundled import RULES_VERSION
            _version = RULES_VERSION
            return _version
        except ImportError:
            pass
        base = _package_dir()
        h = hashlib.sha256()
        for rel in _sources(base):
            with open(base + "/" + rel, "rb") as f:
                data = f.read()
            h.update(rel.encode())
            h.update(b"\n")
            h.update(data)
            h.update(b"\n")
        _version = "sha256:" + binascii.hexlify(h.digest()).decode()
    return _version
