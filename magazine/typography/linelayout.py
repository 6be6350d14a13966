"""Chinese line layout, as an extension of WeasyPrint 70: justification, punctuation
compression, and the Han–Latin gaps at line edges.

Justification.

WeasyPrint justifies a line by widening its spaces (U+0020, U+00A0) only, so Chinese
text, which has none, stays ragged under ``text-align: justify``. This module replaces
WeasyPrint's justification step (``weasyprint.layout.inline.justify_line``): on a line
that holds Han characters or CJK punctuation it spreads the line's slack over the gaps
between characters, using Pango letter-spacing attributes, so that the glyphs move but
the text is untouched (the PDF's text stays the source text). Gaps inside Latin words
and numbers are left alone; lines without CJK text keep WeasyPrint's own behaviour.

Punctuation compression. Where two full-width marks meet (“。”” or “），”), one of
them is set half-width with the font's OpenType ``halt`` feature, so that the pair takes
1.5 em: the first when it is a closing mark, otherwise the second (an opening one). In a
justified line, a closing mark at its end and an opening bracket at its start are set
half-width too.
The CSS custom property ``--cjk-compress: none`` switches it off for an element.

Gaps at line edges. The typography stage puts an empty ``span.cjk-gap`` (a quarter em
of margin) between Han and Latin characters; a gap that ends up at the start or the end
of a line is removed before the line is aligned (``weasyprint.layout.inline.text_align``).

The spacing and feature attributes are stored on WeasyPrint's ``Layout`` objects and
re-applied whenever WeasyPrint rebuilds the Pango layout (during line breaking and again
when drawing), by wrapping ``Layout.set_text``.

Written for WeasyPrint 70.0: ``install()`` refuses any other version, since the
functions it replaces are internal to WeasyPrint.
"""

from __future__ import annotations

from typing import Any

from ..errors import MagazineError, Problem
from .rules import CLOSING, OPENING, is_cjk

SUPPORTED_WEASYPRINT = "70.0"

_installed = False


def require_supported_weasyprint(extension: str) -> None:
    """Stop with a clear message when the installed WeasyPrint is not the one ``extension``
    (a module that replaces some of WeasyPrint's internals) was written for."""
    import weasyprint

    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        raise MagazineError(Problem(
            f"the extension in {extension} was written for WeasyPrint {SUPPORTED_WEASYPRINT}, "
            f"but WeasyPrint {weasyprint.__version__} is installed",
            hint=f"install WeasyPrint {SUPPORTED_WEASYPRINT} (./dev setup), or port the module"), usage=False)


def install() -> None:
    """Replace WeasyPrint's justification step (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    require_supported_weasyprint("magazine/typography/linelayout.py")

    original_justify = inline.justify_line
    original_set_text = line_break.Layout.set_text

    original_text_align = inline.text_align

    def set_text(self: Any, text: str, justify: bool = False) -> None:
        original_set_text(self, text, justify)
        spacing = getattr(self, "magazine_spacing", None)
        if spacing and text == self.text:
            _apply_spacing(self, spacing)
        if _compression_on(self.style):
            halves = sorted(set(compressed(self.text)) | set(getattr(self, "magazine_halt", ())))
            if halves:
                _apply_features(self, halves, b"halt")

    def text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
        _trim_edge_gaps(line, inline.boxes)
        return original_text_align(context, line, available_width, last)

    def justify_line(context: Any, line: Any, extra_width: float) -> None:
        boxes = list(_text_boxes(line, inline.boxes))
        if extra_width <= 0 or not any(_has_cjk(box.text) for box in boxes):
            return original_justify(context, line, extra_width)
        _justify_cjk(context, line, extra_width, inline, line_break)

    line_break.Layout.set_text = set_text
    inline.justify_line = justify_line
    inline.text_align = text_align
    _installed = True


# ---------------------------------------------------------------------------
# Character classes

def _has_cjk(text: str) -> bool:
    return any(is_cjk(c) for c in text)


def spaced(char: str) -> bool:
    """May the gaps around this character widen? Not for letters and digits of Latin
    (and other space-separated) scripts, so that words and numbers stay whole."""
    return is_cjk(char) or not (char.isalnum() or char in ".,%'-_")


# ---------------------------------------------------------------------------
# The justification itself

def _text_boxes(box: Any, boxes_module: Any):
    if isinstance(box, boxes_module.TextBox):
        yield box
    elif isinstance(box, boxes_module.LineBox | boxes_module.InlineBox):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, boxes_module)


def _justify_cjk(context: Any, line: Any, extra_width: float, inline: Any, line_break: Any) -> None:
    """Spread ``extra_width`` over the gaps between the characters of the line.

    Letter spacing goes on the runs of CJK characters (and punctuation and spaces);
    Pango adds it between the characters of a run and half of it at each end of the
    run, and drops it at the ends of each box, so the width it adds is measured: it is
    proportional to the spacing. Han–Latin gaps (``span.cjk-gap``) widen by the same
    amount as a gap between two characters. A closing mark that ends the line and an
    opening bracket that starts it are set half-width first (clreq), the half em they
    give up going to the other gaps.
    """
    boxes = [box for box in _text_boxes(line, inline.boxes) if box.text]
    if not boxes:
        return
    gaps = [box for box in _leaves(line, inline.boxes) if _is_gap(box, inline.boxes) and box.margin_left]
    original = {id(box): box.width for box in boxes}
    halts = _edge_halts(boxes)
    estimate = sum(sum(map(spaced, box.text)) for box in boxes) + len(gaps)
    trial = extra_width / max(estimate, 1)
    base = _set_spacing(context, boxes, 0.0, original, line_break, halts) if halts else 0.0
    per_unit = (_set_spacing(context, boxes, trial, original, line_break, halts) - base) / trial
    if per_unit + len(gaps) <= 0:
        _set_spacing(context, boxes, 0.0, original, line_break, {})
        return
    spacing = (extra_width - base) / (per_unit + len(gaps))
    _set_spacing(context, boxes, spacing, original, line_break, halts)
    for box in boxes:
        box.magazine_added_width = box.width - original[id(box)]
    for gap in gaps:
        gap.margin_left += spacing
        gap.magazine_added_width = spacing
    _shift(line, inline.boxes, 0.0)


def _edge_halts(boxes: list) -> dict[int, list[int]]:
    """Marks at the line's edges to set half-width: {id(box): [index, …]}."""
    halts: dict[int, list[int]] = {}
    first, last = boxes[0], boxes[-1]
    if _compression_on(last.style) and last.text[-1] in CLOSING and len(last.text) - 1 not in compressed(last.text):
        halts.setdefault(id(last), []).append(len(last.text) - 1)
    if _compression_on(first.style) and first.text[0] in OPENING and 0 not in compressed(first.text):
        halts.setdefault(id(first), []).append(0)
    return halts


def _set_spacing(context: Any, boxes: list, spacing: float, original: dict, line_break: Any,
                 halts: dict[int, list[int]]) -> float:
    """Give each box the spacing (and its edge marks half width); return the width added."""
    added = 0.0
    for box in boxes:
        layout = line_break.create_layout(box.text, box.style, context, max_width=None,
                                          justification_spacing=box.justification_spacing)
        layout.magazine_spacing = _runs(box.text, spacing)
        layout.magazine_halt = halts.get(id(box), [])
        layout.set_text(box.text, justify=True)
        first_line, _ = layout.get_first_line()
        width, _ = line_break.line_size(first_line, box.style)
        layout.deactivate()
        box.width = width
        box.pango_layout = layout
        added += width - original[id(box)]
    return added


def _runs(text: str, spacing: float) -> list[tuple[int, int, float]]:
    """(start byte, end byte, spacing in px) for each run of spaced characters."""
    runs: list[tuple[int, int, float]] = []
    offset = 0
    start = None
    for char in text:
        size = len(char.encode("utf-8"))
        if spaced(char):
            if start is None:
                start = offset
        elif start is not None:
            runs.append((start, offset, spacing))
            start = None
        offset += size
    if start is not None:
        runs.append((start, offset, spacing))
    return runs


def _apply_spacing(layout: Any, runs: list[tuple[int, int, float]]) -> None:
    """Set letter spacing on the given byte ranges of a WeasyPrint Layout."""
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    base = layout.style["letter_spacing"]
    base = 0 if base == "normal" else base
    for start, end, spacing in runs:
        attribute = pango.pango_attr_letter_spacing_new(round((base + spacing) * TO_UNITS))
        attribute.start_index, attribute.end_index = start, end
        pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(layout.layout, attributes)


# ---------------------------------------------------------------------------
# Punctuation compression



def compressed(text: str) -> list[int]:
    """Indexes of the marks set half-width: one of each pair of adjacent full-width marks."""
    halves = []
    for i in range(len(text) - 1):
        first, second = text[i], text[i + 1]
        if (first in CLOSING or first in OPENING) and (second in CLOSING or second in OPENING):
            if first in CLOSING:
                halves.append(i)
            elif second in OPENING:
                halves.append(i + 1)
    return sorted(set(halves))


def _compression_on(style: Any) -> bool:
    try:
        value = style["__cjk_compress"]
    except (KeyError, TypeError):
        return True
    return not value or "none" not in str(value)


def _apply_features(layout: Any, indexes: list[int], feature: bytes) -> None:
    from weasyprint.text.ffi import ffi, pango

    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    text = layout.text
    for index in indexes:
        start = len(text[:index].encode("utf-8"))
        end = start + len(text[index].encode("utf-8"))
        attribute = pango.pango_attr_font_features_new(feature)
        attribute.start_index, attribute.end_index = start, end
        pango.pango_attr_list_insert(attributes, attribute)
    pango.pango_layout_set_attributes(layout.layout, attributes)


# ---------------------------------------------------------------------------
# Han–Latin gaps at the edges of a line

def _is_gap(box: Any, boxes_module: Any) -> bool:
    return (isinstance(box, boxes_module.InlineBox) and not box.children and box.element is not None
            and "cjk-gap" in (box.element.get("class") or "").split())


def _leaves(box: Any, boxes_module: Any) -> list:
    """The line's boxes in order, inline boxes flattened (a gap is a leaf)."""
    if isinstance(box, boxes_module.LineBox | boxes_module.InlineBox) and box.children:
        return [leaf for child in box.children if child.is_in_normal_flow()
                for leaf in _leaves(child, boxes_module)]
    return [box]


def _trim_edge_gaps(line: Any, boxes_module: Any) -> None:
    """Remove the gaps at the start and at the end of a line."""
    leaves = [b for b in _leaves(line, boxes_module) if not _is_empty_text(b, boxes_module)]
    for gap in {id(b): b for b in (leaves[:1] + leaves[-1:])}.values():
        if _is_gap(gap, boxes_module) and gap.margin_left:
            width = gap.margin_left
            gap.margin_left = 0
            _close_up(line, gap, width, boxes_module)


def _is_empty_text(box: Any, boxes_module: Any) -> bool:
    return isinstance(box, boxes_module.TextBox) and not box.text.strip()


def _close_up(box: Any, target: Any, width: float, boxes_module: Any) -> bool:
    """Move what follows ``target`` back by ``width`` and narrow the boxes holding it."""
    if box is target:
        return True
    if isinstance(box, boxes_module.LineBox | boxes_module.InlineBox):
        found = False
        for child in box.children:
            if found:
                child.translate(-width, 0)
            elif _close_up(child, target, width, boxes_module):
                found = True
        if found:
            box.width -= width
        return found
    return False


def _shift(box: Any, boxes_module: Any, x_advance: float) -> float:
    """Move every child after its widened predecessors; like WeasyPrint's add_word_spacing."""
    if isinstance(box, boxes_module.TextBox):
        box.position_x += x_advance
        return x_advance + getattr(box, "magazine_added_width", 0.0)
    if isinstance(box, boxes_module.LineBox | boxes_module.InlineBox):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, boxes_module, x_advance)
        box.width += x_advance - before
        return x_advance + getattr(box, "magazine_added_width", 0.0)  # a widened gap
    box.translate(x_advance, 0)
    return x_advance
