"""Lay out the parts of an issue in parallel worker processes, reuse parts that did not
change, and keep the page numbers of the whole issue.

How one part is made (``lay_out_part``, in a worker):

1. WeasyPrint paginates the part's document. A part after the first begins with a filler
   page, so that its content may begin on a left page.
2. At the end of pagination (``hooks.PartLayout``) the worker asks for the part's first
   page number S, which the coordinator knows once every earlier part has reported how
   many pages it keeps. If S is even the filler page is dropped; if S is odd and WeasyPrint
   put a blank page after the filler (the content asked for a right page), both are
   dropped; otherwise the part is laid out once more without the filler. The page counter
   is shifted so that the kept pages carry the numbers of the whole issue, then the
   margin boxes (folios, running heads) are made, and the PDF is written.

``target-counter(…, page)`` across parts (the contents page) is given the page numbers of
the other parts' anchors: from the previous build first, and a part whose numbers turn out
wrong is laid out again once all numbers are known.

The coordinator (``render_in_parts``) starts a worker for each part that has no cached
result for its first page number, at most ``workers`` at a time (the lowest unfinished part
may always start, so a chain of waiting workers cannot block), answers their questions, and
collects the parts' PDFs.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from ..cachelimits import prune, touch
from ..errors import MagazineError, Problem
from ..workers import worker_count
from . import hooks
from .parts import FILLER, PartSource

CACHE_VERSION = "1"


@dataclass
class PartSettings:
    """What every part is rendered with (the same for all parts of one edition)."""

    base_url: str
    issue_folder: Path
    theme_folder: Path
    extra_roots: list[Path]
    render_options: dict = field(default_factory=dict)   # dpi, jpeg_quality, ...
    # The PDFs written from each part's layout, in this order: WeasyPrint's options for each
    # (pdf_variant, custom_metadata, ...); "attachments" go into the last part's PDF only.
    writes: list[dict] = field(default_factory=lambda: [{}])
    attachments_key: str = ""     # what the attachments hold: part of the last part's cache key only
    padding_ids: tuple[str, ...] = ()
    fontconfig: Path | None = None                        # the issue's fonts (see fonts.issue_fontconfig)
    whole_font_programs: bool = False                     # embed them as they are (see hooks.py)

    def stamp(self) -> str:
        """The settings as text, for the cache key (attachments by ``attachments_key``)."""
        writes = [{k: v for k, v in sorted(w.items()) if k != "attachments"} for w in self.writes]
        # Not the fontconfig file (named after the issue's characters): the fonts' subsets keep
        # the glyph IDs of the bundled fonts, so a part's layout does not depend on which
        # characters the other parts use (see fontsubset.py and assemble.py).
        fields = {k: v for k, v in vars(self).items() if k not in ("writes", "attachments_key", "fontconfig")}
        return repr(sorted((k, repr(v)) for k, v in fields.items())) + repr(writes)


@dataclass
class PartResult:
    index: int
    start: int                    # page number of the part's first page in the issue
    pages: int                    # pages the part keeps
    pdfs: list[bytes]             # one per ``PartSettings.writes``
    anchors: dict[str, int]       # anchor → page index within the part
    padding: list[int]            # indexes of the part's padding pages
    looked_up: dict[str, int | None]  # anchors of other parts used by target-counter → number used
    warnings: list[str]
    seconds: float = 0.0          # time taken to lay out and write the part
    # Links to anchors of other parts: (page index, anchor, [x1, y1, x2, y2] in PDF units).
    links: list[tuple[int, str, list[float]]] = field(default_factory=list)

    def meta(self) -> dict:
        data = asdict(self)
        data.pop("pdfs")
        return data


def lay_out_part(part: PartSource, settings: PartSettings, external_targets: dict[str, int],
                 ask_start: Callable[[], int], report_kept: Callable[[int], None],
                 known_start: int | None = None) -> PartResult:
    """Lay out one part, ask for its first page number when paginated, and write its PDFs.
    With ``known_start`` the part is laid out on the right side at once (no filler page
    on a right-hand start, so never a second layout)."""
    from . import _layout  # the WeasyPrint call shared with whole-issue rendering

    started = time.perf_counter()
    decided: dict[str, int] = {}

    def paginated(count: int, blanks: set[int]) -> int:
        start = decided.get("start") or ask_start()
        decided["start"] = start
        if not decided.get("filler", part.has_filler):
            drop = 0
        elif start % 2 == 0:
            drop = 1
        elif 2 in blanks:
            drop = 2
        else:
            raise hooks.Relayout
        decided["drop"] = drop
        report_kept(count - drop)
        return start - (drop + 1)

    targets = {k: v for k, v in external_targets.items() if k not in part.anchors}
    html = part.html
    if known_start is not None:
        decided["start"] = known_start
        if part.has_filler and known_start % 2:
            html = part.html.replace(FILLER, "", 1)
            decided["filler"] = 0
    for attempt in range(2):
        layout = hooks.PartLayout(on_paginated=paginated, external_targets=targets)
        try:
            with layout:
                document, warnings = _layout(html, settings.base_url, settings.issue_folder, settings.theme_folder,
                                             settings.extra_roots, settings.render_options, settings.fontconfig)
            break
        except hooks.Relayout:
            if attempt:
                raise
            html = part.html.replace(FILLER, "", 1)
            decided["filler"] = 0
    drop = decided.get("drop", 0)
    pages = document.pages[drop:]
    kept = document.copy(pages)
    anchors = {anchor: i for i, page in enumerate(pages) for anchor in page.anchors}
    padding = sorted({i for i, page in enumerate(pages) if set(page.anchors) & set(settings.padding_ids)})
    hooks.whole_font_programs = settings.whole_font_programs
    pdfs = []
    try:
        for options in settings.writes:
            options = dict(options)
            if not part.last and "attachments" in options:
                del options["attachments"]
            pdfs.append(kept.write_pdf(**options))
    finally:
        hooks.whole_font_programs = False
    links = [(i, target, [0.75 * x1, 0.75 * (page.height - y1), 0.75 * x2, 0.75 * (page.height - y2)])
             for i, page in enumerate(pages) for kind, target, (x1, y1, x2, y2), _ in page.links
             if kind == "internal" and target not in part.anchors]
    return PartResult(index=part.index, start=decided.get("start", 1), pages=len(pages), pdfs=pdfs, anchors=anchors,
                      padding=padding, looked_up=dict(layout.looked_up), warnings=warnings,
                      seconds=round(time.perf_counter() - started, 3), links=links)


# --- the cache of laid-out parts -------------------------------------------------------------

class PartCache:
    """Laid-out parts by (part document, the files it refers to, everything else it is
    rendered with, first page number): ``<folder>/<key>.<n>.pdf`` with ``<key>.json`` beside them.
    ``plan-<name>.json`` remembers where each part began in the last build and the page
    numbers of its anchors, to guess which cached parts a build will be able to use.
    Safe to delete."""

    def __init__(self, folder: Path, context: str, plan_name: str,
                 stamp: Callable[[PartSource], str] = lambda _part: "") -> None:
        self.folder = folder
        self.context = context
        self.plan_path = folder / f"plan-{hashlib.sha256(plan_name.encode()).hexdigest()[:24]}.json"
        self.stamp = stamp
        self._keys: dict[tuple[int, int], str] = {}

    def _key(self, part: PartSource, start: int) -> str:
        if (part.index, start) not in self._keys:
            text = f"{CACHE_VERSION}\0{self.context}\0{part.digest}\0{self.stamp(part)}\0{start}"
            self._keys[(part.index, start)] = hashlib.sha256(text.encode()).hexdigest()[:40]
        return self._keys[(part.index, start)]

    def peek(self, part: PartSource, start: int) -> bool:
        return (self.folder / f"{self._key(part, start)}.json").is_file()

    def get(self, part: PartSource, start: int) -> PartResult | None:
        key = self._key(part, start)
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            pdfs = [(self.folder / f"{key}.{n}.pdf").read_bytes() for n in range(len(meta["sha256"]))]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if [hashlib.sha256(pdf).hexdigest() for pdf in pdfs] != meta.pop("sha256"):
            return None
        touch(self.folder / f"{key}.json")
        meta["index"] = part.index
        meta["links"] = [tuple(link) for link in meta.get("links", [])]
        return PartResult(pdfs=pdfs, **meta)

    def put(self, part: PartSource, result: PartResult) -> None:
        from ..build import write_atomic

        key = self._key(part, result.start)
        self.folder.mkdir(parents=True, exist_ok=True)
        for n, pdf in enumerate(result.pdfs):
            write_atomic(self.folder / f"{key}.{n}.pdf", pdf)
        meta = result.meta() | {"sha256": [hashlib.sha256(pdf).hexdigest() for pdf in result.pdfs]}
        write_atomic(self.folder / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    def prune(self) -> None:
        """Keep the folder under its size limit; never the entries of this build."""
        prune(self.folder, "parts", keep=set(self._keys.values()) | {self.plan_path.name.split(".")[0]})

    def plan(self) -> tuple[dict[str, int], dict[str, int]]:
        """({part name: first page} , {anchor: page number}) of the last build."""
        try:
            data = json.loads(self.plan_path.read_text(encoding="utf-8"))
            return dict(data["starts"]), dict(data["targets"])
        except (OSError, ValueError, KeyError, TypeError):
            return {}, {}

    def save_plan(self, starts: dict[str, int], targets: dict[str, int]) -> None:
        from ..build import write_atomic

        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self.plan_path, json.dumps({"starts": starts, "targets": targets}).encode("utf-8"))


# --- the coordinator --------------------------------------------------------------------------

def _worker(conn: Connection, part: PartSource, settings: PartSettings, targets: dict[str, int],
            start: int | None) -> None:
    """Body of a worker process: lay out one part, talking to the coordinator over ``conn``."""
    try:
        def ask_start() -> int:
            if start is not None:
                return start
            conn.send(("paginated", part.index))
            return int(conn.recv())

        def report_kept(pages: int) -> None:
            conn.send(("kept", part.index, pages))

        result = lay_out_part(part, settings, targets, ask_start, report_kept, known_start=start)
        conn.send(("done", part.index, result))
    except MagazineError as exc:
        conn.send(("problems", part.index, exc.problems, exc.usage))
    except BaseException:
        conn.send(("crash", part.index, traceback.format_exc()))
    finally:
        conn.close()
        os._exit(0)


@dataclass
class PartsOutcome:
    results: list[PartResult]
    rendered: list[str]    # names of the parts laid out in this build (the others came from the cache)
    targets: dict[str, int]


def render_in_parts(parts: list[PartSource], settings: PartSettings, *, cache: PartCache | None,
                    workers: int | None = None, progress: Callable[[str], None] | None = None) -> PartsOutcome:
    """Lay out every part (in parallel where it must be laid out), with whole-issue page numbers."""
    workers = workers or worker_count()
    previous_starts, targets = cache.plan() if cache is not None else ({}, {})
    count = len(parts)
    starts: dict[int, int] = {0: 1}
    results: dict[int, PartResult] = {}
    running: dict[int, tuple[multiprocessing.Process, Connection]] = {}
    asking: set[int] = set()
    rendered: list[str] = []
    context = multiprocessing.get_context("fork")
    # Parts the cache will probably serve once their first page is known (where they began last time).
    expected = {i for i, part in enumerate(parts) if cache is not None and part.name in previous_starts
                and cache.peek(part, previous_starts[part.name])}

    def settle(index: int, result: PartResult) -> None:
        results[index] = result
        starts[index + 1] = result.start + result.pages

    def start_worker(index: int) -> None:
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, parts[index], settings, targets, starts.get(index)),
                                  daemon=True)
        process.start()
        child.close()
        running[index] = (process, parent)
        rendered.append(parts[index].name)
        if progress:
            progress(f"render {parts[index].name}")

    try:
        while len(results) < count:
            # Take what the cache has for parts whose first page is known.
            index = 0
            while index < count:
                if (index not in results and index not in running and index in starts and cache is not None
                        and (hit := cache.get(parts[index], starts[index])) is not None):
                    settle(index, hit)
                index += 1
            # Start workers for the parts the cache will not serve, lowest first.
            waiting = [i for i in range(count) if i not in results and i not in running]
            for index in waiting:
                if index not in starts and index in expected:
                    continue
                lowest = not any(i < index for i in running) and not any(i < index for i in waiting)
                if len(running) >= workers and not lowest:
                    break
                start_worker(index)
            for index in sorted(asking):
                if index in starts:
                    running[index][1].send(starts[index])
                    asking.discard(index)
            if not running:
                if len(results) < count:
                    # Expected cached parts whose start is still unknown: lay out the first of them.
                    start_worker(min(i for i in range(count) if i not in results))
                continue
            for conn in wait([conn for _, conn in running.values()]):
                index = next(i for i, (_, c) in running.items() if c is conn)
                try:
                    message = conn.recv()
                except EOFError:
                    _finish_worker(running.pop(index))
                    raise MagazineError(Problem(f"the worker laying out {parts[index].name} stopped unexpectedly",
                                                hint="run again with MAGAZINE_WORKERS=1 to see the error"),
                                        usage=False) from None
                kind = message[0]
                if kind == "paginated":
                    asking.add(index)
                elif kind == "kept":
                    starts[index + 1] = starts[index] + message[2]
                elif kind == "done":
                    settle(index, message[2])
                    _finish_worker(running.pop(index))
                    if cache is not None:
                        cache.put(parts[index], message[2])
                elif kind == "problems":
                    _finish_worker(running.pop(index))
                    raise MagazineError(message[2], usage=message[3])
                else:
                    _finish_worker(running.pop(index))
                    raise MagazineError(Problem(f"laying out {parts[index].name} failed:\n{message[2]}"),
                                        usage=False)
        # Target numbers of the whole issue; parts that used other numbers are laid out again.
        final = {anchor: results[i].start + page for i in results for anchor, page in results[i].anchors.items()}
        for index in range(count):
            result = results[index]
            if any(final.get(anchor) != used for anchor, used in result.looked_up.items()):
                if progress:
                    progress(f"render {parts[index].name} (page references)")
                again = _lay_out_here(parts[index], settings, final, result.start)
                if again.pages != result.pages:
                    raise StalePlan(parts[index].name)
                results[index] = again
                if parts[index].name not in rendered:
                    rendered.append(parts[index].name)
                if cache is not None:
                    cache.put(parts[index], again)
        if cache is not None:
            cache.save_plan({parts[i].name: results[i].start for i in results}, final)
            cache.prune()
        return PartsOutcome([results[i] for i in range(count)], rendered, final)
    finally:
        for process, conn in running.values():
            process.kill()
            _finish_worker((process, conn))


class StalePlan(Exception):
    """A part's page count changed when its cross-references were filled in."""


def _lay_out_here(part: PartSource, settings: PartSettings, targets: dict[str, int], start: int) -> PartResult:
    return lay_out_part(part, settings, targets, lambda: start, lambda _pages: None, known_start=start)


def _finish_worker(worker: tuple[multiprocessing.Process, Connection]) -> None:
    process, conn = worker
    conn.close()
    process.join(timeout=5)

