"""Finish the rendered PDF with pypdf: page labels and how the viewer opens it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import NameObject

COVER_LABELS = ("封面", "封二")
BACK_LABELS = ("封三", "封底")


@dataclass(frozen=True)
class FinishedPdf:
    data: bytes
    page_count: int


def finish(pdf: bytes, *, inside_cover: bool = True) -> FinishedPdf:
    """Label the pages as printed (封面, 封二, folios, 封底) and open the outline panel.

    Folios count every page from the cover, so page labels only name the covers and
    otherwise show the printed folio.
    """
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    count = len(writer.pages)
    front = COVER_LABELS[: 2 if inside_cover else 1]
    for index, label in enumerate(front):
        writer.set_page_label(index, index, prefix=label)
    if count > len(front) + 1:
        writer.set_page_label(len(front), count - 2, style=PageLabelStyle.DECIMAL, start=len(front) + 1)
    writer.set_page_label(count - 1, count - 1, prefix=BACK_LABELS[1])
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return FinishedPdf(data=out.getvalue(), page_count=count)
