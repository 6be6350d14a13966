"""Finish the rendered PDF with pypdf: page labels, how the viewer opens it, and for the
print edition the printer's geometry.

WeasyPrint writes MediaBox = trim + bleed, TrimBox = trim and a BleedBox capped at 10 pt,
and would draw its own marks inside the bleed. For print, this stage instead:

- sets BleedBox = trim + bleed exactly, on every page;
- widens the MediaBox by a margin for the marks, and draws crop marks (and registration
  marks where asked) in the registration colour (Separation /All) in that margin, so that
  they lie outside the BleedBox and never touch the trimmed page;
- removes annotations and links (a print PDF has none);
- replaces the random XMP DocumentID and the file identifiers with values derived from
  the content, so that the same sources give the same bytes (every edition).

For the screen and archive editions it sets how the viewer opens the document (cover
alone, then spreads) and adds the archive's metadata to the XMP packet.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
)

COVER_LABELS = ("封面", "封二")
BACK_LABELS = ("封三", "封底")
MM = 72 / 25.4

# Marks: they start MARK_OFFSET beyond the bleed and are MARK_LENGTH long.
MARK_OFFSET = 1.0 * MM
MARK_LENGTH = 5.0 * MM
MARK_MARGIN = MARK_OFFSET + MARK_LENGTH + 1.0 * MM
MARK_WIDTH = 0.3


@dataclass(frozen=True)
class PrintGeometry:
    """What the print edition needs from the manifest."""

    bleed: float            # points
    marks: tuple[str, ...]  # "crop", "registration"


@dataclass(frozen=True)
class FinishedPdf:
    data: bytes
    page_count: int


def finish(pdf: bytes, *, inside_cover: bool = True, print_geometry: PrintGeometry | None = None,
           folios: list[int] | None = None, page_layout: str | None = None,
           xmp_descriptions: str = "") -> FinishedPdf:
    """Label the pages as printed (封面, 封二, folios, 封底) and open the outline panel;
    for print, fix the boxes, draw the marks, drop links, make identifiers reproducible.

    Folios count every page from the cover, so page labels only name the covers and
    otherwise show the printed folio.
    """
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # WeasyPrint's xref /Size is one short with attachments; harmless
    try:
        reader = PdfReader(io.BytesIO(pdf))
        writer = PdfWriter(clone_from=reader)
    finally:
        pypdf_log.setLevel(level)
    writer.pdf_header = reader.pdf_header
    count = len(writer.pages)
    if folios is not None:  # a part of the issue: each page labelled with its folio in the whole
        for index, folio in enumerate(folios):
            writer.set_page_label(index, index, style=PageLabelStyle.DECIMAL, start=folio)
    else:
        front = COVER_LABELS[: 2 if inside_cover else 1]
        for index, label in enumerate(front):
            writer.set_page_label(index, index, prefix=label)
        if count > len(front) + 1:
            writer.set_page_label(len(front), count - 2, style=PageLabelStyle.DECIMAL, start=len(front) + 1)
        writer.set_page_label(count - 1, count - 1, prefix=BACK_LABELS[1])
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    if page_layout:
        writer._root_object[NameObject("/PageLayout")] = NameObject(f"/{page_layout}")
    if print_geometry is not None:
        _print_pages(writer, print_geometry)
    if xmp_descriptions:
        _add_xmp(writer, xmp_descriptions)
    _reproducible_identifiers(writer, pdf)
    out = io.BytesIO()
    writer.write(out)
    return FinishedPdf(data=out.getvalue(), page_count=count)


def registration_colour(writer: PdfWriter):
    """The registration colour (Separation /All): printed on every plate."""
    return writer._add_object(ArrayObject([
        NameObject("/Separation"), NameObject("/All"), NameObject("/DeviceCMYK"),
        DictionaryObject({
            NameObject("/FunctionType"): NumberObject(2),
            NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
            NameObject("/C0"): ArrayObject([NumberObject(0)] * 4),
            NameObject("/C1"): ArrayObject([NumberObject(1)] * 4),
            NameObject("/N"): NumberObject(1),
        }),
    ]))


def _print_pages(writer: PdfWriter, geometry: PrintGeometry) -> None:
    registration = registration_colour(writer)
    for page in writer.pages:
        trim = page.trimbox
        x0, y0, x1, y1 = float(trim.left), float(trim.bottom), float(trim.right), float(trim.top)
        bleed = geometry.bleed
        page[NameObject("/BleedBox")] = _rectangle(x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed)
        if geometry.marks:
            margin = bleed + MARK_MARGIN
            page[NameObject("/MediaBox")] = _rectangle(x0 - margin, y0 - margin, x1 + margin, y1 + margin)
            if "/CropBox" in page:
                del page["/CropBox"]
            _draw_marks(writer, page, (x0, y0, x1, y1), bleed, geometry.marks, registration)
        if "/Annots" in page:
            del page["/Annots"]
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]


def _rectangle(*values: float) -> RectangleObject:
    return RectangleObject([FloatObject(round(v, 4)) for v in values])


def _draw_marks(writer: PdfWriter, page, trim: tuple[float, float, float, float], bleed: float,
                marks: tuple[str, ...], registration) -> None:
    x0, y0, x1, y1 = trim
    near = bleed + MARK_OFFSET
    far = near + MARK_LENGTH
    ops = [f"{MARK_WIDTH} w 0 J /MagazineRegistration CS 1 SCN"]
    if "crop" in marks:
        ops += crop_mark_ops((x0, y0, x1, y1), near, far)
    if "registration" in marks:
        radius = MARK_LENGTH / 2 - 0.5 * MM
        middle = near + MARK_LENGTH / 2
        centres = [((x0 + x1) / 2, y0 - middle), ((x0 + x1) / 2, y1 + middle),
                   (x0 - middle, (y0 + y1) / 2), (x1 + middle, (y0 + y1) / 2)]
        for cx, cy in centres:
            ops.append(_circle(cx, cy, radius))
            ops.append(f"{cx - radius - 1:.3f} {cy:.3f} m {cx + radius + 1:.3f} {cy:.3f} l S")
            ops.append(f"{cx:.3f} {cy - radius - 1:.3f} m {cx:.3f} {cy + radius + 1:.3f} l S")
    # The page's own content may leave the graphics state changed: wrap it in q … Q.
    opening = DecodedStreamObject()
    opening.set_data(b"q\n")
    closing = DecodedStreamObject()
    closing.set_data(("Q\nq\n" + "\n".join(ops) + "\nQ\n").encode("ascii"))
    contents = page.get("/Contents")
    existing = list(contents) if isinstance(contents, ArrayObject) else ([contents] if contents is not None else [])
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(opening), *existing,
                                                 writer._add_object(closing)])
    resources = page["/Resources"].get_object()
    colour_spaces = resources.get("/ColorSpace")
    colour_spaces = colour_spaces.get_object() if colour_spaces is not None else DictionaryObject()
    colour_spaces[NameObject("/MagazineRegistration")] = registration
    resources[NameObject("/ColorSpace")] = colour_spaces


def crop_mark_ops(trim: tuple[float, float, float, float], near: float, far: float) -> list[str]:
    """Strokes of the crop marks at the corners of ``trim``, from ``near`` to ``far`` outside it."""
    x0, y0, x1, y1 = trim
    ops = []
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            ops.append(f"{x + sign_x * near:.3f} {y:.3f} m {x + sign_x * far:.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sign_y * near:.3f} m {x:.3f} {y + sign_y * far:.3f} l S")
    return ops


def _circle(cx: float, cy: float, r: float) -> str:
    k = 0.5523 * r
    return (f"{cx + r:.3f} {cy:.3f} m "
            f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
            f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
            f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
            f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S")


def _add_xmp(writer: PdfWriter, descriptions: str) -> None:
    """Add rdf:Description elements to the document's XMP packet."""
    stream = writer._root_object["/Metadata"].get_object()
    data = stream.get_data()
    stream.set_data(data.replace(b"</rdf:RDF>", descriptions.encode("utf-8") + b"</rdf:RDF>", 1))


_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-fA-F-]{36}")
_FILE_ID = re.compile(rb"/ID\s*\[\s*(\(.*?\)|<[0-9a-fA-F]*>)\s*(\(.*?\)|<[0-9a-fA-F]*>)\s*\]", re.S)


def _reproducible_identifiers(writer: PdfWriter, rendered: bytes) -> None:
    """DocumentID and /ID from the rendered content instead of random values."""
    digest = hashlib.sha256(_FILE_ID.sub(b"", _DOCUMENT_ID.sub(b"", rendered))).hexdigest()
    metadata = writer._root_object.get("/Metadata")
    if metadata is not None:
        stream = metadata.get_object()
        data = stream.get_data()
        uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}".encode()
        stream.set_data(_DOCUMENT_ID.sub(b"xmp.did:" + uuid, data))
    identifier = ByteStringObject(bytes.fromhex(digest[:32]))
    writer._ID = ArrayObject([identifier, identifier])
