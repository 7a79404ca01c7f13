"""Draw the app's PNG icons (a white house with a tick on the brand blue) with zlib alone.

Run ``python -m fieldapp.collector.make_icons`` after changing the drawing; the PNGs are
committed under static/icons/. "any" icons have rounded corners on a transparent ground;
"maskable" ones fill the square and keep the drawing inside the central safe circle.
"""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent.parent / "static" / "icons"
BLUE = (11, 92, 171)
WHITE = (255, 255, 255)
GREEN = (20, 140, 70)
SUPER = 4  # samples per pixel side, for smooth edges


def _in_polygon(x, y, pts):
    inside = False
    j = len(pts) - 1
    for i, (xi, yi) in enumerate(pts):
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _near_segment(x, y, a, b, width):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (width / 2) ** 2


def _sample(u, v, maskable):
    """Colour (r, g, b, a) at (u, v) in the unit square."""
    if not maskable:
        r = 0.18  # corner radius of the rounded square
        cx = min(max(u, r), 1 - r)
        cy = min(max(v, r), 1 - r)
        if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
            return (0, 0, 0, 0)
    # The drawing lives in a box scaled to the safe zone for maskable icons.
    scale = 0.62 if maskable else 0.78
    x = (u - 0.5) / scale + 0.5
    y = (v - 0.5) / scale + 0.5
    roof = [(0.5, 0.10), (0.93, 0.48), (0.82, 0.48), (0.82, 0.90), (0.18, 0.90), (0.18, 0.48),
            (0.07, 0.48)]
    if _in_polygon(x, y, roof):
        tick = ((0.33, 0.66), (0.45, 0.78), (0.69, 0.52))
        if _near_segment(x, y, tick[0], tick[1], 0.09) or _near_segment(x, y, tick[1], tick[2], 0.09):
            return (*GREEN, 255)
        return (*WHITE, 255)
    return (*BLUE, 255)


def render(size, maskable):
    rows = []
    n = SUPER * SUPER
    for py in range(size):
        row = bytearray([0])  # filter: none
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SUPER):
                for sx in range(SUPER):
                    c = _sample((px + (sx + 0.5) / SUPER) / size, (py + (sy + 0.5) / SUPER) / size,
                                maskable)
                    acc[0] += c[0] * c[3]
                    acc[1] += c[1] * c[3]
                    acc[2] += c[2] * c[3]
                    acc[3] += c[3]
            alpha = acc[3] / n
            if acc[3]:
                row += bytes((round(acc[0] / acc[3]), round(acc[1] / acc[3]), round(acc[2] / acc[3]),
                              round(alpha)))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(render(size, maskable=False))
        (OUT / f"maskable-{size}.png").write_bytes(render(size, maskable=True))


if __name__ == "__main__":
    main()
