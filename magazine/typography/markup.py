"""The typography rules applied to HTML fragments: text nodes change, markup stays."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from .rules import CLOSING, apply, is_han, is_latin, punctuation_changes

GAP = '<span class="cjk-gap"></span>'
KEEP_OPEN, KEEP_CLOSE = '<span class="cjk-keep">', "</span>"
RAW_TEXT = {"script", "style", "code", "pre", "kbd", "samp", "var"}
PARAGRAPHS = {"p", "li", "dd", "figcaption", "blockquote"}


def typeset_html(fragment: str, *, punctuation: bool = True, autospace: bool = True, keep_last: bool = True) -> str:
    """``fragment`` with punctuation normalised, Han–Latin gaps and paragraph-end keeps."""
    parser = _Typesetter(punctuation, autospace, keep_last)
    parser.feed(fragment)
    parser.close()
    return parser.result()


def autospace_html(text: str, previous: str = "") -> str:
    """Escaped ``text`` with a gap span between each Han character and Latin letter or digit.

    ``previous`` is the character before ``text`` (from an earlier text node). No gap is
    added where the source already has a space.
    """
    out = []
    last = previous
    for char in text:
        if last and ((is_han(last) and is_latin(char)) or (is_latin(last) and is_han(char))):
            out.append(GAP)
        out.append(html.escape(char, quote=False))
        last = char
    return "".join(out)


class _Typesetter(HTMLParser):
    def __init__(self, punctuation: bool, autospace: bool, keep_last: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.punctuation = punctuation
        self.autospace = autospace
        self.keep_last = keep_last
        self.out: list[str] = []
        self.raw_depth = 0
        self.previous = ""       # last character of text seen in the current paragraph
        self.paragraph_start: int | None = None  # index in self.out where a paragraph began
        self.last_text: int | None = None        # index in self.out of the paragraph's last text
        self.last_text_raw = ""
        self.last_text_previous = ""             # the character before that text

    def result(self) -> str:
        return "".join(self.out)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in RAW_TEXT:
            self.raw_depth += 1
        if tag in PARAGRAPHS:
            self.paragraph_start, self.last_text, self.previous = len(self.out), None, ""

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in RAW_TEXT and self.raw_depth:
            self.raw_depth -= 1
        if tag in PARAGRAPHS and self.keep_last and self.last_text is not None:
            self._keep_last_characters()
        if tag in PARAGRAPHS:
            self.paragraph_start, self.last_text = None, None
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.raw_depth:
            self.out.append(html.escape(data, quote=False))
            return
        before = self.previous
        if self.punctuation:
            context = self.previous
            data = apply(context + data, punctuation_changes(context + data))[len(context):]
        self.out.append(autospace_html(data, self.previous) if self.autospace else html.escape(data, quote=False))
        if data.strip():
            self.last_text, self.last_text_raw, self.last_text_previous = len(self.out) - 1, data, before
            self.previous = data[-1]

    def handle_entityref(self, name: str) -> None:  # only reached for unknown entities
        self.out.append(f"&{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def _keep_last_characters(self) -> None:
        """Wrap the paragraph's last two characters (and punctuation after them) in a keep span."""
        text = self.last_text_raw.rstrip()
        if len(text) < 4:
            return
        end = len(text)
        count = 0
        start = end
        while start > 0 and count < 2:
            start -= 1
            if text[start] not in CLOSING and not text[start].isspace():
                count += 1
        if count < 2 or " " in text[start:end]:
            return
        tail = self.last_text_raw[len(text):]
        head, kept = text[:start], text[start:end]
        previous = head[-1] if head else ""
        render = autospace_html if self.autospace else (lambda t, p="": html.escape(t, quote=False))
        self.out[self.last_text] = (render(head, self.last_text_previous) + KEEP_OPEN
                                    + render(kept, previous) + KEEP_CLOSE + html.escape(tail, quote=False))
