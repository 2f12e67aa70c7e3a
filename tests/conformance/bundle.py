"""Reads the phone's rules bundle (pwa/vendor/rules.mpypack, made by `make build`; its layout is
described in pwa/src/rules-bundle.mjs, the loader the phone uses): "TRB1", the header's length
(uint32, little-endian), the header (JSON), then the files' bytes."""

from __future__ import annotations

import json
import struct
from pathlib import Path


def read_bundle(path: Path) -> tuple[dict, dict[str, bytes]]:
    """(header, {path inside the bundle: bytes})."""
    raw = Path(path).read_bytes()
    if raw[:4] != b"TRB1":
        raise ValueError(f"{path}: not a rules bundle")
    (n,) = struct.unpack("<I", raw[4:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    files = {rel: data[offset:offset + size] for rel, offset, size in header["files"]}
    return header, files
