"""Cut the composed issue into parts that can be laid out on their own.

A theme marks where parts begin: a child of ``<body>`` with a ``data-part="name"``
attribute starts a part that runs until the next such child. What comes before the
first marked child is the part ``front``. Each part becomes a complete HTML document:
the issue's ``<head>`` (stylesheets, settings; the title and descriptive ``<meta>`` in the
first part only), the ``<body>`` start tag with its attributes, and the part's elements.
Every part after the first begins with a *filler*: an empty element alone on a page, so
that the part's content may start on a left page as in the whole issue; the renderer drops
the filler page (see ``parallel.py``).

A theme without ``data-part`` gives a single part: the issue is laid out as one document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import ClassVar

FILLER_ID = "magazine-part-filler"
FILLER = f'<div id="{FILLER_ID}" style="break-after: page; height: 0; margin: 0; padding: 0"></div>\n'

_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class PartSource:
    """One part of the issue as an HTML document of its own."""

    index: int
    name: str
    html: str           # the part's document (with the filler for parts after the first)
    anchors: frozenset[str]  # ids defined in the part
    last: bool = True   # the last part

    @property
    def has_filler(self) -> bool:
        return self.index > 0

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()


class _BodyChildren(HTMLParser):
    """Offsets of the start tags of ``<body>``'s children that carry ``data-part``.

    Keeps a stack of open elements; an end tag closes everything opened after its start tag,
    and the end tags HTML lets authors leave out (``<p>``, ``<li>``, table cells, …) are
    implied as browsers do in the common cases."""

    VOID: ClassVar[set[str]] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                "source", "track", "wbr"}
    # A start tag of the key closes an open element of the value (if it is the innermost).
    IMPLIED: ClassVar[dict[str, set[str]]] = {
        "p": {"p"}, "li": {"li", "p"}, "dt": {"dt", "dd", "p"}, "dd": {"dt", "dd", "p"},
        "tr": {"tr", "td", "th"}, "td": {"td", "th"}, "th": {"td", "th"}, "option": {"option"},
        "div": {"p"}, "section": {"p"}, "table": {"p"}, "ul": {"p"}, "ol": {"p"}, "h1": {"p"}, "h2": {"p"},
        "h3": {"p"}, "h4": {"p"}, "figure": {"p"}, "blockquote": {"p"}}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.body_start: tuple[int, int] | None = None  # (line, column) just after <body …>
        self.body_end: tuple[int, int] | None = None
        self.marks: list[tuple[tuple[int, int], str]] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and not self.in_body and self.body_end is None:
            self.in_body = True
            line, column = self.getpos()
            self.body_start = (line, column + len(self.get_starttag_text() or ""))
            self.stack = []
            return
        if not self.in_body:
            return
        while self.stack and self.stack[-1] in self.IMPLIED.get(tag, ()):
            self.stack.pop()
        self._mark(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.in_body:
            self._mark(attrs)

    def _mark(self, attrs: list[tuple[str, str | None]]) -> None:
        if not self.stack:
            part = dict(attrs).get("data-part")
            if part:
                self.marks.append((self.getpos(), part))

    def handle_endtag(self, tag: str) -> None:
        if not self.in_body:
            return
        if tag == "body":
            self.body_end = self.getpos()
            self.in_body = False
            return
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def split_parts(html: str) -> list[PartSource]:
    """The parts of the composed issue, in order (one part when the theme marks none)."""
    parser = _BodyChildren()
    parser.feed(html)
    parser.close()
    if parser.body_start is None or not parser.marks:
        return [PartSource(0, "issue", html, _anchors(html))]
    starts = _line_offsets(html)

    def offset(position: tuple[int, int]) -> int:
        line, column = position
        return starts[line - 1] + column

    body_open = offset(parser.body_start)
    body_close = offset(parser.body_end) if parser.body_end else len(html)
    head, tail = html[:body_open], html[body_close:]
    cuts = [(offset(position), name) for position, name in parser.marks]
    pieces = []
    if html[body_open:cuts[0][0]].strip():
        pieces.append(("front", html[body_open:cuts[0][0]]))
    for (start, name), following in zip(cuts, [*cuts[1:], (body_close, "")], strict=True):
        pieces.append((name, html[start:following[0]]))
    parts = []
    for index, (name, body) in enumerate(pieces):
        document = (head if index == 0 else _without_description(head)) + "\n"
        document += (FILLER if index else "") + body + tail
        parts.append(PartSource(index, name, document, _anchors(body), last=index == len(pieces) - 1))
    return parts


_TITLE = re.compile(r"<title\b[^>]*>.*?</title\s*>", re.IGNORECASE | re.DOTALL)
_DESCRIPTIVE_META = re.compile(r"""<meta\s+name\s*=\s*["'](?!dcterms\.)[^"']*["'][^>]*>""", re.IGNORECASE)


def _without_description(head: str) -> str:
    """The head without the document's title and descriptive ``<meta>`` (author, keywords, …):
    the joined PDF takes its metadata from the first part, so the other parts need not be
    laid out again when only the description changes. Dates (``dcterms.*``) stay, so that
    every part's PDF is dated as the issue."""
    return _DESCRIPTIVE_META.sub("", _TITLE.sub("", head))


def _anchors(html: str) -> frozenset[str]:
    return frozenset(next(g for g in match.groups() if g is not None) for match in _ID.finditer(html))


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for match in re.finditer("\n", text):
        offsets.append(match.end())
    return offsets
