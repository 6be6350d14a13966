"""Measuring set text in a PDF: lines of glyphs with their left and right edges (pt)."""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from magazine.typography.rules import CLOSING as CLOSING_MARKS


@dataclass
class Line:
    page: int
    baseline: float
    text: str
    left: float   # left edge of the first glyph's advance box
    right: float  # right edge of the last glyph's advance box
    size: float   # font size of the last glyph
    page_width: float = 0.0
    last_left: float = 0.0  # left edge of the last glyph

    @property
    def end(self) -> float:
        """Where the line's text ends. A full-width closing mark that ends a justified line is
        set half-width (its ink is in the left half of its em): it ends half way through its
        em box (the PDF's glyph widths do not show the halving)."""
        last = self.text.rstrip()[-1:]
        if last and last in CLOSING_MARKS:
            return self.last_left + (self.right - self.last_left) / 2
        return self.right

    @property
    def column(self) -> int:
        """0 for a line of the first column of a page, 1 for the second.

        The second column of the two-column grid starts near the middle of the page;
        a line of the first column, even indented, starts well before 40 % of the width.
        """
        return int(self.left > self.page_width * 0.4)


def lines(pdf: Path | bytes) -> list[Line]:
    """Every line of text on every page, in content order (a new line where the baseline moves)."""
    document = pdfium.PdfDocument(pdf)
    result: list[Line] = []
    try:
        for index in range(len(document)):
            page = document[index]
            page_width = page.get_width()
            textpage = page.get_textpage()
            current: Line | None = None
            for i in range(textpage.count_chars()):
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
                if char in "\r\n" or pdfium_c.FPDFText_IsGenerated(textpage, i):
                    continue
                left, _bottom, right, _top = textpage.get_charbox(i, loose=True)
                x, y = textpage.get_charbox(i)[0], _origin_y(textpage, i)
                size = pdfium_c.FPDFText_GetFontSize(textpage, i)
                if current is None or abs(y - current.baseline) > 1.0 or x < current.right - 2 * size:
                    if current is not None:
                        result.append(current)
                    current = Line(index, y, "", left, right, size, page_width)
                if not char.isspace():
                    current.right = right
                    current.last_left = left
                    current.size = size
                current.text += char
            if current is not None:
                result.append(current)
            textpage.close()
            page.close()
    finally:
        document.close()
    return result


def _origin_y(textpage, i: int) -> float:
    x, y = ctypes.c_double(0), ctypes.c_double(0)
    pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
    return round(y.value, 1)


def justified_line_report(pdf: Path | bytes, *, tolerance: float = 0.5) -> tuple[int, int, list[Line]]:
    """(flush lines, non-final body lines, the lines that are not flush).

    Body lines are those in the most common font size. A line ends its paragraph when
    the next body line is indented (text-indent) or lies more than 1.8 lines lower.
    A column's right edge is the most common line end, to the nearest point (hence
    the extra half point of tolerance).
    """
    from collections import Counter

    everything = lines(pdf)
    body_size = Counter(round(line.size, 1) for line in everything).most_common(1)[0][0]
    body = [line for line in everything if round(line.size, 1) == body_size]
    leading = Counter(round(a.baseline - b.baseline, 1) for a, b in itertools.pairwise(body)
                      if a.page == b.page and 0 < a.baseline - b.baseline < 3 * body_size).most_common(1)[0][0]
    columns: dict[tuple[int, int], list[Line]] = {}
    for line in body:
        columns.setdefault((line.page, line.column), []).append(line)
    # A column's left edge is where its unindented lines start; its right edge is where
    # most of its lines end.
    edges = {key: (min(m.left for m in members), Counter(round(m.end) for m in members).most_common(1)[0][0])
             for key, members in columns.items()}

    def starts_paragraph(line: Line) -> bool:
        return line.left > edges[(line.page, line.column)][0] + body_size / 2

    flush, total, ragged = 0, 0, []
    for line, after in zip(body, [*body[1:], None], strict=True):
        key = (line.page, line.column)
        if after is None or starts_paragraph(after) or len(columns[key]) < 3:
            continue
        if (after.page, after.column) == key and line.baseline - after.baseline > 1.8 * leading:
            continue
        total += 1
        if abs(line.end - edges[key][1]) <= tolerance + 0.5:
            flush += 1
        else:
            ragged.append(line)
    return flush, total, ragged


@dataclass(frozen=True)
class Char:
    page: int
    char: str
    left: float
    right: float
    baseline: float


def chars(pdf: Path | bytes) -> list[Char]:
    """Every character drawn, with its advance box and baseline."""
    document = pdfium.PdfDocument(pdf)
    result = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(textpage, i):
                    continue
                char = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
                if char in "\r\n":
                    continue
                left, _, right, _ = textpage.get_charbox(i, loose=True)
                result.append(Char(index, char, left, right, _origin_y(textpage, i)))
            textpage.close()
            page.close()
    finally:
        document.close()
    return result
