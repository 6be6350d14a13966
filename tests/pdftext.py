"""Reading built PDFs in tests: text per page and per band (running heads, folios)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

MM = 72 / 25.4


@dataclass(frozen=True)
class PageText:
    index: int
    whole: str
    head: str  # the top margin band (running heads)
    foot: str  # the bottom margin band (folios)
    body: str  # between the two bands

    @property
    def number(self) -> int:
        return self.index + 1


def read_pages(pdf: Path | bytes, *, bleed_mm: float = 3, top_mm: float = 20, bottom_mm: float = 22) -> list[PageText]:
    """Text of every page, whole and split into head band, body and foot band (trim coordinates)."""
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            text = page.get_textpage()
            bleed = bleed_mm * MM
            top_edge = height - bleed
            # The bands stop 3 mm short of the text area, so that glyph boxes of the first
            # and last lines of text do not reach into them.
            head_bottom = top_edge - (top_mm - 3) * MM
            foot_top = bleed + (bottom_mm - 3) * MM
            pages.append(PageText(
                index=index,
                whole=text.get_text_range(),
                head=text.get_text_bounded(0, head_bottom, width, height),
                foot=text.get_text_bounded(0, 0, width, foot_top),
                body=text.get_text_bounded(0, foot_top, width, head_bottom),
            ))
            text.close()
            page.close()
    finally:
        document.close()
    return pages
