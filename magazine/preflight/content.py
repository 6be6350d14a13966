"""Page content checks: colour spaces, total ink, placed image resolution, hairlines, fonts, transparency.

Each page's content stream is interpreted with pypdf's ContentStream operations, following
the graphics state (CTM, line width, fill and stroke colour, text render mode) through
``q``/``Q`` and into Form XObjects, tiling patterns and soft-mask groups. Parsed operations,
colour spaces, image measurements and font verdicts are cached per PDF object, so
resources that every page shares (WeasyPrint writes one resource dictionary for all pages)
are examined once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, NameObject

from .colour import DEVICE_CMYK, DEVICE_GRAY, DEVICE_RGB, LAB, RGB, ColourSpaces, Space, image_ink_percent
from .colour import ink_percent as colour_ink
from .objects import numbers, object_key, resolved, resource
from .report import ERROR, WARNING, Finding

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

HAIRLINE_PT = 0.25
MIN_IMAGE_SIDE_PX = 16  # smaller images (spacers, tiny icons) have no resolution worth checking
MAX_DEPTH = 32  # nesting of forms and patterns followed

FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
STROKE_OPS = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
TEXT_OPS = {b"Tj", b"TJ", b"'", b'"'}
FILL_TEXT_MODES = {0, 2, 4, 6}
STROKE_TEXT_MODES = {1, 2, 5, 6}
NORMAL_BLEND_MODES = {"/Normal", "/Compatible"}


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix product m × n (PDF row-vector convention: apply m, then n)."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return (a * na + b * nc, a * nb + b * nd, c * na + d * nc, c * nb + d * nd,
            e * na + f * nc + ne, e * nb + f * nd + nf)


def as_matrix(value: Any) -> Matrix:
    values = numbers(resolved(value)) if value is not None else []
    return tuple(values) if len(values) == 6 else IDENTITY  # type: ignore[return-value]


@dataclass(frozen=True)
class ContentOptions:
    """The thresholds of the content checks."""

    transparency_allowed: bool = True
    ink_limit: float = 300.0
    min_ppi_error: float = 200.0
    min_ppi_warning: float = 300.0


@dataclass
class _State:
    """The part of the graphics state the checks need."""

    ctm: Matrix = IDENTITY
    line_width: float = 1.0
    fill: Space = DEVICE_GRAY
    stroke: Space = DEVICE_GRAY
    fill_ink: tuple[float, str] | None = None  # total ink in percent, and the operator that set it
    stroke_ink: tuple[float, str] | None = None
    text_mode: int = 0


@dataclass
class _Image:
    """What is known about an image XObject independent of where it is drawn."""

    width: int
    height: int
    space: Space | None  # None for stencil masks (painted in the fill colour) and unknown JPX spaces
    stencil: bool
    soft_mask: bool
    ink: float | None


@dataclass
class _Lines:
    """A tally of stroked lines: how many, the thinnest width as drawn (pt) and how it was drawn."""

    count: int = 0
    thinnest: float = math.inf
    what: str = ""

    def add(self, width: float, what: str) -> None:
        self.count += 1
        if width < self.thinnest:
            self.thinnest, self.what = width, what

    def described(self) -> str:
        return "1 line" if self.count == 1 else f"{self.count} lines"


@dataclass
class _PageFindings:
    """The findings of one page, each reported once; ink and hairlines are summarised at the end."""

    number: int
    found: dict[tuple, Finding] = field(default_factory=dict)
    ink: tuple[float, str] | None = None
    thin: _Lines = field(default_factory=_Lines)
    zero_width: _Lines = field(default_factory=_Lines)
    patterns: set = field(default_factory=set)

    def add(self, level: str, check: str, message: str, obj: str | None = None, key: tuple | None = None) -> None:
        key = (check, *(key if key is not None else (obj,)))
        if key not in self.found:
            self.found[key] = Finding(level, check, message, self.number, obj)

    def findings(self, options: ContentOptions) -> list[Finding]:
        result = list(self.found.values())
        if self.ink is not None:
            value, what = self.ink
            result.append(Finding(ERROR, "ink-coverage", f"total ink {value:.0f} % exceeds the limit of "
                                  f"{options.ink_limit:g} %", self.number, what))
        if self.thin.count:
            result.append(Finding(WARNING, "hairline", f"{self.thin.described()} thinner than {HAIRLINE_PT:g} pt "
                                  f"as drawn, the thinnest {self.thin.thinnest:.3g} pt; they may break up or vanish "
                                  "in print", self.number, self.thin.what))
        if self.zero_width.count:
            result.append(Finding(WARNING, "hairline", f"{self.zero_width.described()} with line width 0: the "
                                  "thinnest line the device can draw, next to invisible from a platesetter",
                                  self.number, self.zero_width.what))
        return result


class ContentChecker:
    """Checks the content of the pages of one PDF; keeps its caches from page to page."""

    def __init__(self, reader: PdfReader, options: ContentOptions) -> None:
        self.reader = reader
        self.options = options
        self.spaces = ColourSpaces()
        self._operations: dict[tuple, list] = {}
        self._images: dict[tuple, _Image] = {}
        self._fonts_seen: set[tuple] = set()
        self._resources_seen: dict[int, Any] = {}

    def check_page(self, page: Any, number: int) -> list[Finding]:
        """The findings of page ``number`` (1-based)."""
        found = _PageFindings(number)
        resources = resolved(page.get_inherited("/Resources", None))
        self._scan_resources(resources, found)
        self._group(page.get("/Group"), "transparency group of the page", resources, found)
        try:
            contents = page.get_contents()
            operations = contents.operations if contents is not None else []
        except Exception as error:  # pypdf raises several types for broken or oversized streams
            found.add(WARNING, "content", f"the page's content stream could not be read, so it was not checked: "
                      f"{error}", "page content")
            operations = []
        self._walk(operations, resources, _State(), IDENTITY, found, 0, frozenset())
        return found.findings(self.options)

    # The interpreter.

    def _walk(self, operations: list, resources: Any, state: _State, base: Matrix, found: _PageFindings,
              depth: int, active: frozenset) -> None:
        saved: list[_State] = []
        for operands, operator in operations:
            if operator == b"q":
                saved.append(replace(state))
            elif operator == b"Q":
                if saved:
                    state = saved.pop()
            elif operator == b"cm":
                state.ctm = multiply(as_matrix(operands), state.ctm)
            elif operator == b"w" and operands:
                state.line_width = float(operands[0])
            elif operator in FILL_OPS or operator in STROKE_OPS:
                self._paint(state, found, fill=operator in FILL_OPS, stroke=operator in STROKE_OPS,
                            operator=operator.decode())
            elif operator in TEXT_OPS:
                self._paint(state, found, fill=state.text_mode in FILL_TEXT_MODES,
                            stroke=state.text_mode in STROKE_TEXT_MODES, operator=operator.decode())
            elif operator == b"Tr" and operands:
                state.text_mode = int(operands[0])
            elif operator in (b"rg", b"RG", b"k", b"K", b"g", b"G"):
                space = {b"rg": DEVICE_RGB, b"k": DEVICE_CMYK, b"g": DEVICE_GRAY}[operator.lower()]
                self._set_colour(state, found, space, operands, operator, resources, base, depth, active)
            elif operator in (b"cs", b"CS"):
                space = self.spaces.resolve(operands[0], resources) if operands else DEVICE_GRAY
                name = f" {operands[0]}" if operands and operands[0] not in ("/DeviceRGB", "/DeviceCMYK") else ""
                self._colour_space(space, f"{_side(operator)} colour space{name} ({operator.decode()})", found)
                # The initial colour: black in DeviceCMYK (0 0 0 1), zero components elsewhere.
                initial = (100.0, f"{_side(operator)} colour 0 0 0 1 ({operator.decode()})")
                ink = initial if space == DEVICE_CMYK else None
                if operator == b"cs":
                    state.fill, state.fill_ink = space, ink
                else:
                    state.stroke, state.stroke_ink = space, ink
            elif operator in (b"sc", b"scn", b"SC", b"SCN"):
                space = state.fill if operator.islower() else state.stroke
                self._set_colour(state, found, space, operands, operator, resources, base, depth, active)
            elif operator == b"gs" and operands:
                self._graphics_state(operands[0], resources, state, found, depth, active)
            elif operator == b"Do" and operands:
                self._draw(operands[0], resources, state, found, depth, active)
            elif operator == b"sh" and operands:
                shading = resource(resources, "/Shading", operands[0])
                self._shading(shading, f"shading {operands[0]}", resources, found)
            elif operator == b"INLINE IMAGE":
                self._inline_image(operands, resources, state, found)
            elif operator == b"Tf" and operands:
                self._font(resource(resources, "/Font", operands[0]), operands[0], found)

    def _paint(self, state: _State, found: _PageFindings, *, fill: bool, stroke: bool, operator: str) -> None:
        if fill and state.fill_ink is not None:
            self._ink(*state.fill_ink, found)
        if not stroke:
            return
        if state.stroke_ink is not None:
            self._ink(*state.stroke_ink, found)
        if state.line_width <= 0:
            found.zero_width.add(0.0, f"stroke ({operator}), line width 0")
            return
        a, b, c, d = state.ctm[:4]
        width = state.line_width * math.sqrt(abs(a * d - b * c))  # the scale of the CTM, as an average
        if width < HAIRLINE_PT - 1e-9:
            found.thin.add(width, f"stroke ({operator}), line width {width:.3g} pt")

    def _ink(self, value: float, what: str, found: _PageFindings) -> None:
        if value > self.options.ink_limit + 1e-6 and (found.ink is None or value > found.ink[0]):
            found.ink = (value, what)

    def _set_colour(self, state: _State, found: _PageFindings, space: Space, operands: list, operator: bytes,
                    resources: Any, base: Matrix, depth: int, active: frozenset) -> None:
        side = _side(operator)
        op = operator.decode()
        self._colour_space(space, f"{side} colour ({op})", found)
        if operands and isinstance(operands[-1], NameObject):  # scn /P0: a pattern
            self._pattern(operands[-1], resources, base, found, depth, active)
        ink = colour_ink(space, operands)
        setting = (ink, f"{side} colour {' '.join(f'{v:g}' for v in numbers(operands))} {op}") if ink else None
        if side == "fill":
            state.fill, state.fill_ink = space, setting
        else:
            state.stroke, state.stroke_ink = space, setting

    def _colour_space(self, space: Space, what: str, found: _PageFindings, key: tuple = ("operator",)) -> None:
        """Report an RGB (error) or Lab (warning) colour space, once per page and kind of use."""
        if space.family == RGB:
            found.add(ERROR, "colour-space", f"{space.name} colour; a print PDF must use CMYK, grey or spot "
                      "colours only", what, (space.name, *key))
        elif space.family == LAB:
            found.add(WARNING, "colour-space", f"{space.name} colour; it will be converted to CMYK by the "
                      "printer's RIP, not by us", what, (space.name, *key))

    def _graphics_state(self, name: Any, resources: Any, state: _State, found: _PageFindings, depth: int,
                        active: frozenset) -> None:
        gs = resource(resources, "/ExtGState", name)
        if gs is None:
            return
        if "/LW" in gs:
            state.line_width = float(gs["/LW"])
        soft_mask = resolved(gs.get("/SMask"))
        where = f"graphics state {name}"
        if soft_mask is not None and soft_mask != "/None":
            self._transparency(found, "a soft mask", where, key=("soft-mask",))
            group = resolved(soft_mask.get("/G")) if hasattr(soft_mask, "get") else None
            if group is not None:
                self._form(group, f"soft mask of {name}", resources, replace(state), found, depth, active)
        for key in ("/CA", "/ca"):
            if key in gs and float(gs[key]) < 1:
                self._transparency(found, f"opacity {key} {float(gs[key]):g}", where, key=("opacity",))
        mode = resolved(gs.get("/BM"))
        if isinstance(mode, ArrayObject):
            mode = mode[0] if mode else None
        if mode is not None and str(mode) not in NORMAL_BLEND_MODES:
            self._transparency(found, f"blend mode {mode}", where, key=("blend",))

    def _transparency(self, found: _PageFindings, what: str, obj: str, key: tuple) -> None:
        """Report transparency (PDF/X-1a only), once per page and kind."""
        if not self.options.transparency_allowed:
            found.add(ERROR, "transparency", f"{what}; PDF/X-1a allows no transparency (flatten it)", obj, key)

    def _group(self, group: Any, what: str, resources: Any, found: _PageFindings) -> None:
        group = resolved(group)
        if group is None or group.get("/S") != "/Transparency":
            return
        self._transparency(found, "a transparency group", what, key=("group",))
        if "/CS" in group:
            self._colour_space(self.spaces.resolve(group["/CS"], resources), what, found, key=("group",))

    def _draw(self, name: Any, resources: Any, state: _State, found: _PageFindings, depth: int,
              active: frozenset) -> None:
        xobject = resource(resources, "/XObject", name)
        if xobject is None:
            return
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            self._image(xobject, name, state, found)
        elif subtype == "/Form":
            self._form(xobject, f"form {name}", resources, state, found, depth, active)

    def _form(self, form: Any, what: str, resources: Any, state: _State, found: _PageFindings, depth: int,
              active: frozenset) -> None:
        key = object_key(form)
        if key in active or depth >= MAX_DEPTH:
            return
        own = resolved(form.get("/Resources")) or resources
        self._group(form.get("/Group"), f"transparency group of {what}", own, found)
        inner = replace(state, ctm=multiply(as_matrix(form.get("/Matrix")), state.ctm))
        self._scan_resources(own, found)
        self._walk(self._parsed(form, what, found), own, inner, inner.ctm, found, depth + 1, active | {key})

    def _pattern(self, name: Any, resources: Any, base: Matrix, found: _PageFindings, depth: int,
                 active: frozenset) -> None:
        pattern = resource(resources, "/Pattern", name)
        if pattern is None:
            return
        if int(pattern.get("/PatternType", 1)) == 2:
            self._shading(resolved(pattern.get("/Shading")), f"shading pattern {name}", resources, found)
            return
        key = object_key(pattern)
        if key in found.patterns or key in active or depth >= MAX_DEPTH:
            return
        found.patterns.add(key)
        ctm = multiply(as_matrix(pattern.get("/Matrix")), base)
        own = resolved(pattern.get("/Resources")) or resources
        self._scan_resources(own, found)
        operations = self._parsed(pattern, f"pattern {name}", found)
        self._walk(operations, own, _State(ctm=ctm), ctm, found, depth + 1, active | {key})

    def _shading(self, shading: Any, what: str, resources: Any, found: _PageFindings) -> None:
        if shading is not None and "/ColorSpace" in shading:
            space = self.spaces.resolve(shading["/ColorSpace"], resources)
            self._colour_space(space, what, found, key=("shading",))

    def _parsed(self, stream: Any, what: str, found: _PageFindings) -> list:
        key = object_key(stream)
        operations = self._operations.get(key)
        if operations is None:
            try:
                operations = ContentStream(stream, self.reader).operations
            except Exception as error:  # pypdf raises several types for broken or oversized streams
                found.add(WARNING, "content", f"content stream could not be read, so it was not checked: {error}",
                          what)
                operations = []
            self._operations[key] = operations
        return operations

    # Images.

    def _image(self, xobject: Any, name: Any, state: _State, found: _PageFindings) -> None:
        key = object_key(xobject)
        image = self._images.get(key)
        if image is None:
            image = self._images[key] = self._measure(xobject)
        what = f"image {name} ({image.width}×{image.height} px)"
        self._placed(image, what, key, state, found)
        if image.ink is not None and image.ink > self.options.ink_limit + 1e-6:
            found.add(ERROR, "ink-coverage", f"total ink up to {image.ink:.0f} % in the image exceeds the limit of "
                      f"{self.options.ink_limit:g} %", what, key)

    def _measure(self, xobject: Any) -> _Image:
        stencil = bool(xobject.get("/ImageMask", False))
        space = None
        if not stencil and "/ColorSpace" in xobject:
            space = self.spaces.resolve(xobject["/ColorSpace"])
        soft_mask = "/SMask" in xobject or int(xobject.get("/SMaskInData", 0)) != 0
        ink = image_ink_percent(xobject, space) if space is not None else None
        return _Image(int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)), space, stencil, soft_mask, ink)

    def _inline_image(self, operands: Any, resources: Any, state: _State, found: _PageFindings) -> None:
        settings = operands.get("settings", {}) if isinstance(operands, dict) else {}
        stencil = bool(settings.get("/IM", settings.get("/ImageMask", False)))
        space_value = settings.get("/CS", settings.get("/ColorSpace"))
        space = None
        if not stencil and space_value is not None:
            space = self.spaces.resolve(space_value, resources)
        width = int(settings.get("/W", settings.get("/Width", 0)))
        height = int(settings.get("/H", settings.get("/Height", 0)))
        image = _Image(width, height, space, stencil, False, None)
        self._placed(image, f"inline image ({width}×{height} px)", ("inline", width, height), state, found)

    def _placed(self, image: _Image, what: str, key: tuple, state: _State, found: _PageFindings) -> None:
        """The checks of an image where it is drawn: colour, soft mask, effective resolution."""
        if image.stencil:
            self._paint(state, found, fill=True, stroke=False, operator="Do")
        elif image.space is not None:
            self._colour_space(image.space, what, found, key=key)
        if image.soft_mask:
            self._transparency(found, "an image with a soft mask", what, key=("image", key))
        if min(image.width, image.height) < MIN_IMAGE_SIDE_PX:
            return
        a, b, c, d = state.ctm[:4]
        placed_width, placed_height = math.hypot(a, b), math.hypot(c, d)
        if placed_width <= 0 or placed_height <= 0:
            return
        ppi = min(image.width * 72 / placed_width, image.height * 72 / placed_height)
        size = f"{placed_width / 72 * 25.4:.0f}×{placed_height / 72 * 25.4:.0f} mm"
        if ppi < self.options.min_ppi_error:
            found.add(ERROR, "image-resolution", f"effective resolution {ppi:.0f} ppi as placed ({size}), below "
                      f"{self.options.min_ppi_error:g} ppi", what, (key, round(ppi)))
        elif ppi < self.options.min_ppi_warning:
            found.add(WARNING, "image-resolution", f"effective resolution {ppi:.0f} ppi as placed ({size}), below "
                      f"{self.options.min_ppi_warning:g} ppi", what, (key, round(ppi)))

    # Fonts.

    def _scan_resources(self, resources: Any, found: _PageFindings) -> None:
        """Check every font of a resource dictionary (once per dictionary and per font)."""
        resources = resolved(resources)
        if resources is None or id(resources) in self._resources_seen:
            return
        self._resources_seen[id(resources)] = resources  # keep it alive so that its id stays unique
        fonts = resolved(resources.get("/Font"))
        for name, font in (fonts or {}).items():
            self._font(resolved(font), name, found)

    def _font(self, font: Any, name: Any, found: _PageFindings) -> None:
        if font is None:
            return
        key = object_key(font)
        if key in self._fonts_seen:
            return
        self._fonts_seen.add(key)
        if not font_embedded(font):
            base = str(font.get("/BaseFont", name)).lstrip("/")
            found.add(ERROR, "font-embedded", f"font {base} ({font.get('/Subtype', '?')}) is not embedded; "
                      "a print PDF must embed every font", f"font {base}", key)


def font_embedded(font: Any) -> bool:
    """True when the font program is in the PDF (or the font is a Type3 font, drawn by its own procedures)."""
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        descendants = resolved(font.get("/DescendantFonts"))
        if not descendants:
            return False
        font = resolved(descendants[0])
    descriptor = resolved(font.get("/FontDescriptor"))
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _side(operator: bytes) -> str:
    return "fill" if operator.islower() else "stroke"

