"""Colour spaces as preflight sees them (RGB, Lab, CMYK, grey, spot) and total ink of CMYK colours and images."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageMath
from pypdf.generic import ArrayObject, NameObject

from .objects import resource

RGB = "rgb"
LAB = "lab"
CMYK = "cmyk"
GRAY = "gray"
SPOT = "spot"
PATTERN = "pattern"
UNKNOWN = "unknown"

# Images larger than this (pixels on the longer side) are averaged down before their ink is measured:
# the maximum then describes small areas (about a millimetre on a page) rather than single pixels.
INK_SAMPLE_SIDE = 1000


@dataclass(frozen=True)
class Space:
    """A colour space: a name for humans, its family, and whether its components are C, M, Y, K."""

    name: str
    family: str
    cmyk_components: bool = False


DEVICE_SPACES = {
    "/DeviceRGB": Space("DeviceRGB", RGB),
    "/RGB": Space("DeviceRGB", RGB),
    "/DeviceCMYK": Space("DeviceCMYK", CMYK, True),
    "/CMYK": Space("DeviceCMYK", CMYK, True),
    "/DeviceGray": Space("DeviceGray", GRAY),
    "/G": Space("DeviceGray", GRAY),
    "/Pattern": Space("Pattern", PATTERN),
}
DEVICE_GRAY = DEVICE_SPACES["/DeviceGray"]
DEVICE_CMYK = DEVICE_SPACES["/DeviceCMYK"]
DEVICE_RGB = DEVICE_SPACES["/DeviceRGB"]


def ink_percent(space: Space, operands: list[Any]) -> float | None:
    """Total ink (c + m + y + k, in percent) of a colour given in ``space``; None unless it is CMYK."""
    if not space.cmyk_components:
        return None
    values = [float(v) for v in operands if isinstance(v, int | float)]
    if len(values) < 4:
        return None
    return sum(min(max(v, 0.0), 1.0) for v in values[:4]) * 100


class ColourSpaces:
    """Resolves colour space operands and resources to Spaces, caching them per PDF object."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Any, Space]] = {}

    def resolve(self, value: Any, resources: Any = None, _depth: int = 0) -> Space:
        """The Space of a colour space name (device or resource name) or array."""
        value = value.get_object() if hasattr(value, "get_object") else value
        if isinstance(value, NameObject):
            if value in DEVICE_SPACES:
                return DEVICE_SPACES[value]
            named = resource(resources, "/ColorSpace", value)
            if named is None or _depth > 8:
                return Space(f"undefined colour space {value}", UNKNOWN)
            return self.resolve(named, None, _depth + 1)
        if not isinstance(value, ArrayObject) or not value:
            return Space(f"colour space {value!r}", UNKNOWN)
        cached = self._cache.get(id(value))
        if cached is not None:
            return cached[1]
        space = self._resolve_array(value, resources, _depth)
        self._cache[id(value)] = (value, space)  # keep the object alive so that its id stays unique
        return space

    def _resolve_array(self, value: ArrayObject, resources: Any, depth: int) -> Space:
        family = str(value[0])
        if len(value) == 1:
            return self.resolve(value[0], resources, depth + 1)
        if family == "/ICCBased":
            components = int(value[1].get_object().get("/N", 0))
            return {1: Space("ICCBased grey", GRAY), 3: Space("ICCBased RGB", RGB),
                    4: Space("ICCBased CMYK", CMYK, True)}.get(components, Space("ICCBased", UNKNOWN))
        if family == "/CalRGB":
            return Space("CalRGB", RGB)
        if family == "/CalGray":
            return Space("CalGray", GRAY)
        if family == "/Lab":
            return Space("Lab", LAB)
        if family in ("/Indexed", "/I"):
            base = self.resolve(value[1], resources, depth + 1)
            return Space(f"Indexed {base.name}", base.family)
        if family in ("/Separation", "/DeviceN") and len(value) >= 3:
            names = value[1].get_object()
            label = " ".join(str(n) for n in names) if isinstance(names, ArrayObject) else str(names)
            alternate = self.resolve(value[2], resources, depth + 1)
            if alternate.family in (RGB, LAB):
                return Space(f"{family[1:]} {label} (alternate {alternate.name})", alternate.family)
            return Space(f"{family[1:]} {label}", SPOT)
        if family == "/Pattern":
            base = self.resolve(value[1], resources, depth + 1)
            return Space(f"Pattern ({base.name})", base.family if base.family in (RGB, LAB) else PATTERN)
        return Space(family[1:], UNKNOWN)


def image_ink_percent(image: Any, space: Space) -> float | None:
    """The highest total ink (percent) of an 8-bit CMYK image, or None when it cannot be measured.

    Images are decoded with pypdf (Flate and the other non-image filters) or Pillow (DCT);
    a /Decode of ``[1 0 ...]`` inverts the samples as a PDF viewer would.
    """
    if not space.cmyk_components or int(image.get("/BitsPerComponent", 0)) != 8:
        return None
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    if width <= 0 or height <= 0:
        return None
    filters = image.get("/Filter")
    filters = filters.get_object() if filters is not None else []
    filters = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters)] if filters else []
    try:
        data = image.get_data()
        inverted = False
        if filters and filters[-1] in ("/DCTDecode", "/DCT"):
            picture = Image.open(io.BytesIO(data))
            if picture.mode != "CMYK":
                return None
            # Pillow reads Adobe CMYK JPEGs inverted; a PDF reader takes the samples as stored.
            inverted = "adobe" in picture.info
        elif not filters or filters[-1] not in ("/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"):
            if len(data) < width * height * 4:
                return None
            picture = Image.frombytes("CMYK", (width, height), data[: width * height * 4])
        else:
            return None
        decode = image.get("/Decode")
        if decode is not None and len(decode) >= 2 and float(decode[0]) > float(decode[1]):
            inverted = not inverted
        longest = max(picture.size)
        if longest > INK_SAMPLE_SIDE:
            picture = picture.reduce(math.ceil(longest / INK_SAMPLE_SIDE))
        c, m, y, k = picture.split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        low, high = total.getextrema()
    except Exception:  # an undecodable image is not this check's business; other tools will complain
        return None
    highest = 4 * 255 - low if inverted else high
    return highest / 255 * 100

