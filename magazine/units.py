"""Lengths and colours as designers write them in manifests."""

from __future__ import annotations

import re
from dataclasses import dataclass

POINTS_PER = {"pt": 1.0, "mm": 72 / 25.4, "cm": 720 / 25.4, "in": 72.0, "px": 0.75}

_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|px)\s*$")


@dataclass(frozen=True)
class Length:
    """A length as written (``"3mm"``), kept in its unit for CSS and convertible to points."""

    value: float
    unit: str

    @classmethod
    def parse(cls, text: object) -> Length:
        if isinstance(text, Length):
            return text
        if isinstance(text, int | float) and not isinstance(text, bool):
            if text == 0:
                return cls(0.0, "mm")
            raise ValueError(f"a length needs a unit, e.g. '{text}mm'")
        match = _LENGTH.match(str(text)) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"expected a length such as '3mm', '210mm' or '12pt', found {text!r}")
        return cls(float(match.group(1)), match.group(2))

    @property
    def points(self) -> float:
        return self.value * POINTS_PER[self.unit]

    @property
    def mm(self) -> float:
        return self.points / POINTS_PER["mm"]

    def css(self) -> str:
        number = f"{self.value:g}"
        return f"{number}{self.unit}"

    def __str__(self) -> str:
        return self.css()


_CMYK_PRINTER = re.compile(
    r"^\s*C\s*(\d+(?:\.\d+)?)\s*M\s*(\d+(?:\.\d+)?)\s*Y\s*(\d+(?:\.\d+)?)\s*K\s*(\d+(?:\.\d+)?)\s*$", re.I)
_CMYK_CSS = re.compile(r"^\s*(?:device-)?cmyk\(\s*([^)]*)\)\s*$", re.I)


@dataclass(frozen=True)
class Colour:
    """A process colour, stored as CMYK fractions (0–1)."""

    c: float
    m: float
    y: float
    k: float

    @classmethod
    def parse(cls, text: object) -> Colour:
        if isinstance(text, Colour):
            return text
        if not isinstance(text, str):
            raise ValueError(f"expected a CMYK colour such as 'C0 M95 Y85 K5', found {text!r}")
        match = _CMYK_PRINTER.match(text)
        if match:
            values = [float(v) / 100 for v in match.groups()]
        elif match := _CMYK_CSS.match(text):
            values = []
            for part in re.split(r"[\s,]+", match.group(1).strip()):
                if part.endswith("%"):
                    values.append(float(part[:-1]) / 100)
                else:
                    try:
                        values.append(float(part))
                    except ValueError:
                        raise ValueError(f"bad number {part!r} in colour {text!r}") from None
            if len(values) != 4:
                raise ValueError(f"a CMYK colour has four components, {text!r} has {len(values)}")
        else:
            raise ValueError(
                f"expected a CMYK colour such as 'C0 M95 Y85 K5' or 'device-cmyk(0 0.95 0.85 0.05)', "
                f"found {text!r}")
        if any(not 0 <= v <= 1 for v in values):
            raise ValueError(f"CMYK components must lie between 0 and 100 %, found {text!r}")
        return cls(*values)

    @property
    def ink(self) -> float:
        """Total area coverage in percent."""
        return 100 * (self.c + self.m + self.y + self.k)

    def css(self) -> str:
        return "device-cmyk({:g} {:g} {:g} {:g})".format(*(round(v, 4) for v in (self.c, self.m, self.y, self.k)))

    def tint(self, fraction: float) -> Colour:
        """The same colour at ``fraction`` of its strength (a screen tint)."""
        return Colour(self.c * fraction, self.m * fraction, self.y * fraction, self.k * fraction)

    def __str__(self) -> str:
        return "C{:g} M{:g} Y{:g} K{:g}".format(*(round(v * 100, 1) for v in (self.c, self.m, self.y, self.k)))
