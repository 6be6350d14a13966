"""Page boxes: TrimBox and BleedBox present, nested inside the MediaBox, of the expected size."""

from __future__ import annotations

from typing import Any

from .objects import numbers, resolved
from .report import ERROR, WARNING, Finding

PT_PER_MM = 72 / 25.4
BOX_TOLERANCE_PT = 0.01  # rounding in the writers' decimal output
SIZE_TOLERANCE_MM = 0.1

Box = tuple[float, float, float, float]  # left, bottom, right, top


def check_boxes(page: Any, number: int, *, trim_mm: tuple[float, float] | None = None,
                bleed_mm: float | None = None) -> list[Finding]:
    """The box findings of page ``number`` (1-based).

    A missing TrimBox is an error, a missing BleedBox a warning (it then defaults to the
    CropBox, which defaults to the MediaBox, and the bleed is measured against that).
    ``trim_mm`` is the expected trimmed size (width, height) in millimetres, as the page is
    displayed (a /Rotate of 90 or 270 swaps it); ``bleed_mm`` the bleed on every side.
    """
    findings: list[Finding] = []

    def add(check: str, message: str, obj: str, level: str = ERROR) -> None:
        findings.append(Finding(level, check, message, number, obj))

    media = _box(page.get_inherited("/MediaBox", None))
    if media is None:
        add("page-boxes", "the page has no valid MediaBox", "/MediaBox")
        return findings
    crop = _box(page.get_inherited("/CropBox", None)) or media
    trim = _box(page.get("/TrimBox"))
    bleed = _box(page.get("/BleedBox"))
    if "/TrimBox" not in page:
        add("trim-box", "the page has no TrimBox; PDF/X needs the trimmed page size on every page", "/TrimBox")
    elif trim is None:
        add("trim-box", "the page's TrimBox is not a valid rectangle", "/TrimBox")
    if "/BleedBox" not in page:
        add("bleed-box", "the page has no BleedBox; it defaults to the CropBox", "/BleedBox", WARNING)
    elif bleed is None:
        add("bleed-box", "the page's BleedBox is not a valid rectangle", "/BleedBox")
    effective_bleed = bleed or crop

    if trim is not None and not _inside(trim, effective_bleed):
        name = "BleedBox" if bleed is not None else "CropBox (standing in for the BleedBox)"
        add("page-boxes", f"the TrimBox {_show(trim)} is not inside the {name} {_show(effective_bleed)}",
              "/TrimBox")
    if bleed is not None and not _inside(bleed, media):
        add("page-boxes", f"the BleedBox {_show(bleed)} is not inside the MediaBox {_show(media)}", "/BleedBox")
    elif trim is not None and not _inside(trim, media):
        add("page-boxes", f"the TrimBox {_show(trim)} is not inside the MediaBox {_show(media)}", "/TrimBox")

    if trim is not None and trim_mm is not None:
        width, height = (trim[2] - trim[0]) / PT_PER_MM, (trim[3] - trim[1]) / PT_PER_MM
        if int(resolved(page.get_inherited("/Rotate", 0)) or 0) % 180 == 90:
            width, height = height, width
        if abs(width - trim_mm[0]) > SIZE_TOLERANCE_MM or abs(height - trim_mm[1]) > SIZE_TOLERANCE_MM:
            add("trim-box", f"trimmed size {width:.1f}×{height:.1f} mm, expected "
                  f"{trim_mm[0]:g}×{trim_mm[1]:g} mm", "/TrimBox")
    if trim is not None and bleed_mm is not None:
        sides = [(trim[0] - effective_bleed[0]), (trim[1] - effective_bleed[1]),
                 (effective_bleed[2] - trim[2]), (effective_bleed[3] - trim[3])]
        sides_mm = [side / PT_PER_MM for side in sides]
        if any(abs(side - bleed_mm) > SIZE_TOLERANCE_MM for side in sides_mm):
            shown = ", ".join(f"{side:.1f}" for side in sides_mm)
            add("bleed-box", f"bleed (left, bottom, right, top) {shown} mm, expected {bleed_mm:g} mm on every side",
                  "/BleedBox")
    return findings


def _box(value: Any) -> Box | None:
    values = numbers(resolved(value)) if value is not None else []
    if len(values) != 4:
        return None
    left, bottom, right, top = values
    box = (min(left, right), min(bottom, top), max(left, right), max(bottom, top))
    return box if box[2] > box[0] and box[3] > box[1] else None


def _inside(inner: Box, outer: Box) -> bool:
    return (inner[0] >= outer[0] - BOX_TOLERANCE_PT and inner[1] >= outer[1] - BOX_TOLERANCE_PT
            and inner[2] <= outer[2] + BOX_TOLERANCE_PT and inner[3] <= outer[3] + BOX_TOLERANCE_PT)


def _show(box: Box) -> str:
    return "[" + " ".join(f"{v:.2f}" for v in box) + "]"
