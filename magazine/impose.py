"""Printer's spreads for saddle-stitch: the pages of the print PDF in sheet order.

For n pages (a multiple of 4) there are n/4 sheets; sheet k (0 = outermost) carries on
its outer side the pages n-2k and 2k+1, on its inner side 2k+2 and n-2k-1: for 8 pages
the spreads are 8-1, 2-7, 6-3, 4-5. Each page is placed as a form XObject clipped to its
trim box plus the bleed on the three outer edges (none at the spine), and inner sheets
are shifted towards the spine by the creep: 0 for the outermost sheet, the full creep for
the innermost, in proportion between. Crop marks at the sheet's corners and fold marks
at the spine sit outside the bleed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
)

from .errors import MagazineError, Problem
from .finish import MARK_LENGTH, MARK_OFFSET, MARK_WIDTH, crop_mark_ops, registration_colour

MM = 72 / 25.4


@dataclass(frozen=True)
class ImposedPdf:
    data: bytes
    spreads: list[tuple[int, int]]  # (left page, right page), 1-based, in output order


def sheet_order(page_count: int) -> list[tuple[int, int]]:
    """(left, right) page numbers of every printer's spread, outer side then inner side of each sheet."""
    if page_count % 4 or page_count == 0:
        raise MagazineError(Problem(f"saddle-stitch needs a page count that is a multiple of 4, not {page_count}"),
                            usage=False)
    spreads = []
    for sheet in range(page_count // 4):
        spreads.append((page_count - 2 * sheet, 2 * sheet + 1))
        spreads.append((2 * sheet + 2, page_count - 2 * sheet - 1))
    return spreads


def impose(pdf: Path | bytes, *, bleed: float = 3 * MM, creep: float = 0.0) -> ImposedPdf:
    """Printer's spreads of a saddle-stitched print PDF (lengths in points)."""
    source = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    spreads = sheet_order(len(source.pages))
    sheets = len(spreads) // 2
    # The source's pages are cloned (with their fonts, images and the output intent),
    # used as forms on the spreads, and then dropped from the page tree.
    writer = PdfWriter(clone_from=source)
    writer.pdf_header = source.pdf_header
    originals = list(writer.pages)
    for key in ("/Outlines", "/PageLabels", "/Names", "/PageMode"):
        if key in writer._root_object:
            del writer._root_object[key]
    forms: dict[tuple[int, str], object] = {}
    registration = registration_colour(writer)
    trim = source.pages[0].trimbox
    width, height = float(trim.width), float(trim.height)
    margin = bleed + MARK_OFFSET + MARK_LENGTH + 1 * MM
    for index, (left, right) in enumerate(spreads):
        shift = creep * (index // 2) / max(sheets - 1, 1)
        page = writer.add_blank_page(2 * width + 2 * margin, height + 2 * margin)
        x_spine, y0 = margin + width, margin
        ops = []
        resources = DictionaryObject({NameObject("/XObject"): DictionaryObject()})
        for number, side in ((left, "left"), (right, "right")):
            key = (number, side)
            if key not in forms:
                forms[key] = writer._add_object(_page_form(originals[number - 1], side, bleed))
            name = f"/P{number}{side[0]}"
            resources["/XObject"][NameObject(name)] = forms[key]
            page_trim = originals[number - 1].trimbox
            x = (x_spine - width + shift) if side == "left" else (x_spine - shift)
            ops.append(f"q 1 0 0 1 {x - float(page_trim.left):.3f} {y0 - float(page_trim.bottom):.3f} cm {name} Do Q")
        ops.append(_marks(x_spine, y0, width, height, bleed))
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
        resources[NameObject("/ColorSpace")] = DictionaryObject({
            NameObject("/MagazineRegistration"): registration})
        page[NameObject("/Resources")] = resources
        page[NameObject("/TrimBox")] = _box(margin, margin, margin + 2 * width, margin + height)
        page[NameObject("/BleedBox")] = _box(margin - bleed, margin - bleed, margin + 2 * width + bleed,
                                             margin + height + bleed)
    for original in originals:
        writer.remove_page(original)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return ImposedPdf(data=out.getvalue(), spreads=spreads)


def _box(*values: float) -> RectangleObject:
    return RectangleObject([FloatObject(round(v, 4)) for v in values])


def _page_form(page, side: str, bleed: float):
    """The page as a form XObject clipped to trim + bleed on all edges but the spine."""
    trim = page.trimbox
    x0, y0, x1, y1 = float(trim.left), float(trim.bottom), float(trim.right), float(trim.top)
    bbox = (x0 - bleed, y0 - bleed, x1, y1 + bleed) if side == "left" else (x0, y0 - bleed, x1 + bleed, y1 + bleed)
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): _box(*bbox),
        NameObject("/Resources"): page["/Resources"],
    })
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"]
    return form.flate_encode()


def _marks(x_spine: float, y0: float, width: float, height: float, bleed: float) -> str:
    near, far = bleed + MARK_OFFSET, bleed + MARK_OFFSET + MARK_LENGTH
    left, right, bottom, top = x_spine - width, x_spine + width, y0, y0 + height
    ops = [f"q {MARK_WIDTH} w /MagazineRegistration CS 1 SCN", *crop_mark_ops((left, bottom, right, top), near, far)]
    # Fold marks at the spine, dashed.
    ops.append("[2 2] 0 d")
    ops.append(f"{x_spine:.3f} {bottom - near:.3f} m {x_spine:.3f} {bottom - far:.3f} l S")
    ops.append(f"{x_spine:.3f} {top + near:.3f} m {x_spine:.3f} {top + far:.3f} l S")
    ops.append("Q")
    return "\n".join(ops)
