"""Small extensions of WeasyPrint 70 that let one issue be laid out as several documents
(parts) that behave like one. In the layout:

- **pause**: when a part's pagination is finished, and before its margin boxes (folios,
  running heads) are made, a callback learns how many pages it has and which of them are
  blank, and answers by how much the page counter must be shifted: the part's pages then
  carry the numbers they would have in the whole issue;
- **blank pages**: which pages WeasyPrint inserted as blank (``break-before: right``);
- **external targets**: ``target-counter(…, page)`` may point at an anchor laid out in
  another part; its page number is given in advance and looked up like a local one.

These three act only while a :class:`PartLayout` is active (``with PartLayout(…):``), so
ordinary renders are untouched. In the PDF writing: font programs left whole (or as a
stub naming them) while ``whole_font_programs`` is on, and large streams compressed once
(``keep_deflated_in``). Installed once per process, checked against the version.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_active: PartLayout | None = None
_installed = False
# While True, PDFs embed font programs as they are (already reduced to the issue's
# characters by fonts.issue_fontconfig) instead of subsetting them again: every part of an
# issue then carries byte-identical font programs, kept once when the parts are joined.
# Widths and ToUnicode maps still list only the glyphs used, from the text they came from.
whole_font_programs = False
# Font programs that a part's PDF carries as a stub naming them (sha256 of the program →
# PostScript name) while ``whole_font_programs`` is on: the joined PDF receives the
# program once, reduced to the glyphs its pages use (see assemble.py).
_font_stubs: dict[str, str] = {}
FONT_STUB = b"magazine-font:"


def stub_font_programs(files: list[Path]) -> dict[str, bytes]:
    """Let the parts' PDFs carry a stub instead of each of ``files`` (the issue's fonts);
    the programs by PostScript name, for the joined PDF."""
    from fontTools.ttLib import TTFont

    programs = {}
    for path in files:
        data = path.read_bytes()
        name = TTFont(path, lazy=True)["name"].getDebugName(6)
        if name:
            _font_stubs[hashlib.sha256(data).hexdigest()] = name
            programs[name] = data
    return programs


# Large streams (font programs, ICC profiles) are compressed once and kept in this folder
# by the sha256 of their raw bytes: every part embeds the same fonts and profile, and
# zlib at level 9 (what pydyf uses) costs a quarter of a second per megabyte.
_deflate_folder: Path | None = None
DEFLATE_LEVEL = 9
DEFLATE_MINIMUM = 1 << 17


def deflated(raw: bytes) -> bytes:
    """``raw`` compressed with zlib at pydyf's level, from the folder when done before."""
    return remembered(hashlib.sha256(raw).hexdigest(), lambda: zlib.compress(raw, DEFLATE_LEVEL))


def remembered(key: str, make: Callable[[], bytes]) -> bytes:
    """Bytes kept in the deflate folder under ``key`` (made by ``make`` the first time)."""
    if _deflate_folder is None:
        return make()
    path = _deflate_folder / f"{key}.z"
    try:
        data = path.read_bytes()
        os.utime(path)
        return data
    except OSError:
        pass
    data = make()
    _deflate_folder.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return data


def keep_deflated_in(folder: Path) -> None:
    """Keep compressed large streams (and reduced font programs) in ``folder`` from now on,
    in this process and the workers forked from it; prune the folder to its size limit."""
    from ..cachelimits import prune

    global _deflate_folder
    _deflate_folder = folder
    prune(folder, "deflate")


class Relayout(Exception):
    """Raised by a pause callback: the pages must be laid out again (e.g. on the other side)."""


@dataclass
class PartLayout:
    """The state of the part being laid out in this process."""

    # Called once pagination is done: (page count, page numbers of blank pages) → counter shift.
    on_paginated: Callable[[int, set[int]], int] | None = None
    # Page numbers of anchors in other parts: {anchor: page number}.
    external_targets: dict[str, int] = field(default_factory=dict)
    # Filled in: anchors looked up that this part does not define, with the number used.
    looked_up: dict[str, int | None] = field(default_factory=dict)
    blank_pages: set[int] = field(default_factory=set)
    paused: bool = False

    def __enter__(self) -> PartLayout:
        global _active
        install()
        _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = None


class _ExternalTarget:
    """Stands in for the box of an anchor in another part (only its page counter is known)."""

    def __init__(self, page: int) -> None:
        self.cached_counter_values = {"page": [page]}

    def extract_text(self, *_: object) -> str:
        return ""


def install() -> None:
    global _installed
    if _installed:
        return
    import pydyf
    from weasyprint import layout
    from weasyprint.css import targets
    from weasyprint.layout import page as page_layout
    from weasyprint.pdf import fonts as pdf_fonts

    from ..typography.linelayout import require_supported_weasyprint

    require_supported_weasyprint("magazine/render/hooks.py")

    original_margin_boxes = layout.make_margin_boxes
    original_make_page = page_layout.make_page
    original_init = targets.TargetCollector.__init__
    original_lookup = targets.TargetCollector.lookup_target

    def make_margin_boxes(context: Any, page: Any, state: Any) -> Any:
        part = _active
        if part is not None and part.on_paginated is not None and not part.paused:
            # Pagination is finished: every page_maker entry holds its final counters.
            part.paused = True
            shift = part.on_paginated(len(context.page_maker) - 1, set(part.blank_pages))
            if shift:
                for entry in context.page_maker[1:]:
                    counters = entry[3][1]
                    if counters.get("page"):
                        counters["page"][-1] += shift
        return original_margin_boxes(context, page, state)

    def make_page(context: Any, root_box: Any, page_type: Any, resume_at: Any, page_number: int,
                  page_state: Any) -> Any:
        part = _active
        if part is not None:
            if page_type.blank:
                part.blank_pages.add(page_number)
            else:
                part.blank_pages.discard(page_number)
        return original_make_page(context, root_box, page_type, resume_at, page_number, page_state)

    def collector_init(self: Any) -> None:
        original_init(self)
        part = _active
        if part is not None:
            for anchor, number in part.external_targets.items():
                item = targets.TargetLookupItem("up-to-date")
                item.target_box = _ExternalTarget(number)
                self.target_lookup_items[anchor] = item

    def lookup_target(self: Any, anchor_token: Any, source_box: Any, css_token: Any, parse_again: Any) -> Any:
        item = original_lookup(self, anchor_token, source_box, css_token, parse_again)
        part = _active
        if part is not None and (isinstance(item.target_box, _ExternalTarget) or item.state == "undefined"):
            name = _anchor_name(anchor_token, source_box)
            if name:
                external = isinstance(item.target_box, _ExternalTarget)
                part.looked_up[name] = item.target_box.cached_counter_values["page"][0] if external else None
        return item

    original_stream_data = pydyf.Stream.data

    def stream_data(self: Any) -> bytes:
        chunks = self.stream
        if whole_font_programs and _font_stubs and len(chunks) == 1 and isinstance(chunks[0], bytes) \
                and self.extra.get("Subtype") == "/OpenType":
            name = _font_stubs.get(hashlib.sha256(chunks[0]).hexdigest())
            if name is not None:
                stub = FONT_STUB + name.encode("ascii", "replace")
                extra = pydyf.Dictionary(self.extra.copy())
                extra["Length"] = len(stub)
                return b"\n".join((extra.data, b"stream", stub, b"endstream"))
        if self.compress and _deflate_folder is not None and len(chunks) == 1 and isinstance(chunks[0], bytes) \
                and len(chunks[0]) >= DEFLATE_MINIMUM:
            compressed = deflated(chunks[0])
            extra = pydyf.Dictionary(self.extra.copy())
            extra["Filter"] = "/FlateDecode"
            extra["Length"] = len(compressed)
            return b"\n".join((extra.data, b"stream", compressed, b"endstream"))
        return original_stream_data.fget(self)

    pydyf.Stream.data = property(stream_data)

    original_subset = pdf_fonts.Font.subset

    def subset(self: Any, to_unicode: Any, hinting: Any) -> None:
        if not whole_font_programs:
            original_subset(self, to_unicode, hinting)

    pdf_fonts.Font.subset = subset
    layout.make_margin_boxes = make_margin_boxes
    page_layout.make_page = make_page
    targets.TargetCollector.__init__ = collector_init
    targets.TargetCollector.lookup_target = lookup_target
    _installed = True


def _anchor_name(anchor_token: Any, source_box: Any) -> str | None:
    from weasyprint.css import targets
    from weasyprint.urls import get_url_tuple

    if anchor_token[0] == "attr()":
        attr_name, type_, fallback = anchor_token[1]
        value = source_box.element.get(attr_name, fallback)
        base_url = source_box.style.base_url
        anchor_token = ("string", value) if type_ == "string" else ("url", get_url_tuple(value, base_url))
    try:
        return targets.anchor_name_from_token(anchor_token)
    except (IndexError, TypeError):
        return None
