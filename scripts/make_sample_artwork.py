"""Make the stand-in artwork of the sample issue (2022-06).

    python scripts/make_sample_artwork.py [OUT_DIR]

Writes, into OUT_DIR (default ``issues/2022-06/images``):

* ``cover.svg`` -- vector artwork for the full-bleed cover (216 x 291 mm: the
  210 x 285 mm trim plus 3 mm bleed), with calm areas for the masthead (top)
  and the cover lines (bottom);
* ``gallery/<key>.jpg`` -- 19 flat illustrations (1800 x 1200 px) standing in for
  the branch activity photos of the gallery article;
* ``CREDITS.md`` -- where the pictures come from and how to replace them.

The output is deterministic: every run writes the same bytes (fixed random seeds,
no timestamps). Only the standard library and Pillow are used. The pictures are
drawn at twice their size and downsampled for smooth edges. The cover uses only flat
fills (its soft gradients are fine bands), because WeasyPrint 70 paints SVG gradients as
PDF patterns that some viewers place wrongly.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "issues" / "2022-06" / "images"

W, H = 1800, 1200  # final gallery picture size in px
SS = 2  # supersampling factor

Point = tuple[float, float]
Color = str | tuple[int, int, int]


# --------------------------------------------------------------------------------------------
# Colour and geometry helpers
# --------------------------------------------------------------------------------------------


def rgb(color: Color) -> tuple[int, int, int]:
    if isinstance(color, tuple):
        return color
    h = color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def mix(a: Color, b: Color, t: float) -> tuple[int, int, int]:
    ca, cb = rgb(a), rgb(b)
    return tuple(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))  # type: ignore[return-value]


def shade(color: Color, t: float) -> tuple[int, int, int]:
    """Darken (t < 0) or lighten (t > 0) a colour."""
    return mix(color, "#000000", -t) if t < 0 else mix(color, "#ffffff", t)


def rot(points: Sequence[Point], cx: float, cy: float, angle: float, scale: float = 1.0) -> list[Point]:
    """Rotate local points (degrees, clockwise on screen) and move them to (cx, cy)."""
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    return [(cx + (x * ca - y * sa) * scale, cy + (x * sa + y * ca) * scale) for x, y in points]


def ellipse_pts(cx: float, cy: float, rx: float, ry: float, angle: float = 0, n: int = 72) -> list[Point]:
    local = [(rx * math.cos(2 * math.pi * i / n), ry * math.sin(2 * math.pi * i / n)) for i in range(n)]
    return rot(local, cx, cy, angle)


def cubic(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 24) -> list[Point]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append((
            u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
            u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
        ))
    return out


def spline(points: Sequence[Point], closed: bool = False, n: int = 12) -> list[Point]:
    """Catmull-Rom spline through the points."""
    pts = list(points)
    if len(pts) < 3:
        return pts
    out: list[Point] = []
    count = len(pts) if closed else len(pts) - 1
    for i in range(count):
        p0 = pts[(i - 1) % len(pts)] if closed else pts[max(i - 1, 0)]
        p1 = pts[i]
        p2 = pts[(i + 1) % len(pts)]
        p3 = pts[(i + 2) % len(pts)] if closed else pts[min(i + 2, len(pts) - 1)]
        for j in range(n):
            t = j / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(  # type: ignore[arg-type]
                0.5 * (2 * p1[k] + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                       + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3)
                for k in range(2)
            ))
    if not closed:
        out.append(pts[-1])
    return out


def rounded_poly(points: Sequence[Point], r: float, n: int = 8) -> list[Point]:
    """Polygon with its corners rounded by quadratic curves of (at most) radius r."""
    out: list[Point] = []
    m = len(points)
    for i in range(m):
        prev, cur, nxt = points[i - 1], points[i], points[(i + 1) % m]
        d1 = math.dist(prev, cur)
        d2 = math.dist(cur, nxt)
        r1 = min(r, d1 / 2) / d1 if d1 else 0
        r2 = min(r, d2 / 2) / d2 if d2 else 0
        a = (cur[0] + (prev[0] - cur[0]) * r1, cur[1] + (prev[1] - cur[1]) * r1)
        b = (cur[0] + (nxt[0] - cur[0]) * r2, cur[1] + (nxt[1] - cur[1]) * r2)
        for j in range(n + 1):
            t = j / n
            u = 1 - t
            out.append((u * u * a[0] + 2 * u * t * cur[0] + t * t * b[0],
                        u * u * a[1] + 2 * u * t * cur[1] + t * t * b[1]))
    return out


def bounds(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------------------------------------------------
# Canvas: shapes are drawn as masks at SS x size and filled with a colour or gradient
# --------------------------------------------------------------------------------------------


class Grad:
    """Two-colour gradient fill: kind 'v' (top to bottom), 'h' (left to right), 'r' (centre out)."""

    def __init__(self, kind: str, c1: Color, c2: Color, gamma: float = 1.0) -> None:
        self.kind, self.c1, self.c2, self.gamma = kind, rgb(c1), rgb(c2), gamma

    def image(self, size: tuple[int, int]) -> Image.Image:
        if self.kind == "r":
            base = Image.radial_gradient("L")
        else:
            base = Image.linear_gradient("L")
            if self.kind == "h":
                base = base.transpose(Image.Transpose.TRANSPOSE)
        if self.gamma != 1.0:
            g = self.gamma
            base = base.point(lambda v: round(255 * (v / 255) ** g))
        mask = base.resize(size, Image.Resampling.BILINEAR)
        return Image.composite(Image.new("RGB", size, self.c2), Image.new("RGB", size, self.c1), mask)


Fill = Color | Grad
DrawFn = Callable[[ImageDraw.ImageDraw, Callable[[float, float], tuple[float, float]]], None]


class Canvas:
    def __init__(self, w: int = W, h: int = H, bg: Color = "#ffffff") -> None:
        self.w, self.h = w, h
        self.img = Image.new("RGB", (w * SS, h * SS), rgb(bg))

    # -- core ---------------------------------------------------------------------------------
    def _shape(self, box: tuple[float, float, float, float], draw_fn: DrawFn, fill: Fill,
               opacity: float = 1.0, blur: float = 0.0, pad: float = 2.0) -> None:
        bx0, by0, bx1, by1 = box
        margin = pad + blur * 3
        x0 = math.floor((max(bx0, -margin - 50) - margin) * SS)
        y0 = math.floor((max(by0, -margin - 50) - margin) * SS)
        x1 = math.ceil((min(bx1, self.w + margin + 50) + margin) * SS)
        y1 = math.ceil((min(by1, self.h + margin + 50) + margin) * SS)
        if x1 <= x0 or y1 <= y0:
            return
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        draw = ImageDraw.Draw(mask)

        def tx(x: float, y: float) -> tuple[float, float]:
            return x * SS - x0, y * SS - y0

        draw_fn(draw, tx)
        if blur:
            mask = mask.filter(ImageFilter.GaussianBlur(blur * SS))
        if opacity < 1:
            mask = mask.point(lambda v: round(v * opacity))
        src = fill.image(mask.size) if isinstance(fill, Grad) else Image.new("RGB", mask.size, rgb(fill))
        self.img.paste(src, (x0, y0), mask)

    # -- primitives ---------------------------------------------------------------------------
    def poly(self, pts: Sequence[Point], fill: Fill, **kw) -> None:
        pts = list(pts)

        def fn(d, tx):
            d.polygon([tx(*p) for p in pts], fill=255)

        self._shape(bounds(pts), fn, fill, **kw)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Fill, angle: float = 0, **kw) -> None:
        if angle:
            self.poly(ellipse_pts(cx, cy, rx, ry, angle, n=96), fill, **kw)
            return

        def fn(d, tx):
            d.ellipse([*tx(cx - rx, cy - ry), *tx(cx + rx, cy + ry)], fill=255)

        self._shape((cx - rx, cy - ry, cx + rx, cy + ry), fn, fill, **kw)

    def circle(self, cx: float, cy: float, r: float, fill: Fill, **kw) -> None:
        self.ellipse(cx, cy, r, r, fill, **kw)

    def ring(self, cx: float, cy: float, rx: float, ry: float, fill: Fill, width: float, **kw) -> None:
        def fn(d, tx):
            d.ellipse([*tx(cx - rx, cy - ry), *tx(cx + rx, cy + ry)], outline=255, width=round(width * SS))

        self._shape((cx - rx, cy - ry, cx + rx, cy + ry), fn, fill, **kw)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill, r: float = 0, **kw) -> None:
        def fn(d, tx):
            if r:
                d.rounded_rectangle([*tx(x0, y0), *tx(x1, y1)], radius=r * SS, fill=255)
            else:
                d.rectangle([*tx(x0, y0), *tx(x1, y1)], fill=255)

        self._shape((x0, y0, x1, y1), fn, fill, **kw)

    def line(self, pts: Sequence[Point], fill: Fill, width: float, caps: bool = True, **kw) -> None:
        pts = list(pts)
        w = width * SS

        def fn(d, tx):
            tp = [tx(*p) for p in pts]
            d.line(tp, fill=255, width=max(1, round(w)), joint="curve")
            if caps and w > 3:
                for x, y in (tp[0], tp[-1]):
                    d.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=255)

        x0, y0, x1, y1 = bounds(pts)
        self._shape((x0 - width, y0 - width, x1 + width, y1 + width), fn, fill, **kw)

    def glow(self, cx: float, cy: float, r: float, color: Color, opacity: float = 0.6,
             falloff: float = 1.6) -> None:
        size = max(2, round(2 * r * SS))
        m = ImageOps.invert(Image.radial_gradient("L"))
        m = m.point(lambda v: round(255 * opacity * (v / 255) ** falloff))
        m = m.resize((size, size), Image.Resampling.BILINEAR)
        src = Image.new("RGB", (size, size), rgb(color))
        self.img.paste(src, (round((cx - r) * SS), round((cy - r) * SS)), m)

    def vgrad(self, y0: float, y1: float, c1: Color, c2: Color, x0: float = 0, x1: float | None = None,
              gamma: float = 1.0) -> None:
        self.rect(x0, y0, self.w if x1 is None else x1, y1, Grad("v", c1, c2, gamma), pad=0)

    def paste_masked(self, src: Image.Image, mask: Image.Image, x: float, y: float) -> None:
        """Paste an SS-scale image with an SS-scale mask at unit position (x, y)."""
        self.img.paste(src, (round(x * SS), round(y * SS)), mask)

    def vignette(self, strength: float = 0.18) -> None:
        size = self.img.size
        m = Image.radial_gradient("L")
        m = m.point(lambda v: round(255 * strength * max(0.0, (v - 120) / 135) ** 1.5))
        m = m.resize(size, Image.Resampling.BILINEAR)
        self.img.paste(Image.new("RGB", size, (40, 32, 28)), (0, 0), m)

    def save(self, path: Path) -> None:
        out = self.img.resize((self.w, self.h), Image.Resampling.LANCZOS)
        path.parent.mkdir(parents=True, exist_ok=True)
        out.save(path, "JPEG", quality=88, optimize=True)


# --------------------------------------------------------------------------------------------
# Scene elements
# --------------------------------------------------------------------------------------------

SKIN = ["#F3CDA9", "#E9B892", "#F6D6B8", "#DFA77F"]
HAIR = ["#3A2A24", "#2B2422", "#4B3429", "#5A3D2E"]
LEAF = "#4F9160"
LEAF_DARK = "#36744A"
LEAF_LIGHT = "#79B46F"
BANK_RED = "#B8292F"
GOLD = "#E3AE4E"


def shadow(c: Canvas, cx: float, cy: float, rx: float, ry: float, opacity: float = 0.2,
           color: Color = "#3b2b20") -> None:
    c.ellipse(cx, cy, rx, ry, color, opacity=opacity, blur=ry * 0.5)


def bokeh(c: Canvas, rng: random.Random, n: int, colors: Sequence[Color],
          area: tuple[float, float, float, float], rmin: float, rmax: float, opacity: float = 0.35) -> None:
    x0, y0, x1, y1 = area
    for _ in range(n):
        r = rng.uniform(rmin, rmax)
        c.circle(rng.uniform(x0, x1), rng.uniform(y0, y1), r, rng.choice(colors),
                 opacity=opacity * rng.uniform(0.5, 1.0), blur=r * 0.08)


def confetti(c: Canvas, rng: random.Random, n: int, colors: Sequence[Color],
             area: tuple[float, float, float, float], size: float = 14) -> None:
    x0, y0, x1, y1 = area
    for _ in range(n):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        col = rng.choice(colors)
        if rng.random() < 0.5:
            c.circle(x, y, size * rng.uniform(0.3, 0.5), col, opacity=0.85)
        else:
            s = size * rng.uniform(0.5, 0.9)
            rect = [(-s, -s * 0.4), (s, -s * 0.4), (s, s * 0.4), (-s, s * 0.4)]
            c.poly(rot(rect, x, y, rng.uniform(0, 180)), col, opacity=0.85)


def room(c: Canvas, horizon: float, wall: tuple[Color, Color], floor: tuple[Color, Color],
         skirting: Color | None = None) -> None:
    c.vgrad(0, horizon, *wall)
    c.vgrad(horizon, c.h, *floor)
    if skirting:
        c.rect(0, horizon - 14, c.w, horizon, skirting)


def window(c: Canvas, x0: float, y0: float, x1: float, y1: float, frame: Color, glass: tuple[Color, Color],
           arch: bool = False) -> None:
    r = (x1 - x0) / 2 if arch else 12
    c.rect(x0 - 14, y0 - 14, x1 + 14, y1 + 14, frame, r=r + 14 if arch else 16)
    c.rect(x0, y0, x1, y1, Grad("v", *glass), r=r)
    mx = (x0 + x1) / 2
    c.rect(mx - 6, y0 + (r if arch else 0), mx + 6, y1, frame)
    c.rect(x0, (y0 + y1) / 2 + 20, x1, (y0 + y1) / 2 + 32, frame)
    c.poly([(x0 + 30, y1 - 40), (x0 + 90, y1 - 40), (x1 - 30, y0 + r + 30), (x1 - 90, y0 + r + 30)],
           "#ffffff", opacity=0.18)


def bunting(c: Canvas, x0: float, y0: float, x1: float, y1: float, sag: float, colors: Sequence[Color],
            n: int = 12, size: float = 54, string: Color = "#8a7461") -> None:
    pts = cubic((x0, y0), (x0 + (x1 - x0) / 3, y0 + sag), (x0 + 2 * (x1 - x0) / 3, y1 + sag), (x1, y1), 60)
    c.line(pts, string, 4)
    for i in range(n):
        t = (i + 0.5) / n
        k = t * (len(pts) - 1)
        j = min(int(k), len(pts) - 2)
        f = k - j
        px = pts[j][0] + (pts[j + 1][0] - pts[j][0]) * f
        py = pts[j][1] + (pts[j + 1][1] - pts[j][1]) * f
        ang = math.degrees(math.atan2(pts[j + 1][1] - pts[j][1], pts[j + 1][0] - pts[j][0]))
        tri = rot([(-size * 0.5, 0), (size * 0.5, 0), (0, size * 1.1)], px, py, ang)
        c.poly(tri, colors[i % len(colors)])


def balloon(c: Canvas, x: float, y: float, r: float, color: Color, string_to: Point | None = None,
            sway: float = 30) -> None:
    if string_to:
        sx, sy = string_to
        pts = cubic((x, y + r * 1.25), (x + sway, y + r * 2.2), (sx - sway, sy - (sy - y) * 0.35), (sx, sy),
                    30)
        c.line(pts, "#8c8175", 2.5)
    c.poly([(x - r * 0.14, y + r * 1.3), (x + r * 0.14, y + r * 1.3), (x, y + r * 1.1)], shade(color, -0.15))
    c.ellipse(x, y, r, r * 1.18, color)
    c.ellipse(x + r * 0.18, y + r * 0.2, r * 0.8, r * 0.95, shade(color, -0.08), opacity=0.5)
    c.ellipse(x - r * 0.38, y - r * 0.45, r * 0.2, r * 0.32, "#ffffff", angle=30, opacity=0.45)


def kite(c: Canvas, x: float, y: float, s: float, c1: Color, c2: Color, angle: float = 10,
         tail_to: Point | None = None) -> None:
    top, right, bottom, left = rot([(0, -s), (s * 0.72, -s * 0.2), (0, s * 1.25), (-s * 0.72, -s * 0.2)],
                                   x, y, angle)
    mid = rot([(0, -s * 0.2)], x, y, angle)[0]
    c.poly([top, right, mid], c1)
    c.poly([top, left, mid], c2)
    c.poly([bottom, right, mid], c2)
    c.poly([bottom, left, mid], c1)
    c.line([top, bottom], "#ffffff", 3, opacity=0.7)
    c.line([left, right], "#ffffff", 3, opacity=0.7)
    tx, ty = bottom
    end = tail_to or (tx - s * 0.8, ty + s * 2.4)
    tail = cubic(bottom, (tx + s * 0.6, ty + s * 0.8), (end[0] - s * 0.6, end[1] - s * 0.8), end, 40)
    c.line(tail, "#8c8175", 2.5)
    for k in (10, 22, 34):
        bx, by = tail[k]
        c.poly([(bx, by), (bx - s * 0.2, by - s * 0.12), (bx - s * 0.2, by + s * 0.12)], c1)
        c.poly([(bx, by), (bx + s * 0.2, by - s * 0.12), (bx + s * 0.2, by + s * 0.12)], c2)


def person(c: Canvas, x: float, y: float, h: float, *, top: Color, bottom: Color, skin: Color = SKIN[0],
           hair: Color = HAIR[0], pose: str = "stand", facing: int = 1, dress: bool = False,
           ponytail: bool = False, bun: bool = False, sleeve: Color | None = None,
           shoes: Color = "#4a3b35", scarf: Color | None = None, sash: Color | None = None,
           hands: tuple[tuple[Point, Point], tuple[Point, Point]] | None = None,
           lean: float = 0.0, legs_visible: bool = True, kid: bool = False) -> None:
    """A flat, faceless figure standing on (x, y); h is the standing height.

    pose: stand, up (both arms raised), wave, run, hold (arms forward), jump, sit.
    hands: optional ((elbow, hand), (elbow, hand)) offsets in units of h from the shoulders,
    for the back and the front arm.
    """
    f = facing
    sit = pose == "sit"
    hip_y = y - (0.30 if sit else 0.45) * h
    if pose == "jump":
        hip_y -= 0.1 * h
    hr = (0.13 if kid else 0.108) * h
    sh_y = hip_y - (0.31 if kid else 0.35) * h
    head_x, head_y = x + lean * h, sh_y - 0.035 * h - hr
    sw, hw = (0.14 * h, 0.12 * h) if kid else (0.13 * h, 0.105 * h)
    leg_w, arm_w = (0.085 * h, 0.066 * h) if kid else (0.072 * h, 0.058 * h)
    sleeve = sleeve or shade(top, -0.1)
    foot_y = y - leg_w * 0.5
    # legs
    if legs_visible:
        if sit:
            legs = [[(x - 0.05 * h, hip_y), (x + 0.2 * h * f, hip_y), (x + 0.2 * h * f, foot_y)],
                    [(x + 0.05 * h, hip_y + 0.01 * h), (x + 0.26 * h * f, hip_y + 0.01 * h),
                     (x + 0.27 * h * f, foot_y)]]
        elif pose == "run":
            legs = [[(x - 0.04 * h * f, hip_y), (x - 0.14 * h * f, hip_y + 0.22 * h),
                     (x - 0.27 * h * f, hip_y + 0.3 * h)],
                    [(x + 0.04 * h * f, hip_y), (x + 0.17 * h * f, hip_y + 0.17 * h),
                     (x + 0.15 * h * f, foot_y)]]
        elif pose == "jump":
            legs = [[(x - 0.05 * h, hip_y), (x - 0.1 * h, hip_y + 0.2 * h), (x - 0.08 * h, hip_y + 0.38 * h)],
                    [(x + 0.05 * h, hip_y), (x + 0.11 * h, hip_y + 0.18 * h),
                     (x + 0.12 * h, hip_y + 0.36 * h)]]
        else:
            legs = [[(x - 0.055 * h, hip_y), (x - 0.06 * h, foot_y)],
                    [(x + 0.055 * h, hip_y), (x + 0.06 * h, foot_y)]]
        for leg in legs:
            c.line(leg, skin if dress else bottom, leg_w)
            fx, fy = leg[-1]
            c.ellipse(fx + leg_w * 0.25 * f, fy + leg_w * 0.12, leg_w * 0.66, leg_w * 0.38, shoes)
    # torso
    if dress:
        torso = [(x - sw * 0.9, sh_y), (x + sw * 0.9, sh_y), (x + 0.2 * h, hip_y + 0.14 * h),
                 (x - 0.2 * h, hip_y + 0.14 * h)]
    else:
        torso = [(x - sw, sh_y), (x + sw, sh_y), (x + hw, hip_y + 0.04 * h), (x - hw, hip_y + 0.04 * h)]
    torso = [(px + lean * h * (hip_y - py) / (0.33 * h) * 0.7, py) for px, py in torso]
    if not dress and legs_visible and not sit:
        c.rect(x - hw, hip_y - 0.02 * h, x + hw, hip_y + 0.09 * h, bottom, r=0.03 * h)
    c.poly(rounded_poly(torso, 0.06 * h), top)
    if sash:
        c.poly([torso[0], (torso[0][0] + 0.08 * h, torso[0][1]), torso[2],
                (torso[2][0] - 0.08 * h, torso[2][1])], sash, opacity=0.95)
    # arms
    shx = lean * h * 0.7
    shoulders = [(x - (sw - arm_w * 0.45) * f + shx, sh_y + arm_w * 0.5),
                 (x + (sw - arm_w * 0.45) * f + shx, sh_y + arm_w * 0.5)]
    if hands is None:
        table = {
            "stand": (((-0.05, 0.15), (-0.06, 0.3)), ((0.05, 0.15), (0.06, 0.3))),
            "up": (((-0.1, -0.12), (-0.12, -0.27)), ((0.1, -0.12), (0.12, -0.27))),
            "wave": (((-0.05, 0.15), (-0.06, 0.3)), ((0.12, -0.05), (0.14, -0.22))),
            "run": (((-0.12, 0.12), (-0.17, 0.24)), ((0.12, 0.1), (0.22, 0.0))),
            "hold": (((0.04, 0.17), (0.2, 0.17)), ((0.06, 0.17), (0.23, 0.14))),
            "jump": (((-0.12, -0.1), (-0.17, -0.24)), ((0.12, -0.1), (0.17, -0.24))),
            "sit": (((0.02, 0.16), (0.18, 0.18)), ((0.04, 0.16), (0.2, 0.16))),
        }
        hands = table.get(pose, table["stand"])
    for (sx, sy), ((ex, ey), (hx, hy)) in zip(shoulders, hands, strict=True):
        elbow = (sx + ex * h * f, sy + ey * h)
        hand = (sx + hx * h * f, sy + hy * h)
        c.line([(sx, sy), elbow, hand], sleeve, arm_w)
        c.circle(hand[0], hand[1], arm_w * 0.62, skin)
    # neck, head, hair
    c.rect(head_x - 0.035 * h, head_y + hr * 0.6, head_x + 0.035 * h, sh_y + 0.02 * h, shade(skin, -0.08))
    if scarf:
        c.poly([(head_x - 0.08 * h, sh_y - 0.005 * h), (head_x + 0.08 * h, sh_y - 0.005 * h),
                (head_x, sh_y + 0.1 * h)], scarf)
    if ponytail:
        c.ellipse(head_x - hr * 0.95 * f, head_y + hr * 0.2, hr * 0.42, hr * 0.7, hair, angle=-25 * f)
    if bun:
        c.circle(head_x, head_y - hr * 1.0, hr * 0.42, hair)
    c.circle(head_x, head_y, hr, hair)
    c.ellipse(head_x + hr * 0.12 * f, head_y + hr * 0.16, hr * 0.86, hr * 0.84, skin)
    c.ellipse(head_x - hr * 0.05 * f, head_y - hr * 0.45, hr * 0.95, hr * 0.5, hair)
    c.circle(head_x + hr * 0.62 * f, head_y + hr * 0.3, hr * 0.12, "#f08f80", opacity=0.35)


def _leaf_points(length: float, width: float, bend: float, n: int) -> tuple[list, list, list]:
    """Left edge, right edge and midrib of a long pointed leaf lying along the x axis."""
    left, right, axis = [], [], []
    for i in range(n + 1):
        t = i / n
        ax = t * length
        ay = bend * length * math.sin(math.pi * t) * (1 - 0.3 * t)
        wv = width * 0.5 * (t**0.45) * (1 - t) ** 0.9 * 1.9
        left.append((ax, ay - wv))
        right.append((ax, ay + wv * 0.92))
        axis.append((ax, ay))
    return left, right, axis


def bamboo_leaf(c: Canvas, x: float, y: float, angle: float, length: float, width: float,
                color: Color = LEAF, vein: Color | None = None, bend: float = 0.08, **kw) -> None:
    """A long pointed leaf from (x, y) in direction angle (degrees, 0 = right, clockwise)."""
    left, right, axis = _leaf_points(length, width, bend, 30)
    outline = rot(left + right[::-1], x, y, angle)
    c.poly(outline, color, **kw)
    c.poly(rot(right[::-1] + axis, x, y, angle), shade(color, -0.12), opacity=0.6 * kw.get("opacity", 1))
    c.line(rot(axis[1:-3], x, y, angle), vein or shade(color, 0.25), max(2.0, width * 0.045),
           opacity=0.7 * kw.get("opacity", 1))


def mulberry_leaf(c: Canvas, x: float, y: float, size: float, angle: float, color: Color = "#5FA059",
                  bites: int = 0, bite_color: Color | None = None, rng: random.Random | None = None,
                  area: tuple[float, float, float, float] = (0, 0, W, H)) -> None:
    pts = []
    n = 60
    for i in range(n + 1):
        t = i / n
        u = t
        wv = size * 0.5 * math.sin(math.pi * u**0.85) * (1 - 0.15 * u)
        serr = size * 0.018 * (1 if i % 2 else -1) * (u > 0.12)
        pts.append((wv + serr, -u * size))
    base = [(size * 0.08, size * 0.05), (0, -size * 0.02), (-size * 0.08, size * 0.05)]
    outline = pts + [(-px, py) for px, py in pts[::-1]][1:] + base
    outline = [(px, py + size * 0.02) for px, py in outline]
    poly = rot(outline, x, y, angle)
    c.poly(poly, color)
    c.poly(rot([(0, 0), *[(px, py) for px, py in outline if px >= 0]], x, y, angle),
           shade(color, -0.1), opacity=0.45)
    c.line(rot([(0, size * 0.02), (0, -size * 0.9)], x, y, angle), shade(color, 0.3), size * 0.022)
    for k in (0.25, 0.45, 0.65):
        for s in (-1, 1):
            vein = rot([(0, -size * k), (s * size * 0.3, -size * (k + 0.16))], x, y, angle)
            c.line(vein, shade(color, 0.25), size * 0.012, opacity=0.8)
    if bites and rng and bite_color:
        for _ in range(bites):
            t = rng.uniform(0.3, 0.7)
            s = rng.choice((-1, 1))
            wv = size * 0.5 * math.sin(math.pi * t**0.85) * (1 - 0.15 * t)
            bx, by = rot([(s * wv * 1.02, -t * size)], x, y, angle)[0]
            r = size * 0.07
            if area[0] + r < bx < area[2] - r and area[1] + r < by < area[3] - r:
                c.circle(bx, by, r, bite_color)


def silkworm(c: Canvas, path: Sequence[Point], r: float, color: Color = "#F2EFE3") -> None:
    pts = spline(path, n=16)
    k = 9
    total = len(pts) - 1
    for i in range(k):
        px, py = pts[round(total * i / (k - 1))]
        shadow(c, px + r * 0.15, py + r * 0.45, r * 0.9, r * 0.45, 0.12)
    for i in range(k - 1, -1, -1):
        px, py = pts[round(total * i / (k - 1))]
        rr = r * (0.62 + 0.38 * math.sin(math.pi * (0.25 + 0.75 * i / (k - 1)) ** 0.9))
        if i == 0:
            rr = r * 0.8
        c.circle(px, py, rr, shade(color, -0.06) if i % 2 else color)
        c.circle(px - rr * 0.25, py - rr * 0.3, rr * 0.35, "#ffffff", opacity=0.5)
    hx, hy = pts[0]
    c.circle(hx, hy, r * 0.78, shade(color, -0.18))
    c.circle(hx - r * 0.28, hy - r * 0.1, r * 0.13, "#5c544c")
    c.circle(hx + r * 0.28, hy - r * 0.1, r * 0.13, "#5c544c")


def zongzi(c: Canvas, x: float, y: float, s: float, leaf: Color = LEAF, string: Color = "#C8A062",
           angle: float = 0, bow: bool = False) -> None:
    """A pyramid-shaped rice dumpling resting on (x, y), about 1.1 s wide."""
    shadow(c, x, y + s * 0.02, s * 0.6, s * 0.1, 0.22)
    top, bl, br = (0, -s * 0.95), (-s * 0.58, 0), (s * 0.58, 0)
    mid = (s * 0.12, 0)
    c.poly(rot(rounded_poly([top, br, bl], s * 0.14), x, y, angle), leaf)
    c.poly(rot(rounded_poly([top, br, mid], s * 0.1), x, y, angle), shade(leaf, -0.14))
    c.poly(rot([top, (s * 0.02, -s * 0.2), (-s * 0.25, -s * 0.02), (-s * 0.3, -s * 0.3)], x, y, angle),
           shade(leaf, 0.16), opacity=0.6)
    for k in (-0.3, -0.1, 0.35):
        c.line(rot([(0, -s * 0.85), (s * k, -s * 0.04)], x, y, angle), shade(leaf, -0.25), s * 0.012,
               opacity=0.5)
    band = rot([(-s * 0.33, -s * 0.31), (s * 0.075, -s * 0.38), (s * 0.33, -s * 0.31)], x, y, angle)
    c.line(band, string, s * 0.04)
    c.line(rot([(-s * 0.04, -s * 0.78), (-s * 0.1, -s * 0.35), (-s * 0.16, -s * 0.03)], x, y, angle), string,
           s * 0.035)
    if bow:
        bx, by = rot([(-s * 0.1, -s * 0.35)], x, y, angle)[0]
        c.line(rot([(-s * 0.1, -s * 0.35), (-s * 0.2, -s * 0.2), (-s * 0.17, -s * 0.12)], x, y, angle),
               string, s * 0.03)
        c.line(rot([(-s * 0.1, -s * 0.35), (-s * 0.04, -s * 0.2), (-s * 0.07, -s * 0.13)], x, y, angle),
               string, s * 0.03)
        c.circle(bx, by, s * 0.045, shade(string, -0.15))


def rice_bowl(c: Canvas, x: float, y: float, r: float, bowl: Color = "#F4F1EA", band: Color = "#5C86B8",
              rice: Color = "#FBF8F0", rng: random.Random | None = None, dates: bool = False) -> None:
    """A bowl of glutinous rice whose rim is centred on (x, y)."""
    shadow(c, x, y + r * 0.78, r * 0.8, r * 0.13, 0.22)
    body = [(x + r * math.cos(t), y + r * 0.78 * math.sin(t)) for t in (i * math.pi / 40 for i in range(41))]
    c.rect(x - r * 0.35, y + r * 0.6, x + r * 0.35, y + r * 0.8, shade(bowl, -0.1), r=r * 0.05)
    c.poly(body, Grad("h", bowl, shade(bowl, -0.12)))
    c.line([(x + r * 0.92 * math.cos(t), y + r * 0.12 + r * 0.6 * math.sin(t))
            for t in (0.15 + i * (math.pi - 0.3) / 30 for i in range(31))], band, r * 0.06, opacity=0.9)
    c.ellipse(x, y, r, r * 0.24, shade(bowl, -0.05))
    c.ellipse(x, y - r * 0.03, r * 0.92, r * 0.19, rice)
    c.poly([(x + r * 0.9 * math.cos(t), y - r * 0.03 - r * 0.25 * math.sin(t))
            for t in (i * math.pi / 30 for i in range(31))], rice)
    rng = rng or random.Random(1)
    for _ in range(60):
        t = rng.uniform(0.1, math.pi - 0.1)
        rr = rng.uniform(0, 0.85)
        gx = x + r * 0.88 * rr * math.cos(t) * (1 if rng.random() < 0.5 else -1)
        gy = y - r * 0.02 - r * 0.22 * rng.uniform(-0.3, 1) * (1 - rr * 0.6)
        c.ellipse(gx, gy, r * 0.045, r * 0.025, "#e6dfcf", angle=rng.uniform(0, 180), opacity=0.8)
    if dates:
        for dx, dy in ((-0.35, -0.1), (0.1, -0.16), (0.45, -0.05)):
            c.ellipse(x + r * dx, y + r * dy, r * 0.09, r * 0.065, "#9d2f2a", angle=20)


def plate(c: Canvas, x: float, y: float, rx: float, color: Color = "#F6F3EC", rim: Color = "#D9D2C3") -> None:
    shadow(c, x, y + rx * 0.12, rx * 1.02, rx * 0.28, 0.2)
    c.ellipse(x, y, rx, rx * 0.32, rim)
    c.ellipse(x, y - rx * 0.02, rx * 0.94, rx * 0.28, color)
    c.ellipse(x, y, rx * 0.62, rx * 0.18, shade(color, -0.04))


def leaf_stack(c: Canvas, x: float, y: float, length: float, n: int, spread: float, angle: float,
               rng: random.Random) -> None:
    for i in range(n):
        a = angle - spread / 2 + spread * i / max(1, n - 1) + rng.uniform(-3, 3)
        col = mix(LEAF_DARK, LEAF_LIGHT, rng.uniform(0.1, 0.8))
        bamboo_leaf(c, x, y, a, length * rng.uniform(0.85, 1.05), length * 0.2, col,
                    bend=rng.uniform(-0.05, 0.05))


def spool(c: Canvas, x: float, y: float, r: float, color: Color) -> None:
    shadow(c, x, y + r * 1.15, r * 1.1, r * 0.2, 0.2)
    c.rect(x - r * 0.95, y - r * 1.1, x + r * 0.95, y + r * 1.1, "#D8C3A0", r=r * 0.1)
    c.rect(x - r * 0.8, y - r * 0.9, x + r * 0.8, y + r * 0.9, color)
    for k in range(7):
        yy = y - r * 0.8 + k * r * 0.27
        c.line([(x - r * 0.8, yy), (x + r * 0.8, yy + r * 0.1)], shade(color, -0.15), r * 0.04, caps=False)
    c.rect(x - r * 0.8, y - r * 0.9, x - r * 0.4, y + r * 0.9, "#ffffff", opacity=0.15)


def gift_box(c: Canvas, x: float, y: float, w: float, h: float, color: Color, ribbon: Color,
             bow: bool = True) -> None:
    """A gift box standing on (x, y) (centre of its base)."""
    shadow(c, x, y, w * 0.6, w * 0.07, 0.22)
    c.rect(x - w / 2, y - h, x + w / 2, y, Grad("h", color, shade(color, -0.12)))
    c.rect(x - w * 0.54, y - h - h * 0.12, x + w * 0.54, y - h + h * 0.08, shade(color, 0.08), r=4)
    c.rect(x - w * 0.54, y - h + h * 0.04, x + w * 0.54, y - h + h * 0.08, shade(color, -0.25), opacity=0.5)
    c.rect(x - w * 0.07, y - h - h * 0.12, x + w * 0.07, y, ribbon)
    c.rect(x - w * 0.07, y - h - h * 0.12, x - w * 0.03, y, "#ffffff", opacity=0.2)
    if bow:
        by = y - h - h * 0.12
        c.ellipse(x - w * 0.16, by - w * 0.08, w * 0.17, w * 0.08, ribbon, angle=-25)
        c.ellipse(x + w * 0.16, by - w * 0.08, w * 0.17, w * 0.08, ribbon, angle=25)
        fold = shade(ribbon, -0.2)
        c.ellipse(x - w * 0.16, by - w * 0.08, w * 0.09, w * 0.035, fold, angle=-25, opacity=0.6)
        c.ellipse(x + w * 0.16, by - w * 0.08, w * 0.09, w * 0.035, fold, angle=25, opacity=0.6)
        c.circle(x, by - w * 0.03, w * 0.05, shade(ribbon, -0.1))


def lantern(c: Canvas, x: float, y: float, s: float, color: Color = "#C8383A", cord_top: float = 0) -> None:
    c.line([(x, cord_top), (x, y - s * 0.75)], "#8c6a4a", 3, caps=False)
    c.rect(x - s * 0.35, y - s * 0.8, x + s * 0.35, y - s * 0.64, GOLD, r=4)
    c.ellipse(x, y, s * 0.82, s * 0.7, Grad("h", shade(color, 0.08), shade(color, -0.15)))
    for k in (-0.55, -0.2, 0.2, 0.55):
        c.ellipse(x, y, abs(k) * s * 0.82, s * 0.69, shade(color, -0.22), opacity=0.0)
        c.line([(x + k * s * 0.82 * math.sin(t), y + s * 0.69 * math.cos(t) * -1)
                for t in (i * math.pi / 20 for i in range(21))], shade(color, -0.2), 3, opacity=0.7)
    c.rect(x - s * 0.35, y + s * 0.64, x + s * 0.35, y + s * 0.8, GOLD, r=4)
    for k in range(-3, 4):
        c.line([(x + k * s * 0.04, y + s * 0.8), (x + k * s * 0.055, y + s * 1.35)], GOLD, 3, caps=False)
    c.ellipse(x - s * 0.3, y - s * 0.2, s * 0.1, s * 0.3, "#ffffff", opacity=0.18)


def heart_pts(cx: float, cy: float, s: float, n: int = 90) -> list[Point]:
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        px = 16 * math.sin(t) ** 3
        py = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + px * s / 32, cy - py * s / 32))
    return pts


def cross(c: Canvas, x: float, y: float, s: float, color: Color) -> None:
    c.rect(x - s * 0.17, y - s * 0.5, x + s * 0.17, y + s * 0.5, color, r=s * 0.06)
    c.rect(x - s * 0.5, y - s * 0.17, x + s * 0.5, y + s * 0.17, color, r=s * 0.06)


def sachet(c: Canvas, x: float, y: float, s: float, color: Color, accent: Color = GOLD,
           shape: str = "heart", cord: float | None = None) -> None:
    """A scented sachet (xiangnang) centred on (x, y); cord: y of the hanging cord's top."""
    if cord is not None:
        c.line([(x, cord), (x, y - s * 0.5)], "#B3373A", 4, caps=False)
        c.circle(x, y - s * 0.55, s * 0.07, accent)
    else:
        shadow(c, x, y + s * 0.55, s * 0.5, s * 0.08, 0.2)
    if shape == "heart":
        body = heart_pts(x, y + s * 0.05, s * 1.1)
    elif shape == "gourd":
        body = spline([(x, y - s * 0.5), (x + s * 0.2, y - s * 0.3), (x + s * 0.15, y - s * 0.12),
                       (x + s * 0.42, y + s * 0.15), (x + s * 0.3, y + s * 0.45), (x, y + s * 0.52),
                       (x - s * 0.3, y + s * 0.45), (x - s * 0.42, y + s * 0.15),
                       (x - s * 0.15, y - s * 0.12), (x - s * 0.2, y - s * 0.3)], closed=True)
    else:
        body = ellipse_pts(x, y, s * 0.45, s * 0.48)
    c.poly(body, Grad("h", shade(color, 0.1), shade(color, -0.12)))
    c.poly([(x - s * 0.2, y - s * 0.45), (x + s * 0.2, y - s * 0.45), (x + s * 0.1, y - s * 0.3),
            (x - s * 0.1, y - s * 0.3)], shade(color, -0.2), opacity=0.6)
    for k in range(6):
        a = k * math.pi / 3
        c.circle(x + math.cos(a) * s * 0.1, y + math.sin(a) * s * 0.1, s * 0.075, accent, opacity=0.9)
    c.circle(x, y, s * 0.06, shade(accent, 0.5))
    c.ring(x, y, s * 0.28, s * 0.28, accent, s * 0.015, opacity=0.7)
    ty = y + s * (0.5 if shape != "heart" else 0.45)
    c.circle(x, ty + s * 0.05, s * 0.06, accent)
    for k in range(-3, 4):
        c.line([(x + k * s * 0.015, ty + s * 0.08), (x + k * s * 0.03, ty + s * 0.45)], "#C13F3E", 3,
               caps=False)
    c.rect(x - s * 0.06, ty + s * 0.1, x + s * 0.06, ty + s * 0.16, accent, r=2)


def mugwort(c: Canvas, x: float, y: float, s: float, angle: float, color: Color = "#6E9A6A") -> None:
    """A sprig of mugwort (aicao) from (x, y) upwards, rotated by angle."""
    stem = rot([(0, 0), (0, -s)], x, y, angle)
    c.line(stem, shade(color, -0.2), s * 0.018)
    for i in range(7):
        t = 0.2 + i * 0.12
        side = 1 if i % 2 else -1
        base = (0, -s * t)
        leaf_len = s * (0.28 - 0.02 * i)
        px, py = rot([base], x, y, angle)[0]
        bamboo_leaf(c, px, py, angle - 90 + side * 55, leaf_len, leaf_len * 0.35,
                    shade(color, 0.05 * (i % 3)), bend=0.05 * side)


def five_colour_cord(c: Canvas, pts: Sequence[Point], width: float) -> None:
    """A braided five-colour cord along the points."""
    path = spline(pts, n=30)
    colours = ["#2F6FB0", "#C8383A", "#F4F1EA", "#3A3A3A", "#E7B43C"]
    c.line([(px + width * 0.2, py + width * 0.35) for px, py in path], "#6b5a4a", width, opacity=0.3,
           blur=width * 0.3)
    c.line(path, "#5a4a3e", width)
    # resample at even spacing, then draw the twisted strands as short slanted dashes
    even: list[Point] = [path[0]]
    step = width * 0.42
    acc = 0.0
    for a, b in itertools.pairwise(path):
        seg = math.dist(a, b)
        while acc + seg >= step and seg > 0:
            t = (step - acc) / seg
            a = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            seg = math.dist(a, b)
            acc = 0.0
            even.append(a)
        acc += seg
    for i in range(1, len(even) - 1):
        (ax, ay), (px, py), (bx, by) = even[i - 1], even[i], even[i + 1]
        d = math.hypot(bx - ax, by - ay) or 1
        tx, ty = (bx - ax) / d, (by - ay) / d
        nx, ny = -ty, tx
        hw = width * 0.42
        p0 = (px - nx * hw - tx * hw * 0.7, py - ny * hw - ty * hw * 0.7)
        p1 = (px + nx * hw + tx * hw * 0.7, py + ny * hw + ty * hw * 0.7)
        c.line([p0, p1], colours[i % 5], width * 0.4)


def tree(c: Canvas, x: float, y: float, s: float, color: Color, kind: str = "round") -> None:
    c.rect(x - s * 0.05, y - s * 0.45, x + s * 0.05, y, "#8B6A4E", r=s * 0.03)
    if kind == "round":
        c.circle(x, y - s * 0.75, s * 0.38, color)
        c.circle(x + s * 0.12, y - s * 0.68, s * 0.26, shade(color, -0.1), opacity=0.6)
        c.circle(x - s * 0.12, y - s * 0.9, s * 0.12, shade(color, 0.2), opacity=0.5)
    else:
        for k in range(3):
            yy = y - s * 0.3 - k * s * 0.28
            ww = s * (0.42 - k * 0.1)
            c.poly([(x - ww, yy), (x + ww, yy), (x, yy - s * 0.45)], shade(color, -0.05 * k))
            c.poly([(x, yy), (x + ww, yy), (x, yy - s * 0.45)], shade(color, -0.12), opacity=0.5)


def hills(c: Canvas, y: float, amp: float, color: Fill, rng: random.Random, n: int = 5,
          bottom: float | None = None, **kw) -> None:
    pts = [(-100, y + rng.uniform(-amp, amp) * 0.5)]
    for i in range(1, n):
        pts.append((c.w * i / (n - 1) + rng.uniform(-60, 60), y - amp * rng.uniform(0.2, 1.0)))
    pts.append((c.w + 100, y))
    curve = spline(pts, n=20)
    c.poly([*curve, (c.w + 100, bottom or c.h), (-100, bottom or c.h)], color, **kw)


def cloud(c: Canvas, x: float, y: float, s: float, color: Color = "#ffffff", opacity: float = 0.85) -> None:
    def fn(d, tx):
        for cx, cy, r in ((0, 0, 0.32), (0.3, -0.12, 0.38), (0.65, 0.02, 0.28)):
            d.ellipse([*tx(x + (cx - r) * s, y + (cy - r) * s), *tx(x + (cx + r) * s, y + (cy + r) * s)],
                      fill=255)
        d.rounded_rectangle([*tx(x - 0.1 * s, y - 0.05 * s), *tx(x + 0.8 * s, y + 0.3 * s)],
                            radius=0.15 * s * SS, fill=255)

    c._shape((x - 0.35 * s, y - 0.55 * s, x + 0.95 * s, y + 0.35 * s), fn, color, opacity=opacity)


def table_top(c: Canvas, y: float, top: tuple[Color, Color], edge: Color | None = None, edge_h: float = 40,
              y1: float | None = None) -> None:
    y1 = c.h if y1 is None else y1
    c.vgrad(y, y1, *top)
    if edge:
        c.rect(0, y1, c.w, y1 + edge_h, edge)
        c.rect(0, y1 + edge_h, c.w, y1 + edge_h + 30, "#000000", opacity=0.08, blur=10)


def steamer(c: Canvas, x: float, y: float, r: float, rng: random.Random) -> None:
    """An open round bamboo steamer standing on (x, y), with zongzi inside."""
    wood, dark = "#D7B27A", "#B58B52"
    shadow(c, x, y, r * 1.05, r * 0.14, 0.25)
    h, ry = r * 0.5, r * 0.26
    top_y = y - h

    def arc(cy: float, rr: float, rry: float) -> list[Point]:
        return [(x + rr * math.cos(t), cy + rry * math.sin(t)) for t in (i * math.pi / 48 for i in range(49))]

    c.ellipse(x, top_y, r, ry, "#E7C98F")
    c.ellipse(x, top_y + r * 0.01, r * 0.9, ry * 0.82, "#8E7045")
    c.ellipse(x, top_y + r * 0.06, r * 0.86, ry * 0.66, "#A48454")
    for dx, dy, s, a in ((-0.5, 0.12, 0.42, -12), (0.05, 0.16, 0.48, 6), (0.52, 0.12, 0.4, 14),
                         (-0.25, 0.02, 0.38, -4), (0.3, 0.02, 0.38, 8)):
        zongzi(c, x + dx * r, top_y + dy * r, s * r, mix(LEAF, LEAF_LIGHT, rng.uniform(0, 0.5)), angle=a)
    front = arc(y, r, ry) + arc(top_y, r, ry)[::-1]
    c.poly(front, Grad("h", shade(wood, 0.1), shade(wood, -0.18)))
    band = arc(y - h * 0.22, r, ry) + arc(y - h * 0.08, r, ry)[::-1]
    c.poly(band, dark, opacity=0.6)
    for k in range(1, 36):
        t = math.pi * k / 36
        xx, dy = x - r * math.cos(t), ry * math.sin(t)
        c.line([(xx, top_y + dy + h * 0.08), (xx, y + dy - h * 0.3)], dark, 3, caps=False, opacity=0.4)
    c.line(arc(top_y, r, ry), "#C9A468", r * 0.05)


def steam(c: Canvas, x: float, y: float, height: float, rng: random.Random, n: int = 3) -> None:
    for k in range(n):
        x0 = x + (k - (n - 1) / 2) * height * 0.25
        amp = height * 0.06
        ph = rng.uniform(0, 6)
        pts = [(x0 + amp * math.sin(ph + t * 7), y - t * height) for t in (i / 40 for i in range(41))]
        c.line(pts, "#ffffff", height * 0.04, opacity=0.4, blur=height * 0.02)


def dragon_boat(c: Canvas, cx: float, wy: float, L: float, rng: random.Random, hull: Color = BANK_RED,
                rowers: Sequence[Color] = ("#2E6E8E", "#E0A040", "#2E6E8E", "#E0A040", "#2E6E8E", "#E0A040"),
                kids: bool = False) -> None:
    """A dragon boat floating on the water line wy, centred on cx, L long (bow on the left)."""
    n = len(rowers)
    # rowers
    for i, col in enumerate(rowers):
        px = cx - 0.3 * L + i * 0.62 * L / (n - 1)
        hh = L * (0.2 if kids else 0.22)
        base = wy - L * 0.045
        paddle_top = (px + L * 0.05, base - hh * 0.75)
        paddle_end = (px - L * 0.075, wy + L * 0.03)
        c.line([(paddle_top[0], paddle_top[1]), paddle_end], "#8B6744", L * 0.007)
        c.ellipse(paddle_end[0] - L * 0.005, paddle_end[1] - L * 0.006, L * 0.009, L * 0.022, "#8B6744",
                  angle=30)
        person(c, px, base + hh * 0.3, hh, kid=kids, top=col, bottom=col, skin=SKIN[i % 4], hair=HAIR[i % 4],
               pose="sit", facing=-1, legs_visible=False, lean=-0.1,
               hands=(((-0.06, 0.14), (-0.1, 0.12)), ((0.0, 0.0), (-0.06, -0.04))))
        c.circle(paddle_end[0] + L * 0.01, wy + L * 0.012, L * 0.012, "#ffffff", opacity=0.7)
        c.ellipse(paddle_end[0] + L * 0.03, wy + L * 0.016, L * 0.03, L * 0.006, "#ffffff", opacity=0.5)
    # drum
    dx = cx - 0.39 * L
    c.rect(dx - L * 0.03, wy - L * 0.1, dx + L * 0.03, wy - L * 0.04, GOLD, r=L * 0.006)
    c.ellipse(dx, wy - L * 0.1, L * 0.03, L * 0.008, "#F3D79A")
    # hull
    top = spline([(cx - 0.5 * L, wy - 0.075 * L), (cx - 0.2 * L, wy - 0.045 * L),
                  (cx + 0.2 * L, wy - 0.045 * L), (cx + 0.47 * L, wy - 0.07 * L)], n=16)
    bot = spline([(cx + 0.47 * L, wy - 0.07 * L), (cx + 0.3 * L, wy + 0.012 * L), (cx, wy + 0.02 * L),
                  (cx - 0.3 * L, wy + 0.012 * L), (cx - 0.5 * L, wy - 0.075 * L)], n=16)
    c.poly(top + bot, Grad("v", shade(hull, 0.05), shade(hull, -0.2)))
    c.line(top, GOLD, L * 0.008)
    stripe = [(px, py + 0.02 * L) for px, py in top[4:-4]]
    c.line(stripe, GOLD, L * 0.004, opacity=0.9)
    for i in range(18):
        t = 0.12 + i * 0.04
        px = cx - 0.5 * L + t * 0.97 * L
        c.circle(px, wy - 0.025 * L + 0.01 * L * abs(t - 0.5), L * 0.006, GOLD, opacity=0.8)
    # dragon head at the bow
    neck = cubic((cx - 0.47 * L, wy - 0.07 * L), (cx - 0.52 * L, wy - 0.1 * L), (cx - 0.5 * L, wy - 0.16 * L),
                 (cx - 0.53 * L, wy - 0.19 * L), 20)
    c.line(neck, hull, L * 0.035)
    hx, hy = cx - 0.545 * L, wy - 0.2 * L
    for k in range(4):
        c.poly([(hx + L * (0.005 + k * 0.012), hy - L * 0.01), (hx + L * (0.03 + k * 0.012), hy - L * 0.045),
                (hx + L * (0.025 + k * 0.012), hy + L * 0.005)], GOLD)
    c.ellipse(hx, hy, L * 0.04, L * 0.024, hull)
    c.ellipse(hx - L * 0.035, hy + L * 0.006, L * 0.025, L * 0.014, shade(hull, 0.08))
    c.poly([(hx - L * 0.05, hy + L * 0.016), (hx - L * 0.02, hy + L * 0.01), (hx - L * 0.03, hy + L * 0.035)],
           GOLD)
    c.circle(hx - L * 0.008, hy - L * 0.006, L * 0.008, "#ffffff")
    c.circle(hx - L * 0.01, hy - L * 0.006, L * 0.004, "#2b2320")
    horn = cubic((hx + L * 0.01, hy - L * 0.02), (hx + L * 0.02, hy - L * 0.05),
                 (hx + L * 0.04, hy - L * 0.05), (hx + L * 0.05, hy - L * 0.04), 12)
    c.line(horn, GOLD, L * 0.005)
    # tail at the stern
    tail = cubic((cx + 0.45 * L, wy - 0.07 * L), (cx + 0.52 * L, wy - 0.09 * L),
                 (cx + 0.5 * L, wy - 0.17 * L), (cx + 0.55 * L, wy - 0.2 * L), 20)
    for i in range(len(tail) - 1):
        c.line([tail[i], tail[i + 1]], hull, L * (0.03 - 0.024 * i / len(tail)))
    tx, ty = tail[-1]
    c.poly([(tx, ty), (tx + L * 0.04, ty - L * 0.035), (tx + L * 0.01, ty + L * 0.01)], GOLD)
    c.poly([(tx, ty), (tx + L * 0.045, ty + L * 0.0), (tx + L * 0.005, ty + L * 0.02)], GOLD, opacity=0.8)
    # reflection and ripples
    c.poly([(px, wy + 0.02 * L + (wy + 0.02 * L - py) * 0.25) for px, py in top + bot], shade(hull, -0.3),
           opacity=0.18, blur=L * 0.004)
    for _ in range(14):
        rx = cx + rng.uniform(-0.6, 0.6) * L
        ry = wy + rng.uniform(0.03, 0.12) * L
        c.line([(rx, ry), (rx + rng.uniform(0.03, 0.08) * L, ry)], "#ffffff", L * 0.004, opacity=0.45)


def water(c: Canvas, y: float, colors: tuple[Color, Color], rng: random.Random, bands: int = 4) -> None:
    c.vgrad(y, c.h, *colors)
    for k in range(bands):
        yy = y + (c.h - y) * (k + 0.6) / bands
        amp = 8 + k * 3
        ph = rng.uniform(0, 6)
        pts = [(x, yy + amp * math.sin(ph + x / (90 + k * 25))) for x in range(-20, c.w + 40, 20)]
        c.poly([*pts, (c.w + 40, c.h + 20), (-20, c.h + 20)], shade(colors[1], -0.04 * (k + 1)), opacity=0.35)


def bank_logo(c: Canvas, x: float, y: float, r: float, color: Color = BANK_RED) -> None:
    """A plain emblem (circle and wave), not the bank's real logo."""
    c.circle(x, y, r, color)
    wave = [(x - r * 0.62 + t * r * 1.24, y + r * 0.1 + r * 0.16 * math.sin(t * 2 * math.pi))
            for t in (i / 30 for i in range(31))]
    c.line(wave, "#ffffff", r * 0.12)
    roof = [(x - r * 0.45, y - r * 0.1), (x, y - r * 0.55), (x + r * 0.45, y - r * 0.1)]
    c.poly(roof, "#ffffff", opacity=0.9)


def fluid_bear(c: Canvas, x: float, y: float, s: float, palette: Sequence[Color], rng: random.Random) -> None:
    """A resin 'fluid bear' figurine sitting on (x, y), about s tall."""
    shadow(c, x, y, s * 0.45, s * 0.06, 0.28)
    parts = [
        ("e", 0, -0.36, 0.34, 0.36), ("e", 0, -0.83, 0.27, 0.25), ("e", -0.2, -1.04, 0.1, 0.1),
        ("e", 0.2, -1.04, 0.1, 0.1), ("e", -0.31, -0.45, 0.1, 0.17), ("e", 0.31, -0.45, 0.1, 0.17),
        ("e", -0.19, -0.08, 0.14, 0.1), ("e", 0.19, -0.08, 0.14, 0.1),
    ]
    bx0, by0, bx1, by1 = x - s * 0.5, y - s * 1.2, x + s * 0.5, y + s * 0.05
    size = (round((bx1 - bx0) * SS), round((by1 - by0) * SS))
    mask = Image.new("L", size, 0)
    d = ImageDraw.Draw(mask)
    for _, px, py, rx, ry in parts:
        cx_, cy_ = (x + px * s - bx0) * SS, (y + py * s - by0) * SS
        d.ellipse([cx_ - rx * s * SS, cy_ - ry * s * SS, cx_ + rx * s * SS, cy_ + ry * s * SS], fill=255)
    paint = Image.new("RGB", size, rgb(palette[0]))
    pd = ImageDraw.Draw(paint)
    for _ in range(34):
        col = rgb(rng.choice(palette))
        x0, y0 = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        ang = rng.uniform(0, math.pi)
        amp = rng.uniform(10, 40) * SS
        pts = []
        for i in range(40):
            t = (i / 39 - 0.5) * size[0] * 1.2
            pts.append((x0 + t * math.cos(ang) - amp * math.sin(t / 60 + ang) * math.sin(ang),
                        y0 + t * math.sin(ang) + amp * math.sin(t / 60 + ang) * math.cos(ang)))
        pd.line(pts, fill=col, width=round(rng.uniform(0.05, 0.14) * s * SS), joint="curve")
    for _ in range(8):
        x0, y0 = rng.uniform(0, size[0]), rng.uniform(0, size[1])
        pts = [(x0 + i * 8 * SS, y0 + 20 * SS * math.sin(i / 3)) for i in range(30)]
        pd.line(pts, fill=(255, 255, 255), width=max(2, round(0.006 * s * SS)), joint="curve")
    paint = paint.filter(ImageFilter.GaussianBlur(0.01 * s * SS))
    light = Image.new("RGB", size, (255, 255, 255))
    glare = Image.radial_gradient("L").resize(size).point(lambda v: round(max(0, 255 - v * 1.6) * 0.22))
    paint.paste(light, (0, 0), glare.transform(size, Image.Transform.AFFINE, (1, 0, size[0] * 0.12, 0, 1, 0)))
    edge = Image.radial_gradient("L").resize(size).point(lambda v: round(min(255, max(0, v - 110) * 0.9)))
    paint.paste(Image.new("RGB", size, (30, 20, 40)), (0, 0), edge.point(lambda v: round(v * 0.35)))
    c.paste_masked(paint, mask, bx0, by0)
    # muzzle, eyes, nose, glossy highlight
    c.ellipse(x, y - s * 0.77, s * 0.11, s * 0.08, "#FBF6EE", opacity=0.92)
    c.ellipse(x, y - s * 0.795, s * 0.035, s * 0.024, "#2c2422")
    c.circle(x - s * 0.1, y - s * 0.88, s * 0.022, "#2c2422")
    c.circle(x + s * 0.1, y - s * 0.88, s * 0.022, "#2c2422")
    c.ellipse(x - s * 0.14, y - s * 0.96, s * 0.06, s * 0.03, "#ffffff", angle=-30, opacity=0.55)
    c.ellipse(x - s * 0.18, y - s * 0.5, s * 0.035, s * 0.1, "#ffffff", angle=15, opacity=0.4)


def paint_cup(c: Canvas, x: float, y: float, r: float, color: Color) -> None:
    shadow(c, x, y, r * 1.1, r * 0.2, 0.22)
    c.poly([(x - r, y - r * 1.5), (x + r, y - r * 1.5), (x + r * 0.85, y), (x - r * 0.85, y)],
           Grad("h", "#f7f6f3", "#d8d6d2"), opacity=0.92)
    c.poly([(x - r * 0.96, y - r * 1.0), (x + r * 0.96, y - r * 1.0), (x + r * 0.85, y), (x - r * 0.85, y)],
           color, opacity=0.9)
    c.ellipse(x, y - r * 1.5, r, r * 0.22, "#e9e7e2")
    c.ellipse(x, y - r * 1.5, r * 0.86, r * 0.16, color)
    c.line([(x + r * 0.5, y - r * 1.55), (x + r * 0.7, y - r * 0.9)], color, r * 0.18)


def wheelchair(c: Canvas, x: float, y: float, s: float, color: Color = "#5C7C99") -> None:
    """A wheelchair whose seat is near (x, y - 0.5 s); y is the floor."""
    shadow(c, x, y, s * 0.55, s * 0.06, 0.22)
    c.ring(x - s * 0.05, y - s * 0.3, s * 0.3, s * 0.3, "#3F4E5C", s * 0.045)
    c.ring(x - s * 0.05, y - s * 0.3, s * 0.24, s * 0.24, "#A8B4BF", s * 0.015)
    c.circle(x - s * 0.05, y - s * 0.3, s * 0.04, "#3F4E5C")
    c.circle(x + s * 0.38, y - s * 0.06, s * 0.06, "#3F4E5C")
    c.line([(x - s * 0.3, y - s * 0.95), (x - s * 0.25, y - s * 0.48), (x + s * 0.3, y - s * 0.48),
            (x + s * 0.38, y - s * 0.12)], color, s * 0.04)
    c.line([(x - s * 0.32, y - s * 0.95), (x - s * 0.45, y - s * 0.97)], "#3F4E5C", s * 0.05)
    c.line([(x + s * 0.3, y - s * 0.48), (x + s * 0.4, y - s * 0.2), (x + s * 0.52, y - s * 0.2)], color,
           s * 0.03)


def cone(c: Canvas, x: float, y: float, s: float, color: Color) -> None:
    shadow(c, x, y, s * 0.5, s * 0.08, 0.2)
    c.rect(x - s * 0.5, y - s * 0.08, x + s * 0.5, y, shade(color, -0.1), r=3)
    body = [(x - s * 0.32, y - s * 0.08), (x + s * 0.32, y - s * 0.08), (x + s * 0.06, y - s),
            (x - s * 0.06, y - s)]
    c.poly(body, Grad("h", shade(color, 0.08), shade(color, -0.12)))

    c.poly([(x - s * 0.23, y - s * 0.4), (x + s * 0.23, y - s * 0.4), (x + s * 0.17, y - s * 0.58),
            (x - s * 0.17, y - s * 0.58)], "#ffffff", opacity=0.85)


def ball(c: Canvas, x: float, y: float, r: float, c1: Color, c2: Color, ground: float | None = None) -> None:
    """A beach ball with six panels."""
    if ground is not None:
        shadow(c, x, ground, r * 0.9, r * 0.15, 0.2)
    c.circle(x, y, r, "#F7F5F0")
    for k in range(6):
        if k % 2:
            continue
        a0, a1 = k * math.pi / 3 - 0.3, (k + 1) * math.pi / 3 - 0.3
        arc = [(x + r * math.cos(a0 + (a1 - a0) * i / 16), y + r * 0.999 * math.sin(a0 + (a1 - a0) * i / 16))
               for i in range(17)]
        c.poly([(x, y), *arc], c1 if k % 4 == 0 else c2)
    c.circle(x, y, r * 0.16, "#F7F5F0")
    c.ellipse(x + r * 0.2, y + r * 0.2, r * 0.8, r * 0.8, "#000000", opacity=0.08)
    c.ellipse(x - r * 0.4, y - r * 0.45, r * 0.22, r * 0.13, "#ffffff", angle=-35, opacity=0.6)


# --------------------------------------------------------------------------------------------
# The gallery scenes
# --------------------------------------------------------------------------------------------


def scene_xinzhou_1(c: Canvas, rng: random.Random) -> None:
    """Parent-child painting: three DIY fluid bears."""
    room(c, 700, ("#EEE8F4", "#E0D7EE"), ("#F2E2CB", "#E3C9A7"))
    bokeh(c, rng, 14, ["#ffffff", "#F6C9D8", "#CDE3F3"], (0, 0, c.w, 620), 40, 120, 0.45)
    window(c, 1180, 110, 1580, 560, "#F7F3EE", ("#D7E9F5", "#F1F6F9"), arch=True)
    bunting(c, -20, 70, 1100, 110, 110, ["#F2A7B8", "#8EC6E8", "#F6D27A", "#A8D8B9"], n=11, size=48)
    table_top(c, 760, ("#F3E6D3", "#E6CFAF"))
    c.rect(0, 742, c.w, 770, "#D9BE98")
    for tx, ty, s, pal in (
        (430, 1010, 330, ["#7EB8E6", "#F4A6C1", "#FFFFFF", "#F6D37E", "#9C8FD8"]),
        (900, 1030, 470, ["#F08C7C", "#F6D37E", "#FFFFFF", "#7FC8B4", "#F4A6C1"]),
        (1370, 1010, 360, ["#6FC1B0", "#3E7CB8", "#FFFFFF", "#B9E0F0", "#F6D37E"]),
    ):
        fluid_bear(c, tx, ty, s, pal, rng)
    for px, col in ((150, "#F08C7C"), (240, "#7EB8E6"), (1640, "#F6D37E"), (1730, "#9C8FD8")):
        paint_cup(c, px, 1120 - (px % 7) * 4, 46, col)
    c.line([(1520, 1150), (1700, 1050)], "#C99A5E", 12)
    c.line([(1690, 1056), (1730, 1034)], "#7EB8E6", 18)


def scene_xinzhou_2(c: Canvas, rng: random.Random) -> None:
    """Wrapping zongzi at the branch."""
    room(c, 330, ("#F4E9DA", "#EEDCC6"), ("#E9D5B8", "#DCC09B"))
    lantern(c, 260, 190, 120, cord_top=0)
    lantern(c, 1560, 160, 110, cord_top=0)
    bunting(c, 400, 40, 1400, 40, 120, ["#5E9F6B", "#E3AE4E", "#C8453B", "#8CC08A"], n=10, size=44)
    table_top(c, 330, ("#E7CBA2", "#D5AF7E"))
    for k in range(6):
        c.line([(0, 420 + k * 150), (c.w, 400 + k * 150)], "#C49A67", 3, opacity=0.35, caps=False)
    # bamboo tray with leaves
    shadow(c, 560, 880, 440, 70, 0.25)
    c.ellipse(560, 820, 440, 230, "#C8A46C")
    c.ellipse(560, 810, 410, 205, "#DDBE86")
    for k in range(1, 8):
        c.ring(560, 810, 410 * k / 8, 205 * k / 8, "#C8A46C", 3, opacity=0.5)
    leaf_stack(c, 300, 900, 560, 7, 50, -20, rng)
    # rice bowl and dates
    rice_bowl(c, 1160, 640, 190, rng=rng, dates=True)
    c.ellipse(1430, 560, 110, 36, "#EFE7DA")
    for k in range(9):
        c.ellipse(1380 + (k % 5) * 26, 548 + (k // 5) * 20, 20, 13, "#9D2F2A", angle=20 + k * 10)
    # plate of finished zongzi
    plate(c, 1420, 930, 260)
    for dx, dy, s, a in ((-110, 10, 120, -8), (20, 25, 130, 4), (130, 5, 115, 10), (-40, -40, 110, 0),
                         (80, -45, 105, -6)):
        zongzi(c, 1420 + dx, 930 + dy, s, mix(LEAF, LEAF_LIGHT, rng.uniform(0, 0.5)), angle=a)
    spool(c, 960, 1000, 60, "#C8453B")
    c.line(cubic((1010, 990), (1080, 1060), (1050, 1140), (1180, 1160), 30), "#C8453B", 6)


def scene_shuozhou_1(c: Canvas, rng: random.Random) -> None:
    """Forest sports day."""
    c.vgrad(0, 620, "#CFE8F3", "#F3F4E4")
    c.glow(1380, 220, 260, "#FFF1C4", 0.9)
    c.circle(1380, 220, 80, "#FCE3A0")
    cloud(c, 200, 160, 260)
    cloud(c, 900, 110, 200, opacity=0.7)
    hills(c, 560, 110, "#B9D9B5", rng, 5)
    for k in range(16):
        tx = -40 + k * 125 + rng.uniform(-30, 30)
        tree(c, tx, 640 + rng.uniform(-10, 20), rng.uniform(230, 320),
             rng.choice(["#5E9E6A", "#4E8C5E", "#78B277", "#3F7F5A"]), rng.choice(["round", "pine"]))
    c.vgrad(630, c.h, "#A9D293", "#7FB56E")
    # running track
    outer = cubic((-100, 1200), (400, 760), (1200, 700), (1950, 690), 60)
    inner = cubic((1950, 880), (1300, 880), (700, 980), (500, 1250), 60)
    c.poly(outer + inner, Grad("v", "#E39A72", "#D47F58"))
    for k in (0.25, 0.5, 0.75):
        lane = [(o[0] + (i[0] - o[0]) * k, o[1] + (i[1] - o[1]) * k)
                for o, i in zip(outer, inner[::-1], strict=True)]
        c.line(lane, "#ffffff", 5, opacity=0.85)
    c.line(outer, "#ffffff", 6)
    # finish line posts and ribbon
    c.line([(1500, 600), (1500, 790)], "#F4F1EA", 10)
    c.line([(1620, 640), (1620, 900)], "#F4F1EA", 10)
    c.line(cubic((1500, 640), (1540, 680), (1580, 700), (1620, 690), 20), "#D9443C", 6)
    for bx, by, col in ((1490, 520, "#F28C8C"), (1530, 470, "#8EC6E8"), (1630, 560, "#F6D27A"),
                        (1590, 510, "#A8D8B9")):
        balloon(c, bx, by, 38, col, string_to=(1500 if bx < 1560 else 1620, 600 if bx < 1560 else 640),
                sway=8)
    bunting(c, -20, 40, c.w + 20, 60, 90, ["#E5735E", "#F2C14E", "#6DB3D8", "#86C38A"], n=16, size=46)
    kids = [(520, 1050, 270, "#F2C14E", "#3E6E9E"), (860, 930, 245, "#6DB3D8", "#2F4F6F"),
            (1180, 860, 220, "#E5735E", "#4A4A5A"), (1380, 820, 200, "#86C38A", "#3E6E9E")]
    for i, (kx, ky, kh, top, bottom) in enumerate(kids):
        person(c, kx, ky, kh, kid=True, top=top, bottom=bottom, skin=SKIN[i % 4], hair=HAIR[i % 4],
               pose="run", ponytail=i % 2 == 1)


def scene_shuozhou_2(c: Canvas, rng: random.Random) -> None:
    """Dragon Boat Festival theme day: zongzi, leaves, mugwort and a river."""
    c.vgrad(0, 760, "#E6F1E4", "#F6EED9")
    c.glow(900, 380, 420, "#FBE2A6", 0.8)
    c.circle(900, 380, 230, Grad("v", "#FBE3AE", "#F6CB84"))
    for k in range(3):
        c.ring(900, 380, 270 + k * 40, 270 + k * 40, "#E6C88E", 3, opacity=0.5 - k * 0.12)
    hills(c, 650, 140, "#BFD8BE", rng, 6)
    hills(c, 720, 90, "#8FBF9B", rng, 5)
    water(c, 760, ("#9CCFC7", "#5FA6A4"), rng, 4)
    for k in range(5):
        c.line([(200 + k * 300, 820 + k * 40), (320 + k * 300, 820 + k * 40)], "#ffffff", 4, opacity=0.5)
    # leaf clusters in the corners
    for a, ln in ((-70, 820), (-55, 760), (-40, 700), (-25, 560), (-85, 640)):
        bamboo_leaf(c, -40, 1150, a, ln, ln * 0.2, mix(LEAF_DARK, LEAF_LIGHT, rng.uniform(0, 0.7)), bend=0.06)
    for a, ln in ((-110, 800), (-125, 740), (-140, 660), (-155, 560), (-95, 600)):
        bamboo_leaf(c, 1840, 1150, a, ln, ln * 0.2, mix(LEAF_DARK, LEAF_LIGHT, rng.uniform(0, 0.7)),
                    bend=-0.06)
    mugwort(c, 300, 560, 420, -18)
    mugwort(c, 340, 570, 380, 2, "#7FA877")
    c.rect(282, 470, 350, 500, "#C8453B", r=8)
    # platform and zongzi
    c.ellipse(900, 1010, 430, 90, "#D9B98A")
    c.ellipse(900, 990, 410, 78, Grad("v", "#F0DDBB", "#E2C597"))
    zongzi(c, 720, 1000, 250, LEAF, angle=-6, bow=True)
    zongzi(c, 1090, 1005, 240, "#5C9E68", angle=7, bow=True)
    zongzi(c, 905, 1030, 310, "#468555", string="#C8453B", bow=True)


def scene_shuozhou_3(c: Canvas, rng: random.Random) -> None:
    """Staff and customers wrapping zongzi around a table."""
    room(c, 760, ("#F5E8D8", "#EBD6BE"), ("#D9BD98", "#CDAE86"))
    window(c, 120, 120, 520, 560, "#FBF6EF", ("#D6EAF0", "#EFF6F4"))
    window(c, 1300, 120, 1700, 560, "#FBF6EF", ("#D6EAF0", "#EFF6F4"))
    bunting(c, 520, 60, 1300, 60, 130, [BANK_RED, GOLD, "#F3E3C3"], n=9, size=46)
    people = [(320, 1060, 560, "#5C86B8", "#37475A", False, False),
              (640, 1010, 430, "#F2B84B", "#4B5A6B", True, True),
              (1000, 1080, 600, BANK_RED, "#2F3A4A", False, True),
              (1350, 1010, 440, "#7FB685", "#37475A", False, False),
              (1600, 1060, 560, "#E8E4DA", "#5B6472", True, False)]
    for i, (px, py, ph, top, bottom, pony, bun) in enumerate(people):
        person(c, px, py, ph, kid=ph < 500, top=top, bottom=bottom, skin=SKIN[i % 4],
               hair=HAIR[(i + 1) % 4], pose="hold", facing=1 if px < 900 else -1, ponytail=pony, bun=bun)
    table_top(c, 830, ("#F1E7D6", "#E2D1B5"), edge="#C9A97C", edge_h=50, y1=1130)
    c.rect(0, 1180, c.w, c.h, "#CDAE86")
    rice_bowl(c, 430, 900, 140, band="#C8453B", rng=rng)
    rice_bowl(c, 1350, 905, 120, band="#5C86B8", rng=rng, dates=True)
    leaf_stack(c, 700, 1040, 300, 5, 40, -35, rng)
    plate(c, 960, 990, 190)
    for dx, s, a in ((-80, 100, -6), (30, 110, 5), (120, 90, 9)):
        zongzi(c, 960 + dx, 1000, s, mix(LEAF, LEAF_LIGHT, rng.uniform(0, 0.4)), angle=a)
    zongzi(c, 1600, 1040, 120, LEAF_DARK, angle=-8)
    spool(c, 200, 1020, 44, GOLD)


def scene_yuncheng_1(c: Canvas, rng: random.Random) -> None:
    """Zongzi steaming, leaves drifting."""
    c.vgrad(0, 720, "#EEF2E3", "#E4EBD3")
    c.glow(1400, 250, 380, "#FFF6D8", 0.9)
    bokeh(c, rng, 10, ["#ffffff", "#D6E8C8"], (0, 0, c.w, 650), 60, 150, 0.4)
    c.rect(0, 700, c.w, 720, "#BFA27A")
    table_top(c, 720, ("#D9C29E", "#C4A57A"))
    c.poly([(-20, 880), (c.w + 20, 800), (c.w + 20, 1060), (-20, 1160)], "#F1EBDD")
    for k in (0.12, 0.2, 0.8, 0.88):
        c.line([(-20, 880 + 280 * k), (c.w + 20, 800 + 260 * k)], "#7A9A78", 8, caps=False, opacity=0.7)
    steamer(c, 820, 1040, 360, rng)
    steam(c, 820, 720, 380, rng, 4)
    for lx, ly, a, ln in ((1180, 260, 20, 320), (1360, 420, -15, 280), (1520, 180, 35, 260),
                          (240, 300, -30, 300), (420, 160, 15, 240), (140, 560, 5, 260)):
        bamboo_leaf(c, lx, ly, a, ln, ln * 0.22, mix(LEAF, LEAF_LIGHT, rng.uniform(0.2, 0.9)), bend=0.1)
    zongzi(c, 1380, 1060, 170, LEAF_DARK, angle=-5, bow=True)
    zongzi(c, 1560, 1090, 140, LEAF, angle=8)
    rice_bowl(c, 260, 960, 130, band="#6E9A6A", rng=rng)


def scene_yuncheng_2(c: Canvas, rng: random.Random) -> None:
    """Festive garlands of zongzi and a gift box."""
    room(c, 720, ("#F7E1D7", "#F0CFC2"), ("#E9D4BE", "#D8BC9C"))
    c.glow(900, 360, 500, "#FFF3E6", 0.7)
    for k, (x0, x1, sag) in enumerate(((-20, 900, 150), (900, 1820, 150))):
        pts = cubic((x0, 30), (x0 + (x1 - x0) / 3, 30 + sag), (x0 + 2 * (x1 - x0) / 3, 30 + sag), (x1, 30),
                    60)
        c.line(pts, BANK_RED, 5)
        for j in range(1, 6):
            px, py = pts[j * 60 // 6]
            drop = 70 + (j % 2) * 50
            c.line([(px, py), (px, py + drop)], BANK_RED, 3)
            zongzi(c, px, py + drop + 95, 100, mix(LEAF, LEAF_LIGHT, 0.3 * ((j + k) % 3)))
            c.circle(px, py + drop + 2, 7, BANK_RED)
    lantern(c, 130, 520, 100, cord_top=0)
    lantern(c, 1670, 520, 100, cord_top=0)
    table_top(c, 760, ("#F3E9DB", "#E4D2B8"), edge=BANK_RED, edge_h=40, y1=1140)
    c.rect(0, 1180, c.w, c.h, "#C99C6A")
    # open gift box with zongzi
    shadow(c, 900, 1060, 430, 50, 0.25)
    c.rect(500, 820, 1300, 1060, "#9E2A2E", r=10)
    c.rect(530, 840, 1270, 1040, "#F3E3C3", r=6)
    for k, dx in enumerate((-270, -130, 10, 150, 280)):
        zongzi(c, 900 + dx, 1010 - (k % 2) * 15, 140, mix(LEAF, LEAF_LIGHT, 0.2 * (k % 3)), angle=(k - 2) * 3)
    c.rect(500, 1000, 1300, 1060, "#B8292F", r=6)
    c.rect(860, 1000, 940, 1060, GOLD)
    gift_box(c, 1500, 1080, 230, 200, "#2F7C6E", GOLD)
    sachet(c, 300, 980, 150, "#D95C5C", shape="heart")
    bamboo_leaf(c, 1260, 1130, -160, 300, 70, LEAF, bend=0.05)


def scene_yangquan_1(c: Canvas, rng: random.Random) -> None:
    """Volunteers visiting children with disabilities."""
    room(c, 780, ("#FBE9E4", "#F5D8D0"), ("#EFDCC8", "#E2C7AA"), skirting="#E8C7B9")
    c.poly(heart_pts(1200, 390, 560), "#F4BCB6", opacity=0.55)
    c.poly(heart_pts(1200, 390, 420), "#F8D2CC", opacity=0.6)
    confetti(c, rng, 40, ["#F28C8C", "#F6D27A", "#8EC6E8", "#A8D8B9"], (0, 0, c.w, 600))
    for bx, by, col in ((180, 230, "#F28C8C"), (300, 160, "#8EC6E8"), (260, 330, "#F6D27A"),
                        (390, 280, "#A8D8B9"), (120, 400, "#C9A8E0")):
        balloon(c, bx, by, 70, col, string_to=(330, 820), sway=12)
    gift_box(c, 180, 1040, 180, 150, "#F6D27A", "#E5735E")
    wheelchair(c, 760, 1060, 420)
    person(c, 720, 1000, 520, kid=True, top="#8EC6E8", bottom="#4E6E8E", skin=SKIN[2], hair=HAIR[1],
           pose="sit", facing=1, hands=(((0.06, 0.14), (0.2, 0.12)), ((0.08, 0.12), (0.24, 0.08))))
    person(c, 1260, 1090, 720, top=BANK_RED, bottom="#2F3A4A", skin=SKIN[0], hair=HAIR[0], pose="hold",
           facing=-1, ponytail=True, sleeve="#F4F1EA",
           hands=(((0.05, 0.17), (0.2, 0.16)), ((0.07, 0.16), (0.24, 0.12))))
    gift_box(c, 1045, 825, 130, 110, "#F28C8C", "#ffffff")
    person(c, 1580, 1110, 700, top="#F4F1EA", bottom="#3E4A5A", skin=SKIN[3], hair=HAIR[2], pose="stand",
           facing=-1, sash=BANK_RED)
    c.poly(heart_pts(1580, 690, 60), "#F28C8C")


def scene_yangquan_2(c: Canvas, rng: random.Random) -> None:
    """A child playing the lobby manager in the banking hall."""
    room(c, 700, ("#EDF2F6", "#DDE6EE"), ("#E9EDF0", "#D3DCE3"))
    for k in range(4):
        c.rect(100 + k * 430, 30, 380 + k * 430, 50, "#ffffff", r=10)
        c.glow(240 + k * 430, 60, 200, "#ffffff", 0.5)
    c.rect(420, 110, 1380, 330, "#F7F9FA", r=16)
    c.rect(420, 290, 1380, 330, BANK_RED, r=0)
    bank_logo(c, 560, 205, 70)
    for k in range(4):
        c.rect(680, 160 + k * 30, 1240 - k * 140, 176 + k * 30, "#C5CDD4", r=8)
    # counter
    c.rect(0, 430, c.w, 720, "#F2F4F5")
    for k in range(5):
        x0 = 60 + k * 340
        c.rect(x0, 420, x0 + 300, 560, "#D9E6EE", r=6, opacity=0.8)
        c.poly([(x0 + 40, 550), (x0 + 90, 550), (x0 + 190, 430), (x0 + 140, 430)], "#ffffff", opacity=0.35)
        c.rect(x0 + 100, 580, x0 + 200, 650, "#2F3A45", r=8)
        c.rect(x0 + 110, 590, x0 + 190, 640, "#5E8FB2", r=4)
    c.rect(0, 560, c.w, 600, "#C9D3DA")
    c.rect(0, 690, c.w, 720, BANK_RED)
    c.rect(0, 720, c.w, 760, "#000000", opacity=0.06, blur=12)
    # kiosk and plant
    c.rect(1560, 640, 1720, 1060, "#F7F9FA", r=24)
    c.rect(1585, 680, 1695, 820, "#2F3A45", r=10)
    c.rect(1595, 690, 1685, 810, Grad("v", "#7FB2D4", "#4F7EA8"), r=6)
    c.rect(1600, 870, 1680, 890, "#C5CDD4", r=6)
    shadow(c, 1640, 1060, 110, 16, 0.25)
    c.rect(150, 900, 270, 1050, "#E9E4DA", r=14)
    for a in range(-60, 61, 20):
        bamboo_leaf(c, 210, 910, -90 + a, 260, 70, mix(LEAF_DARK, LEAF_LIGHT, (a + 60) / 140), bend=0.08)
    # the little lobby manager and two customers
    person(c, 860, 1110, 500, kid=True, top="#F4F4F2", bottom="#2F3A4A", skin=SKIN[1], hair=HAIR[0],
           pose="wave", facing=1, scarf=BANK_RED, sash=BANK_RED, ponytail=True)
    person(c, 1260, 1120, 720, top="#E8B46A", bottom="#4A5564", skin=SKIN[0], hair=HAIR[2], pose="stand",
           facing=-1, bun=True)
    person(c, 1450, 1130, 420, kid=True, top="#7FB685", bottom="#3E6E9E", skin=SKIN[2], hair=HAIR[1],
           pose="stand", facing=-1)
    c.rect(0, 1120, c.w, c.h, "#ffffff", opacity=0.12)


def scene_yangquan_3(c: Canvas, rng: random.Random) -> None:
    """Three Dragon Boat Festival gifts."""
    c.vgrad(0, c.h, "#F5E4D7", "#EBCDBA")
    c.glow(900, 420, 620, "#FFF5EA", 0.8)
    for k in range(7):
        c.ring(900, 1180, 300 + k * 130, 120 + k * 60, "#E2B9A2", 3, opacity=0.35)
    # podium
    c.ellipse(900, 1020, 700, 130, "#D9A98D")
    c.rect(200, 900, 1600, 1020, Grad("h", "#F3D8C6", "#E4B9A0"))
    c.ellipse(900, 900, 700, 130, "#F8E6DA")
    c.ellipse(900, 860, 470, 90, "#E8C1A8")
    c.rect(430, 800, 1370, 860, Grad("h", "#F7DFCF", "#EBC7B0"))
    c.ellipse(900, 800, 470, 90, "#FBEDE3")
    gift_box(c, 620, 850, 280, 260, BANK_RED, GOLD)
    gift_box(c, 930, 820, 330, 380, "#2F7C6E", "#E8C15E")
    gift_box(c, 1230, 860, 240, 200, "#F0E2C8", BANK_RED)
    zongzi(c, 420, 990, 150, LEAF, angle=-8, bow=True)
    zongzi(c, 560, 1010, 130, LEAF_DARK, angle=6)
    sachet(c, 1460, 420, 170, "#D9534F", cord=0)
    sachet(c, 1620, 560, 140, "#2F7C6E", shape="gourd", cord=0)
    bamboo_leaf(c, 1550, 1180, -150, 420, 90, LEAF, bend=0.05)
    bamboo_leaf(c, 1620, 1200, -130, 360, 80, LEAF_DARK, bend=0.05)
    five_colour_cord(c, [(1260, 990), (1360, 960), (1450, 1000), (1540, 980)], 18)


def scene_lvliang_1(c: Canvas, rng: random.Random) -> None:
    """Children's Day family event under a balloon arch."""
    room(c, 800, ("#E3EEF8", "#D4E4F2"), ("#F3E8D6", "#E6D4B9"))
    cols = ["#F28C8C", "#F6D27A", "#8EC6E8", "#A8D8B9", "#C9A8E0", "#F7B58A"]
    for i in range(40):
        t = i / 39
        a = math.pi * (1 - t)
        bx = 900 + 720 * math.cos(a)
        by = 900 - 760 * math.sin(a)
        for dr in (0, 1):
            r = 60 - dr * 12
            c.circle(bx + dr * 40 * math.cos(a + 1.2), by + dr * 40 * math.sin(a + 1.2), r,
                     cols[(i + dr * 3) % 6])
            c.circle(bx + dr * 40 * math.cos(a + 1.2) - r * 0.35, by + dr * 40 * math.sin(a + 1.2) - r * 0.35,
                     r * 0.2, "#ffffff", opacity=0.45)
    confetti(c, rng, 50, cols, (250, 300, 1550, 700))
    person(c, 640, 1120, 820, top="#5C86B8", bottom="#37475A", skin=SKIN[0], hair=HAIR[0], pose="stand",
           facing=1, hands=(((-0.05, 0.15), (-0.06, 0.3)), ((0.08, 0.14), (0.14, 0.3))))
    person(c, 820, 1110, 470, kid=True, top="#F6D27A", bottom="#F28C8C", skin=SKIN[2], hair=HAIR[1],
           pose="wave", facing=-1, dress=True, ponytail=True, hands=(((-0.06, 0.12), (-0.12, 0.02)),
                                                        ((0.14, -0.03), (0.16, -0.2))))
    balloon(c, 760, 380, 60, "#F28C8C", string_to=(749, 760), sway=10)
    person(c, 1160, 1120, 790, top="#F7B58A", bottom="#4A5564", skin=SKIN[1], hair=HAIR[2], pose="stand",
           facing=-1, bun=True, hands=(((-0.05, 0.15), (-0.06, 0.3)), ((0.06, 0.15), (0.12, 0.3))))
    person(c, 1330, 1110, 440, kid=True, top="#A8D8B9", bottom="#3E6E9E", skin=SKIN[3], hair=HAIR[0],
           pose="up", facing=-1)


def scene_lvliang_2(c: Canvas, rng: random.Random) -> None:
    """Parent-child games: hoops, cones and balls."""
    room(c, 620, ("#FFF3DE", "#FBE6C4"), ("#CFE5C8", "#B6D6AE"))
    bunting(c, -20, 60, c.w + 20, 60, 120, ["#E5735E", "#F2C14E", "#6DB3D8", "#86C38A", "#C9A8E0"], n=16,
            size=50)
    bokeh(c, rng, 10, ["#ffffff", "#FCD9A0"], (0, 150, c.w, 560), 50, 110, 0.4)
    for k in range(4):
        c.line([(0, 700 + k * 130), (c.w, 700 + k * 130)], "#ffffff", 4, opacity=0.5, caps=False)
    for hx, hy, col in ((380, 1000, "#E5735E"), (700, 880, "#6DB3D8"), (1050, 1060, "#F2C14E"),
                        (1420, 920, "#86C38A")):
        c.ring(hx, hy, 150, 46, col, 16)
    for kx, col in ((180, "#F28C5C"), (1650, "#F28C5C"), (1280, "#6DB3D8")):
        cone(c, kx, 800 + (kx % 3) * 30, 110, col)
    person(c, 1420, 900, 760, top="#6DB3D8", bottom="#3E4A5A", skin=SKIN[0], hair=HAIR[0], pose="stand",
           facing=-1, hands=(((0.14, 0.0), (0.3, -0.05)), ((0.16, 0.0), (0.32, -0.08))))
    person(c, 1000, 1000, 430, kid=True, top="#F2C14E", bottom="#E5735E", skin=SKIN[2], hair=HAIR[1],
           pose="run", facing=1, dress=True, ponytail=True)
    shadow(c, 560, 1040, 70, 12, 0.2)
    person(c, 560, 1020, 400, kid=True, top="#86C38A", bottom="#2F4F6F", skin=SKIN[3], hair=HAIR[2],
           pose="jump")
    person(c, 310, 920, 700, top="#C9A8E0", bottom="#4A5564", skin=SKIN[1], hair=HAIR[3], pose="wave",
           facing=1, ponytail=True)
    ball(c, 780, 560, 60, "#E5735E", "#6DB3D8")
    ball(c, 1200, 1110, 55, "#F2C14E", "#86C38A", ground=1165)


def scene_changzhi_1(c: Canvas, rng: random.Random) -> None:
    """A free community health check under a canopy."""
    c.vgrad(0, 780, "#DDEEF5", "#F3F4EC")
    for k in range(7):
        bx = 40 + k * 260
        bh = 280 + (k * 97) % 200
        c.rect(bx, 760 - bh, bx + 200, 760, "#CAD9E0", opacity=0.8)
        for j in range(int(bh / 70)):
            c.rect(bx + 30, 790 - bh + j * 70, bx + 90, 820 - bh + j * 70, "#E8F0F3")
            c.rect(bx + 110, 790 - bh + j * 70, bx + 170, 820 - bh + j * 70, "#E8F0F3")
    for k in range(10):
        tree(c, 30 + k * 190, 790, 200, mix("#7FB685", "#5E9E6A", (k % 3) / 2))
    c.vgrad(780, c.h, "#E4DDD0", "#D5CBBA")
    # canopy tent
    c.poly([(300, 250), (1500, 250), (1640, 420), (160, 420)], "#F7FAFA")
    for k in range(6):
        x0 = 160 + k * 246.7
        c.poly([(x0, 420), (x0 + 246.7, 420), (x0 + 123, 480)], "#3E9A94" if k % 2 else "#F7FAFA")
        c.poly([(300 + k * 200, 250), (300 + (k + 1) * 200, 250), (160 + (k + 1) * 246.7, 420),
                (160 + k * 246.7, 420)], "#3E9A94", opacity=0.85 if k % 2 else 0.0)
    c.line([(180, 420), (180, 1000)], "#9AA7AE", 14)
    c.line([(1620, 420), (1620, 1000)], "#9AA7AE", 14)
    c.circle(900, 140, 95, "#ffffff")
    c.poly(heart_pts(900, 140, 150), "#E15B5B")
    cross(c, 900, 132, 70, "#ffffff")
    # doctor behind table, visitor seated in front
    person(c, 1080, 1000, 700, top="#FBFBF8", bottom="#5F7C8C", skin=SKIN[0], hair=HAIR[0], pose="hold",
           facing=-1, sleeve="#F0F0EC", hands=(((0.05, 0.2), (0.18, 0.28)), ((0.07, 0.18), (0.25, 0.26))))
    c.line(cubic((1050, 570), (1000, 650), (1120, 660), (1090, 600), 20), "#3F4E5C", 6)
    shadow(c, 1000, 1080, 620, 30, 0.2)
    c.poly([(420, 790), (1580, 790), (1610, 850), (390, 850)], "#F4F7F7")
    c.rect(390, 850, 1610, 1070, Grad("v", "#5AA0B7", "#4C8CA1"), r=6)
    c.rect(390, 850, 1610, 880, "#3E7F93")
    c.rect(760, 900, 1240, 990, "#F4F7F7", r=12)
    cross(c, 1000, 945, 56, "#E15B5B")
    c.rect(600, 750, 760, 820, "#DDE3E6", r=10)
    c.rect(620, 762, 700, 805, "#3F4E5C", r=6)
    c.rect(630, 770, 690, 797, "#7FC6C0", r=4)
    c.line(cubic((760, 790), (820, 840), (880, 740), (940, 800), 20), "#3F4E5C", 8)
    for k, col in enumerate(("#F4F1EA", "#F6D27A", "#F4F1EA")):
        c.rect(1150 + k * 60, 740, 1195 + k * 60, 815, col, r=10)
        c.rect(1150 + k * 60, 730, 1195 + k * 60, 750, "#E15B5B", r=6)
    shadow(c, 300, 1130, 150, 18, 0.25)
    c.rect(170, 900, 420, 930, "#A77E58", r=10)
    c.line([(200, 925), (185, 1130)], "#8B6A4E", 14)
    c.line([(390, 925), (405, 1130)], "#8B6A4E", 14)
    person(c, 270, 1130, 620, top="#D9A36A", bottom="#5A5A66", skin=SKIN[3], hair="#C9C4BD", pose="sit",
           facing=1, bun=True, hands=(((0.05, 0.16), (0.2, 0.12)), ((0.07, 0.16), (0.3, 0.1))))


def scene_changzhi_2(c: Canvas, rng: random.Random) -> None:
    """Adopting silkworms: a tray of mulberry leaves."""
    c.vgrad(0, c.h, "#EEF4E4", "#DDE8CF")
    c.glow(300, 200, 500, "#FFFBEA", 0.8)
    for _ in range(8):
        c.circle(rng.uniform(0, c.w), rng.uniform(0, c.h), rng.uniform(80, 180), "#ffffff", opacity=0.15)
    tray = "#E7D3B1"
    shadow(c, 900, 1000, 720, 80, 0.3)
    c.rect(180, 170, 1620, 1020, "#C9A878", r=40)
    c.rect(220, 205, 1580, 985, tray, r=28)
    for k in range(11):
        c.line([(220 + k * 136, 205), (220 + k * 136, 985)], "#D9C29C", 3, caps=False, opacity=0.6)
    for lx, ly, s, a in ((460, 760, 480, -30), (880, 860, 520, 10), (1300, 780, 470, 40),
                         (650, 520, 420, -70), (1150, 480, 440, 80), (900, 560, 380, -5)):
        mulberry_leaf(c, lx, ly, s, a, mix("#4F9158", "#7DB567", rng.uniform(0, 1)), bites=2, bite_color=tray,
                      rng=rng, area=(220, 205, 1580, 985))
    for path in (
        [(500, 560), (560, 540), (620, 560), (680, 545)], [(900, 420), (900, 480), (920, 540), (910, 600)],
        [(1100, 700), (1160, 680), (1220, 700), (1270, 690)],
        [(700, 760), (760, 790), (820, 780), (870, 800)], [(1300, 440), (1330, 500), (1320, 560)],
        [(420, 820), (470, 860), (530, 860)],
    ):
        silkworm(c, path, 24)
    for _ in range(20):
        c.circle(rng.uniform(260, 1540), rng.uniform(240, 950), rng.uniform(4, 7), "#6B5A45", opacity=0.5)


def scene_changzhi_3(c: Canvas, rng: random.Random) -> None:
    """Making scented sachets."""
    room(c, 560, ("#F4ECE4", "#EADDD1"), ("#E9DCCB", "#D9C6AE"))
    c.rect(0, 0, c.w, 40, "#D9C6AE")
    hanging = ((260, "#D9534F", "heart", 300), (620, "#2F7C6E", "round", 240),
               (1180, "#E3AE4E", "gourd", 300), (1540, "#6F6AB0", "heart", 250))
    for k, (sx, col, shp, yy) in enumerate(hanging):
        sachet(c, sx, yy, 170 - k * 5, col, accent=GOLD if col != "#E3AE4E" else BANK_RED, shape=shp, cord=40)
    table_top(c, 560, ("#F3E8DA", "#E3D1BA"))
    c.poly([(150, 640), (760, 600), (820, 1000), (210, 1060)], "#E8C7C3", opacity=0.9)
    for k in range(8):
        c.line([(170 + k * 78, 640 - k * 5), (230 + k * 78, 1055 - k * 6)], "#D9ABA6", 3, opacity=0.6)
    c.poly([(1080, 640), (1620, 680), (1580, 1060), (1020, 1010)], "#C7DED8", opacity=0.9)
    for k in range(6):
        c.circle(1150 + k * 80, 720 + (k % 2) * 60, 18, "#9CC4BA")
        c.circle(1190 + k * 80, 900 + (k % 2) * 50, 14, "#9CC4BA")
    sachet(c, 480, 820, 210, "#C94A4A", shape="heart")
    sachet(c, 1320, 860, 200, "#3F7F9A", shape="round")
    spool(c, 900, 760, 50, "#C94A4A")
    spool(c, 1010, 800, 44, GOLD)
    spool(c, 880, 900, 40, "#3F7F9A")
    mugwort(c, 700, 1130, 420, 60)
    mugwort(c, 720, 1160, 380, 75, "#86AE7E")
    c.ellipse(1560, 1120, 120, 40, "#D9C6AE")
    for _ in range(30):
        c.ellipse(1560 + rng.uniform(-90, 90), 1110 + rng.uniform(-22, 12), 10, 6,
                  rng.choice(["#8C6A4A", "#6E9A6A", "#B3873F"]), angle=rng.uniform(0, 180))


def scene_jincheng_1(c: Canvas, rng: random.Random) -> None:
    """Wrapping zongzi and braiding five-colour cords."""
    room(c, 420, ("#E3F0EE", "#D3E6E3"), ("#E2CFB2", "#D2BA97"))
    bokeh(c, rng, 12, ["#ffffff", "#BFE0DA"], (0, 0, c.w, 400), 40, 110, 0.5)
    bunting(c, -20, 50, c.w + 20, 50, 110, ["#2F6FB0", "#C8383A", "#F4F1EA", "#E7B43C", "#3E8E6E"], n=15,
            size=44)
    table_top(c, 420, ("#EAD8BC", "#D9BE97"))
    c.rect(120, 500, 1680, 1140, "#F7F2EA", r=24, opacity=0.5)
    five_colour_cord(c, [(150, 700), (420, 620), (700, 760), (1000, 640), (1300, 760), (1650, 650)], 34)
    five_colour_cord(c, [(300, 1080), (560, 980), (860, 1100), (1120, 1000)], 26)
    for k in range(3):
        cx, cy = 1420 + k * 60, 960 + k * 40
        pts = ellipse_pts(cx, cy, 110, 55, 0, n=40)
        five_colour_cord(c, [*pts, pts[0], pts[1]], 16)
    rice_bowl(c, 420, 840, 150, band="#3E8E6E", rng=rng, dates=True)
    for dx, s, a in ((0, 180, -6), (170, 200, 6), (340, 160, 12)):
        zongzi(c, 760 + dx, 990, s, mix(LEAF, LEAF_LIGHT, rng.uniform(0, 0.5)), string="#C8383A", angle=a,
               bow=True)
    leaf_stack(c, 1100, 600, 380, 5, 40, -25, rng)


def scene_jincheng_2(c: Canvas, rng: random.Random) -> None:
    """Children's Day: children holding a box of silkworms."""
    room(c, 800, ("#FDEBD8", "#F9DCC0"), ("#F3E3C9", "#E6CFAB"))
    c.glow(900, 400, 560, "#FFF8EC", 0.9)
    mulberry_leaf(c, 200, 800, 640, -20, "#BFDCA7")
    mulberry_leaf(c, 1640, 780, 600, 25, "#C8E2B0")
    for bx, by, col in ((1360, 230, "#F28C8C"), (1470, 160, "#8EC6E8"), (1560, 260, "#F6D27A"),
                        (260, 200, "#A8D8B9"), (360, 140, "#F7B58A")):
        balloon(c, bx, by, 64, col, string_to=(1450 if bx > 900 else 320, 700), sway=10)
    person(c, 620, 1130, 600, kid=True, top="#F6D27A", bottom="#3E6E9E", skin=SKIN[2], hair=HAIR[1],
           pose="hold", facing=1, hands=(((0.06, 0.2), (0.24, 0.17)), ((0.08, 0.18), (0.28, 0.13))))
    person(c, 1180, 1130, 560, kid=True, top="#A8D8B9", bottom="#F28C8C", skin=SKIN[0], hair=HAIR[0],
           pose="hold", facing=-1, dress=True, ponytail=True, hands=(((0.06, 0.2), (0.24, 0.18)),
                                                        ((0.08, 0.18), (0.28, 0.14))))
    # clear box between them
    shadow(c, 900, 920, 230, 20, 0.15)
    c.rect(680, 680, 1120, 900, "#E4F2F5", r=16, opacity=0.75)
    c.ellipse(900, 700, 220, 40, "#F4FAFB", opacity=0.8)
    mulberry_leaf(c, 800, 880, 190, -55, "#5FA059")
    mulberry_leaf(c, 1000, 880, 190, 55, "#4F9158")
    mulberry_leaf(c, 900, 885, 170, 0, "#6DAE5F")
    silkworm(c, [(780, 810), (815, 795), (850, 810)], 15)
    silkworm(c, [(950, 800), (985, 815), (1020, 805)], 15)
    c.rect(680, 680, 1120, 900, "#ffffff", r=16, opacity=0.2)
    c.poly([(700, 880), (740, 880), (820, 700), (780, 700)], "#ffffff", opacity=0.35)
    confetti(c, rng, 30, ["#F28C8C", "#F6D27A", "#8EC6E8"], (500, 80, 1300, 500))


def scene_jinzhong_1(c: Canvas, rng: random.Random) -> None:
    """Children's Day and Dragon Boat Festival: kids wrapping zongzi."""
    room(c, 760, ("#FBF3D9", "#F4E5B8"), ("#E9D6B2", "#DCC39A"))
    for bx, by, col in ((140, 220, "#F28C8C"), (250, 150, "#8EC6E8"), (220, 330, "#A8D8B9"),
                        (1560, 200, "#F6D27A"), (1660, 300, "#F28C8C"), (1680, 140, "#C9A8E0")):
        balloon(c, bx, by, 70, col, string_to=(210 if bx < 900 else 1640, 720), sway=14)
    kite(c, 900, 200, 110, "#E5735E", "#F2C14E", angle=-12)
    bunting(c, 380, 30, 1420, 30, 90, [BANK_RED, GOLD, "#5E9F6B"], n=10, size=40)
    for i, (px, ph, top, pony) in enumerate(((520, 470, "#8EC6E8", True), (820, 520, "#F28C8C", False),
                                             (1100, 480, "#A8D8B9", True), (1360, 640, BANK_RED, False))):
        person(c, px, 1000, ph, kid=ph < 600, top=top, bottom="#3E4A5A", skin=SKIN[i % 4], hair=HAIR[i % 4],
               pose="hold", facing=1 if px < 900 else -1, ponytail=pony)
    table_top(c, 820, ("#F7EEDC", "#EBDCC0"), edge="#C9A97C", edge_h=46, y1=1120)
    c.rect(0, 1166, c.w, c.h, "#D8BE94")
    rice_bowl(c, 640, 900, 130, band="#E5735E", rng=rng)
    leaf_stack(c, 860, 1060, 280, 5, 44, -40, rng)
    for dx, s, a in ((0, 110, -6), (110, 120, 8)):
        zongzi(c, 1180 + dx, 1000, s, LEAF, angle=a, bow=True)
    zongzi(c, 330, 1040, 130, LEAF_DARK, angle=-4, string="#C8453B")


def scene_jinzhong_2(c: Canvas, rng: random.Random) -> None:
    """Dragon boat race."""
    c.vgrad(0, 640, "#D6ECF1", "#F6EFDD")
    c.glow(1450, 200, 300, "#FFF0C8", 0.9)
    c.circle(1450, 200, 90, "#FBE1A2")
    cloud(c, 260, 180, 240)
    cloud(c, 1000, 120, 180, opacity=0.6)
    hills(c, 520, 160, "#C9DEC6", rng, 6)
    hills(c, 600, 110, "#9CC7A6", rng, 5)
    for k in range(18):
        tree(c, 20 + k * 100, 650, 130 + (k * 37) % 50, mix("#5E9E6A", "#3F7F5A", (k % 3) / 2))
    c.rect(0, 640, c.w, 660, "#D9C6A0")
    bunting(c, -20, 560, c.w + 20, 560, 60, [BANK_RED, GOLD, "#2F7C6E", "#F4F1EA"], n=22, size=34)
    water(c, 660, ("#8CC6C6", "#3E8C8F"), rng, 5)
    dragon_boat(c, 880, 900, 1300, rng, kids=True,
                rowers=("#F2C14E", "#E5735E", "#6DB3D8", "#86C38A", "#F2C14E", "#E5735E", "#6DB3D8"))
    c.line([(1640, 700), (1640, 1000)], "#F4F1EA", 10)
    c.poly([(1645, 700), (1760, 730), (1645, 760)], BANK_RED)


SCENES: dict[str, tuple[str, Callable[[Canvas, random.Random], None]]] = {
    "xinzhou-1": ("忻州分行“DIY流体熊”亲子活动", scene_xinzhou_1),
    "xinzhou-2": ("忻州分行“粽情山银”包粽子活动", scene_xinzhou_2),
    "shuozhou-1": ("应县支行“森林运动会”", scene_shuozhou_1),
    "shuozhou-2": ("山阴支行“粽情端午”主题活动", scene_shuozhou_2),
    "shuozhou-3": ("振华街支行端午节包粽子活动", scene_shuozhou_3),
    "yuncheng-1": ("禹香苑社区支行“浓情端午、粽叶飘香”包粽子活动", scene_yuncheng_1),
    "yuncheng-2": ("人民北路支行“粽情端午、山银相伴”端午节活动", scene_yuncheng_2),
    "yangquan-1": ("新建街支行“关爱残疾儿童节日慰问”志愿者活动", scene_yangquan_1),
    "yangquan-2": ("大连街支行小朋友模拟扮演“大堂经理”", scene_yangquan_2),
    "yangquan-3": ("城信路支行“端午三重礼”活动", scene_yangquan_3),
    "lvliang-1": ("吕梁分行“快乐六一，爱在山银”儿童节亲子活动", scene_lvliang_1),
    "lvliang-2": ("吕梁分行亲子游戏现场", scene_lvliang_2),
    "changzhi-1": ("解放东街支行“人间五月天·有情有医”爱心义诊活动", scene_changzhi_1),
    "changzhi-2": ("花园街小微支行“领养蚕宝宝”活动", scene_changzhi_2),
    "changzhi-3": ("西大街支行端午制香囊活动", scene_changzhi_3),
    "jincheng-1": ("晋城分行端午节包粽子、编花绳主题活动", scene_jincheng_1),
    "jincheng-2": ("晋城分行“快乐童趣—领养蚕宝宝”六一活动", scene_jincheng_2),
    "jinzhong-1": ("左权支行“迎六一庆端午”包粽子活动", scene_jinzhong_1),
    "jinzhong-2": ("左权支行“赛龙舟”趣味活动", scene_jinzhong_2),
}


def make_gallery(out: Path) -> list[Path]:
    paths = []
    for key, (_caption, draw) in SCENES.items():
        c = Canvas()
        draw(c, random.Random(zlib.crc32(key.encode("utf-8"))))
        c.vignette(0.16)
        path = out / "gallery" / f"{key}.jpg"
        c.save(path)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------------------------
# The cover (SVG)
# --------------------------------------------------------------------------------------------



def num(v: float) -> str:
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_path(points: Sequence[Point], closed: bool = True) -> str:
    head, *rest = points
    d = f"M{num(head[0])} {num(head[1])}" + "".join(f"L{num(x)} {num(y)}" for x, y in rest)
    return d + ("Z" if closed else "")


def svg_leaf(x: float, y: float, angle: float, length: float, width: float,
             bend: float = 0.08) -> tuple[str, str]:
    """Outline and midrib paths of a bamboo leaf (same shape as bamboo_leaf)."""
    left, right, axis = _leaf_points(length, width, bend, 24)
    outline = svg_path(rot(left + right[::-1], x, y, angle))
    rib = svg_path(rot(axis[1:-3], x, y, angle), closed=False)
    return outline, rib


def hexcolor(c: tuple[int, int, int]) -> str:
    return "#{:02X}{:02X}{:02X}".format(*c)


def svg_bands(y0: float, y1: float, stops: Sequence[tuple[float, str]], step: float = 1.5) -> list[str]:
    """A vertical gradient as overlapping flat bands (each band runs to y1, so no seams show).

    SVG gradients are avoided on purpose: WeasyPrint 70 paints them as PDF patterns that
    some viewers (poppler) place wrongly; flat fills look the same everywhere.
    """
    out = []
    n = max(1, math.ceil((y1 - y0) / step))
    for i in range(n):
        y = y0 + i * step
        t = y
        for (ya, ca), (yb, cb) in itertools.pairwise(stops):
            if ya <= t <= yb:
                col = mix(ca, cb, (t - ya) / (yb - ya) if yb > ya else 0)
                break
        else:
            col = rgb(stops[0][1] if t < stops[0][0] else stops[-1][1])
        out.append(f'<rect x="-1" y="{num(y)}" width="218" height="{num(y1 - y)}" fill="{hexcolor(col)}"/>')
    return out


def cover_svg() -> str:
    """The cover artwork: summer hills and river, a dragon boat, zongzi leaves and a kite."""
    rng = random.Random(20220601)
    el: list[str] = []
    add = el.append
    # sky (calm: the masthead sits on the top 38 %)
    el += svg_bands(-1, 200, [(0, "#FDF7EE"), (110, "#FBEEDC"), (170, "#F8E0C6"), (200, "#F6D9BC")], 2.0)
    # sun with soft halo and two thin rings
    for r, op in ((40, 0.12), (31, 0.2), (25, 0.3)):
        add(f'<circle cx="156" cy="134" r="{r}" fill="#FBE2B4" opacity="{op}"/>')
    for k in range(20):
        r = 19 * (1 - k / 20) ** 0.9
        add(f'<circle cx="156" cy="134" r="{num(r)}" fill="{hexcolor(mix("#F4BB68", "#FCDFA6", k / 19))}"/>')
    add('<circle cx="156" cy="134" r="46" fill="none" stroke="#E8C190" stroke-width="0.35" opacity="0.55"/>')
    add('<circle cx="156" cy="134" r="52" fill="none" stroke="#E8C190" stroke-width="0.25" opacity="0.35"/>')
    # clouds
    for cx, cy, w in ((30, 141, 34), (188, 156, 26), (96, 150, 20)):
        add(f'<rect x="{num(cx - w / 2)}" y="{num(cy - 3)}" width="{num(w)}" height="6" rx="3" '
            f'fill="#FFFFFF" opacity="0.75"/>')
        add(f'<circle cx="{num(cx - w * 0.1)}" cy="{num(cy - 3)}" r="{num(w * 0.17)}" '
            f'fill="#FFFFFF" opacity="0.75"/>')
    # two birds
    for bx, by, s in ((88, 121, 2.6), (96, 117, 2.0)):
        add(f'<path d="M{num(bx - s)} {num(by - s * 0.4)} Q{num(bx - s * 0.5)} {num(by - s * 0.6)} '
            f'{num(bx)} {num(by)} Q{num(bx + s * 0.5)} {num(by - s * 0.6)} '
            f'{num(bx + s)} {num(by - s * 0.4)}" fill="none" '
            f'stroke="#9C6B52" stroke-width="0.45" stroke-linecap="round" opacity="0.8"/>')

    # kite (Children's Day)
    kx, ky, ks = 46, 122, 9
    top, right, bottom, left = rot([(0, -ks), (ks * 0.72, -ks * 0.2), (0, ks * 1.25),
                                    (-ks * 0.72, -ks * 0.2)],
                                   kx, ky, 12)
    mid = rot([(0, -ks * 0.2)], kx, ky, 12)[0]
    add(f'<path d="M{num(bottom[0])} {num(bottom[1])} C{num(bottom[0] + 6)} {num(bottom[1] + 8)} '
        f'{num(bottom[0] - 4)} {num(bottom[1] + 14)} {num(bottom[0] + 3)} {num(bottom[1] + 22)}" fill="none" '
        f'stroke="#9C8470" stroke-width="0.35"/>')
    add(f'<path d="M{num(mid[0])} {num(mid[1])} C{num(mid[0] + 14)} {num(mid[1] + 20)} {num(mid[0] + 24)} '
        f'{num(mid[1] + 30)} {num(mid[0] + 30)} {num(mid[1] + 46)}" fill="none" stroke="#9C8470" '
        f'stroke-width="0.25" opacity="0.7"/>')
    for a, b, col in ((top, right, "#D9473F"), (top, left, "#F0A54E"), (bottom, right, "#F0A54E"),
                      (bottom, left, "#D9473F")):
        add(f'<path d="{svg_path([a, b, mid])}" fill="{col}"/>')
    for t, col in ((0.35, "#D9473F"), (0.65, "#2F7C78")):
        bx = bottom[0] + 3 * t + 6 * (1 - t) * t
        by = bottom[1] + 22 * t
        add(f'<path d="M{num(bx)} {num(by)} l-2 -1.2 l0 2.4 Z M{num(bx)} {num(by)} l2 -1.2 l0 2.4 Z" '
            f'fill="{col}"/>')
    # distant town and hills
    x = 78.0
    while x < 150:
        w = rng.uniform(4, 7)
        h = rng.uniform(8, 20)
        add(f'<rect x="{num(x)}" y="{num(160 - h)}" width="{num(w)}" height="{num(h + 10)}" fill="#EBD4BC"/>')
        x += w + rng.uniform(0.6, 1.6)
    add('<path d="M0 168 C22 150 46 151 70 161 S118 150 146 157 S192 146 216 154 L216 200 L0 200 Z" '
        'fill="#D8E5CF"/>')
    add('<path d="M0 174 C26 162 52 166 80 172 S130 160 160 167 S200 163 216 166 L216 200 L0 200 Z" '
        'fill="#AFD0B8"/>')
    add('<path d="M0 184 C30 176 58 178 88 183 S146 173 176 178 S206 176 216 177 L216 200 L0 200 Z" '
        'fill="#78B29A"/>')
    for tx, ty, r in ((20, 178.5, 2.6), (26, 177.5, 3.2), (150, 175, 2.4), (156, 174.5, 3.0),
                      (162, 175, 2.4)):
        add(f'<rect x="{num(tx - 0.3)}" y="{num(ty)}" width="0.6" height="{num(r + 1)}" fill="#6B5A48"/>')
        add(f'<circle cx="{num(tx)}" cy="{num(ty - r * 0.5)}" r="{num(r)}" fill="#4F917A"/>')
    # river; below y = 204 it stays calm for the cover lines
    el += svg_bands(184, 292, [(184, "#A3D3CB"), (203, "#5FA3A0"), (229, "#2F7477"), (291, "#1C4F55")], 1.0)
    for y, x0, x1, op in ((188.5, 14, 40, 0.5), (191, 150, 190, 0.45), (207, 20, 60, 0.18),
                          (212, 150, 200, 0.14),
                          (226, 40, 110, 0.07), (244, 120, 196, 0.06), (262, 18, 90, 0.05)):
        add(f'<path d="M{x0} {y} L{x1} {y}" stroke="#FFFFFF" stroke-width="0.5" stroke-linecap="round" '
            f'opacity="{op}"/>')
    # bamboo leaves framing the middle band
    greens = ["#2F6F4E", "#3E8A5E", "#5CA46F", "#4A9563", "#357A55"]
    left_leaves = ((-78, 64, 11), (-62, 72, 12), (-46, 66, 11.5), (-30, 54, 10), (-90, 48, 9))
    for i, (a, ln, w) in enumerate(left_leaves):

        outline, rib = svg_leaf(-4, 214, a, ln, w, bend=0.07)
        add(f'<path d="{outline}" fill="{greens[i]}"/>')
        add(f'<path d="{rib}" fill="none" stroke="#A7D3A8" stroke-width="0.35" opacity="0.7"/>')
    for i, (a, ln, w) in enumerate(((-104, 60, 10.5), (-120, 70, 12), (-136, 62, 11), (-152, 48, 9.5))):
        outline, rib = svg_leaf(222, 210, a, ln, w, bend=-0.07)
        add(f'<path d="{outline}" fill="{greens[(i + 2) % 5]}"/>')
        add(f'<path d="{rib}" fill="none" stroke="#A7D3A8" stroke-width="0.35" opacity="0.7"/>')
    # dragon boat (bow on the left), water line y = 198
    cx, wy, L = 106.0, 198.0, 110.0
    n = 7
    jerseys = ["#F2B84B", "#2F7C78"]
    for i in range(n):
        px = cx - 0.3 * L + i * 0.64 * L / (n - 1)
        base = wy - 0.045 * L
        # paddle
        add(f'<path d="M{num(px + 4.2)} {num(base - 11)} L{num(px - 6.5)} {num(wy + 2.6)}" stroke="#8B6744" '
            f'stroke-width="0.8" stroke-linecap="round"/>')
        add(f'<ellipse cx="{num(px - 6.8)}" cy="{num(wy + 2.4)}" rx="0.9" ry="2" fill="#8B6744" '
            f'transform="rotate(35 {num(px - 6.8)} {num(wy + 2.4)})"/>')
        add(f'<ellipse cx="{num(px - 5)}" cy="{num(wy + 3.3)}" rx="3" ry="0.6" fill="#FFFFFF" '
            f'opacity="0.6"/>')
        # rower: body, arms, head
        col = jerseys[i % 2]
        add(f'<path d="M{num(px - 2.6)} {num(base + 1)} L{num(px - 2.2)} {num(base - 6.2)} '
            f'Q{num(px - 1.6)} {num(base - 8)} {num(px)} {num(base - 8)} Q{num(px + 1.8)} {num(base - 8)} '
            f'{num(px + 2.2)} {num(base - 6.2)} L{num(px + 2.6)} {num(base + 1)} Z" fill="{col}"/>')
        add(f'<path d="M{num(px - 1)} {num(base - 6.5)} L{num(px - 3.6)} {num(base - 3.4)} L{num(px - 5.2)} '
            f'{num(base - 4.2)}" fill="none" stroke="{col}" stroke-width="1.3" stroke-linecap="round" '
            f'stroke-linejoin="round"/>')
        add(f'<circle cx="{num(px - 5.4)}" cy="{num(base - 4.3)}" r="0.75" fill="#F0C8A0"/>')
        add(f'<circle cx="{num(px - 0.4)}" cy="{num(base - 10.6)}" r="2.3" fill="#3A2A24"/>')
        add(f'<circle cx="{num(px - 0.75)}" cy="{num(base - 10.2)}" r="1.95" fill="#F0C8A0"/>')
        add(f'<path d="M{num(px - 2.45)} {num(base - 11)} A2.3 2.3 0 0 1 {num(px + 1.9)} {num(base - 10.9)} '
            f'L{num(px + 1.9)} {num(base - 11.4)} Z" fill="#3A2A24"/>')
        add(f'<rect x="{num(px - 2.6)}" y="{num(base - 11.9)}" width="4.6" height="0.9" rx="0.4" '
            f'fill="{"#D9473F" if i % 2 else "#FFFFFF"}"/>')
    # drummer's drum near the bow
    dx = cx - 0.39 * L
    add(f'<rect x="{num(dx - 2.6)}" y="{num(wy - 10)}" width="5.2" height="5.6" rx="0.6" fill="#E3AE4E"/>')
    add(f'<ellipse cx="{num(dx)}" cy="{num(wy - 10)}" rx="2.6" ry="0.8" fill="#F6DCA0"/>')
    # hull
    x0, x1 = cx - 0.5 * L, cx + 0.47 * L
    add(f'<path d="M{num(x0)} {num(wy - 7.8)} C{num(cx - 0.3 * L)} {num(wy - 4.2)} {num(cx + 0.2 * L)} '
        f'{num(wy - 4.2)} {num(x1)} {num(wy - 7.2)} C{num(cx + 0.36 * L)} {num(wy + 1.6)} '
        f'{num(cx - 0.36 * L)} {num(wy + 2.6)} {num(x0)} {num(wy - 7.8)} Z" fill="#B8262E"/>')
    keel = cubic((x1, wy - 7.2), (cx + 0.36 * L, wy + 1.6), (cx - 0.36 * L, wy + 2.6), (x0, wy - 7.8), 40)
    inner = [(px, py - 2.8 * math.sin(math.pi * k / 40) ** 0.5) for k, (px, py) in enumerate(keel)]
    add(f'<path d="{svg_path(keel + inner[::-1])}" fill="#951D26"/>')
    add(f'<path d="M{num(x0)} {num(wy - 7.8)} C{num(cx - 0.3 * L)} {num(wy - 4.2)} {num(cx + 0.2 * L)} '
        f'{num(wy - 4.2)} {num(x1)} {num(wy - 7.2)}" fill="none" stroke="#E8B04B" stroke-width="0.9"/>')
    add(f'<path d="M{num(x0 + 8)} {num(wy - 4.4)} C{num(cx - 0.25 * L)} {num(wy - 2)} {num(cx + 0.2 * L)} '
        f'{num(wy - 2)} {num(x1 - 8)} {num(wy - 4)}" fill="none" stroke="#E8B04B" stroke-width="0.4"/>')
    for i in range(15):
        px = x0 + 12 + i * (x1 - x0 - 24) / 14
        add(f'<circle cx="{num(px)}" cy="{num(wy - 1.9 + 0.7 * abs(i - 7) / 7)}" r="0.55" fill="#E8B04B"/>')
    # dragon head: neck, mane, head, jaw, eye, horn
    hx, hy = x0 - 5, wy - 20
    add(f'<path d="M{num(x0 + 1)} {num(wy - 7.5)} C{num(x0 - 4)} {num(wy - 10)} {num(x0 - 1)} {num(wy - 15)} '
        f'{num(hx + 2)} {num(hy + 1)} L{num(hx + 6.4)} {num(hy + 1.6)} C{num(x0 + 3)} {num(wy - 14)} '
        f'{num(x0 + 1)} {num(wy - 11)} {num(x0 + 6)} {num(wy - 6.6)} Z" fill="#B8262E"/>')
    for k in range(4):
        add(f'<path d="M{num(hx + 3 + k * 1.3)} {num(hy + 1.5 + k * 1.8)} l{num(3.6)} -2.6 l-0.6 3.2 Z" '
            f'fill="#E8B04B"/>')
    add(f'<path d="M{num(hx + 5)} {num(hy - 1.2)} C{num(hx + 3)} {num(hy - 3.6)} {num(hx - 2)} '
        f'{num(hy - 3.4)} {num(hx - 4.4)} {num(hy - 1.2)} L{num(hx - 6.6)} {num(hy + 0.4)} '
        f'L{num(hx - 2.8)} {num(hy + 1.2)} '
        f'L{num(hx - 4.6)} {num(hy + 2.8)} C{num(hx - 1)} {num(hy + 3.4)} {num(hx + 3)} {num(hy + 3.2)} '
        f'{num(hx + 5.6)} {num(hy + 1.4)} Z" fill="#C42E35"/>')
    add(f'<path d="M{num(hx - 6.6)} {num(hy + 0.4)} L{num(hx - 2.8)} {num(hy + 1.2)} L{num(hx - 4.6)} '
        f'{num(hy + 2.8)} Z" fill="#8E1B22"/>')
    add(f'<path d="M{num(hx - 3.6)} {num(hy + 2.6)} L{num(hx - 1.6)} {num(hy + 5.6)} L{num(hx - 0.6)} '
        f'{num(hy + 2.8)} Z" fill="#E8B04B"/>')
    add(f'<circle cx="{num(hx - 0.6)}" cy="{num(hy - 0.6)}" r="1.05" fill="#FFFFFF"/>')
    add(f'<circle cx="{num(hx - 0.85)}" cy="{num(hy - 0.6)}" r="0.55" fill="#2B2320"/>')
    add(f'<path d="M{num(hx + 1)} {num(hy - 2.4)} C{num(hx + 2.4)} {num(hy - 6)} {num(hx + 5)} '
        f'{num(hy - 6.4)} {num(hx + 6.8)} {num(hy - 5.4)}" fill="none" stroke="#E8B04B" stroke-width="0.7" '
        f'stroke-linecap="round"/>')
    add(f'<path d="M{num(hx - 4.4)} {num(hy - 1.2)} C{num(hx - 6)} {num(hy - 3)} {num(hx - 8)} {num(hy - 2)} '
        f'{num(hx - 9)} {num(hy - 3.6)}" fill="none" stroke="#E8B04B" stroke-width="0.4" '
        f'stroke-linecap="round"/>')
    # tail at the stern
    add(f'<path d="M{num(x1 - 4)} {num(wy - 6.6)} C{num(x1 + 3)} {num(wy - 9)} {num(x1 + 2)} {num(wy - 15)} '
        f'{num(x1 + 6.5)} {num(wy - 20)} C{num(x1 + 4.6)} {num(wy - 14)} {num(x1 + 5)} {num(wy - 9)} '
        f'{num(x1 + 0.6)} {num(wy - 4.8)} Z" fill="#B8262E"/>')
    add(f'<path d="M{num(x1 + 6.5)} {num(wy - 20)} l4.2 -2.6 l-2.6 4.4 l3.6 0.6 l-4.6 1.6 Z" '
        f'fill="#E8B04B"/>')
    add(f'<path d="M{num(x1 - 2)} {num(wy - 8)} l2.4 -3.4 l0.4 2.6 Z '
        f'M{num(x1 + 1.6)} {num(wy - 12.6)} l2.4 -3 l0.2 2.6 Z" fill="#E8B04B"/>')
    # reflection
    add(f'<path d="M{num(x0 + 6)} {num(wy + 2.6)} C{num(cx - 0.2 * L)} {num(wy + 5.2)} {num(cx + 0.2 * L)} '
        f'{num(wy + 5.2)} {num(x1 - 6)} {num(wy + 2.4)} Z" fill="#1F5A5E" opacity="0.25"/>')
    # two zongzi on the right bank
    add('<path d="M166 192 C178 186 196 183 217 182 L217 201 C200 198 182 196 166 192 Z" fill="#78B29A"/>')
    add('<path d="M166 192 C182 196 200 198 217 201 L217 203 C200 200 182 197.5 166 192 Z" fill="#5E9A84"/>')
    for zx, zy, s, leaf, a in ((184, 192, 14, "#7DB874", -5), (199, 193.4, 11, "#62A566", 7)):
        top_, bl, br = (0, -s * 0.95), (-s * 0.58, 0), (s * 0.58, 0)
        midb = (s * 0.12, 0)
        add(f'<ellipse cx="{num(zx)}" cy="{num(zy + 0.3)}" rx="{num(s * 0.62)}" ry="{num(s * 0.08)}" '
            f'fill="#1F4F40" opacity="0.25"/>')
        body = svg_path(rot(rounded_poly([top_, br, bl], s * 0.14, 4), zx, zy, a))
        add(f'<path d="{body}" fill="{leaf}"/>')

        add(f'<path d="{svg_path(rot(rounded_poly([top_, br, midb], s * 0.1, 4), zx, zy, a))}" '
            f'fill="#2C6440" opacity="0.35"/>')
        band = rot([(-s * 0.33, -s * 0.31), (s * 0.075, -s * 0.38), (s * 0.33, -s * 0.31)], zx, zy, a)
        add(f'<path d="{svg_path(band, closed=False)}" fill="none" stroke="#D9473F" '
            f'stroke-width="{num(s * 0.05)}" stroke-linecap="round" stroke-linejoin="round"/>')
        tie = rot([(-s * 0.04, -s * 0.8), (-s * 0.1, -s * 0.35), (-s * 0.16, -s * 0.03)], zx, zy, a)
        add(f'<path d="{svg_path(tie, closed=False)}" fill="none" stroke="#D9473F" '
            f'stroke-width="{num(s * 0.045)}" stroke-linecap="round" stroke-linejoin="round"/>')
    # geometric accents
    for gx, gy, r, col, op in ((120, 171, 1.1, "#FFFFFF", 0.7), (64, 146, 0.9, "#E3AE4E", 0.8),
                               (196, 128, 1.4, "#E3AE4E", 0.5), (16, 120, 1.0, "#D9473F", 0.4)):
        add(f'<circle cx="{gx}" cy="{gy}" r="{r}" fill="{col}" opacity="{op}"/>')

    body = "\n".join(el)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="216mm" height="291mm" '
            'viewBox="0 0 216 291">\n'
            f"{body}\n</svg>\n")


def make_cover(out: Path) -> Path:
    path = out / "cover.svg"
    path.write_text(cover_svg(), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------
# Credits
# --------------------------------------------------------------------------------------------


def make_credits(out: Path) -> Path:
    lines = [
        "# Credits: sample artwork of the 2022-06 issue",
        "",
        "Every file in this folder is artwork made for this project by",
        "`scripts/make_sample_artwork.py` (run it again to recreate the files byte for byte).",
        "The artwork is dedicated to the public domain",
        "([CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/)).",
        "",
        "The pictures are flat illustrations standing in for the real photos and cover art of the",
        "issue. A designer replaces a picture by changing its path under `images:` in the issue's",
        "`issue.yaml` (for example `xinzhou-1: photos/xinzhou-1.jpg`); the keys stay the same.",
        "",
        "## Files",
        "",
        "- `cover.svg` (216 × 291 mm, the trim plus 3 mm bleed): summer hills and river, a dragon boat,"
        " bamboo leaves, zongzi and a kite; calm at the top (masthead) and the bottom (cover lines).",
    ]
    for key, (caption, draw) in SCENES.items():
        what = (draw.__doc__ or "").strip().rstrip(".")
        lines.append(f"- `gallery/{key}.jpg` (1800 × 1200 px): {what}; stands in for the photo {caption}.")
    lines.append("- `CREDITS.md`: this note.")
    path = out / "CREDITS.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    made = [make_cover(out), *make_gallery(out), make_credits(out)]
    for path in made:
        print(f"{path.stat().st_size:>8}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
