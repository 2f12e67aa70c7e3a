"""Makes the app icons (neutral: no government logo): a navy tile with a white coin and a check mark.
Pure Python (zlib + struct), 4x4 supersampling. Run: python3 pwa/icons/make_icons.py"""

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAVY = (0x1D, 0x35, 0x57)
WHITE = (0xFF, 0xFF, 0xFF)
GREEN = (0x2A, 0x9D, 0x8F)


def _seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return math.hypot(px - cx, py - cy)


def colour_at(x, y, maskable):
    """x, y in 0..1. Returns an RGB tuple, or None for transparent."""
    r = 0.0 if maskable else 0.18  # corner radius of the tile
    # rounded tile
    if r:
        cx = min(max(x, r), 1 - r)
        cy = min(max(y, r), 1 - r)
        if math.hypot(x - cx, y - cy) > r:
            return None
    scale = 0.62 if maskable else 0.78  # keep the motif inside the maskable safe zone
    u = (x - 0.5) / scale + 0.5
    v = (y - 0.5) / scale + 0.5
    d = math.hypot(u - 0.5, v - 0.5)
    if 0.30 <= d <= 0.37:
        return WHITE
    if d < 0.30:
        # check mark
        if min(_seg_dist(u, v, 0.36, 0.51, 0.46, 0.61), _seg_dist(u, v, 0.46, 0.61, 0.65, 0.40)) < 0.045:
            return WHITE
        return GREEN
    return NAVY


def render(size, maskable=False, ss=4):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(ss):
                for si in range(ss):
                    c = colour_at((i + (si + 0.5) / ss) / size, (j + (sj + 0.5) / ss) / size, maskable)
                    if c is not None:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
            n = ss * ss
            a = acc[3] // n
            if a:
                row += bytes([acc[0] * 255 // acc[3], acc[1] * 255 // acc[3], acc[2] * 255 // acc[3], a])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    (HERE / "icon-192.png").write_bytes(render(192))
    (HERE / "icon-512.png").write_bytes(render(512))
    (HERE / "icon-maskable-512.png").write_bytes(render(512, maskable=True))
    (HERE / "apple-touch-icon.png").write_bytes(render(180, maskable=True))
