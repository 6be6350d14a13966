"""Chinese text rules on plain text (clreq, GB/T 15834): character classes and the
punctuation normalisation applied at render time and reported by the lint.

Every rule returns the changes it makes with their offsets, so that the renderer can
apply them and ``magazine check`` can report them (file:line:column) without either
touching the source files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Marks that may not start a line (clreq "basic" set) and that may not end one.
NOT_AT_LINE_START = frozenset("、，。．：；！？”’）》〉」』】〕〗］｝%‰℃·…—")
NOT_AT_LINE_END = frozenset("“‘（《〈「『【〔〖［｛")
# Full-width punctuation whose glyph sits on one side of the em box, for compression.
CLOSING = frozenset("、，。．：；！？”’）》〉」』】〕〗］｝")
OPENING = frozenset("“‘（《〈「『【〔〖［｛")

_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+;=%]*[A-Za-z0-9/#=_]"
                  r"|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.I)


def is_han(char: str) -> bool:
    """A Han ideograph (CJK Unified Ideographs and extensions, compatibility ideographs)."""
    if len(char) != 1:
        return False
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF
            or 0xF900 <= code <= 0xFAFF or code == 0x3007)


def is_cjk(char: str) -> bool:
    """Han, kana, bopomofo, CJK radicals, symbols and punctuation, full-width forms."""
    if len(char) != 1:
        return False
    code = ord(char)
    return (is_han(char) or 0x2E80 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF
            or 0xFE30 <= code <= 0xFE4F or char in "“”‘’—…·")


def is_latin(char: str) -> bool:
    """A letter or digit of Latin (or another space-separated) script."""
    return len(char) == 1 and ((char.isascii() and char.isalnum()) or "\u00c0" <= char <= "\u024f")


@dataclass(frozen=True)
class Change:
    """``old`` (a mark, with the spaces after it) at ``offset`` in the original text becomes ``new``."""

    offset: int
    old: str
    new: str
    rule: str

    def message(self) -> str:
        return f"'{self.old.strip() or self.old}' in Chinese text: use '{self.new}'"


FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def _protected(text: str) -> list[bool]:
    """Characters inside URLs and e-mail addresses, which are never changed."""
    flags = [False] * len(text)
    for match in _URL.finditer(text):
        for i in range(match.start(), match.end()):
            flags[i] = True
    return flags


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character before (step -1) or after (step 1), skipping plain spaces."""
    i = index + step
    while 0 <= i < len(text) and text[i] == " ":
        i += step
    return text[i] if 0 <= i < len(text) else ""


def punctuation_changes(text: str) -> list[Change]:
    """Half-width punctuation and straight quotes in Chinese context, and their full-width forms.

    Latin text, numbers (3.5%, 1,000, 10:30) and URLs are left alone.
    """
    protected = _protected(text)
    changes: list[Change] = []
    for i, char in enumerate(text):
        if protected[i]:
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        chinese = is_cjk(before) or is_cjk(after)
        if char in FULL_WIDTH:
            between_digits = before.isdigit() and after.isdigit() and text[i - 1].isdigit() and \
                i + 1 < len(text) and text[i + 1].isdigit()
            if chinese and not between_digits:
                changes.append(Change(i, _with_spaces(text, i), FULL_WIDTH[char], "full-width punctuation"))
        elif (char == "." and is_cjk(before) and not (after.isascii() and after.isalnum())
              and text[i:i + 3] != "..."):
            changes.append(Change(i, _with_spaces(text, i), "。", "full-width punctuation"))
    changes += _bracket_changes(text, protected)
    changes += _quote_changes(text, protected)
    return sorted(changes, key=lambda c: c.offset)


def _with_spaces(text: str, index: int) -> str:
    """The mark at ``index`` with the spaces after it when Chinese text follows them:
    a full-width mark carries its own space."""
    end = index + 1
    while end < len(text) and text[end] == " ":
        end += 1
    if end > index + 1 and end < len(text) and is_cjk(text[end]):
        return text[index:end]
    return text[index]


def _bracket_changes(text: str, protected: list[bool]) -> list[Change]:
    """Pairs of ( ) whose content or surroundings are Chinese become （ ）."""
    changes = []
    stack: list[int] = []
    for i, char in enumerate(text):
        if protected[i]:
            continue
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            start = stack.pop()
            inside = text[start + 1:i]
            outside = _neighbour(text, start, -1) + _neighbour(text, i, 1)
            if any(is_cjk(c) for c in inside) or any(is_han(c) for c in outside) \
                    or any(c in CLOSING or c in OPENING for c in outside):
                changes.append(Change(start, "(", "（", "full-width brackets"))
                changes.append(Change(i, ")", "）", "full-width brackets"))
    return changes


def _quote_changes(text: str, protected: list[bool]) -> list[Change]:
    """Straight quotes in Chinese context become “ ” and ‘ ’, opening and closing in turn
    (curly quotes already present count), paragraph by paragraph."""
    changes = []
    for quote, opening, closing in (('"', "“", "”"), ("'", "‘", "’")):
        is_open = False
        for i, char in enumerate(text):
            if char == "\n":
                is_open = False
            elif char == opening:
                is_open = True
            elif char == closing:
                is_open = False
            elif char == quote and not protected[i]:
                before = text[i - 1] if i > 0 else ""
                after = text[i + 1] if i + 1 < len(text) else ""
                if quote == "'" and is_latin(before) and is_latin(after):
                    continue  # an apostrophe
                if not (is_cjk(before) or is_cjk(after)):
                    is_open = not is_open
                    continue
                changes.append(Change(i, char, closing if is_open else opening, "curly quotes"))
                is_open = not is_open
    return changes


def apply(text: str, changes: list[Change]) -> str:
    """``text`` with ``changes`` (sorted by offset, not overlapping) applied."""
    if not changes:
        return text
    out, position = [], 0
    for change in sorted(changes, key=lambda c: c.offset):
        if change.offset < position:
            continue
        out.append(text[position:change.offset])
        out.append(change.new)
        position = change.offset + len(change.old)
    out.append(text[position:])
    return "".join(out)


def normalise_punctuation(text: str) -> str:
    return apply(text, punctuation_changes(text))
