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


def read_pages(pdf: Path | bytes, *, top_mm: float = 20, bottom_mm: float = 22) -> list[PageText]:
    """Text of every page, whole and split into head band, body and foot band (measured from the TrimBox)."""
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            text = page.get_textpage()
            left, bottom, right, top = page.get_trimbox()  # in the same user space as the text
            # The bands stop 3 mm short of the text area, so that glyph boxes of the first
            # and last lines of text do not reach into them.
            head_bottom = top - (top_mm - 3) * MM
            foot_top = bottom + (bottom_mm - 3) * MM
            outer = 100 * MM
            pages.append(PageText(
                index=index,
                whole=text.get_text_range(),
                head=text.get_text_bounded(left - outer, head_bottom, right + outer, top + outer),
                foot=text.get_text_bounded(left - outer, bottom - outer, right + outer, foot_top),
                body=text.get_text_bounded(left - outer, foot_top, right + outer, head_bottom),
            ))
            text.close()
            page.close()
    finally:
        document.close()
    return pages
